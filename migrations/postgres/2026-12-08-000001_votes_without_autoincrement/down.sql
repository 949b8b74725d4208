-- Nothing to do: see the SQLite migration of the same name (PostgreSQL's
-- sequences cost an insert nothing like SQLite's sqlite_sequence row).
SELECT 1;
