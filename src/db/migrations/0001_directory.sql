-- 0001_directory.sql: regions, the alliance, member units, people, join applications.

CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'city', 'county')),
    parent TEXT REFERENCES regions(code)
);
CREATE INDEX regions_parent ON regions(parent);

CREATE TABLE alliance (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    short_name TEXT NOT NULL DEFAULT '',
    founded TEXT NOT NULL DEFAULT '',
    intro TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
);

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    short_name TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('technical_school', 'vocational_college', 'enterprise',
                                       'research_institute', 'agency')),
    uscc TEXT NOT NULL UNIQUE,
    city TEXT NOT NULL REFERENCES regions(code),
    role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('chair', 'vice_chair', 'council', 'member')),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'withdrawn')),
    joined TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    intro TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX units_city ON units(city);
CREATE INDEX units_kind ON units(kind);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX people_unit ON people(unit_id);

CREATE TABLE applications (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    uscc TEXT NOT NULL,
    city TEXT NOT NULL REFERENCES regions(code),
    address TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    intro TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    contact_email TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    reason TEXT NOT NULL DEFAULT '',
    unit_id INTEGER REFERENCES units(id),
    reviewed_by INTEGER REFERENCES users(id),
    reviewed_at INTEGER,
    created_at INTEGER NOT NULL
);
-- One pending application per organisation (SEC-B6).
CREATE UNIQUE INDEX applications_pending ON applications(uscc) WHERE status = 'pending';
