/*
 * html2md.c - HTML article to Markdown (see html2md.h for what is kept).
 *
 * The input goes through a depth guard (tags nested too deep are cut out:
 * gumbo is quadratic in the depth), is parsed by gumbo into a pool freed in
 * one sweep (gumbo's own destroy recurses once per level), and the tree is
 * walked with a stack on the heap.  Each node's enter() and leave() drive a
 * small Markdown writer that keeps what is pending (line breaks, a collapsed
 * space, list and quote prefixes, a link's '[' and emphasis marks) and
 * writes it only when content follows, so empty elements leave nothing.
 */
#include "lib/text/html2md.h"

#include "base/alloc.h"
#include "base/buf.h"

#include <gumbo.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
    GUARD_DEPTH = 512,  /* deeper tags are cut out before parsing */
    MARKUP_DEPTH = 200, /* deeper elements are read as plain text */
    BOX_MAX = 16,       /* list items and quotes that prefix lines */
};

/* --- gumbo's memory: a pool freed without walking the tree ------------------- */

union pool_hdr {
    struct {
        union pool_hdr *prev, *next;
    } l;
    max_align_t align;
};

static void *pool_alloc(void *userdata, size_t size)
{
    union pool_hdr *head = userdata;
    if (size > SIZE_MAX - sizeof(union pool_hdr))
        die_oom(size);
    union pool_hdr *h = xmalloc(sizeof(*h) + size);
    h->l.prev = head;
    h->l.next = head->l.next;
    head->l.next->l.prev = h;
    head->l.next = h;
    return h + 1;
}

static void pool_free(void *userdata, void *p)
{
    (void)userdata;
    if (p == NULL)
        return;
    union pool_hdr *h = (union pool_hdr *)p - 1;
    h->l.prev->l.next = h->l.next;
    h->l.next->l.prev = h->l.prev;
    free(h);
}

/* --- the depth guard: a rough tokenizer that only counts nesting ------------- */

/* Void elements and those closed implicitly (they do not nest in practice),
 * then the elements whose content is text up to their end tag. */
static const char guard_flat[] =
    " area base br col embed hr img image input link meta param source "
    "track wbr keygen basefont bgsound frame p li dt dd tr td th option "
    "optgroup rb rt rtc rp tbody thead tfoot colgroup html head body ";
static const char guard_raw[] =
    " script style textarea title xmp iframe noembed noframes noscript ";

static bool name_in(const char *list, const char *name, size_t len)
{
    char key[24];
    if (len + 2 >= sizeof(key))
        return false;
    key[0] = ' ';
    for (size_t i = 0; i < len; i++)
        key[i + 1] = (char)(name[i] | 0x20);
    key[len + 1] = ' ';
    key[len + 2] = '\0';
    return strstr(list, key) != NULL;
}

