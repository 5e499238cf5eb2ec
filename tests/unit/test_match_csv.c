/* test_match_csv.c - unit tests of src/lib/match/instance.h: the two CSV
 * files read into an instance (quoting, BOM, line ends, blank lines, row
 * numbers), and every kind of bad input with its file, row and message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/match/instance.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool parse(const char *s, const char *p, struct match_instance *m,
                  struct match_csv_error *err)
{
    return match_instance_parse(s, strlen(s), p, strlen(p), m, err);
}

/* Parses and expects an error in file at line whose message holds want. */
static void expect_error(const char *s, const char *p, enum match_file file, uint32_t line,
                         const char *want)
{
    struct match_instance m;
    struct match_csv_error err;
    bool ok = parse(s, p, &m, &err);
    if (ok || err.file != file || err.line != line || strstr(err.message, want) == NULL)
        fail_msg("wanted %s line %u: %s; got %s line %u: %s", file ? "positions" : "students", line,
                 want, err.file ? "positions" : "students", err.line,
                 ok ? "(no error)" : err.message);
    match_instance_free(&m);
}

static const char *const S_OK = "student,choices\n张三,A;B\nLi,B\n";
static const char *const P_OK = "position,seats,ranking\nA,1,Li;张三\nB,2,张三\n";
static const char *const P_ANY = "position,seats,ranking\nA,1,\nB,2,\n"; /* ranks nobody */

static void test_reads(void **state)
{
    (void)state;
    /* BOM, CRLF, quoted names with commas and quotes, a list spanning two
     * lines inside quotes, spaces around items, blank lines. */
    const char *s = "\xef\xbb\xbfStudent , Choices\r\n"
                    "\"Wang, Fang\",\" 车工 ; \"\"Q\"\" shop\"\r\n"
                    "\r\n"
                    "李雷,\"车工;\n设计\"\r\n"
                    "Nobody,\r\n";
    const char *p = "position,seats,ranking\n"
                    "车工,2,\"李雷;Wang, Fang\"\n"
                    "\"\"\"Q\"\" shop\",1,\n"
                    "设计,007,Wang, Fang\n";
    struct match_instance m;
    struct match_csv_error err;
    /* "Wang, Fang" unquoted in the last ranking: 4 columns. */
    assert_false(parse(s, p, &m, &err));
    assert_int_equal(err.file, MATCH_FILE_POSITIONS);
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.message, "expected 3 columns, found 4"));
    match_instance_free(&m);

    p = "position,seats,ranking\n"
        "车工,2,\"李雷;Wang, Fang\"\n"
        "\"\"\"Q\"\" shop\",1,\n"
        "设计,007,\"Wang, Fang\"\n";
    assert_true(parse(s, p, &m, &err));
    assert_int_equal(m.in.n_students, 3);
    assert_int_equal(m.in.n_positions, 3);
    assert_string_equal(match_instance_student(&m, 0), "Wang, Fang");
    assert_string_equal(match_instance_student(&m, 1), "李雷");
    assert_string_equal(match_instance_student(&m, 2), "Nobody");
    assert_string_equal(match_instance_position(&m, 1), "\"Q\" shop");
    assert_int_equal(m.in.cap[2], 7);
    static const uint32_t s_off[] = {0, 2, 4, 4}, s_choice[] = {0, 1, 0, 2};
    static const uint32_t p_off[] = {0, 2, 2, 3}, p_rank[] = {1, 0, 0};
    assert_memory_equal(m.in.s_off, s_off, sizeof(s_off));
    assert_memory_equal(m.in.s_choice, s_choice, sizeof(s_choice));
    assert_memory_equal(m.in.p_off, p_off, sizeof(p_off));
    assert_memory_equal(m.in.p_rank, p_rank, sizeof(p_rank));
    assert_int_equal(m.most_choices, 2);
    struct match_problem why;
    assert_true(match_validate(&m.in, &why));
    match_instance_free(&m);
    match_instance_free(&m); /* twice is fine */
}

static void test_reads_limits(void **state)
{
    (void)state;
    struct match_instance m;
    struct match_csv_error err;
    /* More than 20 choices is fine here. */
    char big[4096] = "student,choices\nx,", pos[4096] = "position,seats,ranking\n";
    for (int i = 0; i < 30; i++) {
        char item[32];
        snprintf(item, sizeof(item), "%sp%d", i ? ";" : "", i);
        strcat(big, item);
        snprintf(item, sizeof(item), "p%d,1,x\n", i);
        strcat(pos, item);
    }
    assert_true(parse(big, pos, &m, &err));
    assert_int_equal(m.most_choices, 30);
    match_instance_free(&m);
    /* No rows at all: an empty instance. */
    assert_true(parse("student,choices\n", "position,seats,ranking", &m, &err));
    assert_int_equal(m.in.n_students, 0);
    assert_int_equal(m.in.n_positions, 0);
    match_instance_free(&m);
}

static void test_header_errors(void **state)
{
    (void)state;
    expect_error("", P_OK, MATCH_FILE_STUDENTS, 1, "the file is empty");
    expect_error("name,choices\nx,\n", P_OK, MATCH_FILE_STUDENTS, 1,
                 "the header must be \"student,choices\", not \"name,choices\"");
    expect_error("student\nx\n", P_OK, MATCH_FILE_STUDENTS, 1, "the header must be");
    expect_error(S_OK, "position,ranking,seats\n", MATCH_FILE_POSITIONS, 1,
                 "the header must be \"position,seats,ranking\"");
    expect_error(S_OK, "", MATCH_FILE_POSITIONS, 1, "the file is empty");
}

