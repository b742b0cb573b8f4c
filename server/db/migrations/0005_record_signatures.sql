-- Signed confirmation records and rules versions, issue 13.

-- The station's Ed25519 signature over the record (core/records/record-signature.ts), verified on arrival and kept
-- so that the record stays verifiable later. Records stored before stations signed them have none.
ALTER TABLE confirmations ADD COLUMN signature bytea CHECK (octet_length(signature) = 64);

-- The rules version the record says it was judged under (content.rulesVersion), and whether the server knew it
-- when the record arrived: an unknown one is stored all the same and flagged for supervisors, like
-- cross_station_conflict.
ALTER TABLE confirmations ADD COLUMN rules_version text CHECK (rules_version ~ '^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$');
ALTER TABLE confirmations ADD COLUMN unknown_rules boolean NOT NULL DEFAULT false;
