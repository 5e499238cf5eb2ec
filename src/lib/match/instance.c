/*
 * instance.c - the CSV files of a matching instance (see instance.h).
 *
 * A small strict RFC 4180 reader (struct csv) hands out one record at a
 * time, with its fields unquoted into a scratch buffer and its row number.
 * Names go into two open-addressing hash tables (struct match_names), one
 * for students and one for positions; an entry's index is its number in
 * the instance.  Three passes:
 *
 *   1. the students file: header, then each student's name (its choices
 *      cannot be resolved yet: positions come from the other file);
 *   2. the positions file: header, names, seats, and each ranking,
 *      resolved against the students;
 *   3. the students file again, for the choices, now that the positions
 *      are known (its syntax was checked in pass 1).
 *
 * Repeats within one list are found with a per-row stamp array (the row's
 * index in a per-item array), so no list is ever sorted or searched.
 */
#include "lib/match/instance.h"

#include "base/alloc.h"
#include "base/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Fields kept per record (the files have 2 and 3; one more shows excess). */
#define CSV_KEEP 4
/* Bytes of a value quoted in a message before it is cut. */
#define QUOTE_MAX 80

/* --- CSV reader ---------------------------------------------------------- */

struct csv {
    const char *p, *end;
    uint32_t row;  /* row of the record last read (1-based) */
    char *scratch; /* the record's fields, each NUL-terminated */
    size_t used, room;
    size_t off[CSV_KEEP], len[CSV_KEEP];
    uint32_t fields;   /* fields in the record (only CSV_KEEP kept) */
    const char *error; /* the syntax problem, when csv_next() returned -1 */
};

static void csv_init(struct csv *c, const char *text, size_t len)
{
    memset(c, 0, sizeof(*c));
    if (text == NULL) /* an empty text may come as NULL */
        text = "";
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
        len -= 3;
    }
    c->p = text;
    c->end = text + len;
}

static void csv_append(struct csv *c, const char *s, size_t n)
{
    if (c->used + n + 1 > c->room) {
        c->room = (c->used + n + 1) * 2;
        c->scratch = xrealloc(c->scratch, c->room);
    }
    if (n > 0)
        memcpy(c->scratch + c->used, s, n);
    c->used += n;
}

/* Reads a quoted field (c->p at the opening quote) into the scratch. */
static bool csv_quoted(struct csv *c)
{
    c->p++;
    for (;;) {
        const char *q = memchr(c->p, '"', (size_t)(c->end - c->p));
        if (q == NULL) {
            c->error = "a quoted field is not closed";
            return false;
        }
        csv_append(c, c->p, (size_t)(q - c->p));
        c->p = q + 1;
        if (c->p < c->end && *c->p == '"') {
            csv_append(c, "\"", 1);
            c->p++;
            continue;
        }
        break;
    }
    if (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
        c->error = "text follows a closing quote (a quote inside a quoted field is written \"\")";
        return false;
    }
    return true;
}

/* Reads one field at c->p and keeps it (NUL-terminated) if there is room. */
static bool csv_field(struct csv *c)
{
    size_t start = c->used;
    if (c->p < c->end && *c->p == '"') {
        if (!csv_quoted(c))
            return false;
    } else {
        const char *q = c->p;
        while (q < c->end && *q != ',' && *q != '\n' && *q != '\r') {
            if (*q == '"') {
                c->error = "a quote inside an unquoted field (quote the whole field, and write the "
                           "quote as \"\")";
                return false;
            }
            q++;
        }
        csv_append(c, c->p, (size_t)(q - c->p));
        c->p = q;
    }
    if (c->fields < CSV_KEEP) {
        c->off[c->fields] = start;
        c->len[c->fields] = c->used - start;
    }
    c->fields++;
    csv_append(c, "", 0);
    c->scratch[c->used++] = '\0';
    return true;
}

/* The next record: 1, 0 at the end of the text, -1 on a syntax error
 * (c->error says which; c->row is the record's row). */
static int csv_next(struct csv *c)
{
    if (c->p >= c->end)
        return 0;
    c->row++;
    c->used = 0;
    c->fields = 0;
    for (;;) {
        if (!csv_field(c))
            return -1;
        if (c->p >= c->end)
            return 1;
        char ch = *c->p++;
        if (ch == ',')
            continue;
        if (ch == '\r' && c->p < c->end && *c->p == '\n')
            c->p++;
        return 1;
    }
}