static void test_student_errors(void **state)
{
    (void)state;
    expect_error("student,choices\nA,\n\nB,\nA,\n", P_ANY, MATCH_FILE_STUDENTS, 5,
                 "student \"A\" is listed twice (first on line 2)");
    expect_error("student,choices\n  ,A\n", P_ANY, MATCH_FILE_STUDENTS, 2, "empty student name");
    expect_error("student,choices\nx,A;B;A\n", P_ANY, MATCH_FILE_STUDENTS, 2,
                 "student \"x\" chooses \"A\" twice");
    expect_error("student,choices\nx,A\ny,B;C\n", P_ANY, MATCH_FILE_STUDENTS, 3,
                 "student \"y\" chooses \"C\", which is not a position in the positions file");
    expect_error("student,choices\nx,A;;B\n", P_ANY, MATCH_FILE_STUDENTS, 2,
                 "empty position name in the choices of \"x\" (item 2)");
    expect_error("student,choices\nx,A;\n", P_ANY, MATCH_FILE_STUDENTS, 2, "(item 2)");
    expect_error("student,choices\nx,A,B\n", P_ANY, MATCH_FILE_STUDENTS, 2,
                 "expected 2 columns, found 3");
    expect_error("student,choices\n\"a\nb\",A\n", P_ANY, MATCH_FILE_STUDENTS, 2,
                 "control character");
    expect_error("student,choices\nx,\"A\n", P_ANY, MATCH_FILE_STUDENTS, 2,
                 "a quoted field is not closed");
    expect_error("student,choices\nx,\"A\"B\n", P_ANY, MATCH_FILE_STUDENTS, 2,
                 "text follows a closing quote");
    expect_error("student,choices\nx,A\"B\n", P_ANY, MATCH_FILE_STUDENTS, 2,
                 "a quote inside an unquoted field");
    expect_error("student,choices\nx\xff,A\n", P_ANY, MATCH_FILE_STUDENTS, 2, "not valid UTF-8");
    /* A quoted field over three lines is one row: the next is row 3. */
    expect_error("student,choices\n\"x\",\"A;\n\nB\"\nx,A\n", P_ANY, MATCH_FILE_STUDENTS, 3,
                 "listed twice (first on line 2)");
}

static void test_position_errors(void **state)
{
    (void)state;
    expect_error(S_OK, "position,seats,ranking\nA,1,\nB,1,\nA,2,\n", MATCH_FILE_POSITIONS, 4,
                 "position \"A\" is listed twice (first on line 2)");
    expect_error(S_OK, "position,seats,ranking\nA,0,Li\n", MATCH_FILE_POSITIONS, 2,
                 "the seats of position \"A\" must be a whole number of at least 1, not \"0\"");
    expect_error(S_OK, "position,seats,ranking\nA,-1,Li\n", MATCH_FILE_POSITIONS, 2, "not \"-1\"");
    expect_error(S_OK, "position,seats,ranking\nA,2.5,Li\n", MATCH_FILE_POSITIONS, 2,
                 "not \"2.5\"");
    expect_error(S_OK, "position,seats,ranking\nA,,Li\n", MATCH_FILE_POSITIONS, 2, "not \"\"");
    expect_error(S_OK, "position,seats,ranking\nA,99999999999,Li\n", MATCH_FILE_POSITIONS, 2,
                 "whole number");
    expect_error(S_OK, "position,seats,ranking\nA,1,Li;Zhao\n", MATCH_FILE_POSITIONS, 2,
                 "position \"A\" ranks \"Zhao\", who is not a student in the students file");
    expect_error(S_OK, "position,seats,ranking\nA,1,Li;张三; Li \n", MATCH_FILE_POSITIONS, 2,
                 "position \"A\" ranks \"Li\" twice");
    expect_error(S_OK, "position,seats,ranking\n,1,Li\n", MATCH_FILE_POSITIONS, 2,
                 "empty position name");
    expect_error(S_OK, "position,seats,ranking\nA,1\n", MATCH_FILE_POSITIONS, 2,
                 "expected 3 columns, found 2");
    /* A long value is cut in the message, on a character boundary. */
    char p[600] = "position,seats,ranking\nA,1,";
    for (int i = 0; i < 60; i++)
        strcat(p, "汉");
    struct match_instance m;
    struct match_csv_error err;
    assert_false(parse(S_OK, p, &m, &err));
    assert_non_null(strstr(err.message, "...\", who is not a student"));
    assert_true(strlen(err.message) < 200);
}

/* The students file's own problems come first, then the positions file,
 * then the choices. */
static void test_error_order(void **state)
{
    (void)state;
    expect_error("student,choices\nx,NOPE\nx,\n", "position,seats,ranking\nA,0,\n",
                 MATCH_FILE_STUDENTS, 3, "listed twice");
    expect_error("student,choices\nx,NOPE\n", "position,seats,ranking\nA,0,\n",
                 MATCH_FILE_POSITIONS, 2, "at least 1");
    expect_error("student,choices\nx,NOPE\n", "position,seats,ranking\nA,1,\n", MATCH_FILE_STUDENTS,
                 2, "\"NOPE\", which is not a position");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads),           cmocka_unit_test(test_reads_limits),
        cmocka_unit_test(test_header_errors),   cmocka_unit_test(test_student_errors),
        cmocka_unit_test(test_position_errors), cmocka_unit_test(test_error_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
