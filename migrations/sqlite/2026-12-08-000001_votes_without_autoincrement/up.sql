-- Votes are the inbox's busiest insert. With AUTOINCREMENT every insert
-- looked up and rewrote the table's row in sqlite_sequence; nothing needs a
-- vote's id never to be handed out again (nothing refers to a vote by its
-- id), so the table is rebuilt with a plain rowid key (SQLite cannot change
-- a column's key in place), with the same indexes and triggers.
CREATE TABLE votes_rebuilt (
    id INTEGER PRIMARY KEY,
    ap_id TEXT NOT NULL,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    post_id BIGINT REFERENCES posts (id) ON DELETE CASCADE,
    comment_id BIGINT REFERENCES comments (id) ON DELETE CASCADE,
    value SMALLINT NOT NULL CHECK (value IN (-1, 1)),
    created_at TIMESTAMP NOT NULL,
    CHECK ((post_id IS NULL) <> (comment_id IS NULL))
);
INSERT INTO votes_rebuilt (id, ap_id, actor_id, post_id, comment_id, value, created_at)
SELECT id, ap_id, actor_id, post_id, comment_id, value, created_at FROM votes;
-- The triggers go first: the old rows moved, their ids were not taken back.
DROP TRIGGER votes_removed_stay_seen;
DROP TRIGGER votes_replaced_stay_seen;
DROP TABLE votes;
ALTER TABLE votes_rebuilt RENAME TO votes;
DELETE FROM sqlite_sequence WHERE name = 'votes';

CREATE UNIQUE INDEX votes_post ON votes (actor_id, post_id) WHERE post_id IS NOT NULL;
CREATE UNIQUE INDEX votes_comment ON votes (actor_id, comment_id) WHERE comment_id IS NOT NULL;
CREATE INDEX votes_on_post ON votes (post_id, value) WHERE post_id IS NOT NULL;
CREATE INDEX votes_on_comment ON votes (comment_id, value) WHERE comment_id IS NOT NULL;
CREATE INDEX votes_ap_id ON votes (ap_id);

CREATE TRIGGER votes_removed_stay_seen AFTER DELETE ON votes
BEGIN
    INSERT OR IGNORE INTO received_activities (ap_id, received_at)
    VALUES (OLD.ap_id, strftime('%Y-%m-%d %H:%M:%f', 'now'));
END;
CREATE TRIGGER votes_replaced_stay_seen AFTER UPDATE OF ap_id ON votes
WHEN OLD.ap_id <> NEW.ap_id
BEGIN
    INSERT OR IGNORE INTO received_activities (ap_id, received_at)
    VALUES (OLD.ap_id, strftime('%Y-%m-%d %H:%M:%f', 'now'));
END;