/* Field i of the record (i < CSV_KEEP and < c->fields). */
static const char *csv_get(const struct csv *c, uint32_t i, size_t *len)
{
    *len = c->len[i];
    return c->scratch + c->off[i];
}

static bool csv_blank(const struct csv *c)
{
    return c->fields == 1 && c->len[0] == 0;
}

/* --- name tables --------------------------------------------------------- */

struct match_names {
    char *pool; /* names, each NUL-terminated */
    size_t used, room;
    size_t *off;   /* per entry: its name in pool */
    size_t *len;   /* per entry: its length */
    uint32_t *row; /* per entry: the row it was read from */
    uint32_t count, entries_room;
    uint32_t *slots; /* entry + 1, 0 when free; a power of two of them */
    uint32_t mask;
};

static uint64_t name_hash(const char *s, size_t n)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * UINT64_C(0x100000001b3);
    h ^= h >> 32;
    h *= UINT64_C(0xd6e8feb86659fd93);
    return h ^ (h >> 32);
}

static struct match_names *names_new(void)
{
    struct match_names *t = xcalloc(1, sizeof(*t));
    t->mask = 15;
    t->slots = xcalloc(16, sizeof(*t->slots));
    return t;
}

static void names_free(struct match_names *t)
{
    if (t == NULL)
        return;
    free(t->pool);
    free(t->off);
    free(t->len);
    free(t->row);
    free(t->slots);
    free(t);
}

/* The slot holding name s, or the free slot where it would go. */
static uint32_t names_slot(const struct match_names *t, const char *s, size_t n)
{
    uint32_t i = (uint32_t)name_hash(s, n) & t->mask;
    for (;; i = (i + 1) & t->mask) {
        uint32_t e = t->slots[i];
        if (e == 0 || (t->len[e - 1] == n && memcmp(t->pool + t->off[e - 1], s, n) == 0))
            return i;
    }
}

/* The entry named s, or MATCH_NONE. */
static uint32_t names_find(const struct match_names *t, const char *s, size_t n)
{
    uint32_t e = t->slots[names_slot(t, s, n)];
    return e == 0 ? MATCH_NONE : e - 1;
}

/* Doubles the slots (kept at most half full). */
static void names_grow(struct match_names *t)
{
    uint32_t old = t->mask + 1, *slots = t->slots;
    t->mask = 2 * old - 1;
    t->slots = xcalloc((size_t)old * 2, sizeof(*t->slots));
    for (uint32_t i = 0; i < old; i++) {
        if (slots[i] == 0)
            continue;
        uint32_t e = slots[i] - 1;
        t->slots[names_slot(t, t->pool + t->off[e], t->len[e])] = slots[i];
    }
    free(slots);
}

/* Adds name s (not in t yet) read on row; returns its entry. */
static uint32_t names_add(struct match_names *t, const char *s, size_t n, uint32_t row)
{
    if (t->count == t->entries_room) {
        t->entries_room = t->entries_room ? 2 * t->entries_room : 16;
        t->off = xrealloc(t->off, t->entries_room * sizeof(*t->off));
        t->len = xrealloc(t->len, t->entries_room * sizeof(*t->len));
        t->row = xrealloc(t->row, t->entries_room * sizeof(*t->row));
    }
    if (t->used + n + 1 > t->room) {
        t->room = (t->used + n + 1) * 2;
        t->pool = xrealloc(t->pool, t->room);
    }
    uint32_t e = t->count++;
    memcpy(t->pool + t->used, s, n);
    t->pool[t->used + n] = '\0';
    t->off[e] = t->used;
    t->len[e] = n;
    t->row[e] = row;
    t->used += n + 1;
    t->slots[names_slot(t, s, n)] = e + 1;
    if ((uint64_t)t->count * 2 > t->mask)
        names_grow(t);
    return e;
}

/* --- growing arrays of uint32 ------------------------------------------- */

struct u32s {
    uint32_t *v;
    size_t n, room;
};

static void u32s_push(struct u32s *a, uint32_t x)
{
    if (a->n == a->room) {
        a->room = a->room ? 2 * a->room : 64;
        a->v = xrealloc(a->v, a->room * sizeof(*a->v));
    }
    a->v[a->n++] = x;
}

/* --- the parse ----------------------------------------------------------- */

struct parse {
    struct match_csv_error *err;
    struct match_instance *out;
    struct u32s s_off, s_choice, cap, p_off, p_rank;
    uint32_t *stamp; /* per student or position: the row index that last listed it */
};

