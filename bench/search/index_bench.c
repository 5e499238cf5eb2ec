/*
 * index_bench.c - the jilian FTS5 tokenizer (src/lib/text/text.h, as the
 * search module registers it) against SQLite's built-in trigram tokenizer,
 * on the same generated Chinese corpus, in the same run.
 *
 *   bench_search_index [--docs N] [--queries Q] [--recall R] [--seed S]
 *
 * Defaults: 1,000,000 documents, 1,000 latency queries, 200 cross-script
 * recall queries, seed 1. See bench/README.md (section bench/search/index).
 *
 * Corpus (generated, not timed). The alphabet comes from text_fold() over
 * U+4E00..U+9FFF: every code point that folds to another Han character
 * gives a (traditional, simplified) pair; the characters of GB2312 (found
 * with iconv) that fold to themselves and are nobody's simplified form are
 * added as characters written the same in both scripts. Each entry gets a
 * seeded random popularity rank q and is drawn with weight 1 / (q + 2)
 * (Zipf with a slightly flattened head: the top character is about 6 % of
 * the Han characters), by Walker's alias method. A document is
 * 80..120 symbols: Han characters, about 7 % punctuation (，。、) and about
 * 1 % ASCII words or numbers, ending with 。; half the documents (chosen
 * at random) are written in traditional form, the rest in simplified. The
 * corpus is kept as uint16 symbol indices plus one script byte per
 * document and rendered to UTF-8 when it is inserted.
 *
 * Indexing (timed, rendering included): two database files in a fresh
 * temp dir (removed at the end, also on SIGINT/SIGTERM), journal_mode=OFF
 * and synchronous=OFF for both, contentless tables
 *   CREATE VIRTUAL TABLE d USING fts5(body, content='', tokenize='jilian')
 * and the same with tokenize='trigram', every document inserted in one
 * transaction per index through one prepared statement. The two builds
 * run side by side in turns of 5,000 documents, each turn timed for its
 * own index (see builder_add). The index size is page_count * page_size
 * after COMMIT (no optimize, no VACUUM). Speed is given by wall-clock
 * time (the target) and by CPU time (user + system, getrusage; close to
 * wall-clock time when the process was not kept waiting).
 *
 * Latency: Q queries of 2..4 characters cut from random documents (so each
 * exists), in the document's script; jilian gets "<text>"* (as the search
 * API writes typed text: text_fts_query()), trigram "<text>"; both run
 *   SELECT rowid FROM d WHERE d MATCH ?1 ORDER BY jl_rank(d) LIMIT 10
 * (the search API's ranking function, src/db/fts5.c, registered on both
 * connections) on a fresh connection, and then the same with ORDER BY
 * rank (FTS5's bm25). Trigram cannot match a 2-character string with
 * MATCH (those queries are counted, not answered; no LIKE fallback).
 * Then, to show where jilian's time goes, the same queries as count(*)
 * (how many documents match), without the * and by rowid DESC (no
 * ranking).
 *
 * Cross-script recall: R queries of 3..4 characters cut from random
 * documents, with at least one character whose two forms differ, typed in
 * the other script. Expected: every document whose folded text contains
 * the query's folded text (one scan of the in-memory corpus for all
 * queries); found: SELECT rowid ... WHERE d MATCH ?1 without a LIMIT.
 * Recall = expected documents found / expected documents.
 */
#include "bench/bench_common.h"
#include "base/alloc.h"
#include "lib/text/text.h"
#include "db/fts5.h"

#include <errno.h>
#include <iconv.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* --- small things ------------------------------------------------------------ */

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec * 1e-6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile p (0..1) of sorted v[0..n). */
static double percentile(const double *v, size_t n, double p)
{
    if (n == 0)
        return 0;
    size_t k = (size_t)(p * (double)n + 0.999999);
    if (k == 0)
        k = 1;
    return v[(k > n ? n : k) - 1];
}

/* --- the temp dir ---------------------------------------------------------------- */

static char tmp_dir[512];
static char db_path[2][600];

static void cleanup(void)
{
    for (int i = 0; i < 2; i++)
        if (db_path[i][0])
            unlink(db_path[i]);
    if (tmp_dir[0])
        rmdir(tmp_dir);
}

static void on_signal(int sig)
{
    cleanup(); /* unlink and rmdir are async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig);
}

/* --- the jilian tokenizer, FTS5 v1 API ------------------------------------------- */

/* As src/modules/search/index.c registers it: documents through
 * text_tokenize(), queries through text_tokenize_query(). */

typedef int (*fts5_token_fn)(void *, int, const char *, int, int, int);

struct jl_emit {
    void *ctx;
    fts5_token_fn token;
};

static uint64_t jl_doc_tokens; /* tokens emitted for documents */

static int jl_emit_doc(void *arg, const char *tok, size_t len, size_t start, size_t end)
{
    struct jl_emit *e = arg;
    jl_doc_tokens++;
    return e->token(e->ctx, 0, tok, (int)len, (int)start, (int)end);
}

static int jl_emit_query(void *arg, const char *tok, size_t len, size_t start, size_t end)
{
    struct jl_emit *e = arg;
    return e->token(e->ctx, 0, tok, (int)len, (int)start, (int)end);
}

static int jl_tokenizer_object; /* FTS5 wants a non-NULL object; it keeps no state */

static int jl_create(void *ctx, const char **args, int nargs, Fts5Tokenizer **out)
{
    (void)ctx;
    (void)args;
    (void)nargs;
    *out = (Fts5Tokenizer *)(void *)&jl_tokenizer_object;
    return SQLITE_OK;
}

static void jl_delete(Fts5Tokenizer *t)
{
    (void)t;
}

static int jl_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n, fts5_token_fn token)
{
    (void)t;
    struct jl_emit e = {ctx, token};
    size_t len = text != NULL && n > 0 ? (size_t)n : 0;
    int rc = (flags & FTS5_TOKENIZE_QUERY) ? text_tokenize_query(text ? text : "", len, jl_emit_query, &e)
                                           : text_tokenize(text ? text : "", len, jl_emit_doc, &e);
    return rc == 0 ? SQLITE_OK : rc;
}