static bool is_alpha(char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static size_t find(const char *s, size_t n, size_t i, const char *what, size_t skip)
{
    const char *e = i < n ? memmem(s + i, n - i, what, strlen(what)) : NULL;
    return e ? (size_t)(e - s) + skip : n;
}

/* Reads the markup at s[i] == '<': returns the offset just past it, and in
 * *name, *len the tag's name (len 0 for comments, doctypes and a '<' that
 * is just text), *close for an end tag, *self for "/>". */
static size_t guard_tag(const char *s, size_t n, size_t i, const char **name, size_t *len,
                        bool *close, bool *self)
{
    size_t j = i + 1;
    *len = 0;
    *close = j < n && s[j] == '/';
    if (n - j >= 3 && memcmp(s + j, "!--", 3) == 0)
        return find(s, n, j + 3, "-->", 3);
    if (j < n && (s[j] == '!' || s[j] == '?'))
        return find(s, n, j, ">", 1);
    j += *close;
    if (j >= n || !is_alpha(s[j]))
        return i + 1;
    *name = s + j;
    while (j < n && (is_alpha(s[j]) || (s[j] >= '0' && s[j] <= '9')))
        j++;
    *len = j - (size_t)(*name - s);
    bool after_eq = false;
    for (; j < n && s[j] != '>'; j++) {
        if ((s[j] == '"' || s[j] == '\'') && after_eq) {
            const char *q = memchr(s + j + 1, s[j], n - j - 1);
            j = q ? (size_t)(q - s) : n - 1;
        }
        if (s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' && s[j] != '\f')
            after_eq = s[j] == '=';
    }
    *self = j < n && s[j - 1] == '/';
    *len = j < n ? *len : 0; /* cut off by the end: no tag */
    return j < n ? j + 1 : n;
}

/* Offset of the end tag of the raw-text element name[0..len) from s[i]. */
static size_t raw_end(const char *s, size_t n, size_t i, const char *name, size_t len)
{
    for (i = find(s, n, i, "</", 0); i < n; i = find(s, n, i + 2, "</", 0))
        if (n - i - 2 >= len && strncasecmp(s + i + 2, name, len) == 0)
            return i;
    return n;
}

/* Copies s[0..n) to out (when not NULL; *out_len gets its length) without
 * the tags nested deeper than GUARD_DEPTH; returns the deepest level seen.
 * Linear in n. */
static size_t guard_scan(const char *s, size_t n, char *out, size_t *out_len)
{
    size_t i = 0, o = 0, depth = 0, deepest = 0;
    while (i < n) {
        size_t lt = find(s, n, i, "<", 0), len, next;
        if (out)
            memcpy(out + o, s + i, lt - i);
        o += lt - i;
        if (lt == n)
            break;
        const char *name = NULL;
        bool close, self = false, keep = true;
        next = guard_tag(s, n, lt, &name, &len, &close, &self);
        if (len > 0 && !close && name_in(guard_raw, name, len)) {
            next = raw_end(s, n, next, name, len);
        } else if (len > 0 && !close && !self && !name_in(guard_flat, name, len)) {
            keep = ++depth <= GUARD_DEPTH;
            deepest = depth > deepest ? depth : deepest;
        } else if (len > 0 && close && !name_in(guard_flat, name, len)) {
            keep = depth <= GUARD_DEPTH;
            depth -= depth > 0;
        }
        if (out && keep)
            memcpy(out + o, s + lt, next - lt);
        o += keep ? next - lt : 0;
        i = next;
    }
    if (out_len)
        *out_len = o;
    return deepest;
}

/* --- characters ------------------------------------------------------------------ */

/* Decodes the character at s (n > 0 bytes left) into *cp and returns its
 * length; a byte that is not well-formed UTF-8 reads as U+FFFD, 1 long. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    uint32_t c = s[0], min = 0x80;
    size_t len = 1;
    *cp = 0xfffd;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, c &= 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, min = 0x800, c &= 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, min = 0x10000, c &= 0x07;
    if (len == 1 || n < len)
        return 1;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 1;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 1;
    *cp = c;
    return len;
}

/* HTML's whitespace, and the no-break space (collapsed like it). */
static bool is_html_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == 0xa0;
}

/* CommonMark's Unicode whitespace (Zs, tab, line ends, form feed). */
static bool is_md_space(uint32_t c)
{
    return is_html_space(c) || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x202f ||
           c == 0x205f || c == 0x3000;
}

/* CommonMark's punctuation: ASCII, and Unicode P* in the blocks news use. */
static bool is_md_punct(uint32_t c)
{
    static const uint32_t ranges[][2] = {
        {0x21, 0x2f},     {0x3a, 0x40},     {0x5b, 0x60},     {0x7b, 0x7e},     {0xa1, 0xa1},
        {0xa7, 0xa7},     {0xab, 0xab},     {0xb6, 0xb7},     {0xbb, 0xbb},     {0xbf, 0xbf},
        {0x37e, 0x37e},   {0x387, 0x387},   {0x2010, 0x2027}, {0x2030, 0x2043}, {0x2045, 0x2051},
        {0x2053, 0x205e}, {0x2308, 0x230b}, {0x2329, 0x232a}, {0x3001, 0x3003}, {0x3008, 0x3011},
        {0x3014, 0x301f}, {0x3030, 0x3030}, {0x303d, 0x303d}, {0x30a0, 0x30a0}, {0x30fb, 0x30fb},
        {0xfe10, 0xfe19}, {0xfe30, 0xfe52}, {0xfe54, 0xfe61}, {0xfe63, 0xfe63}, {0xfe68, 0xfe68},
        {0xfe6a, 0xfe6b}, {0xff01, 0xff03}, {0xff05, 0xff0a}, {0xff0c, 0xff0f}, {0xff1a, 0xff1b},
        {0xff1f, 0xff20}, {0xff3b, 0xff3d}, {0xff3f, 0xff3f}, {0xff5b, 0xff5b}, {0xff5d, 0xff5d},
        {0xff5f, 0xff65}};
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
        if (c >= ranges[i][0] && c <= ranges[i][1])
            return true;
    return false;
}

/* --- the Markdown writer --------------------------------------------------------- */

enum lead { LEAD_START, LEAD_DIGITS, LEAD_OTHER }; /* what the line holds so far */

struct box {       /* a list item or quote: the prefix of its lines */
    char mark[16]; /* "- ", "12. ", "> " */
    size_t len;
    bool quote, started; /* started: the mark is written, later lines continue */
};

struct mark {   /* an emphasis mark open in the output */
    char kind;  /* 'b' bold, 'i' italic */
    size_t off; /* where it is in the output */
};

struct md {
    struct buf out, code, title, h1; /* the output, code being collected, titles */
    bool full;                       /* an append failed: nothing more is written */
    struct box box[BOX_MAX];
    int nbox, nl;     /* nl: wanted before content, 1 line end, 2 blank line */
    bool hard, space; /* the line end is a <br>; a collapsed space is wanted */
    bool bol;         /* at a line start, the prefix not written yet */
    enum lead lead;
    int heading; /* the level of a heading whose "# " is wanted */
    int flat;    /* in a heading or cell: one line, breaks are spaces */
    int in_heading, in_h1, bold, italic;
    int blocked;     /* mark kinds not to open again (mark_bit) */
    size_t mark_end; /* where the last closing run of marks ends */
    size_t code_end; /* where the last code span ends */
    struct mark marks[2];
    int nmarks;
    const GumboElement *link; /* the link whose text is being written */
    bool link_open;           /* its '[' is written */
    int code_depth;           /* in pre (code_pre) or code: text goes to code */
    bool code_pre, row_cell;  /* row_cell: the table row has had a cell */
    bool title_done, h1_done;
    int list; /* the frame of the innermost list, -1 none */
};

static void md_put(struct md *m, const char *s, size_t n)
{
    if (!m->full && !buf_append(&m->out, s, n))
        m->full = true;
}

static void md_repeat(struct md *m, char c, size_t count)
{
    for (size_t i = 0; i < count; i++)
        md_put(m, &c, 1);
}

/* The last character of the output before offset end (a space at the
 * very start). */
static uint32_t md_last(const struct md *m, size_t end)
{
    const unsigned char *p = (const unsigned char *)m->out.data;
    size_t i = end;
    uint32_t c = ' ';
    while (i > 0 && end - i < 3 && (p[i - 1] & 0xc0) == 0x80)
        i--;
    if (i > 0 && utf8_next(p + i - 1, end - i + 1, &c) != end - i + 1)
        c = p[end - 1];
    return c;
}

/* Asks for a block break (1: new line, 2: blank line) before more content. */
static void md_block(struct md *m, int level)
{
    if (m->flat > 0) {
        m->space = true;
    } else {
        m->nl = level > m->nl ? level : m->nl;
        m->hard = false; /* a "\" before a block's end would be text */
    }
}

/* A <br>: a hard line break, or the end of the paragraph after another. */
static void md_br(struct md *m)
{
    if (m->flat > 0) {
        m->space = true;
    } else if (m->nl == 0) {
        m->nl = 1;
        m->hard = true;
    } else if (m->hard) {
        m->nl = 2;
    }
}

/* Writes the prefix of a new line: each box's mark, or its continuation
 * once started; for a blank line only the started boxes, right-trimmed. */
static void md_prefix(struct md *m, bool blank)
{
    for (int i = 0; i < m->nbox && (!blank || m->box[i].started); i++) {
        struct box *b = &m->box[i];
        if (!b->started)
            md_put(m, b->mark, b->len);
        else
            md_put(m, b->quote ? "> " : "                ", b->len);
        b->started = true;
    }
    while (blank && m->out.len > 0 && m->out.data[m->out.len - 1] == ' ')
        m->out.data[--m->out.len] = '\0';
}

static void md_push_box(struct md *m, const char *mark, bool quote)
{
    struct box *b = &m->box[m->nbox++];
    b->len = strlen(mark);
    memcpy(b->mark, mark, b->len);
    b->quote = quote;
    b->started = false;
}

/* --- emphasis, written only where CommonMark reads it -------------------------- */

/* CommonMark's flanking rules for a run of '*' between two characters,
 * less runs between two punctuation characters: those can both open and
 * close, and are then read in ways that depend on the runs around. */
static bool left_flanking(uint32_t before, uint32_t after)
{
    return !is_md_space(after) && (!is_md_punct(after) || is_md_space(before));
}

static bool right_flanking(uint32_t before, uint32_t after)
{
    return !is_md_space(before) && (!is_md_punct(before) || is_md_space(after));
}

/* Replaces del bytes of the output at offset at with s[0..n); the offsets
 * remembered after it follow.  False when the output is full. */
static bool md_splice(struct md *m, size_t at, size_t del, const char *s, size_t n)
{
    if (at > m->out.len || del > m->out.len - at)
        return false;
    size_t tail = m->out.len - at - del;
    if (n > del && (m->full || !buf_append(&m->out, s, n - del))) {
        m->full = true;
        return false;
    }
    m->out.len -= n < del ? del - n : 0;
    memmove(m->out.data + at + n, m->out.data + at + del, tail);
    memcpy(m->out.data + at, s, n);
    m->out.data[m->out.len] = '\0';
    m->code_end += m->code_end > at ? n - del : 0; /* (modulo: may shrink) */
    m->mark_end += m->mark_end > at ? n - del : 0;
    return true;
}

/* The end of the trailing run of non-ASCII punctuation ("：", "。") of the
 * output after offset from: where closing marks may go instead. */
static size_t punct_tail(const struct md *m, size_t from)
{
    size_t i = m->out.len;
    while (i > from) {
        size_t j = i - 1;
        uint32_t c;
        while (j > from && ((unsigned char)m->out.data[j] & 0xc0) == 0x80)
            j--;
        if (utf8_next((const unsigned char *)m->out.data + j, i - j, &c) != i - j || c < 0x80 ||
            !is_md_punct(c))
            break;
        i = j;
    }
    return i;
}

/* Closes the marks from index `from` up, before the character `after`.
 * When CommonMark would not read the closing run there, it goes before
 * the text's trailing CJK punctuation ("**重要**：") if that works, else
 * the openers are taken out. */
static void marks_close(struct md *m, int from, uint32_t after)
{
    char run[4];
    size_t w = 0, inner = 0, at = m->out.len;
    if (from >= m->nmarks)
        return;
    for (int i = m->nmarks - 1; i >= from; i--) {
        size_t k = m->marks[i].kind == 'b' ? 2 : 1;
        memcpy(run + w, "**", k);
        w += k;
        inner = m->marks[i].off + k > inner ? m->marks[i].off + k : inner;
    }
    bool ok = right_flanking(md_last(m, at), after);
    if (!ok) {
        at = punct_tail(m, inner);
        ok = at > inner && at < m->out.len && right_flanking(md_last(m, at), 0x3002);
    }
    if (ok && md_splice(m, at, 0, run, w) && at + w == m->out.len)
        m->mark_end = m->out.len;
    for (; !ok && m->nmarks > from; m->nmarks--)
        md_splice(m, m->marks[m->nmarks - 1].off, m->marks[m->nmarks - 1].kind == 'b' ? 2 : 1, "",
                  0);
    m->nmarks = from;
}

static int mark_bit(char kind)
{
    return kind == 'b' ? 1 : 2;
}

static bool mark_wanted(const struct md *m, char kind)
{
    return (kind == 'b' ? m->bold : m->italic) > 0 && !(m->blocked & mark_bit(kind));
}

/* Closes the marks of elements that ended, and those above them.  A mark
 * above that is still wanted would open again right after the closing run
 * ("*x***" then "*y", read as one run): it stays closed (blocked) until
 * its elements end. */
static void marks_close_ended(struct md *m, uint32_t after)
{
    int i = 0;
    while (i < m->nmarks && mark_wanted(m, m->marks[i].kind))
        i++;
    for (int j = i + 1; j < m->nmarks && !is_md_space(after); j++)
        m->blocked |= mark_wanted(m, m->marks[j].kind) ? mark_bit(m->marks[j].kind) : 0;
    marks_close(m, i, after);
}

/* Opens the marks of elements that began, before the character `after`.
 * Where CommonMark would not read them as wanted - a run after a closing
 * run (**a***b is one run, read by its length), one that could also close
 * inside another mark (**x*y), one before punctuation inside a word
 * (中**“x) - they are not written: before punctuation they wait for the
 * next character (中“**x), else they stay off until their elements end. */
static void marks_open(struct md *m, uint32_t after)
{
    uint32_t before = md_last(m, m->out.len);
    bool ok = !(m->mark_end > 0 && m->out.len == m->mark_end) && left_flanking(before, after) &&
              !(m->nmarks > 0 && right_flanking(before, after));
    if (m->full || (!ok && is_md_punct(after)))
        return;
    for (int i = 0; i < 2; i++) {
        char kind = "bi"[i];
        bool open = false;
        for (int j = 0; j < m->nmarks; j++)
            open |= m->marks[j].kind == kind;
        if (!mark_wanted(m, kind) || open)
            continue;
        if (!ok) {
            m->blocked |= mark_bit(kind);
            continue;
        }
        m->marks[m->nmarks].kind = kind;
        m->marks[m->nmarks].off = m->out.len;
        md_put(m, "**", kind == 'b' ? 2 : 1);
        m->nmarks += !m->full; /* a mark is only what is written */
    }
}

/* --- URLs -------------------------------------------------------------------------- */

enum url_kind { URL_BAD, URL_WEB, URL_RELATIVE };

/* Skips the leading and trailing spaces and controls a browser ignores
 * (tab and line ends inside are skipped by the readers below). */
static void url_trim(const char **s, size_t *n)
{
    while (*n > 0 && (unsigned char)**s <= 0x20)
        (*s)++, (*n)--;
    while (*n > 0 && (unsigned char)(*s)[*n - 1] <= 0x20)
        (*n)--;
}

/* http, https and mailto URLs are web URLs, one without a scheme is
 * relative, any other scheme (and an empty URL) is refused. */
static enum url_kind url_kind(const char *s, size_t n)
{
    char scheme[8];
    size_t len = 0, i = 0;
    url_trim(&s, &n);
    for (; i < n; i++) {
        char c = s[i];
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        if (!is_alpha(c) &&
            (len == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')))
            break;
        if (len < sizeof(scheme))
            scheme[len] = (char)(c | 0x20);
        len++;
    }
    if (n == 0)
        return URL_BAD;
    if (i == n || s[i] != ':' || len == 0)
        return URL_RELATIVE;
    bool web = (len == 4 && memcmp(scheme, "http", 4) == 0) ||
               (len == 5 && memcmp(scheme, "https", 5) == 0) ||
               (len == 6 && memcmp(scheme, "mailto", 6) == 0);
    return web ? URL_WEB : URL_BAD;
}

/* Writes a link destination: spaces, controls, < > " percent-encoded,
 * ( ) \ & backslash-escaped, tab and line ends left out. */
static void url_put(struct md *m, const char *s)
{
    size_t n = strlen(s), k;
    url_trim(&s, &n);
    for (size_t i = 0; i < n; i += k) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        char hex[4];
        k = utf8_next((const unsigned char *)s + i, n - i, &cp);
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || (c >= 0x80 && k == 1)) {
            snprintf(hex, sizeof(hex), "%%%02X", c); /* (and bytes that are not UTF-8) */
            md_put(m, hex, 3);
            continue;
        }
        if (c == '(' || c == ')' || c == '\\' || c == '&')
            md_put(m, "\\", 1);
        md_put(m, s + i, k);
    }
}

static const char *attr(const GumboElement *el, const char *name)
{
    const GumboAttribute *a = gumbo_get_attribute(&el->attributes, name);
    return a ? a->value : NULL;
}

/* Ends the text of the link being written, when its '[' is: "](url)". */
static void link_close(struct md *m)
{
    if (m->link == NULL || !m->link_open)
        return;
    marks_close(m, 0, ']');
    const char *href = attr(m->link, "href"); /* (there is one: see enter_element) */
    md_put(m, "](", 2);
    url_put(m, href ? href : "");
    md_put(m, ")", 1);
    m->link_open = false;
    m->lead = LEAD_OTHER;
}

/* --- writing content ---------------------------------------------------------------- */

/* Writes what is pending before content that starts with the character
 * next: line ends and prefix, closing marks, the collapsed space, and for
 * inline content a link's '[' and opening marks.  Block content (a fence,
 * a rule) gets its own line and nothing inline around it. */
static void md_flush(struct md *m, uint32_t next, bool inline_content)
{
    if (m->nl > 0 || !inline_content) {
        link_close(m);
        marks_close(m, 0, ' ');
    }
    if (m->nl > 0 && m->out.len > 0) {
        md_put(m, m->nl == 1 && m->hard ? "\\\n" : "\n", m->nl == 1 && m->hard ? 2 : 1);
        if (m->nl > 1) {
            md_prefix(m, true);
            md_put(m, "\n", 1);
        }
    }
    if (m->nl > 0 || m->bol) {
        md_prefix(m, false);
        md_put(m, "###### ", (size_t)m->heading);
        md_put(m, " ", m->heading > 0);
        m->heading = m->nl = 0;
        m->hard = m->bol = m->space = false;
        m->lead = LEAD_START;
    }
    if (!inline_content)
        return;
    bool bracket = m->link && !m->link_open; /* marks do not cross a link's [ ] */
    if (bracket)
        marks_close(m, 0, m->space ? ' ' : '[');
    else
        marks_close_ended(m, m->space ? ' ' : next);
    md_put(m, " ", m->space);
    m->space = false;
    if (bracket) {
        md_put(m, "[", 1);
        m->link_open = true;
        m->lead = LEAD_OTHER;
    }
    marks_open(m, next);
}

/* Writes the character c (UTF-8 at s, k bytes) of a text run, escaped
 * where it would be read as Markdown; next is the character after it. */
static void md_char(struct md *m, uint32_t c, const unsigned char *s, size_t k, uint32_t next)
{
    bool start = m->lead == LEAD_START, esc = false;
    bool next_alnum = next < 0x80 && (is_alpha((char)next) || (next >= '0' && next <= '9'));
    if (c == '<') {
        md_put(m, "&lt;", 4);
        m->lead = LEAD_OTHER;
        return;
    }
    if (c != 0 && c < 0x80 && strchr("\\`*_[]~!", (int)c))
        esc = true;
    else if (c == '&')
        esc = next == '#' || next_alnum;
    else if (c == '#')
        esc = start || m->in_heading > 0;
    else if (c != 0 && c < 0x80 && strchr(">-+=", (int)c))
        esc = start;
    else if (c == '.' || c == ')') /* "1. " would start a list */
        esc = m->lead == LEAD_DIGITS && (next == 0 || is_html_space(next));
    md_put(m, "\\", esc);
    if (c == 0xfffd && k == 1)
        md_put(m, "\xef\xbf\xbd", 3);
    else
        md_put(m, (const char *)s, k);
    bool digit = c >= '0' && c <= '9';
    m->lead = digit && m->lead != LEAD_OTHER ? LEAD_DIGITS : LEAD_OTHER;
}

/* Writes text[0..n): whitespace collapsed, controls dropped, escaped; as
 * an image's alt (alt true) nothing is flushed and no space leads. */
static void md_text(struct md *m, const char *text, size_t n, bool alt)
{
    const unsigned char *s = (const unsigned char *)text;
    bool any = false;
    for (size_t i = 0, k; i < n; i += k) {
        uint32_t c, next = 0;
        k = utf8_next(s + i, n - i, &c);
        if (i + k < n)
            utf8_next(s + i + k, n - i - k, &next);
        if (is_html_space(c)) {
            m->space = true;
            continue;
        }
        if (c < 0x20 || c == 0x7f)
            continue;
        if (!alt)
            md_flush(m, c, true);
        md_put(m, " ", alt && m->space && any);
        m->space = false;
        any = true;
        md_char(m, c, s + i, k, next);
    }
}

/* --- code ------------------------------------------------------------------------------ */

/* Collects the text of pre or code, without controls but tab and line end. */
static void code_collect(struct md *m, const char *s)
{
    size_t n = strlen(s), k;
    for (size_t i = 0; i < n; i += k) {
        uint32_t c;
        k = utf8_next((const unsigned char *)s + i, n - i, &c);
        if ((unsigned char)s[i] >= 0x80 && k == 1) /* not UTF-8: gumbo lets some through */
            buf_append(&m->code, "\xef\xbf\xbd", 3);
        else if ((c >= 0x20 && c != 0x7f) || c == '\t' || c == '\n')
            buf_append(&m->code, s + i, k);
    }
}

/* True when a link destination after "](" at s would have a scheme other
 * than http, https or mailto. */
static bool code_bad_target(const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '<'))
        s++, n--;
    return n > 0 && url_kind(s, n) == URL_BAD;
}

