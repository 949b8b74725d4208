UPDATE proposals
SET result = json_set(result, '$.counted_receipts', (
    SELECT json_group_array(receipt_hash)
    FROM (SELECT receipt_hash FROM counted_receipts c
          WHERE c.proposal_id = proposals.id ORDER BY receipt_hash)))
WHERE result IS NOT NULL AND json_valid(result);

DROP TABLE counted_receipts;
