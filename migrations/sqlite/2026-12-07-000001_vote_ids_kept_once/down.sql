DROP TRIGGER votes_removed_stay_seen;
DROP TRIGGER votes_replaced_stay_seen;
DROP INDEX votes_on_post;
DROP INDEX votes_on_comment;
CREATE INDEX votes_on_post ON votes (post_id, value);
CREATE INDEX votes_on_comment ON votes (comment_id, value);
-- Ids that only vote rows recorded.
INSERT OR IGNORE INTO received_activities (ap_id, received_at)
SELECT ap_id, created_at FROM votes;