/* The jilian tokenizer and the search API's ranking function jl_rank
 * (src/db/fts5.c, the program's own code) on db. */
static bool register_jilian(sqlite3 *db)
{
    static fts5_tokenizer methods = {jl_create, jl_delete, jl_tokenize};
    fts5_api *api = fts5_api_of(db);
    return api != NULL && api->xCreateTokenizer(api, "jilian", NULL, &methods, NULL) == SQLITE_OK &&
           fts5_add_rank(db);
}

/* --- the alphabet and the corpus --------------------------------------------------- */

/* Symbols: 0 .. nhan-1 Han entries, then the three punctuation marks, then
 * the ASCII words. */
static const char *const punct[] = {"，", "。", "、"};
enum { P_COMMA, P_PERIOD, P_ENUM, NPUNCT };
static const char *const words[] = {
    "AI",   "GPS",  "5G",   "WiFi", "SQLite", "PDF",   "CPU",  "USB",   "iPhone", "Excel", "No",
    "APP",  "2024", "2023", "2025", "100",    "12",    "365",  "3",     "50",     "8",     "1000",
    "HTTP", "ISO",  "9001", "GDP",  "LED",    "Linux", "ERP",  "A",     "B2B",    "QQ",
};
#define NWORDS (sizeof words / sizeof words[0])

struct entry {
    uint32_t simp, trad; /* equal for a character written alike in both scripts */
};

struct symtext {
    char s[2][12]; /* [0] simplified, [1] traditional */
    uint8_t n[2];
};

struct corpus {
    uint32_t nhan, nsym, npairs;
    bool gb2312; /* the self-folding characters come from GB2312 */
    struct entry *han;
    struct symtext *text;
    uint32_t *folded; /* folded code point of a symbol; 0 for a non-Han symbol */
    uint32_t ndocs;
    uint32_t *off; /* document d is sym[off[d] .. off[d + 1]) */
    uint16_t *sym;
    uint8_t *trad;
    size_t bytes; /* UTF-8 bytes of all documents */
};

static bool in_gb2312(iconv_t cd, uint32_t cp)
{
    char in[4], out[16];
    size_t n = text_put(cp, in);
    char *ip = in, *op = out;
    size_t il = n, ol = sizeof out;
    iconv(cd, NULL, NULL, NULL, NULL);
    return iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && il == 0;
}

static void build_alphabet(struct corpus *c)
{
    enum { LO = 0x4E00, HI = 0x9FFF };
    static bool is_target[0x10000];
    size_t cap = HI - LO + 1;
    c->han = xmalloc(cap * sizeof *c->han);
    c->nhan = 0;
    for (uint32_t cp = LO; cp <= HI; cp++) {
        uint32_t f = text_fold(cp);
        if (f != cp && text_is_han(f) && text_fold(f) == f) {
            c->han[c->nhan++] = (struct entry){f, cp};
            if (f < 0x10000)
                is_target[f] = true;
        }
    }
    c->npairs = c->nhan;
    iconv_t cd = iconv_open("GB2312", "UTF-8");
    c->gb2312 = cd != (iconv_t)-1;
    for (uint32_t cp = LO, k = 0; cp <= HI; cp++) {
        if (text_fold(cp) != cp || is_target[cp])
            continue;
        bool take = c->gb2312 ? in_gb2312(cd, cp) : (text_pinyin(cp) != NULL && k++ % 3 == 0);
        if (take)
            c->han[c->nhan++] = (struct entry){cp, cp};
    }
    if (c->gb2312)
        iconv_close(cd);

    c->nsym = c->nhan + NPUNCT + (uint32_t)NWORDS;
    c->text = xmalloc(c->nsym * sizeof *c->text);
    c->folded = xmalloc(c->nsym * sizeof *c->folded);
    for (uint32_t s = 0; s < c->nsym; s++) {
        struct symtext *t = &c->text[s];
        if (s < c->nhan) {
            t->n[0] = (uint8_t)text_put(c->han[s].simp, t->s[0]);
            t->n[1] = (uint8_t)text_put(c->han[s].trad, t->s[1]);
            c->folded[s] = c->han[s].simp;
        } else {
            const char *w = s < c->nhan + NPUNCT ? punct[s - c->nhan] : words[s - c->nhan - NPUNCT];
            size_t n = strlen(w);
            memcpy(t->s[0], w, n);
            memcpy(t->s[1], w, n);
            t->n[0] = t->n[1] = (uint8_t)n;
            c->folded[s] = 0;
        }
    }
}

