/*
 * instance.h - a matching instance (match.h) read from two CSV texts:
 * the students' choices and the positions' seats and rankings.  Pure: it
 * reads memory buffers, not files.
 *
 * Students (UTF-8, RFC 4180; an optional BOM is skipped):
 *
 *   student,choices
 *   Wang Fang,Lathe shop;Design office
 *
 *   choices: position names separated by ';', most wanted first; empty
 *   for none.  Any number of choices (no limit of 20 here).
 *
 * Positions:
 *
 *   position,seats,ranking
 *   Lathe shop,2,Li Lei;Wang Fang
 *
 *   seats: a whole number of at least 1; ranking: the student names the
 *   position accepts, ';'-separated, most wanted first.  A student not in
 *   it is not acceptable there.
 *
 * Fields may be quoted ("a, b" or "say ""hi"""), and a quoted field may
 * span lines.  Names and list items are trimmed of spaces, tabs and line
 * breaks at both ends and compared byte for byte; they cannot be empty,
 * contain ';' (in lists), or hold control characters.  Header names are compared without
 * case.  Blank lines are skipped.  Rows are numbered as a spreadsheet
 * shows them: the header is row 1, every record (blank ones too) one row,
 * even when a quoted field spans several lines of text.
 *
 * Students and positions are numbered in file order (row order).  The
 * first problem found is reported, reading the students file (its syntax,
 * header and names), then the positions file row by row, then the
 * students' choices row by row.
 */
#ifndef JL_LIB_MATCH_INSTANCE_H
#define JL_LIB_MATCH_INSTANCE_H

#include "lib/match/match.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum match_file {
    MATCH_FILE_STUDENTS,
    MATCH_FILE_POSITIONS,
};

struct match_csv_error {
    enum match_file file;
    uint32_t line;     /* 1-based row (the header is row 1) */
    char message[400]; /* English, quoting the value in question */
};

struct match_names; /* a name table (instance.c) */

struct match_instance {
    struct match_input in; /* points into the arrays below */
    uint32_t *s_off, *s_choice, *cap, *p_off, *p_rank;
    struct match_names *students, *positions;
    uint32_t most_choices; /* the longest student list */
};

/* Reads the two CSV texts (students[0..slen), positions[0..plen); NULL
 * with length 0 is an empty text) into
 * *out, which then passes match_validate(); free it with
 * match_instance_free().  On bad input returns false, fills *err and
 * leaves *out empty (free is still allowed). */
bool match_instance_parse(const char *students, size_t slen, const char *positions, size_t plen,
                          struct match_instance *out, struct match_csv_error *err);
void match_instance_free(struct match_instance *m);

/* The name of student s / position p (NUL-terminated, as trimmed). */
const char *match_instance_student(const struct match_instance *m, uint32_t s);
const char *match_instance_position(const struct match_instance *m, uint32_t p);

#endif
