-- Recounting a post's or comment's votes after each vote read every vote
-- row (the unique indexes lead with actor_id): index them by target.
CREATE INDEX votes_on_post ON votes (post_id, value);
CREATE INDEX votes_on_comment ON votes (comment_id, value);
-- An Undo names the Like it takes back by its id.
CREATE INDEX votes_ap_id ON votes (ap_id);