/* Walker's alias method over weights w[0..n). */
struct alias {
    uint32_t n;
    uint32_t *alias;
    uint64_t *cut; /* take i when the 32-bit draw is below cut[i], else alias[i] */
};

static void alias_init(struct alias *a, const double *w, uint32_t n)
{
    double sum = 0;
    for (uint32_t i = 0; i < n; i++)
        sum += w[i];
    double *p = xmalloc(n * sizeof *p);
    uint32_t *small = xmalloc(n * sizeof *small), *large = xmalloc(n * sizeof *large);
    uint32_t ns = 0, nl = 0;
    a->n = n;
    a->alias = xmalloc(n * sizeof *a->alias);
    a->cut = xmalloc(n * sizeof *a->cut);
    for (uint32_t i = 0; i < n; i++) {
        p[i] = w[i] * n / sum;
        a->alias[i] = i;
        if (p[i] < 1)
            small[ns++] = i;
        else
            large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
        uint32_t s = small[--ns], l = large[nl - 1];
        a->cut[s] = (uint64_t)(p[s] * 4294967296.0);
        a->alias[s] = l;
        p[l] -= 1 - p[s];
        if (p[l] < 1) {
            nl--;
            small[ns++] = l;
        }
    }
    while (nl > 0)
        a->cut[large[--nl]] = 4294967296ull;
    while (ns > 0)
        a->cut[small[--ns]] = 4294967296ull;
    free(p);
    free(small);
    free(large);
}

static uint32_t alias_draw(const struct alias *a, uint64_t *rng)
{
    uint64_t r = rng_next(rng);
    uint32_t i = (uint32_t)(((r >> 32) * a->n) >> 32);
    return (r & 0xFFFFFFFFu) < a->cut[i] ? i : a->alias[i];
}

static void alias_free(struct alias *a)
{
    free(a->alias);
    free(a->cut);
}

static size_t render(const struct corpus *c, uint32_t from, uint32_t to, int script, char *out)
{
    size_t k = 0;
    for (uint32_t i = from; i < to; i++) {
        const struct symtext *t = &c->text[c->sym[i]];
        memcpy(out + k, t->s[script], 12);
        k += t->n[script];
    }
    return k;
}

/* Room for one rendered document: 120 symbols of at most 12 bytes, and the
 * 12-byte copies of render(). */
#define DOC_MAX 120
#define DOC_BUF (DOC_MAX * 12 + 16)

static void build_corpus(struct corpus *c, uint32_t ndocs, uint64_t seed)
{
    uint64_t rng = seed ^ 0x6a696c69616e2121ull;
    build_alphabet(c);

    /* Popularity: a random permutation of ranks, weight 1 / (rank + 2). */
    uint32_t *rank = xmalloc(c->nhan * sizeof *rank);
    for (uint32_t i = 0; i < c->nhan; i++)
        rank[i] = i;
    for (uint32_t i = c->nhan - 1; i > 0; i--) {
        uint32_t j = rng_below(&rng, i + 1), t = rank[i];
        rank[i] = rank[j];
        rank[j] = t;
    }
    double *w = xmalloc(c->nhan * sizeof *w);
    for (uint32_t i = 0; i < c->nhan; i++)
        w[i] = 1.0 / (rank[i] + 2.0);
    struct alias za;
    alias_init(&za, w, c->nhan);
    free(w);
    free(rank);

    c->ndocs = ndocs;
    c->off = xmalloc(((size_t)ndocs + 1) * sizeof *c->off);
    c->sym = xmalloc((size_t)ndocs * DOC_MAX * sizeof *c->sym);
    c->trad = xmalloc(ndocs ? ndocs : 1);
    uint32_t at = 0;
    for (uint32_t d = 0; d < ndocs; d++) {
        c->off[d] = at;
        c->trad[d] = (uint8_t)(rng_next(&rng) & 1);
        uint32_t len = 80 + rng_below(&rng, DOC_MAX - 80 + 1);
        bool after_punct = true; /* no punctuation at the start or twice in a row */
        for (uint32_t i = 0; i + 1 < len; i++) {
            uint32_t u = rng_below(&rng, 1000), s;
            if (u < 70 && !after_punct) {
                s = c->nhan + (u < 50 ? P_COMMA : u < 60 ? P_ENUM : P_PERIOD);
                after_punct = true;
            } else if (u >= 70 && u < 80) {
                s = c->nhan + NPUNCT + rng_below(&rng, (uint32_t)NWORDS);
                after_punct = false;
            } else {
                s = alias_draw(&za, &rng);
                after_punct = false;
            }
            c->sym[at++] = (uint16_t)s;
        }
        c->sym[at++] = (uint16_t)(c->nhan + P_PERIOD);
    }
    c->off[ndocs] = at;
    alias_free(&za);

    char buf[DOC_BUF];
    c->bytes = 0;
    for (uint32_t d = 0; d < ndocs; d++)
        c->bytes += render(c, c->off[d], c->off[d + 1], c->trad[d], buf);
}

static void corpus_free(struct corpus *c)
{
    free(c->han);
    free(c->text);
    free(c->folded);
    free(c->off);
    free(c->sym);
    free(c->trad);
}

/* --- SQLite helpers ------------------------------------------------------------------ */

