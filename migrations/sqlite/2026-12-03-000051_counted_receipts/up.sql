-- The receipt hashes a closed proposal's count published, one row each: the
-- count's JSON no longer carries them (10,000 ballots made it 670 KB, read
-- on every page view), a receipt check is one indexed lookup, and the list
-- is served in pages at <proposal>/receipts. A remote proposal's rows are
-- the ones its community published.
CREATE TABLE counted_receipts (
    proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    receipt_hash TEXT NOT NULL,
    PRIMARY KEY (proposal_id, receipt_hash)
) WITHOUT ROWID;

INSERT OR IGNORE INTO counted_receipts (proposal_id, receipt_hash)
SELECT p.id, r.value
FROM (SELECT id, result FROM proposals
      WHERE result IS NOT NULL AND json_valid(result)) p,
     json_each(p.result, '$.counted_receipts') r;

UPDATE proposals
SET result = json_remove(result, '$.counted_receipts')
WHERE result IS NOT NULL AND json_valid(result);
