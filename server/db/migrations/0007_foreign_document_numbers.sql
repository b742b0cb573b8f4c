-- Foreign permanent resident ID card numbers (外国人永久居留身份证), issue 13 item 6.

-- Candidates may hold a foreign permanent resident card instead of a resident card. Its 2023 number is 18
-- digits like a citizen number (it starts with 9); its 2017 number is 3 upper-case letters (the nationality)
-- and 12 digits, which the 0001 CHECKs refused. The full rules (check character, birth date) stay in the
-- application (core/citizen-id/document-number.ts); the database keeps to the two shapes.
ALTER TABLE roster_entries DROP CONSTRAINT roster_entries_citizen_id_check;
ALTER TABLE roster_entries ADD CONSTRAINT roster_entries_citizen_id_check
  CHECK (citizen_id ~ '^([0-9]{17}[0-9X]|[A-Z]{3}[0-9]{12})$');

ALTER TABLE confirmations DROP CONSTRAINT confirmations_citizen_id_check;
ALTER TABLE confirmations ADD CONSTRAINT confirmations_citizen_id_check
  CHECK (citizen_id ~ '^([0-9]{17}[0-9X]|[A-Z]{3}[0-9]{12})$');