static void die_db(sqlite3 *db, const char *what)
{
    fprintf(stderr, "bench_search_index: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
    exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "bench_search_index: %s: %s\n", sql, err ? err : "?");
        exit(1);
    }
}

static int64_t pragma_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die_db(db, sql);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static sqlite3 *open_db(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        die_db(db, path);
    if (!register_jilian(db))
        die_db(db, "registering the jilian tokenizer");
    exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF");
    return db;
}

/* --- indexing ---------------------------------------------------------------------------- */

static const char *const tokenizer_name[2] = {"jilian", "trigram"};

struct build {
    double seconds, cpu; /* wall-clock and CPU (user + system) time */
    int64_t bytes;
    uint64_t tokens; /* jilian only */
};

/* Both indexes are built at once, in turns of BATCH documents (jilian's
 * batch, then trigram's, ...), each in its own transaction on its own
 * connection, and only the time of each turn counts for its index: so both
 * see the same load from whatever else runs on the machine, which moves
 * the speed of a build by tens of per cent from one minute to the next. */
#define BATCH 5000

struct builder {
    sqlite3 *db;
    sqlite3_stmt *st;
    struct build b;
};

static void builder_open(struct builder *bl, int which)
{
    memset(bl, 0, sizeof *bl);
    bl->db = open_db(db_path[which]);
    char sql[200];
    snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE d USING fts5(body, content='', tokenize='%s')",
             tokenizer_name[which]);
    exec(bl->db, sql);
    if (sqlite3_prepare_v2(bl->db, "INSERT INTO d(rowid, body) VALUES(?1, ?2)", -1, &bl->st, NULL) != SQLITE_OK)
        die_db(bl->db, "prepare insert");
    double t0 = now(), c0 = cpu_seconds();
    exec(bl->db, "BEGIN");
    bl->b.seconds += now() - t0;
    bl->b.cpu += cpu_seconds() - c0;
}

/* Inserts documents [from, to) (timed, rendering included). */
static void builder_add(struct builder *bl, const struct corpus *c, uint32_t from, uint32_t to)
{
    char buf[DOC_BUF];
    uint64_t tokens0 = jl_doc_tokens;
    double t0 = now(), c0 = cpu_seconds();
    for (uint32_t d = from; d < to; d++) {
        size_t n = render(c, c->off[d], c->off[d + 1], c->trad[d], buf);
        sqlite3_bind_int64(bl->st, 1, (sqlite3_int64)d + 1);
        sqlite3_bind_text(bl->st, 2, buf, (int)n, SQLITE_STATIC);
        if (sqlite3_step(bl->st) != SQLITE_DONE)
            die_db(bl->db, "insert");
        sqlite3_reset(bl->st);
    }
    bl->b.seconds += now() - t0;
    bl->b.cpu += cpu_seconds() - c0;
    bl->b.tokens += jl_doc_tokens - tokens0;
}

/* Commits (timed) and measures the index. */
static void builder_close(struct builder *bl)
{
    double t0 = now(), c0 = cpu_seconds();
    sqlite3_finalize(bl->st);
    exec(bl->db, "COMMIT");
    bl->b.seconds += now() - t0;
    bl->b.cpu += cpu_seconds() - c0;
    bl->b.bytes = pragma_int(bl->db, "PRAGMA page_count") * pragma_int(bl->db, "PRAGMA page_size");
    sqlite3_close(bl->db);
}

/* --- queries ------------------------------------------------------------------------------ */

struct cut {
    uint32_t doc, from, len;
};

/* A run of len Han symbols in a random document (with a character whose
 * two forms differ, when need_diff). */
static struct cut pick(const struct corpus *c, uint64_t *rng, uint32_t len, bool need_diff)
{
    for (uint64_t tries = 0;; tries++) {
        if (tries == 100000000) {
            fprintf(stderr, "bench_search_index: no query of %u characters found; more --docs?\n", len);
            exit(1);
        }
        struct cut q = {rng_below(rng, c->ndocs), 0, len};
        uint32_t n = c->off[q.doc + 1] - c->off[q.doc];
        if (n < len)
            continue;
        q.from = c->off[q.doc] + rng_below(rng, n - len + 1);
        bool ok = true, diff = false;
        for (uint32_t i = q.from; i < q.from + len && ok; i++) {
            uint16_t s = c->sym[i];
            ok = s < c->nhan;
            diff = diff || (ok && c->han[s].simp != c->han[s].trad);
        }
        if (ok && (diff || !need_diff))
            return q;
    }
}

/* The MATCH string for text t[0..n) (no quotes or spaces occur in t):
 * with prefix, as the search API writes typed text (text_fts_query():
 * "t"* for one term), else "t". */
static void match_string(char *out, size_t cap, const char *t, size_t n, bool prefix)
{
    if (!prefix) {
        snprintf(out, cap, "\"%.*s\"", (int)n, t);
        return;
    }
    char *q = text_fts_query(t, n, "");
    if (q == NULL) {
        fprintf(stderr, "bench_search_index: text_fts_query gave no query for %.*s\n", (int)n, t);
        exit(1);
    }
    snprintf(out, cap, "%s", q);
    free(q);
}

