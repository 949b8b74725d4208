-- Governance: per-community settings, proposals with their eligibility snapshot, ballots,
-- and the versioned rules that passed proposals change.

-- How a community governs itself. No row means the defaults.
CREATE TABLE governance_settings (
    community_id BIGINT PRIMARY KEY REFERENCES communities (id) ON DELETE CASCADE,
    -- JSON: {"who":"any_member"} or {"who":"only","classes":["worker"],"roles":["moderator"]}.
    proposers TEXT NOT NULL DEFAULT '{"who":"any_member"}',
    -- Whether a vote may be extended once open, and by how much at most (set in advance:
    -- copied into every proposal when it is created).
    allow_extension BOOLEAN NOT NULL DEFAULT FALSE,
    max_extension_seconds BIGINT NOT NULL DEFAULT 0,
    -- Whether leaving the community withdraws a ballot on a proposal still open.
    withdraw_on_leave BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE proposals (
    id BIGSERIAL PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    local BOOLEAN NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('rule_change', 'decision', 'election', 'poll')),
    title TEXT NOT NULL,
    body_markdown TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    -- Rule changes: JSON list of operations, and the rules version they were written against.
    rule_changes TEXT,
    base_rules_version BIGINT,
    -- Elections: JSON list of candidate actor ids, parallel to `options`.
    candidates TEXT,
    -- JSON list of option names ([] for consent).
    options TEXT NOT NULL,
    -- JSON of the tally rules: method, quorum, threshold, class policy, seats.
    voting TEXT NOT NULL,
    ballot TEXT NOT NULL CHECK (ballot IN ('secret', 'roll_call')),
    -- Settings copied from the community when the proposal was made.
    withdraw_on_leave BOOLEAN NOT NULL,
    max_extension_seconds BIGINT NOT NULL,
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    original_closes_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'open', 'closed')),
    -- JSON eligible members per class, snapshotted when it opened.
    electorate TEXT,
    closed_at TIMESTAMP,
    -- JSON of the published tally (outcome, counted receipt hashes).
    result TEXT,
    passed BOOLEAN,
    result_rules_version BIGINT,
    -- Why a closed proposal changed nothing although it passed, or could not be tallied.
    close_note TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX proposals_due ON proposals (status, closes_at);
CREATE INDEX proposals_community ON proposals (community_id, created_at DESC, id DESC);

-- Who may vote on a proposal: members active with a class when it opened.
CREATE TABLE proposal_electorate (
    proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    class TEXT NOT NULL,
    PRIMARY KEY (proposal_id, person_id)
);

-- One ballot per voter per proposal; a changed vote replaces the choice and the receipt.
-- A secret ballot's voter is unlinked when the proposal closes.
CREATE TABLE ballots (
    id BIGSERIAL PRIMARY KEY,
    proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    voter_id BIGINT REFERENCES actors (id) ON DELETE SET NULL,
    class TEXT NOT NULL,
    choice TEXT NOT NULL,
    receipt_hash TEXT NOT NULL UNIQUE,
    activity_id TEXT,
    cast_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (proposal_id, voter_id)
);

-- Every version of a community's rules, in full; version N+1 is made by the proposal that adopted it.
CREATE TABLE rule_versions (
    id BIGSERIAL PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    -- JSON list of {"id","title","text"} in order; a rule's id stays the same across versions.
    rules TEXT NOT NULL,
    next_rule_id BIGINT NOT NULL,
    proposal_id BIGINT REFERENCES proposals (id) ON DELETE SET NULL,
    adopted_at TIMESTAMP NOT NULL,
    UNIQUE (community_id, version)
);
