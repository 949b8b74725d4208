-- Communities, membership, content and the federation queues.

-- Extra actor URLs that remote actors publish (local ones are derived).
ALTER TABLE actors ADD COLUMN followers_url TEXT;
ALTER TABLE actors ADD COLUMN outbox_url TEXT;

-- A community is a Group actor: local (hosted here) or remote (known here).
CREATE TABLE communities (
    id BIGSERIAL PRIMARY KEY,
    actor_id BIGINT NOT NULL UNIQUE REFERENCES actors (id) ON DELETE CASCADE,
    local BOOLEAN NOT NULL,
    name TEXT NOT NULL,
    title TEXT NOT NULL,
    description_markdown TEXT NOT NULL DEFAULT '',
    description_html TEXT NOT NULL DEFAULT '',
    join_policy TEXT NOT NULL CHECK (join_policy IN ('open', 'approval', 'invite')),
    -- JSON array of stakeholder class names, e.g. ["worker","user","supporter"].
    stakeholder_classes TEXT NOT NULL DEFAULT '["member"]',
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Membership: a person (local or remote) in a community, with a stakeholder class.
CREATE TABLE memberships (
    id BIGSERIAL PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    class TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('member', 'moderator', 'owner')),
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'refused', 'left', 'removed')),
    application TEXT,
    decision_reason TEXT,
    -- The Join activity that asked (remote members), to answer it.
    join_activity_id TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    active_since TIMESTAMP,
    UNIQUE (community_id, person_id)
);
CREATE INDEX memberships_person ON memberships (person_id);

-- Follows of a community (subscriptions to its posts), by anyone anywhere.
CREATE TABLE follows (
    id BIGSERIAL PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    follower_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted')),
    follow_activity_id TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (community_id, follower_id)
);
CREATE INDEX follows_follower ON follows (follower_id);

CREATE TABLE posts (
    id BIGSERIAL PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    local BOOLEAN NOT NULL,
    title TEXT NOT NULL,
    body_markdown TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    link_url TEXT,
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    likes BIGINT NOT NULL DEFAULT 0,
    dislikes BIGINT NOT NULL DEFAULT 0,
    comment_count BIGINT NOT NULL DEFAULT 0,
    published_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP,
    last_activity_at TIMESTAMP NOT NULL
);
CREATE INDEX posts_community_new ON posts (community_id, published_at DESC, id DESC);
CREATE INDEX posts_new ON posts (published_at DESC, id DESC);
CREATE INDEX posts_active ON posts (last_activity_at DESC, id DESC);
CREATE INDEX posts_top ON posts (likes DESC, id DESC);

CREATE TABLE comments (
    id BIGSERIAL PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    parent_id BIGINT REFERENCES comments (id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    local BOOLEAN NOT NULL,
    body_markdown TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    likes BIGINT NOT NULL DEFAULT 0,
    dislikes BIGINT NOT NULL DEFAULT 0,
    published_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP
);
CREATE INDEX comments_post ON comments (post_id, published_at);

-- One vote (+1 like, -1 dislike) per actor per post or comment.
CREATE TABLE votes (
    id BIGSERIAL PRIMARY KEY,
    ap_id TEXT NOT NULL,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    post_id BIGINT REFERENCES posts (id) ON DELETE CASCADE,
    comment_id BIGINT REFERENCES comments (id) ON DELETE CASCADE,
    value SMALLINT NOT NULL CHECK (value IN (-1, 1)),
    created_at TIMESTAMP NOT NULL,
    CHECK ((post_id IS NULL) <> (comment_id IS NULL))
);
CREATE UNIQUE INDEX votes_post ON votes (actor_id, post_id) WHERE post_id IS NOT NULL;
CREATE UNIQUE INDEX votes_comment ON votes (actor_id, comment_id) WHERE comment_id IS NOT NULL;

-- Other instances: federation policy and delivery state.
CREATE TABLE instances (
    id BIGSERIAL PRIMARY KEY,
    host TEXT NOT NULL UNIQUE,
    policy TEXT NOT NULL DEFAULT 'none' CHECK (policy IN ('none', 'allow', 'block')),
    -- The admin chose to follow this co-op instance (network view).
    followed BOOLEAN NOT NULL DEFAULT FALSE,
    software TEXT,
    -- Delivery worker: last outgoing activity delivered, failures, when to try next.
    delivered_up_to BIGINT NOT NULL DEFAULT 0,
    fail_count INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP,
    parked BOOLEAN NOT NULL DEFAULT FALSE,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Activities received, for de-duplication by id.
CREATE TABLE received_activities (
    id BIGSERIAL PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    received_at TIMESTAMP NOT NULL
);
CREATE INDEX received_activities_at ON received_activities (received_at);

-- The persistent outgoing queue: one row per activity, one target row per inbox.
CREATE TABLE outgoing_activities (
    id BIGSERIAL PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE outgoing_targets (
    activity_id BIGINT NOT NULL REFERENCES outgoing_activities (id) ON DELETE CASCADE,
    instance_id BIGINT NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    inbox_url TEXT NOT NULL,
    PRIMARY KEY (instance_id, activity_id, inbox_url)
);
