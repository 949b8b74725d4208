DROP TABLE rule_versions;
DROP TABLE ballots;
DROP TABLE proposal_electorate;
DROP TABLE proposals;
DROP TABLE governance_settings;