#define SQL_RANKED "SELECT rowid FROM d WHERE d MATCH ?1 ORDER BY jl_rank(d) LIMIT 10"
#define SQL_BM25 "SELECT rowid FROM d WHERE d MATCH ?1 ORDER BY rank LIMIT 10"
#define SQL_UNRANKED "SELECT rowid FROM d WHERE d MATCH ?1 ORDER BY rowid DESC LIMIT 10"
#define SQL_COUNT "SELECT count(*) FROM d WHERE d MATCH ?1"

struct latency {
    double *ms;  /* per query; < 0: not run */
    double *val; /* rows returned, or the count of a count(*) query */
    uint32_t empty; /* queries run that returned no row (or a count of 0) */
};

/* Runs sql (one parameter: the MATCH string) for every query on a fresh
 * connection to index which; prefix: "<text>"*, else "<text>"; short_too:
 * also the 2-character queries; count: sql returns one count. */
static struct latency run_queries(const struct corpus *c, const struct cut *qs, uint32_t nq, int which,
                                  const char *sql, bool prefix, bool short_too, bool count)
{
    struct latency l = {xmalloc((nq ? nq : 1) * sizeof *l.ms), xmalloc((nq ? nq : 1) * sizeof *l.val), 0};
    sqlite3 *db = open_db(db_path[which]);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die_db(db, sql);
    for (uint32_t i = 0; i < nq; i++) {
        l.ms[i] = l.val[i] = -1;
        if (!short_too && qs[i].len < 3)
            continue;
        char text[64], m[80];
        size_t n = render(c, qs[i].from, qs[i].from + qs[i].len, c->trad[qs[i].doc], text);
        match_string(m, sizeof m, text, n, prefix);
        double rows = 0;
        double t0 = now();
        sqlite3_bind_text(st, 1, m, -1, SQLITE_TRANSIENT);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            rows = count ? (double)sqlite3_column_int64(st, 0) : rows + 1;
        if (rc != SQLITE_DONE)
            die_db(db, m);
        sqlite3_reset(st);
        l.ms[i] = (now() - t0) * 1e3;
        l.val[i] = rows;
        if (rows == 0)
            l.empty++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return l;
}

static void latency_free(struct latency *l)
{
    free(l->ms);
    free(l->val);
}

struct pctl {
    uint32_t n;
    double p50, p99, max;
};

/* Percentiles of v[i] (>= 0: run) over the queries whose length is in [lo, hi]. */
static struct pctl pctl_of(const double *v, const struct cut *qs, uint32_t nq, uint32_t lo, uint32_t hi)
{
    struct pctl p = {0};
    double *w = xmalloc((nq ? nq : 1) * sizeof *w);
    for (uint32_t i = 0; i < nq; i++)
        if (v[i] >= 0 && qs[i].len >= lo && qs[i].len <= hi)
            w[p.n++] = v[i];
    qsort(w, p.n, sizeof *w, cmp_double);
    p.p50 = percentile(w, p.n, 0.50);
    p.p99 = percentile(w, p.n, 0.99);
    p.max = p.n ? w[p.n - 1] : 0;
    free(w);
    return p;
}

/* --- cross-script recall ----------------------------------------------------------------- */

struct docset {
    uint32_t *id;
    size_t n, cap;
};

static void docset_add(struct docset *s, uint32_t id)
{
    if (s->n > 0 && s->id[s->n - 1] == id)
        return;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->id = xrealloc(s->id, s->cap * sizeof *s->id);
    }
    s->id[s->n++] = id;
}

/* expected[q]: the documents (1-based rowids, ascending) whose folded text
 * contains the folded text of query q. One pass over the corpus: a
 * position is tried against the queries whose first folded character its
 * symbol has (a list per symbol). */
static void expected_sets(const struct corpus *c, const struct cut *qs, uint32_t nq, struct docset *expected)
{
    uint32_t(*fq)[4] = xmalloc((nq ? nq : 1) * sizeof *fq);
    for (uint32_t q = 0; q < nq; q++)
        for (uint32_t k = 0; k < qs[q].len; k++)
            fq[q][k] = c->folded[c->sym[qs[q].from + k]];
    /* Per symbol, the queries whose first folded character is its folded
     * form (two traditional characters may share a simplified one). */
    uint32_t **lists = xmalloc(c->nsym * sizeof *lists), *counts = xmalloc(c->nsym * sizeof *counts);
    for (uint32_t s = 0; s < c->nsym; s++) {
        lists[s] = NULL;
        counts[s] = 0;
    }
    for (uint32_t s = 0; s < c->nhan; s++)
        for (uint32_t q = 0; q < nq; q++)
            if (fq[q][0] == c->folded[s]) {
                lists[s] = xrealloc(lists[s], (counts[s] + 1) * sizeof **lists);
                lists[s][counts[s]++] = q;
            }
    for (uint32_t d = 0; d < c->ndocs; d++) {
        uint32_t end = c->off[d + 1];
        for (uint32_t i = c->off[d]; i < end; i++) {
            uint16_t s = c->sym[i];
            for (uint32_t k = 0; k < counts[s]; k++) {
                uint32_t q = lists[s][k], len = qs[q].len, j = 1;
                if (i + len > end)
                    continue;
                while (j < len && c->folded[c->sym[i + j]] == fq[q][j])
                    j++;
                if (j == len)
                    docset_add(&expected[q], d + 1);
            }
        }
    }
    for (uint32_t s = 0; s < c->nsym; s++)
        free(lists[s]);
    free(lists);
    free(counts);
    free(fq);
}

