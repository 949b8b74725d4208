-- See the SQLite migration of the same name for why.
CREATE TABLE counted_receipts (
    proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    receipt_hash TEXT NOT NULL,
    PRIMARY KEY (proposal_id, receipt_hash)
);

INSERT INTO counted_receipts (proposal_id, receipt_hash)
SELECT DISTINCT p.id, r.value
FROM proposals p,
     jsonb_array_elements_text(COALESCE(p.result::jsonb -> 'counted_receipts', '[]'::jsonb)) AS r(value)
WHERE p.result IS NOT NULL;

UPDATE proposals
SET result = (result::jsonb - 'counted_receipts')::text
WHERE result IS NOT NULL;