/* Sets the error (file, row, printf-style message); returns false. */
static bool fail(struct parse *ps, enum match_file file, uint32_t row, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool fail(struct parse *ps, enum match_file file, uint32_t row, const char *fmt, ...)
{
    ps->err->file = file;
    ps->err->line = row;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err->message, sizeof(ps->err->message), fmt, ap);
    va_end(ap);
    return false;
}

/* s[0..n) in double quotes for a message, cut (on a character boundary)
 * after QUOTE_MAX bytes; buf has room for QUOTE_MAX + 8. */
static const char *show(char *buf, const char *s, size_t n)
{
    size_t k = n;
    if (k > QUOTE_MAX) {
        k = QUOTE_MAX;
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
    }
    snprintf(buf, QUOTE_MAX + 8, "\"%.*s%s\"", (int)k, s, k < n ? "..." : "");
    return buf;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Drops spaces, tabs and line breaks at both ends of s[0..n). */
static void trim(const char **s, size_t *n)
{
    while (*n > 0 && blank(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && blank((*s)[*n - 1]))
        (*n)--;
}

static bool has_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return true;
    return false;
}

/* The record's fields joined by commas, for a message. */
static const char *show_row(char *buf, const struct csv *c)
{
    char joined[QUOTE_MAX + 8];
    size_t n = 0;
    for (uint32_t i = 0; i < c->fields && i < CSV_KEEP && n < QUOTE_MAX + 1; i++) {
        size_t len;
        const char *f = csv_get(c, i, &len);
        if (i > 0)
            joined[n++] = ',';
        size_t k = len < QUOTE_MAX + 1 - n ? len : QUOTE_MAX + 1 - n;
        memcpy(joined + n, f, k);
        n += k;
    }
    return show(buf, joined, n);
}

/* Checks the header row (got: what csv_next() returned) against want, the
 * comma-separated column names. */
static bool header_ok(struct parse *ps, enum match_file file, struct csv *c, int got,
                      const char *want, uint32_t columns)
{
    if (got == 0)
        return fail(ps, file, 1, "the file is empty; its first line must be the header \"%s\"",
                    want);
    if (got < 0)
        return fail(ps, file, c->row, "%s", c->error);
    bool ok = c->fields == columns;
    const char *w = want;
    for (uint32_t i = 0; ok && i < columns; i++) {
        size_t len, wl = strcspn(w, ",");
        const char *f = csv_get(c, i, &len);
        trim(&f, &len);
        ok = len == wl && strncasecmp(f, w, wl) == 0;
        w += wl + 1;
    }
    if (!ok) {
        char q[QUOTE_MAX + 8];
        return fail(ps, file, 1, "the header must be \"%s\", not %s", want, show_row(q, c));
    }
    return true;
}

/* Reads the next record that is not blank into c: 1, 0 at the end, -1
 * after a syntax error, a wrong column count or text that is not UTF-8. */
static int next_row(struct parse *ps, enum match_file file, struct csv *c, uint32_t columns)
{
    int r;
    while ((r = csv_next(c)) == 1 && csv_blank(c))
        ;
    if (r < 0) {
        fail(ps, file, c->row, "%s", c->error);
        return -1;
    }
    if (r == 1 && c->fields != columns) {
        fail(ps, file, c->row, "expected %u columns, found %u", columns, c->fields);
        return -1;
    }
    for (uint32_t i = 0; r == 1 && i < columns; i++) {
        size_t len;
        const char *f = csv_get(c, i, &len);
        if (!utf8_valid(f, len)) {
            fail(ps, file, c->row, "column %u is not valid UTF-8 text", i + 1);
            return -1;
        }
    }
    return r;
}

/* Checks a name (trimmed) read on row for its kind ("student", ...). */
static bool name_ok(struct parse *ps, enum match_file file, uint32_t row, const char *kind,
                    const char *s, size_t n)
{
    char q[QUOTE_MAX + 8];
    if (n == 0)
        return fail(ps, file, row, "empty %s name", kind);
    if (has_control(s, n))
        return fail(ps, file, row,
                    "the %s name %s holds a control character (a line break or a tab?)", kind,
                    show(q, s, n));
    return true;
}

/* Pass 1: the students' names. */
static bool read_student_names(struct parse *ps, const char *text, size_t len)
{
    struct match_names *t = ps->out->students;
    struct csv c;
    csv_init(&c, text, len);
    bool ok = header_ok(ps, MATCH_FILE_STUDENTS, &c, csv_next(&c), "student,choices", 2);
    int r;
    while (ok && (r = next_row(ps, MATCH_FILE_STUDENTS, &c, 2)) != 0) {
        size_t n;
        const char *name = csv_get(&c, 0, &n);
        char q[QUOTE_MAX + 8];
        trim(&name, &n);
        ok = r > 0 && name_ok(ps, MATCH_FILE_STUDENTS, c.row, "student", name, n);
        uint32_t e = ok ? names_find(t, name, n) : MATCH_NONE;
        if (ok && e != MATCH_NONE)
            ok = fail(ps, MATCH_FILE_STUDENTS, c.row,
                      "student %s is listed twice (first on line %u)", show(q, name, n), t->row[e]);
        if (ok && t->count == MATCH_NONE - 1)
            ok = fail(ps, MATCH_FILE_STUDENTS, c.row, "too many students");
        if (ok)
            names_add(t, name, n, c.row);
    }
    free(c.scratch);
    return ok;
}

/* Reads the ';'-separated list (a field of row) of the student with entry
 * `owner` (choices: names of positions) or of the position `owner`
 * (ranking: names of students) into out, through table t. */
static bool read_list(struct parse *ps, uint32_t row, bool choices, uint32_t owner,
                      const char *list, size_t len, const struct match_names *t, struct u32s *out)
{
    enum match_file file = choices ? MATCH_FILE_STUDENTS : MATCH_FILE_POSITIONS;
    const struct match_names *own = choices ? ps->out->students : ps->out->positions;
    char q1[QUOTE_MAX + 8], q2[QUOTE_MAX + 8];
    const char *who = show(q1, own->pool + own->off[owner], own->len[owner]);
    trim(&list, &len);
    bool more = len > 0; /* an empty field: no items; "A;" has an empty second one */
    for (uint32_t item = 1; more; item++) {
        const char *semi = memchr(list, ';', len), *name = list;
        size_t n = semi ? (size_t)(semi - list) : len;
        more = semi != NULL;
        if (more) {
            list = semi + 1;
            len -= n + 1;
        }
        trim(&name, &n);
        if (n == 0 || has_control(name, n))
            return fail(ps, file, row, "%s %s name in the %s of %s (item %u)",
                        n == 0 ? "empty" : "a control character in a",
                        choices ? "position" : "student", choices ? "choices" : "ranking", who,
                        item);
        uint32_t e = names_find(t, name, n);
        if (e == MATCH_NONE && choices)
            return fail(ps, file, row,
                        "student %s chooses %s, which is not a position in the positions file", who,
                        show(q2, name, n));
        if (e == MATCH_NONE)
            return fail(ps, file, row,
                        "position %s ranks %s, who is not a student in the students file", who,
                        show(q2, name, n));
        if (ps->stamp[e] == owner)
            return fail(ps, file, row, "%s %s %s %s twice", choices ? "student" : "position", who,
                        choices ? "chooses" : "ranks", show(q2, name, n));
        if (out->n >= UINT32_MAX - 1)
            return fail(ps, file, row, "too many %s in all", choices ? "choices" : "rankings");
        ps->stamp[e] = owner;
        u32s_push(out, e);
    }
    return true;
}

/* A seat count: a whole number from 1 to 4294967294. */
static bool read_seats(const char *s, size_t n, uint32_t *out)
{
    uint64_t v = 0;
    trim(&s, &n);
    if (n == 0 || n > 10)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = (uint32_t)v;
    return v >= 1 && v < UINT32_MAX;
}

/* One row of the positions file (pass 2). */
static bool read_position(struct parse *ps, const struct csv *c)
{
    struct match_names *t = ps->out->positions;
    size_t n, sn, rn;
    const char *name = csv_get(c, 0, &n), *seats = csv_get(c, 1, &sn);
    const char *ranking = csv_get(c, 2, &rn);
    char q[QUOTE_MAX + 8], q2[QUOTE_MAX + 8];
    trim(&name, &n);
    if (!name_ok(ps, MATCH_FILE_POSITIONS, c->row, "position", name, n))
        return false;
    uint32_t e = names_find(t, name, n), cap;
    if (e != MATCH_NONE)
        return fail(ps, MATCH_FILE_POSITIONS, c->row,
                    "position %s is listed twice (first on line %u)", show(q, name, n), t->row[e]);
    if (t->count == MATCH_NONE - 1)
        return fail(ps, MATCH_FILE_POSITIONS, c->row, "too many positions");
    if (!read_seats(seats, sn, &cap))
        return fail(ps, MATCH_FILE_POSITIONS, c->row,
                    "the seats of position %s must be a whole number of at least 1, not %s",
                    show(q, name, n), show(q2, seats, sn));
    e = names_add(t, name, n, c->row);
    u32s_push(&ps->cap, cap);
    if (!read_list(ps, c->row, false, e, ranking, rn, ps->out->students, &ps->p_rank))
        return false;
    u32s_push(&ps->p_off, (uint32_t)ps->p_rank.n);
    return true;
}

/* Pass 2: the positions file. */
static bool read_positions(struct parse *ps, const char *text, size_t len)
{
    struct csv c;
    csv_init(&c, text, len);
    bool ok = header_ok(ps, MATCH_FILE_POSITIONS, &c, csv_next(&c), "position,seats,ranking", 3);
    int r;
    while (ok && (r = next_row(ps, MATCH_FILE_POSITIONS, &c, 3)) != 0)
        ok = r > 0 && read_position(ps, &c);
    free(c.scratch);
    return ok;
}

/* Pass 3: the students' choices (the file's syntax was checked in pass 1). */
static bool read_choices(struct parse *ps, const char *text, size_t len)
{
    struct csv c;
    csv_init(&c, text, len);
    bool ok = csv_next(&c) == 1;
    for (uint32_t s = 0; ok && next_row(ps, MATCH_FILE_STUDENTS, &c, 2) > 0; s++) {
        size_t n;
        const char *list = csv_get(&c, 1, &n);
        ok = read_list(ps, c.row, true, s, list, n, ps->out->positions, &ps->s_choice);
        uint32_t count = (uint32_t)ps->s_choice.n - ps->s_off.v[s];
        if (count > ps->out->most_choices)
            ps->out->most_choices = count;
        u32s_push(&ps->s_off, (uint32_t)ps->s_choice.n);
    }
    free(c.scratch);
    return ok;
}

bool match_instance_parse(const char *students, size_t slen, const char *positions, size_t plen,
                          struct match_instance *out, struct match_csv_error *err)
{
    struct match_csv_error dummy;
    memset(out, 0, sizeof(*out));
    out->students = names_new();
    out->positions = names_new();
    struct parse ps = {.err = err ? err : &dummy, .out = out};
    memset(ps.err, 0, sizeof(*ps.err));
    u32s_push(&ps.s_off, 0);
    u32s_push(&ps.p_off, 0);
    bool ok = read_student_names(&ps, students, slen);
    if (ok) {
        ps.stamp = xmalloc(((size_t)out->students->count + 1) * sizeof(*ps.stamp));
        memset(ps.stamp, 0xff, (size_t)out->students->count * sizeof(*ps.stamp));
        ok = read_positions(&ps, positions, plen);
    }
    if (ok) {
        free(ps.stamp);
        ps.stamp = xmalloc(((size_t)out->positions->count + 1) * sizeof(*ps.stamp));
        memset(ps.stamp, 0xff, (size_t)out->positions->count * sizeof(*ps.stamp));
        ok = read_choices(&ps, students, slen);
    }
    free(ps.stamp);
    out->s_off = ps.s_off.v;
    out->s_choice = ps.s_choice.v;
    out->cap = ps.cap.v;
    out->p_off = ps.p_off.v;
    out->p_rank = ps.p_rank.v;
    if (!ok) {
        match_instance_free(out);
        return false;
    }
    out->in = (struct match_input){out->students->count,
                                   out->positions->count,
                                   out->s_off,
                                   out->s_choice,
                                   out->cap,
                                   out->p_off,
                                   out->p_rank};
    return true;
}

void match_instance_free(struct match_instance *m)
{
    if (m == NULL)
        return;
    free(m->s_off);
    free(m->s_choice);
    free(m->cap);
    free(m->p_off);
    free(m->p_rank);
    names_free(m->students);
    names_free(m->positions);
    memset(m, 0, sizeof(*m));
}

const char *match_instance_student(const struct match_instance *m, uint32_t s)
{
    return m->students->pool + m->students->off[s];
}

const char *match_instance_position(const struct match_instance *m, uint32_t p)
{
    return m->positions->pool + m->positions->off[p];
}
