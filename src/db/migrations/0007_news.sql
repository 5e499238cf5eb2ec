-- 0007_news.sql: news, notices and policy documents (module news).
--
-- An article is written (draft), submitted by its unit, then published or
-- returned with a comment by the secretariat; a published article can be
-- withdrawn, which keeps it. Each publication of a text keeps a revision.

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('news', 'notice', 'policy')),
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',          -- Markdown, as written
    body_html TEXT NOT NULL DEFAULT '',     -- rendered and sanitised
    author_unit_id INTEGER REFERENCES units(id),
    author_user_id INTEGER REFERENCES users(id),
    source TEXT NOT NULL DEFAULT '',        -- a repost's origin
    source_url TEXT NOT NULL DEFAULT '',
    cover_file_id INTEGER REFERENCES files(id),
    audience TEXT NOT NULL DEFAULT 'public'
        CHECK (audience IN ('public', 'members', 'units', 'roles')),
    audience_roles TEXT NOT NULL DEFAULT '', -- space-separated, for 'roles'
    needs_confirm INTEGER NOT NULL DEFAULT 0 CHECK (needs_confirm IN (0, 1)),
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'submitted', 'returned', 'published', 'withdrawn')),
    review_comment TEXT NOT NULL DEFAULT '',
    publish_at INTEGER,                     -- Unix ms; shown from then on
    revision INTEGER NOT NULL DEFAULT 0,
    views INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX articles_list ON articles(status, kind, publish_at);
CREATE INDEX articles_unit ON articles(author_unit_id, status);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (article_id, tag)
);
CREATE INDEX article_tags_tag ON article_tags(tag);

-- The units an article with audience 'units' is for.
CREATE TABLE article_units (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (article_id, unit_id)
);

-- Each published text, kept.
CREATE TABLE article_revisions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    by_user INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    UNIQUE (article_id, revision)
);

-- Read confirmations of notices, one per unit.
CREATE TABLE article_confirmations (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    user_id INTEGER REFERENCES users(id),
    confirmed_at INTEGER NOT NULL,
    PRIMARY KEY (article_id, unit_id)
);

-- Thumbnails of uploaded images, made once.
ALTER TABLE files ADD COLUMN thumb BLOB;
