-- Instance-wide settings an admin changes at run time (one row, id = 1).
-- Its first value comes from the configuration file when the row is created.
CREATE TABLE instance_settings (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    federation_allowlist_only BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- When we last heard from an instance (a delivery or a fetch that succeeded).
ALTER TABLE instances ADD COLUMN last_contact_at TIMESTAMP;
