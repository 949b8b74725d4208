DROP TABLE sessions;
DROP TABLE users;
DROP TABLE actors;