/* Writes code, where escapes do not work: a '<' that would start a tag as
 * the full-width "＜", a "](" before a refused scheme as "] (". */
static void code_put(struct md *m, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i], d = i + 1 < n ? s[i + 1] : '\0';
        if (c == '<' && (is_alpha(d) || d == '/' || d == '!' || d == '?'))
            md_put(m, "\xef\xbc\x9c", 3);
        else if (c == ']' && d == '(' && code_bad_target(s + i + 2, n - i - 2))
            md_put(m, "] ", 2);
        else
            md_put(m, &c, 1);
    }
}

static size_t longest_backticks(const char *s, size_t n)
{
    size_t best = 0, run = 0;
    for (size_t i = 0; i < n; i++) {
        run = s[i] == '`' ? run + 1 : 0;
        best = run > best ? run : best;
    }
    return best;
}

/* Writes the collected code as an inline span, whitespace collapsed; the
 * whitespace at its edges stays outside. */
static void emit_code_span(struct md *m)
{
    const char *s = m->code.data;
    char *t = xmalloc(m->code.len + 1);
    size_t n = 0;
    bool sp = false;
    for (size_t i = 0; i < m->code.len; i++) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
            sp = true;
            continue;
        }
        if (sp && n > 0)
            t[n++] = ' ';
        m->space |= sp && n == 0;
        sp = false;
        t[n++] = s[i];
    }
    if (n > 0) {
        size_t fence = longest_backticks(t, n) + 1;
        bool pad = t[0] == '`' || t[n - 1] == '`';
        md_flush(m, '`', true);
        md_put(m, " ", m->out.len > 0 && m->out.len == m->code_end); /* `a``b` is one run */
        md_repeat(m, '`', fence);
        md_put(m, " ", pad);
        code_put(m, t, n);
        md_put(m, " ", pad);
        md_repeat(m, '`', fence);
        m->code_end = m->out.len;
        m->lead = LEAD_OTHER;
    }
    m->space |= sp;
    free(t);
}