struct recall {
    uint64_t expected, found_expected, found_other;
    uint32_t complete; /* queries with every expected document found */
    double seconds;
};

static struct recall run_recall(const struct corpus *c, const struct cut *qs, uint32_t nq,
                                const struct docset *expected, int which)
{
    struct recall r = {0};
    sqlite3 *db = open_db(db_path[which]);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT rowid FROM d WHERE d MATCH ?1", -1, &st, NULL) != SQLITE_OK)
        die_db(db, "prepare recall");
    struct docset found = {0};
    double t0 = now();
    for (uint32_t q = 0; q < nq; q++) {
        char text[64], m[80];
        size_t n = render(c, qs[q].from, qs[q].from + qs[q].len, !c->trad[qs[q].doc], text);
        match_string(m, sizeof m, text, n, which == 0);
        sqlite3_bind_text(st, 1, m, -1, SQLITE_TRANSIENT);
        found.n = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (found.n == found.cap) {
                found.cap = found.cap ? 2 * found.cap : 1024;
                found.id = xrealloc(found.id, found.cap * sizeof *found.id);
            }
            found.id[found.n++] = (uint32_t)sqlite3_column_int64(st, 0);
        }
        if (rc != SQLITE_DONE)
            die_db(db, m);
        sqlite3_reset(st);
        if (found.n > 1)
            qsort(found.id, found.n, sizeof *found.id, cmp_u32);
        const struct docset *e = &expected[q];
        size_t i = 0, j = 0, hit = 0;
        while (i < e->n && j < found.n) {
            if (e->id[i] == found.id[j]) {
                hit++;
                i++;
                j++;
            } else if (e->id[i] < found.id[j]) {
                i++;
            } else {
                j++;
            }
        }
        r.expected += e->n;
        r.found_expected += hit;
        r.found_other += found.n - hit;
        r.complete += hit == e->n;
    }
    r.seconds = now() - t0;
    free(found.id);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return r;
}

