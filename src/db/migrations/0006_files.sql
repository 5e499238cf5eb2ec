-- 0006_files.sql: uploaded files (SEC-C7). The bytes live outside the
-- database and any served folder (DATA/files/), under the random name in
-- `stored`; the type is what the content is, found by src/lib/sniff.c.
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    owner_kind TEXT NOT NULL,          -- 'meeting', ...
    owner_id INTEGER NOT NULL,
    name TEXT NOT NULL,                -- as uploaded, for display only
    type TEXT NOT NULL,
    ext TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 BLOB NOT NULL,
    stored TEXT NOT NULL UNIQUE,
    uploaded_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX files_owner ON files(owner_kind, owner_id);
