DROP TRIGGER votes_removed_stay_seen ON votes;
DROP TRIGGER votes_replaced_stay_seen ON votes;
DROP FUNCTION vote_id_stays_seen();
DROP INDEX votes_on_post;
DROP INDEX votes_on_comment;
CREATE INDEX votes_on_post ON votes (post_id, value);
CREATE INDEX votes_on_comment ON votes (comment_id, value);
-- Ids that only vote rows recorded.
INSERT INTO received_activities (ap_id, received_at)
SELECT ap_id, created_at FROM votes
ON CONFLICT DO NOTHING;
