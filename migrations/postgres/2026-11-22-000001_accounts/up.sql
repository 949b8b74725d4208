-- Actors: every ActivityPub actor we know, local or remote (persons now;
-- communities and the instance actor share this table as they arrive).
CREATE TABLE actors (
    id BIGSERIAL PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'group', 'application')),
    name TEXT NOT NULL,
    domain TEXT NOT NULL,
    local BOOLEAN NOT NULL,
    display_name TEXT,
    summary TEXT,
    inbox_url TEXT NOT NULL,
    shared_inbox_url TEXT,
    public_key_pem TEXT NOT NULL,
    private_key_pem TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    last_refreshed_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX actors_kind_name_domain ON actors (kind, lower(name), domain);

-- Local accounts: a login on top of a local person actor.
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    actor_id BIGINT NOT NULL UNIQUE REFERENCES actors (id) ON DELETE CASCADE,
    username TEXT NOT NULL,
    username_lower TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL CHECK (status IN ('active', 'pending', 'refused', 'suspended')),
    application TEXT,
    refusal_reason TEXT,
    bio_markdown TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Sessions: browser cookies and API tokens. Only a SHA-256 of the secret is kept.
CREATE TABLE sessions (
    id BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('browser', 'api')),
    csrf_token TEXT NOT NULL,
    user_agent TEXT,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
