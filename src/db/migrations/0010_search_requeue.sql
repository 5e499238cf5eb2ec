-- 0010: the search documents that 0009's first version built otherwise are
-- built again, at the next commit or start-up (the search module flushes
-- search_queue): meetings and articles, whose Markdown body now starts on
-- its own line after the place or summary (so "# 纪要" is a heading, not
-- text), and articles for chosen units or roles, which are now indexed
-- and found by their readers.
INSERT OR IGNORE INTO search_queue SELECT 'meeting', id FROM meetings;
INSERT OR IGNORE INTO search_queue SELECT 'article', id FROM articles;