/* Writes the collected code as a fenced block (a span in a heading or a
 * cell), without the blank lines at its start and whitespace at its end. */
static void emit_code_block(struct md *m)
{
    const char *s = m->code.data;
    size_t n = m->code.len, b = 0;
    if (m->flat > 0) {
        emit_code_span(m);
        return;
    }
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    for (size_t i = 0; i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'); i++)
        b = s[i] == '\n' ? i + 1 : b;
    if (n == 0)
        return;
    size_t fence = longest_backticks(s, n) + 1;
    fence = fence < 3 ? 3 : fence;
    md_block(m, 2);
    md_flush(m, '`', false);
    md_repeat(m, '`', fence);
    while (b <= n) {
        const char *nl = memchr(s + b, '\n', n - b);
        size_t e = nl ? (size_t)(nl - s) : n;
        md_put(m, "\n", 1);
        md_prefix(m, false);
        code_put(m, s + b, e - b);
        b = e + 1;
    }
    md_put(m, "\n", 1);
    md_prefix(m, false);
    md_repeat(m, '`', fence);
    md_block(m, 2);
}

/* --- elements ------------------------------------------------------------------------------ */

enum act {
    ACT_NONE,
    ACT_SKIP,
    ACT_BLOCK,
    ACT_LINE,
    ACT_HEADING,
    ACT_LIST,
    ACT_ITEM,
    ACT_QUOTE,
    ACT_PRE,
    ACT_CODE,
    ACT_BOLD,
    ACT_ITALIC,
    ACT_LINK,
    ACT_IMAGE,
    ACT_BR,
    ACT_HR,
    ACT_ROW,
    ACT_CELL,
    ACT_TITLE
};

/* What each HTML element is; the others (ACT_NONE) are only their text. */
#define T(tag, act) [GUMBO_TAG_##tag] = ACT_##act
static const unsigned char tag_acts[GUMBO_TAG_LAST + 1] = {
    T(HEAD, TITLE),    T(TITLE, TITLE),   T(SCRIPT, SKIP),      T(STYLE, SKIP),
    T(NOSCRIPT, SKIP), T(TEMPLATE, SKIP), T(IFRAME, SKIP),      T(OBJECT, SKIP),
    T(EMBED, SKIP),    T(APPLET, SKIP),   T(FRAMESET, SKIP),    T(FRAME, SKIP),
    T(NOFRAMES, SKIP), T(NOEMBED, SKIP),  T(RT, SKIP),          T(RP, SKIP),
    T(P, BLOCK),       T(DIV, BLOCK),     T(SECTION, BLOCK),    T(ARTICLE, BLOCK),
    T(HEADER, BLOCK),  T(FOOTER, BLOCK),  T(NAV, BLOCK),        T(ASIDE, BLOCK),
    T(MAIN, BLOCK),    T(FIGURE, BLOCK),  T(FIGCAPTION, BLOCK), T(ADDRESS, BLOCK),
    T(DETAILS, BLOCK), T(SUMMARY, BLOCK), T(FIELDSET, BLOCK),   T(LEGEND, BLOCK),
    T(FORM, BLOCK),    T(DL, BLOCK),      T(DT, BLOCK),         T(DD, BLOCK),
    T(CENTER, BLOCK),  T(HGROUP, BLOCK),  T(CAPTION, BLOCK),    T(TABLE, BLOCK),
    T(H1, HEADING),    T(H2, HEADING),    T(H3, HEADING),       T(H4, HEADING),
    T(H5, HEADING),    T(H6, HEADING),    T(UL, LIST),          T(OL, LIST),
    T(MENU, LIST),     T(DIR, LIST),      T(LI, ITEM),          T(BLOCKQUOTE, QUOTE),
    T(PRE, PRE),       T(LISTING, PRE),   T(XMP, PRE),          T(PLAINTEXT, PRE),
    T(CODE, CODE),     T(KBD, CODE),      T(SAMP, CODE),        T(TT, CODE),
    T(B, BOLD),        T(STRONG, BOLD),   T(I, ITALIC),         T(EM, ITALIC),
    T(A, LINK),        T(IMG, IMAGE),     T(IMAGE, IMAGE),      T(BR, BR),
    T(HR, HR),         T(TR, ROW),        T(TD, CELL),          T(TH, CELL),
};
#undef T

struct frame {
    const GumboNode *node;
    unsigned child;    /* the next child to visit */
    unsigned char act; /* what entering did, undone when leaving */
    bool flag;         /* a heading: its "# " was asked for; a row: row_cell before */
    bool h1;           /* the first h1, whose text is collected */
    int saved;         /* a list: the list it is in */
    int num;           /* a list's next number (-1: bullets) */
};

static void emit_image(struct md *m, const GumboElement *el)
{
    const char *src = attr(el, "src"), *alt = attr(el, "alt");
    if (src == NULL || url_kind(src, strlen(src)) == URL_BAD)
        src = attr(el, "data-src");
    if (src == NULL || url_kind(src, strlen(src)) == URL_BAD)
        return;
    md_flush(m, '!', true);
    md_put(m, "![", 2);
    m->lead = LEAD_OTHER;
    if (alt)
        md_text(m, alt, strlen(alt), true);
    md_put(m, "](", 2);
    url_put(m, src);
    md_put(m, ")", 1);
    m->space = false;
}

/* Reads the document title from <title>, or from the <title> in <head>. */
static void read_title(struct md *m, const GumboElement *el)
{
    for (unsigned i = 0; i < el->children.length && !m->title_done; i++) {
        const GumboNode *c = el->children.data[i];
        if (el->tag == GUMBO_TAG_HEAD && c->type == GUMBO_NODE_ELEMENT &&
            c->v.element.tag == GUMBO_TAG_TITLE)
            read_title(m, &c->v.element); /* one level: a title holds only text */
        else if (el->tag == GUMBO_TAG_TITLE &&
                 (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE))
            buf_puts(&m->title, c->v.text.text);
    }
    m->title_done |= el->tag == GUMBO_TAG_TITLE;
}

static void enter_list(struct md *m, struct frame *f, int index)
{
    const char *start = attr(&f->node->v.element, "start");
    f->num = -1;
    if (f->node->v.element.tag == GUMBO_TAG_OL) {
        long v = start ? strtol(start, NULL, 10) : 1;
        f->num = v < 0 ? 0 : v > 999999999 ? 999999999 : (int)v;
    }
    /* Only bullets and "1." may start a list right under an item's text. */
    md_block(m, m->list >= 0 && f->num <= 1 ? 1 : 2);
    f->saved = m->list;
    m->list = index;
}

static void enter_item(struct md *m, struct frame *list)
{
    char mark[16] = "- ";
    md_block(m, 1);
    if (list->num >= 0) {
        snprintf(mark, sizeof(mark), "%d. ", list->num);
        list->num += list->num < 999999999;
    }
    md_push_box(m, mark, false);
}

static void enter_heading(struct md *m, struct frame *f)
{
    GumboTag tag = f->node->v.element.tag;
    f->flag = m->flat == 0;
    if (f->flag) {
        md_block(m, 2);
        m->heading = 1 + (int)(tag - GUMBO_TAG_H1);
    }
    m->flat++;
    m->in_heading++;
    f->h1 = tag == GUMBO_TAG_H1 && !m->h1_done;
    m->h1_done |= f->h1;
    m->in_h1 += f->h1;
}

/* A table cell: " | " before all but the row's first, then one line. */
static void enter_cell(struct md *m)
{
    if (m->row_cell) {
        md_flush(m, '|', false);
        md_put(m, m->lead == LEAD_START ? "|" : " |", m->lead == LEAD_START ? 1 : 2);
        m->space = true;
        m->lead = LEAD_OTHER;
    }
    m->row_cell = true;
    m->flat++;
}

/* What entering the element st[index] does here: its act, less what its
 * place does not allow (ACT_SKIP: do not visit its children). */
static enum act element_act(struct md *m, struct frame *st, int index)
{
    const GumboElement *el = &st[index].node->v.element;
    enum act act = tag_acts[el->tag <= GUMBO_TAG_LAST ? el->tag : GUMBO_TAG_LAST];
    if (act == ACT_TITLE && el->tag_namespace == GUMBO_NAMESPACE_HTML)
        read_title(m, el);
    if (act == ACT_SKIP || act == ACT_TITLE)
        return ACT_SKIP;
    if (el->tag_namespace != GUMBO_NAMESPACE_HTML || index > MARKUP_DEPTH || m->code_depth > 0) {
        if (m->code_depth > 0 && act == ACT_BR)
            buf_putc(&m->code, '\n');
        return ACT_NONE;
    }
    bool flat = m->flat > 0;
    if ((act == ACT_LIST && flat) || (act == ACT_QUOTE && (flat || m->nbox >= BOX_MAX)))
        act = ACT_BLOCK;
    if (act == ACT_ITEM && (flat || m->list < 0 || m->nbox >= BOX_MAX))
        act = ACT_LINE;
    if (act == ACT_LINK) {
        const char *href = attr(el, "href");
        if (m->link || href == NULL || url_kind(href, strlen(href)) != URL_WEB)
            act = ACT_NONE;
    }
    return act;
}

/* Does what entering the element st[index] asks; its act tells leave()
 * what to undo. */
static void enter_element(struct md *m, struct frame *st, int index)
{
    struct frame *f = &st[index];
    const GumboElement *el = &f->node->v.element;
    bool flat = m->flat > 0;
    enum act act = element_act(m, st, index);
    f->act = (unsigned char)act;
    switch (act) {
    case ACT_BLOCK:
    case ACT_LINE:
        md_block(m, act == ACT_LINE ? 1 : 2);
        break;
    case ACT_HEADING:
        enter_heading(m, f);
        break;
    case ACT_LIST:
        enter_list(m, f, index);
        break;
    case ACT_ITEM:
        enter_item(m, &st[m->list]);
        break;
    case ACT_QUOTE:
        md_block(m, 2);
        md_push_box(m, "> ", true);
        break;
    case ACT_PRE:
    case ACT_CODE:
        buf_reset(&m->code);
        m->code_pre = act == ACT_PRE;
        m->code_depth++;
        break;
    case ACT_BOLD:
        m->bold++;
        break;
    case ACT_ITALIC:
        m->italic++;
        break;
    case ACT_LINK:
        m->link = el;
        m->link_open = false;
        break;
    case ACT_IMAGE:
        emit_image(m, el);
        break;
    case ACT_BR:
        md_br(m);
        break;
    case ACT_HR:
        md_block(m, 2);
        if (!flat) {
            md_flush(m, '*', false);
            md_put(m, "***", 3); /* "- ---" would be one rule */
            md_block(m, 2);
        }
        break;
    case ACT_ROW:
        md_block(m, 2);
        f->flag = m->row_cell;
        m->row_cell = false;
        break;
    case ACT_CELL:
        enter_cell(m);
        break;
    default:
        break;
    }
}

static void enter(struct md *m, struct frame *st, int index)
{
    const GumboNode *node = st[index].node;
    if (node->type == GUMBO_NODE_ELEMENT) {
        enter_element(m, st, index);
    } else if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
               node->type == GUMBO_NODE_CDATA) {
        const char *text = node->v.text.text;
        if (m->in_h1 > 0)
            buf_puts(&m->h1, text);
        if (m->code_depth > 0)
            code_collect(m, text);
        else
            md_text(m, text, strlen(text), false);
    } else if (node->type != GUMBO_NODE_DOCUMENT) { /* comments, templates */
        st[index].act = ACT_SKIP;
    }
}

