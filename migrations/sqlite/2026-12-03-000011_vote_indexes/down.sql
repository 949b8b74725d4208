DROP INDEX votes_ap_id;
DROP INDEX votes_on_comment;
DROP INDEX votes_on_post;
