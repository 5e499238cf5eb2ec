-- 0009_search.sql: one search index over the alliance, units, people
-- (their names and job titles only), positions, meetings, resolutions,
-- the charter and articles (module search, docs/search.md).
--
-- search_docs holds what is searched and who may see it; search_fts is
-- its FTS5 index with the program's tokenizer `jilian` (simplified and
-- traditional folded alike, CJK as bigrams, Latin words, pinyin keys of
-- names in `keys`). The tables of the other modules only mark what
-- changed, through the triggers below, in search_queue; the search module
-- brings those documents up to date inside the same transaction, just
-- before it commits (a commit hook), so a write and its index entry are
-- committed together, whichever code made the write (the API, an import,
-- the demo loader, or plain SQL).

CREATE TABLE search_docs (
    id INTEGER PRIMARY KEY,          -- the rowid of search_fts
    type TEXT NOT NULL,              -- alliance, unit, person, position, meeting, resolution, charter, article
    ref_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    keys TEXT NOT NULL DEFAULT '',   -- pinyin keys of the name (lib/text)
    city TEXT,                       -- region code, for the facet and the filter
    unit_id INTEGER,                 -- the owning unit, for unit-scoped readers
    vis TEXT NOT NULL,               -- public, members, or a permission name
    visible_from INTEGER,            -- Unix ms (an article published ahead)
    updated_at INTEGER NOT NULL,
    UNIQUE (type, ref_id)
);
CREATE INDEX search_docs_city ON search_docs(city);

CREATE VIRTUAL TABLE search_fts USING fts5(title, body, keys, content = 'search_docs',
    content_rowid = 'id', tokenize = 'jilian');

CREATE TABLE search_queue (
    type TEXT NOT NULL,
    ref_id INTEGER NOT NULL,
    PRIMARY KEY (type, ref_id)
) WITHOUT ROWID;

CREATE TRIGGER search_alliance_i AFTER INSERT ON alliance
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('alliance', NEW.id); END;
CREATE TRIGGER search_alliance_u AFTER UPDATE ON alliance
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('alliance', NEW.id); END;
CREATE TRIGGER search_units_i AFTER INSERT ON units
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('unit', NEW.id); END;
CREATE TRIGGER search_units_u AFTER UPDATE ON units
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('unit', NEW.id); END;
CREATE TRIGGER search_units_d AFTER DELETE ON units
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('unit', OLD.id); END;
CREATE TRIGGER search_people_i AFTER INSERT ON people
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('person', NEW.id); END;
CREATE TRIGGER search_people_u AFTER UPDATE OF name, title, unit_id ON people
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('person', NEW.id); END;
CREATE TRIGGER search_people_d AFTER DELETE ON people
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('person', OLD.id); END;
CREATE TRIGGER search_positions_i AFTER INSERT ON positions
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('position', NEW.id); END;
CREATE TRIGGER search_positions_u AFTER UPDATE ON positions
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('position', NEW.id); END;
CREATE TRIGGER search_positions_d AFTER DELETE ON positions
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('position', OLD.id); END;
CREATE TRIGGER search_meetings_i AFTER INSERT ON meetings
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('meeting', NEW.id); END;
CREATE TRIGGER search_meetings_u AFTER UPDATE ON meetings
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('meeting', NEW.id); END;
CREATE TRIGGER search_meetings_d AFTER DELETE ON meetings
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('meeting', OLD.id); END;
CREATE TRIGGER search_resolutions_i AFTER INSERT ON resolutions
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('resolution', NEW.id); END;
CREATE TRIGGER search_charter_versions_i AFTER INSERT ON charter_versions
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('charter', NEW.id); END;
CREATE TRIGGER search_charter_versions_u AFTER UPDATE ON charter_versions
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('charter', NEW.id); END;
CREATE TRIGGER search_charter_versions_d AFTER DELETE ON charter_versions
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('charter', OLD.id); END;
CREATE TRIGGER search_articles_i AFTER INSERT ON articles
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('article', NEW.id); END;
CREATE TRIGGER search_articles_u AFTER UPDATE OF kind, title, summary, body, status, audience, publish_at ON articles
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('article', NEW.id); END;
CREATE TRIGGER search_articles_d AFTER DELETE ON articles
BEGIN INSERT OR IGNORE INTO search_queue VALUES ('article', OLD.id); END;

-- Everything there is now, indexed at the first commit.
INSERT INTO search_queue SELECT 'alliance', id FROM alliance;
INSERT INTO search_queue SELECT 'unit', id FROM units;
INSERT INTO search_queue SELECT 'person', id FROM people;
INSERT INTO search_queue SELECT 'position', id FROM positions;
INSERT INTO search_queue SELECT 'meeting', id FROM meetings;
INSERT INTO search_queue SELECT 'resolution', id FROM resolutions;
INSERT INTO search_queue SELECT 'charter', id FROM charter_versions;
INSERT INTO search_queue SELECT 'article', id FROM articles;