static void leave(struct md *m, struct frame *f)
{
    switch ((enum act)f->act) {
    case ACT_BLOCK:
    case ACT_LINE:
        md_block(m, f->act == ACT_LINE ? 1 : 2);
        break;
    case ACT_HEADING:
        m->flat--;
        m->in_heading--;
        m->in_h1 -= f->h1;
        if (f->flag) {
            m->heading = 0;
            md_block(m, 2);
        }
        break;
    case ACT_LIST:
        m->list = f->saved;
        md_block(m, 2);
        break;
    case ACT_ITEM:
        m->nbox--;
        md_block(m, 1);
        break;
    case ACT_QUOTE:
        m->nbox--;
        md_block(m, 2);
        break;
    case ACT_PRE:
    case ACT_CODE:
        if (--m->code_depth == 0 && m->code_pre)
            emit_code_block(m);
        else if (m->code_depth == 0)
            emit_code_span(m);
        break;
    case ACT_BOLD:
        m->blocked &= --m->bold > 0 ? 3 : ~1;
        break;
    case ACT_ITALIC:
        m->blocked &= --m->italic > 0 ? 3 : ~2;
        break;
    case ACT_LINK:
        link_close(m);
        m->link = NULL;
        break;
    case ACT_ROW:
        m->row_cell = f->flag;
        md_block(m, 2);
        break;
    case ACT_CELL:
        m->flat--;
        break;
    default:
        break;
    }
}