/* --- main ------------------------------------------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr, "usage: bench_search_index [--docs N] [--queries Q] [--recall R] [--seed S]\n");
    exit(2);
}

static uint64_t parse_num(const char *s, uint64_t max)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v > max)
        usage();
    return v;
}

static void print_machine(void)
{
    char model[256] = "unknown";
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f != NULL) {
        char line[512];
        while (fgets(line, sizeof line, f) != NULL) {
            if (strncmp(line, "model name", 10) == 0) {
                char *colon = strchr(line, ':');
                if (colon != NULL) {
                    colon++;
                    while (*colon == ' ' || *colon == '\t')
                        colon++;
                    snprintf(model, sizeof model, "%s", colon);
                    model[strcspn(model, "\n")] = '\0';
                }
                break;
            }
        }
        fclose(f);
    }
    printf("machine: %ld CPUs (nproc), %s; SQLite %s\n", sysconf(_SC_NPROCESSORS_ONLN), model,
           sqlite3_libversion());
}

static const char *mark(bool ok)
{
    return ok ? "ok" : "MISSED";
}

int main(int argc, char **argv)
{
    uint32_t ndocs = 1000000, nq = 1000, nrecall = 200;
    uint64_t seed = 1;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            usage();
        if (strcmp(argv[i], "--docs") == 0)
            ndocs = (uint32_t)parse_num(argv[++i], 20000000);
        else if (strcmp(argv[i], "--queries") == 0)
            nq = (uint32_t)parse_num(argv[++i], 1000000);
        else if (strcmp(argv[i], "--recall") == 0)
            nrecall = (uint32_t)parse_num(argv[++i], 100000);
        else if (strcmp(argv[i], "--seed") == 0)
            seed = parse_num(argv[++i], UINT64_MAX);
        else
            usage();
    }
    if (ndocs == 0)
        usage();

    const char *base = getenv("TMPDIR");
    snprintf(tmp_dir, sizeof tmp_dir, "%s/jl-index-bench-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(tmp_dir) == NULL) {
        fprintf(stderr, "bench_search_index: mkdtemp %s: %s\n", tmp_dir, strerror(errno));
        return 1;
    }
    for (int i = 0; i < 2; i++)
        snprintf(db_path[i], sizeof db_path[i], "%s/%s.db", tmp_dir, tokenizer_name[i]);
    atexit(cleanup);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    setvbuf(stdout, NULL, _IOLBF, 0);

    print_machine();
    double t0 = now();
    struct corpus c = {0};
    build_corpus(&c, ndocs, seed);
    uint32_t ntrad = 0;
    for (uint32_t d = 0; d < ndocs; d++)
        ntrad += c.trad[d];
    printf("corpus: %u documents (%u traditional, %u simplified), %.1f chars/doc, %.1f MB UTF-8, seed %llu\n",
           ndocs, ntrad, ndocs - ntrad, (double)c.off[ndocs] / ndocs, (double)c.bytes / 1e6,
           (unsigned long long)seed);
    printf("alphabet: %u Han characters (%u traditional/simplified pairs from text_fold over U+4E00..U+9FFF, "
           "%u %s), weight 1/(rank+2); generated in %.1f s\n",
           c.nhan, c.npairs, c.nhan - c.npairs,
           c.gb2312 ? "GB2312 characters folding to themselves" : "self-folding characters with a reading",
           now() - t0);

    /* Indexing. */
    struct builder bl[2];
    struct build b[2];
    for (int w = 0; w < 2; w++)
        builder_open(&bl[w], w);
    for (uint32_t d = 0; d < ndocs; d += BATCH)
        for (int w = 0; w < 2; w++)
            builder_add(&bl[w], &c, d, ndocs - d < BATCH ? ndocs : d + BATCH);
    for (int w = 0; w < 2; w++) {
        builder_close(&bl[w]);
        b[w] = bl[w].b;
        printf("  built %-7s in %6.1f s (%.1f s CPU)\n", tokenizer_name[w], b[w].seconds, b[w].cpu);
    }
    double rate[2] = {ndocs / b[0].seconds, ndocs / b[1].seconds};
    printf("\nindexing (one transaction each, journal_mode=OFF, synchronous=OFF, content='';\n"
           "  built side by side in turns of %d documents, each timed on its own)\n", BATCH);
    printf("  %-30s %12s %12s %10s\n", "", "jilian", "trigram", "ratio");
    printf("  %-30s %12.0f %12.0f %9.2fx  (target >= 1.0x: %s)\n", "documents/s", rate[0], rate[1],
           rate[0] / rate[1], mark(rate[0] >= rate[1]));
    printf("  %-30s %12.1f %12.1f %9.2fx  (target <= 0.8x: %s)\n", "index size, MB", b[0].bytes / 1e6,
           b[1].bytes / 1e6, (double)b[0].bytes / (double)b[1].bytes,
           mark((double)b[0].bytes <= 0.8 * (double)b[1].bytes));
    double crate[2] = {ndocs / b[0].cpu, ndocs / b[1].cpu};
    printf("  %-30s %12.0f %12.0f %9.2fx\n", "documents/CPU-second",
           crate[0], crate[1], crate[0] / crate[1]);
    printf("  %-30s %12.1f\n", "jilian tokens/document", (double)b[0].tokens / ndocs);

    /* Latency. */
    uint64_t rng = seed ^ 0x7175657269657321ull;
    struct cut *qs = xmalloc((nq ? nq : 1) * sizeof *qs);
    uint32_t bylen[5] = {0};
    for (uint32_t i = 0; i < nq; i++) {
        qs[i] = pick(&c, &rng, 2 + rng_below(&rng, 3), false);
        bylen[qs[i].len]++;
    }
    struct latency lat[2], bm[2], cnt[2], nostar, unranked;
    for (int w = 0; w < 2; w++) {
        lat[w] = run_queries(&c, qs, nq, w, SQL_RANKED, w == 0, w == 0, false);
        bm[w] = run_queries(&c, qs, nq, w, SQL_BM25, w == 0, w == 0, false);
        cnt[w] = run_queries(&c, qs, nq, w, SQL_COUNT, w == 0, true, true);
    }
    nostar = run_queries(&c, qs, nq, 0, SQL_RANKED, false, true, false);
    unranked = run_queries(&c, qs, nq, 0, SQL_UNRANKED, true, true, false);
    uint32_t tri_two = 0; /* 2-character queries trigram's MATCH found something for */
    for (uint32_t i = 0; i < nq; i++)
        tri_two += qs[i].len == 2 && cnt[1].val[i] > 0;
    struct pctl all0 = pctl_of(lat[0].ms, qs, nq, 2, 4), all1 = pctl_of(lat[1].ms, qs, nq, 2, 4);
    struct pctl m0 = pctl_of(cnt[0].val, qs, nq, 2, 4), m1 = pctl_of(cnt[1].val, qs, nq, 3, 4);
    struct pctl m34 = pctl_of(cnt[0].val, qs, nq, 3, 4), m2 = pctl_of(cnt[0].val, qs, nq, 2, 2);
    struct pctl ns = pctl_of(nostar.ms, qs, nq, 2, 4), ur = pctl_of(unranked.ms, qs, nq, 2, 4);
    struct pctl cn = pctl_of(cnt[0].ms, qs, nq, 2, 4);
    printf("\nqueries: %u of 2..4 characters from random documents (%u / %u / %u of 2 / 3 / 4), top 10\n",
           nq, bylen[2], bylen[3], bylen[4]);
    printf("  jilian: \"<text>\"*   trigram: \"<text>\"   (a fresh connection each, default cache)\n");
    printf("  %-30s %12s %12s\n", "", "jilian", "trigram");
    printf("  %-30s %12u %12u\n", "answered", all0.n - lat[0].empty, all1.n - lat[1].empty);
    printf("  %-30s %12u %12u  (trigram: the 2-character queries; MATCH found rows for %u)\n", "not answerable", 0u,
           bylen[2], tri_two);
    printf("  %-30s %12u %12u\n", "run, no row returned", lat[0].empty, lat[1].empty);
    printf("  ORDER BY jl_rank(d) LIMIT 10 (the search API's ranking: bm25 without the document length)\n");
    printf("  %-30s %12.3f %12.3f  (jilian target <= 1 ms: %s)\n", "p50 ms, all answerable", all0.p50, all1.p50,
           mark(all0.p50 <= 1.0));
    printf("  %-30s %12.3f %12.3f  (jilian target <= 10 ms: %s)\n", "p99 ms, all answerable", all0.p99, all1.p99,
           mark(all0.p99 <= 10.0));
    const struct latency *groups[2] = {lat, bm};
    for (int g = 0; g < 2; g++) {
        const struct latency *l = groups[g];
        struct pctl a0 = pctl_of(l[0].ms, qs, nq, 2, 4), a1 = pctl_of(l[1].ms, qs, nq, 2, 4);
        struct pctl l34 = pctl_of(l[0].ms, qs, nq, 3, 4), two = pctl_of(l[0].ms, qs, nq, 2, 2);
        if (g == 1) {
            printf("  ORDER BY rank LIMIT 10 (FTS5's bm25)\n");
            printf("  %-30s %12.3f %12.3f\n", "p50 ms, all answerable", a0.p50, a1.p50);
            printf("  %-30s %12.3f %12.3f\n", "p99 ms, all answerable", a0.p99, a1.p99);
        }
        printf("  %-30s %12.3f %12.3f\n", "max ms, all answerable", a0.max, a1.max);
        printf("  %-30s %12.3f %12.3f\n", "p50 ms, 3-4 characters", l34.p50, a1.p50);
        printf("  %-30s %12.3f %12.3f\n", "p99 ms, 3-4 characters", l34.p99, a1.p99);
        printf("  %-30s %12.3f %12s\n", "p50 ms, 2 characters", two.p50, "-");
        printf("  %-30s %12.3f %12s\n", "p99 ms, 2 characters", two.p99, "-");
    }
    printf("  %-30s %12.0f %12.0f\n", "matching docs p50, 3-4 chars", m34.p50, m1.p50);
    printf("  %-30s %12.0f %12.0f\n", "matching docs p99, 3-4 chars", m34.p99, m1.p99);
    printf("  %-30s %12.0f %12s\n", "matching docs p50, 2 chars", m2.p50, "-");
    printf("  %-30s %12.0f %12s\n", "matching docs p99, 2 chars", m2.p99, "-");
    printf("  %-30s %12.0f %12.0f\n", "matching docs max", m0.max, m1.max);
    printf("  jilian, the same queries otherwise (ms, p50 / p99 / max):\n");
    printf("    %-50s %7.3f / %7.3f / %7.3f\n", "\"<text>\" (no *), ORDER BY jl_rank(d) LIMIT 10", ns.p50, ns.p99,
           ns.max);
    printf("    %-50s %7.3f / %7.3f / %7.3f\n", "\"<text>\"*, ORDER BY rowid DESC LIMIT 10", ur.p50, ur.p99, ur.max);
    printf("    %-50s %7.3f / %7.3f / %7.3f\n", "\"<text>\"*, count(*)", cn.p50, cn.p99, cn.max);

    /* Cross-script recall. */
    struct cut *rq = xmalloc((nrecall ? nrecall : 1) * sizeof *rq);
    for (uint32_t i = 0; i < nrecall; i++)
        rq[i] = pick(&c, &rng, 3 + rng_below(&rng, 2), true);
    struct docset *expected = xmalloc((nrecall ? nrecall : 1) * sizeof *expected);
    memset(expected, 0, (nrecall ? nrecall : 1) * sizeof *expected);
    double te = now();
    expected_sets(&c, rq, nrecall, expected);
    te = now() - te;
    struct recall rc[2];
    for (int w = 0; w < 2; w++)
        rc[w] = run_recall(&c, rq, nrecall, expected, w);
    printf("\ncross-script recall: %u queries of 3..4 characters (each with a character whose forms differ),\n"
           "  typed in the other script; expected: documents containing the folded text (corpus scan %.1f s)\n",
           nrecall, te);
    printf("  %-30s %12s %12s\n", "", "jilian", "trigram");
    printf("  %-30s %12llu %12llu\n", "expected documents", (unsigned long long)rc[0].expected,
           (unsigned long long)rc[1].expected);
    printf("  %-30s %12llu %12llu\n", "found of them", (unsigned long long)rc[0].found_expected,
           (unsigned long long)rc[1].found_expected);
    printf("  %-30s %12llu %12llu\n", "found, not expected", (unsigned long long)rc[0].found_other,
           (unsigned long long)rc[1].found_other);
    double r0 = rc[0].expected ? 100.0 * rc[0].found_expected / rc[0].expected : 100.0;
    double r1 = rc[1].expected ? 100.0 * rc[1].found_expected / rc[1].expected : 100.0;
    printf("  %-30s %11.2f%% %11.2f%%  (jilian target 100%%: %s)\n", "recall", r0, r1,
           mark(rc[0].found_expected == rc[0].expected));
    printf("  %-30s %12u %12u\n", "queries fully recalled", rc[0].complete, rc[1].complete);
    printf("  %-30s %12.2f %12.2f\n", "seconds for all", rc[0].seconds, rc[1].seconds);
    printf("\ntotal %.1f s\n", now() - t0);

    for (uint32_t i = 0; i < nrecall; i++)
        free(expected[i].id);
    free(expected);
    free(rq);
    free(qs);
    for (int w = 0; w < 2; w++) {
        latency_free(&lat[w]);
        latency_free(&bm[w]);
        latency_free(&cnt[w]);
    }
    latency_free(&nostar);
    latency_free(&unranked);
    corpus_free(&c);
    return 0;
}
