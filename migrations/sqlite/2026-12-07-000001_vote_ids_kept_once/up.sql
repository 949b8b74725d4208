-- A Like's or Dislike's id is kept once: the vote row it made records it,
-- and the inbox no longer writes it to received_activities too. When the
-- row stops recording it (the vote is taken back or replaced by another),
-- the id goes to received_activities, so a late re-delivery of the old
-- activity is still known as seen.
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

-- A vote is on a post or on a comment: each target index holds only its own
-- votes, not an entry with NULL for every vote on the other kind.
DROP INDEX votes_on_post;
DROP INDEX votes_on_comment;
CREATE INDEX votes_on_post ON votes (post_id, value) WHERE post_id IS NOT NULL;
CREATE INDEX votes_on_comment ON votes (comment_id, value) WHERE comment_id IS NOT NULL;
