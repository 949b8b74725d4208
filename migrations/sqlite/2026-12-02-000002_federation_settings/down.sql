ALTER TABLE instances DROP COLUMN last_contact_at;
DROP TABLE instance_settings;
