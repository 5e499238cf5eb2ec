/*
 * cmd_match.c - `jilian match --students S.csv --positions P.csv --out R.csv
 * [--explain E.csv]`: the stable matching of two CSV files, without the
 * database or the data folder (docs/matching.md).
 *
 * Reads both files whole, builds the instance (lib/match/instance.h), runs
 * the engine, proves the result with match_check() and only then writes
 * R: the header "student,position" and one row per student in the order
 * of S, the position empty for a student left unplaced (LF line ends,
 * no BOM, fields quoted only when they must be).  E, when asked for, has
 * one row per choice a student ranked above her result:
 * student,place,position,reason,seats,rank,cutoff (place, rank and cutoff
 * 1-based; rank and cutoff empty when there is none).
 *
 * Exit codes: 0 done, 1 a file cannot be read or written, 2 usage, 3 bad
 * data (the message names the file, the row and the value).
 */
#include "cli/cli.h"
#include "lib/match/instance.h"
#include "lib/match/match.h"
#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Input files are read whole, up to this size. */
#define MATCH_FILE_MAX ((size_t)2 << 30)

static const char *const match_opts[] = {"--students", "--positions", "--out", "--explain"};

/* True when every argument is one of match_opts with its value. */
static bool args_known(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        size_t n = strcspn(argv[i], "=");
        bool known = false;
        for (size_t k = 0; k < sizeof(match_opts) / sizeof(match_opts[0]); k++)
            known =
                known || (strlen(match_opts[k]) == n && strncmp(argv[i], match_opts[k], n) == 0);
        if (!known) {
            fprintf(stderr, "jilian match: unknown argument %s\n", argv[i]);
            return false;
        }
        if (argv[i][n] == '\0')
            i++;
    }
    return true;
}

/* Writes s as one CSV field, quoted when it holds a comma, a quote, a
 * line break or leading or trailing space. */
static void put_field(FILE *f, const char *s)
{
    size_t n = strlen(s);
    bool quote = strpbrk(s, ",\"\r\n") != NULL ||
                 (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'));
    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* Closes f; false (with a message) when anything failed to be written. */
static bool close_out(FILE *f, const char *path)
{
    bool ok = !ferror(f);
    ok = fclose(f) == 0 && ok;
    if (!ok)
        fprintf(stderr, "jilian match: cannot write %s\n", path);
    return ok;
}

static bool write_result(const char *path, const struct match_instance *m,
                         const struct match_result *r)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        fprintf(stderr, "jilian match: cannot write %s\n", path);
        return false;
    }
    fputs("student,position\n", f);
    for (uint32_t s = 0; s < m->in.n_students; s++) {
        put_field(f, match_instance_student(m, s));
        fputc(',', f);
        if (r->assigned[s] != MATCH_NONE)
            put_field(f, match_instance_position(m, r->assigned[s]));
        fputc('\n', f);
    }
    return close_out(f, path);
}

/* A 0-based rank as 1-based text, or "" for MATCH_NONE. */
static const char *ordinal(char *buf, size_t cap, uint32_t v)
{
    if (v == MATCH_NONE)
        return "";
    snprintf(buf, cap, "%llu", (unsigned long long)v + 1);
    return buf;
}

static bool write_explain(const char *path, const struct match_instance *m,
                          const struct match_result *r)
{
    static const char *const reasons[] = {
        [MATCH_WHY_NOT_ACCEPTED] = "not_accepted",
        [MATCH_WHY_NO_SEATS] = "no_seats",
        [MATCH_WHY_FULL] = "full",
    };
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        fprintf(stderr, "jilian match: cannot write %s\n", path);
        return false;
    }
    struct match_why *why = malloc(((size_t)m->most_choices + 1) * sizeof(*why));
    if (why == NULL) {
        fclose(f);
        fprintf(stderr, "jilian match: out of memory\n");
        return false;
    }
    fputs("student,place,position,reason,seats,rank,cutoff\n", f);
    for (uint32_t s = 0; s < m->in.n_students; s++) {
        size_t n = match_explain(&m->in, r, s, why, (size_t)m->most_choices + 1);
        for (size_t i = 0; i < n; i++) {
            char rank[16], cut[16];
            put_field(f, match_instance_student(m, s));
            fprintf(f, ",%u,", why[i].place + 1);
            put_field(f, match_instance_position(m, why[i].position));
            fprintf(f, ",%s,%u,%s,%s\n", reasons[why[i].reason], why[i].seats,
                    ordinal(rank, sizeof(rank), why[i].rank),
                    ordinal(cut, sizeof(cut), why[i].cutoff));
        }
    }
    free(why);
    return close_out(f, path);
}

