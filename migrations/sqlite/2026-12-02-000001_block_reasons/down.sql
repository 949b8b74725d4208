DROP TABLE block_reasons;
