UPDATE proposals
SET result = jsonb_set(result::jsonb, '{counted_receipts}', COALESCE((
    SELECT jsonb_agg(receipt_hash ORDER BY receipt_hash)
    FROM counted_receipts c WHERE c.proposal_id = proposals.id), '[]'::jsonb))::text
WHERE result IS NOT NULL;

DROP TABLE counted_receipts;