/* Visits the tree in document order with a stack on the heap. */
static void walk(struct md *m, const GumboNode *root)
{
    size_t cap = 64, top = 1;
    struct frame *st = xcalloc(cap, sizeof(*st));
    st[0].node = root;
    enter(m, st, 0);
    while (top > 0) {
        struct frame *f = &st[top - 1];
        const GumboVector *kids = NULL;
        if (f->act != ACT_SKIP && f->node->type == GUMBO_NODE_DOCUMENT)
            kids = &f->node->v.document.children;
        else if (f->act != ACT_SKIP && f->node->type == GUMBO_NODE_ELEMENT)
            kids = &f->node->v.element.children;
        if (kids == NULL || f->child >= kids->length) {
            leave(m, f);
            top--;
            continue;
        }
        const GumboNode *c = kids->data[f->child++];
        if (top == cap) {
            cap *= 2;
            st = xrealloc(st, cap * sizeof(*st));
        }
        memset(&st[top], 0, sizeof(st[top]));
        st[top].node = c;
        enter(m, st, (int)top++);
    }
    free(st);
}

/* Parses and writes html[0..n) (n > 0). */
static void convert(struct md *m, const char *html, size_t n)
{
    char *copy = NULL;
    if (guard_scan(html, n, NULL, NULL) > GUARD_DEPTH) {
        copy = xmalloc(n);
        guard_scan(html, n, copy, &n);
        html = copy;
    }
    union pool_hdr pool;
    pool.l.prev = pool.l.next = &pool;
    GumboOptions opt = kGumboDefaultOptions;
    opt.allocator = pool_alloc;
    opt.deallocator = pool_free;
    opt.userdata = &pool;
    opt.max_errors = 0;
    GumboOutput *g = gumbo_parse_with_options(&opt, html, n);
    walk(m, g->document);
    while (pool.l.next != &pool)
        pool_free(&pool, pool.l.next + 1);
    free(copy);
}

