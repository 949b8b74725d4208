-- The reason a member gave with a Block, keyed by the ballot's receipt hash (never by voter, so a
-- secret ballot stays secret). A changed vote has a new receipt, so only current ballots' reasons show.
CREATE TABLE block_reasons (
    receipt_hash TEXT PRIMARY KEY,
    proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX block_reasons_proposal ON block_reasons (proposal_id);
