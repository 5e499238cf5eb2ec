/*
 * html2md.h - converts an imported HTML article to Markdown.
 *
 * The HTML is parsed as a browser would (gumbo, HTML5) and written out as
 * CommonMark that keeps the article's structure and text and nothing that
 * could act: no raw HTML, no scripts, no links other than http, https and
 * mailto.  Kept:
 *
 *   h1-h6            # .. ###### (one line; <br> and blocks inside become spaces)
 *   p, div, ...      paragraphs, separated by one blank line
 *   br               a hard line break ("\" at the line end); two or more in
 *                    a row end the paragraph
 *   ul/ol/li         "- " / "N. " items (ol's start= honoured), nested lists
 *                    indented under their item; at most 16 levels of lists
 *                    and quotes get their own prefix, deeper ones are
 *                    paragraphs
 *   blockquote       "> " on every line
 *   pre              a fenced ``` block (longer fences when the code holds
 *                    backticks); code, kbd, samp, tt: an inline `code` span
 *   b/strong, i/em   **x**, *x* - written only where CommonMark reads them
 *                    as meant: whitespace at the edges moves outside, a
 *                    closing mark goes before trailing CJK punctuation
 *                    (**重要**：), an opening one inside a word after leading
 *                    punctuation (中“**双高**”); marks between two punctuation
 *                    characters, right after another closing mark, or inside
 *                    another inside a word (*a**b**c*) are left out (the
 *                    text stays), and marks do not cross a link's [ ]
 *   a href           [text](url) for http, https and mailto; other links and
 *                    links inside links are just their text
 *   img              ![alt](src) for http, https and relative src (data-src
 *                    when src is missing or refused, as lazy-loading pages
 *                    write it); other images are dropped, alt and all
 *   hr               *** (not ---, which would merge with a "- " item's mark)
 *   table            each row a paragraph, cells joined with " | "
 *   anything else    its text
 *
 * Dropped with their content: script, style, noscript, template, iframe,
 * object, embed, applet, frameset, noframes, head (the title is read from
 * it), the ruby readings rt and rp, comments, and the attributes of every
 * element but href, src, data-src, alt and ol's start.
 *
 * Text: whitespace collapses as in HTML (outside pre), a no-break space
 * counts as whitespace; control characters are dropped.  Characters that
 * would turn text into Markdown are backslash-escaped: \ ` * _ [ ] ~ ! always,
 * # > - + = at the start of a line (and # anywhere in a heading), a '.' or
 * ')' after digits that start a line and before a space (so "1. " is not a
 * list), & before a letter, digit or # (so text never forms an entity).  '<' in text is
 * written "&lt;" (CommonMark shows it as "<"), so the output never holds a
 * '<' followed by a letter, '/', '!' or '?'; in code, where neither escape
 * works, such a '<' is written as the full-width "＜" and a "](" followed by
 * a URL scheme other than http, https or mailto gets a space, "] (".
 *
 * Size: the input is at most TEXT_HTML_MAX_INPUT bytes and the output at
 * most 4 times the input; in the (pathological) case the output would grow
 * past that, it stops at the last whole piece that fits.  Tags nested more
 * than 512 deep are removed before parsing (their text stays; the parser
 * is quadratic in the depth), and elements more than 200 deep are read as
 * plain text.  No recursion: any depth is safe for the stack.
 */
#ifndef JL_LIB_TEXT_HTML2MD_H
#define JL_LIB_TEXT_HTML2MD_H

#include <stddef.h>

#define TEXT_HTML_MAX_INPUT ((size_t)4 << 20)

/*
 * Converts the HTML document html[0..n) (UTF-8; bytes that are not are read
 * as U+FFFD) to Markdown.  Returns a NUL-terminated heap string (free()
 * it), trimmed, without a final newline ("" for an empty or text-free
 * document), and its length in *out_len when out_len is not NULL.
 *
 * When title is not NULL, *title is set to a heap string (free() it) with
 * the text of the first <title>, or when there is none or it is blank, of
 * the first <h1>, whitespace collapsed and trimmed; NULL when neither has
 * text.  The h1 stays in the body as well.
 *
 * Returns NULL (and *title NULL) when n > TEXT_HTML_MAX_INPUT or html is
 * NULL with n > 0.  Aborts only when out of memory.
 */
char *text_html_to_markdown(const char *html, size_t n, char **title, size_t *out_len);

#endif