static void progress(void *arg, uint64_t done, uint64_t total)
{
    cli_progress(arg, (int64_t)done, (int64_t)total);
}

/* Prints the one-line summary. */
static void summary(const struct match_instance *m, const struct match_result *r)
{
    uint64_t placed = 0, first = 0, seats = 0;
    for (uint32_t s = 0; s < m->in.n_students; s++) {
        placed += r->assigned[s] != MATCH_NONE;
        first += r->place[s] == 0;
    }
    for (uint32_t p = 0; p < m->in.n_positions; p++)
        seats += m->in.cap[p];
    printf("students %u, placed %llu, first choice %llu, positions %u, seats %llu; stable: "
           "verified\n",
           m->in.n_students, (unsigned long long)placed, (unsigned long long)first,
           m->in.n_positions, (unsigned long long)seats);
}

/* Reads and parses both files; returns an exit code (EXIT_OK: *m built). */
static int load(const char *spath, const char *ppath, struct match_instance *m)
{
    struct buf sb, pb;
    buf_init(&sb, MATCH_FILE_MAX);
    buf_init(&pb, MATCH_FILE_MAX);
    int rc = EXIT_OK;
    const char *bad = !cli_slurp(spath, &sb) ? spath : !cli_slurp(ppath, &pb) ? ppath : NULL;
    if (bad != NULL) {
        fprintf(stderr, "jilian match: cannot read %s (missing, unreadable or over 2 GiB)\n", bad);
        rc = EXIT_FAIL;
    }
    struct match_csv_error err;
    if (rc == EXIT_OK &&
        !match_instance_parse(buf_str(&sb), sb.len, buf_str(&pb), pb.len, m, &err)) {
        fprintf(stderr, "jilian match: %s file %s, line %u: %s\n",
                err.file == MATCH_FILE_STUDENTS ? "students" : "positions",
                err.file == MATCH_FILE_STUDENTS ? spath : ppath, err.line, err.message);
        rc = EXIT_DATA;
    }
    buf_cleanup(&sb);
    buf_cleanup(&pb);
    return rc;
}

int cmd_match(struct config *cfg, int argc, char **argv)
{
    (void)cfg;
    const char *spath = cli_opt(argc, argv, "--students"),
               *ppath = cli_opt(argc, argv, "--positions");
    const char *out = cli_opt(argc, argv, "--out"), *explain = cli_opt(argc, argv, "--explain");
    if (!args_known(argc, argv) || spath == NULL || ppath == NULL || out == NULL ||
        (cli_flag(argc, argv, "--explain") && explain == NULL)) {
        cli_usage("match");
        return EXIT_USAGE;
    }
    struct match_instance m;
    int rc = load(spath, ppath, &m);
    if (rc != EXIT_OK)
        return rc;
    struct match_problem why;
    if (!match_validate(&m.in, &why)) { /* the parser never builds one */
        fprintf(stderr, "jilian match: internal error: invalid instance (fault %d)\n", why.fault);
        match_instance_free(&m);
        return EXIT_FAIL;
    }
    struct match_result r;
    match_run(&m.in, &r, progress, NULL);
    struct match_blocking bp;
    if (!match_check(&m.in, &r, &bp)) {
        fprintf(stderr,
                "jilian match: internal error: the result is not stable; nothing written\n");
        rc = EXIT_FAIL;
    } else if (!write_result(out, &m, &r) || (explain != NULL && !write_explain(explain, &m, &r))) {
        rc = EXIT_FAIL;
    } else {
        summary(&m, &r);
    }
    match_result_free(&r);
    match_instance_free(&m);
    return rc;
}