/* The text of b with whitespace collapsed and trimmed, controls dropped:
 * a heap string, or NULL when nothing is left. */
static char *plain_text(struct buf *b)
{
    size_t len, n = 0, k;
    char *t = buf_steal(b, &len);
    bool sp = false;
    for (size_t i = 0; i < len; i += k) {
        uint32_t c;
        k = utf8_next((const unsigned char *)t + i, len - i, &c);
        if (is_html_space(c))
            sp = true;
        if (is_html_space(c) || c < 0x20 || c == 0x7f || ((unsigned char)t[i] >= 0x80 && k == 1))
            continue; /* (bytes that are not UTF-8 too: gumbo lets some through) */
        if (sp && n > 0)
            t[n++] = ' ';
        sp = false;
        memmove(t + n, t + i, k);
        n += k;
    }
    t[n] = '\0';
    if (n == 0) {
        free(t);
        t = NULL;
    }
    return t;
}

char *text_html_to_markdown(const char *html, size_t n, char **title, size_t *out_len)
{
    if (title)
        *title = NULL;
    if (out_len)
        *out_len = 0;
    if ((html == NULL && n > 0) || n > TEXT_HTML_MAX_INPUT)
        return NULL;
    struct md m;
    memset(&m, 0, sizeof(m));
    buf_init(&m.out, 4 * n);
    buf_init(&m.code, 4 * n);
    buf_init(&m.title, 4 * n);
    buf_init(&m.h1, 4 * n);
    m.bol = true;
    m.list = -1;
    if (n > 0)
        convert(&m, html, n);
    link_close(&m);
    marks_close(&m, 0, ' ');
    if (m.full) { /* bytes are written one by one in places: no half character */
        size_t i = m.out.len;
        while (i > 0 && m.out.len - i < 3 && ((unsigned char)m.out.data[i - 1] & 0xc0) == 0x80)
            i--;
        unsigned lead = i > 0 ? (unsigned char)m.out.data[i - 1] : 0;
        size_t want = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
        if (i > 0 && want != m.out.len - i + 1)
            m.out.len = i - 1;
        m.out.data[m.out.len] = '\0';
    }
    while (m.out.len > 0 && (m.out.data[m.out.len - 1] == ' ' || m.out.data[m.out.len - 1] == '\n'))
        m.out.data[--m.out.len] = '\0';
    char *t = plain_text(&m.title), *h = plain_text(&m.h1);
    if (title)
        *title = t ? t : h;
    if (!title || t)
        free(h);
    if (!title)
        free(t);
    buf_cleanup(&m.code);
    return buf_steal(&m.out, out_len);
}
