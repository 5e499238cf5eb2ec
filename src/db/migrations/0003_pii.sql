-- 0003_pii.sql: phone numbers encrypted at rest (SEC-D5).
-- Each personal number has a sealed copy (AEAD, key outside the database),
-- a keyed hash for exact lookups and the masked form shown by default.
-- The old plain columns are renamed *_legacy; start-up seals what they hold
-- and empties them.

ALTER TABLE people RENAME COLUMN phone TO phone_legacy;
ALTER TABLE people ADD COLUMN phone_enc BLOB;
ALTER TABLE people ADD COLUMN phone_index BLOB;
ALTER TABLE people ADD COLUMN phone_masked TEXT NOT NULL DEFAULT '';
CREATE INDEX people_phone_index ON people(phone_index);

ALTER TABLE applications RENAME COLUMN contact_phone TO contact_phone_legacy;
ALTER TABLE applications ADD COLUMN contact_phone_enc BLOB;
ALTER TABLE applications ADD COLUMN contact_phone_index BLOB;
ALTER TABLE applications ADD COLUMN contact_phone_masked TEXT NOT NULL DEFAULT '';
