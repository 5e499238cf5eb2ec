-- 0004_id_number.sql: a person's identity card number (身份证号), optional,
-- stored like the phone (SEC-D5): sealed, keyed hash for exact lookups,
-- masked form for display. The plain number is never stored.

ALTER TABLE people ADD COLUMN id_number_enc BLOB;
ALTER TABLE people ADD COLUMN id_number_index BLOB;
ALTER TABLE people ADD COLUMN id_number_masked TEXT NOT NULL DEFAULT '';
CREATE INDEX people_id_number_index ON people(id_number_index);
