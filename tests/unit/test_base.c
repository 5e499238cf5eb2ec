/* test_base.c - unit tests of src/base: buffers, arenas, UTF-8, numbers,
 * log escaping, error names, configuration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/config.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_buf_bounded(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 10);
    assert_string_equal(buf_str(&b), "");
    assert_true(buf_puts(&b, "hello"));
    assert_true(buf_printf(&b, "%d", 1234));
    assert_int_equal(b.len, 9);
    assert_true(buf_putc(&b, 'x'));
    assert_false(buf_putc(&b, 'y')); /* 11 > max */
    assert_false(buf_printf(&b, "%s", "z"));
    assert_string_equal(buf_str(&b), "hello1234x");
    buf_reset(&b);
    assert_string_equal(buf_str(&b), "");
    size_t n;
    buf_puts(&b, "abc");
    char *s = buf_steal(&b, &n);
    assert_int_equal(n, 3);
    assert_string_equal(s, "abc");
    assert_null(b.data);
    free(s);
    buf_cleanup(&b);
}

static void test_arena(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    char *p = arena_strdup(&a, "技联");
    assert_string_equal(p, "技联");
    char *big = arena_alloc(&a, 100000); /* larger than a chunk */
    memset(big, 1, 100000);
    char *q = arena_printf(&a, "%s-%d", "unit", 42);
    assert_string_equal(q, "unit-42");
    for (int i = 0; i < 1000; i++) {
        long *x = arena_alloc(&a, sizeof(long));
        assert_true(((uintptr_t)x % _Alignof(max_align_t)) == 0);
        *x = i;
    }
    char *z = arena_zalloc(&a, 64);
    for (int i = 0; i < 64; i++)
        assert_int_equal(z[i], 0);
    assert_string_equal(p, "技联"); /* earlier data intact */
    arena_cleanup(&a);
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(utf8_valid("", 0));
    assert_true(utf8_valid("abc", 3));
    assert_true(utf8_valid("技工教育联盟", strlen("技工教育联盟")));
    assert_true(utf8_valid("\xf0\x9f\x98\x80", 4));  /* U+1F600 */
    assert_false(utf8_valid("\xc0\xaf", 2));         /* overlong */
    assert_false(utf8_valid("\xe0\x80\xaf", 3));     /* overlong */
    assert_false(utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    assert_false(utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
    assert_false(utf8_valid("\xe6\x8a", 2));         /* truncated */
    assert_false(utf8_valid("\xff", 1));
    assert_false(utf8_valid("a\x80", 2));
    assert_int_equal(utf8_length("技联ab", strlen("技联ab")), 4);
}

static void test_numbers(void **state)
{
    (void)state;
    int64_t v;
    assert_true(str_to_i64("42", 2, 0, 100, &v));
    assert_int_equal(v, 42);
    assert_true(str_to_i64("-5", 2, -10, 10, &v));
    assert_int_equal(v, -5);
    assert_false(str_to_i64("101", 3, 0, 100, &v));
    assert_false(str_to_i64("", 0, 0, 100, &v));
    assert_false(str_to_i64("-", 1, -10, 100, &v));
    assert_false(str_to_i64("1a", 2, 0, 100, &v));
    assert_false(str_to_i64("99999999999999999999", 20, INT64_MIN, INT64_MAX, &v));
    assert_true(str_to_i64("9223372036854775807", 19, 0, INT64_MAX, &v));
    assert_int_equal(v, INT64_MAX);
    assert_true(str_to_i64("-9223372036854775808", 20, INT64_MIN, 0, &v));
    assert_true(v == INT64_MIN);
    assert_false(str_to_i64("9223372036854775808", 19, 0, INT64_MAX, &v));
}

static void test_dates(void **state)
{
    (void)state;
    assert_true(str_date_valid("2026-11-29"));
    assert_true(str_date_valid("2024-02-29"));  /* leap */
    assert_true(str_date_valid("2000-02-29"));  /* leap century */
    assert_false(str_date_valid("1900-02-29")); /* not leap */
    assert_false(str_date_valid("2023-02-29"));
    assert_false(str_date_valid("2023-02-31"));
    assert_false(str_date_valid("2023-04-31"));
    assert_false(str_date_valid("2024-13-45"));
    assert_false(str_date_valid("abcd-ef-gh")); /* found by fuzz_csv_units */
    assert_false(str_date_valid("2024-00-10"));
    assert_false(str_date_valid("2024-01-00"));
    assert_false(str_date_valid("2024-1-1"));
    assert_false(str_date_valid(""));
    assert_false(str_date_valid("1899-12-31"));
}

static void test_log_escape(void **state)
{
    (void)state;
    char out[64];
    log_escape("a\r\nb\"\\", 6, out, sizeof(out));
    assert_string_equal(out, "a\\x0d\\x0ab\\x22\\x5c");
    log_escape("abcdef", 6, out, 4);
    assert_string_equal(out, "abc");
    log_escape("\n\n", 2, out, 6); /* an escape that does not fit is dropped */
    assert_string_equal(out, "\\x0a");
    assert_false(str_has_control("a\tb\n", 4));
    assert_true(str_has_control("a\x01", 2));
    assert_true(str_ieq("Gzip", 4, "gzip"));
    assert_false(str_ieq("gzi", 3, "gzip"));
}

static void test_err_names(void **state)
{
    (void)state;
    for (int e = 0; e < ERR_COUNT_; e++)
        assert_non_null(err_name((enum err)e));
    assert_string_equal(err_name(ERR_NOT_FOUND), "not_found");
    assert_string_equal(err_name((enum err)999), "internal");
}

static void test_config(void **state)
{
    (void)state;
    char dir[] = "/tmp/jilian-cfg-XXXXXX";
    assert_non_null(mkdtemp(dir));
    struct config c;
    config_defaults(&c, dir);
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_int_equal(c.idle_timeout_s, 1800);
    assert_true(config_set(&c, "threads", "4"));
    assert_int_equal(c.threads, 4);
    assert_false(config_set(&c, "threads", "-1"));
    assert_false(config_set(&c, "threads", "x"));
    assert_false(config_set(&c, "nonsense", "1"));
    char path[128], err[128];
    snprintf(path, sizeof(path), "%s/jilian.ini", dir);
    FILE *f = fopen(path, "w");
    fputs("[server]\nlisten = 0.0.0.0:9000\nworkers = 3\n", f);
    fclose(f);
    assert_true(config_load(&c, err, sizeof(err)));
    assert_string_equal(c.listen, "0.0.0.0:9000");
    assert_int_equal(c.workers, 3);
    f = fopen(path, "w");
    fputs("listen = 1.2.3.4:1\nbogus = 1\n", f);
    fclose(f);
    assert_false(config_load(&c, err, sizeof(err)));
    assert_non_null(strstr(err, "bogus"));
    unlink(path);
    setenv("JILIAN_IDLE_TIMEOUT_S", "5", 1);
    assert_true(config_load(&c, err, sizeof(err)));
    assert_int_equal(c.idle_timeout_s, 5);
    setenv("JILIAN_IDLE_TIMEOUT_S", "zero", 1);
    assert_false(config_load(&c, err, sizeof(err)));
    unsetenv("JILIAN_IDLE_TIMEOUT_S");
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_bounded), cmocka_unit_test(test_arena),
        cmocka_unit_test(test_utf8),        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_log_escape),  cmocka_unit_test(test_err_names),
        cmocka_unit_test(test_dates),       cmocka_unit_test(test_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
