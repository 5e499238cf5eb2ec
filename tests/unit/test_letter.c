/*
 * test_letter.c - cmocka unit tests for src/modules/governance/letter.c:
 * appointment letters (聘书) rendered to PDF in memory.
 *
 * Each PDF is checked for its header and trailer, then written to a
 * temporary file and read back with poppler's `pdftotext -layout`; the
 * extracted text (with all whitespace removed, so a line break inside a
 * phrase does not matter) must hold the fields of the letter.  The text
 * checks are skipped when pdftotext is not on PATH.  Invalid letters must
 * be refused, and twenty letters in a row each hold their own holder.
 *
 * A successful render runs in a forked child, as the server runs it in a
 * child process (`jilian letter --render`): Debian's cairo 1.16 leaks a
 * little per CJK font it embeds, which must not fail this test's leak
 * check under the sanitizers. Refusals happen before any cairo call and
 * are checked in this process, leak checks included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "modules/governance/letter.h"

#define ROUNDS 20

/* The letter of the example in the specification. */
static struct letter sample(void)
{
    struct letter l = {
        .alliance = "京津冀及周边技工教育联盟",
        .holder = "冯明辉",
        .unit = "石家庄市技师学院",
        .body = "理事会",
        .position = "理事长",
        .term = 1,
        .starts_on = "2023-04-18",
        .ends_on = "2028-04-17",
        .issued_on = "2023-04-18",
        .verify_code = "JL-7QK4-9XM2",
        .verify_url = "https://jilian.example.org/verify?code=JL-7QK4-9XM2",
    };
    return l;
}

/* Is pdf[len] a complete PDF: "%PDF-" first, "%%EOF" last (a trailing
 * newline allowed)? */
static bool looks_like_pdf(const unsigned char *pdf, size_t len)
{
    if (pdf == NULL || len < 16 || memcmp(pdf, "%PDF-", 5) != 0)
        return false;
    while (len > 0 && (pdf[len - 1] == '\n' || pdf[len - 1] == '\r'))
        len--;
    return len >= 5 && memcmp(pdf + len - 5, "%%EOF", 5) == 0;
}

static bool have_pdftotext(void)
{
    return system("command -v pdftotext >/dev/null 2>&1") == 0;
}

/* Writes pdf to a temporary file, runs pdftotext -layout on it and returns
 * the text with all ASCII whitespace removed (heap, free()). */
static char *pdf_text(const unsigned char *pdf, size_t len)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof(path), "%s/test_letter_XXXXXX", dir != NULL && dir[0] ? dir : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf, len), (ssize_t)len);
    close(fd);

    char cmd[600];
    snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' -", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 4096, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    int c = fgetc(p);
    while (c != EOF) {
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
            if (n + 1 >= cap) {
                cap *= 2;
                out = realloc(out, cap);
                assert_non_null(out);
            }
            out[n++] = (char)c;
        }
        c = fgetc(p);
    }
    out[n] = '\0';
    assert_int_equal(pclose(p), 0);
    unlink(path);
    return out;
}

static bool read_all(int fd, void *p, size_t n)
{
    for (size_t got = 0; got < n;) {
        ssize_t r = read(fd, (char *)p + got, n - got);
        if (r <= 0)
            return false;
        got += (size_t)r;
    }
    return true;
}

/* letter_render in a forked child; the PDF comes back through a pipe. */
static bool render_isolated(const struct letter *l, unsigned char **pdf, size_t *len)
{
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fd[0]);
        unsigned char *out = NULL;
        size_t n = 0;
        unsigned char ok = letter_render(l, &out, &n);
        if (write(fd[1], &ok, 1) != 1 || write(fd[1], &n, sizeof(n)) != (ssize_t)sizeof(n))
            _exit(1);
        for (size_t sent = 0; sent < n;) {
            ssize_t w = write(fd[1], out + sent, n - sent);
            if (w <= 0)
                _exit(1);
            sent += (size_t)w;
        }
        _exit(0);
    }
    close(fd[1]);
    unsigned char ok = 0;
    *pdf = NULL;
    *len = 0;
    bool got = read_all(fd[0], &ok, 1) && read_all(fd[0], len, sizeof(*len));
    if (got && ok && *len > 0) {
        *pdf = malloc(*len);
        got = *pdf != NULL && read_all(fd[0], *pdf, *len);
    }
    close(fd[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return got && ok;
}

/* Renders l, asserting success and a well-formed PDF. */
static void render_ok(const struct letter *l, unsigned char **pdf, size_t *len)
{
    assert_true(render_isolated(l, pdf, len));
    assert_non_null(*pdf);
    assert_true(looks_like_pdf(*pdf, *len));
}

static void assert_has(const char *text, const char *needle)
{
    if (strstr(text, needle) == NULL)
        fail_msg("\"%s\" not in extracted text: %s", needle, text);
}

static void test_render_full(void **state)
{
    (void)state;
    struct letter l = sample();
    unsigned char *pdf;
    size_t len;
    render_ok(&l, &pdf, &len);
    if (!have_pdftotext()) {
        free(pdf);
        skip();
    }
    char *text = pdf_text(pdf, len);
    assert_has(text, "聘书");
    assert_has(text, "冯明辉");
    assert_has(text, "石家庄市技师学院");
    assert_has(text, "第一届理事会");
    assert_has(text, "理事长");
    assert_has(text, "2023年4月18日");
    assert_has(text, "2028年4月17日");
    assert_has(text, "京津冀及周边技工教育联盟");
    assert_has(text, "JL-7QK4-9XM2");
    assert_has(text, "扫码或访问联盟网站核验");
    free(text);
    free(pdf);
}

static void test_render_without_unit(void **state)
{
    (void)state;
    struct letter l = sample();
    l.unit = "";
    unsigned char *pdf;
    size_t len;
    render_ok(&l, &pdf, &len);
    if (!have_pdftotext()) {
        free(pdf);
        skip();
    }
    char *text = pdf_text(pdf, len);
    assert_has(text, "兹聘请冯明辉同志");
    assert_null(strstr(text, "石家庄市技师学院"));
    free(text);
    free(pdf);
}

static void test_render_without_url(void **state)
{
    (void)state;
    struct letter l = sample();
    l.verify_url = "";
    unsigned char *pdf;
    size_t len;
    render_ok(&l, &pdf, &len);
    if (!have_pdftotext()) {
        free(pdf);
        skip();
    }
    char *text = pdf_text(pdf, len);
    assert_has(text, "验证码：JL-7QK4-9XM2");
    free(text);
    free(pdf);
}

static void test_term_numerals(void **state)
{
    (void)state;
    static const struct {
        int term;
        const char *want;
    } cases[] = {
        {2, "第二届理事会"},    {10, "第十届理事会"},     {11, "第十一届理事会"},
        {20, "第二十届理事会"}, {21, "第二十一届理事会"}, {99, "第九十九届理事会"},
    };
    bool text_checks = have_pdftotext();
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct letter l = sample();
        l.term = cases[i].term;
        unsigned char *pdf;
        size_t len;
        render_ok(&l, &pdf, &len);
        if (text_checks) {
            char *text = pdf_text(pdf, len);
            assert_has(text, cases[i].want);
            free(text);
        }
        free(pdf);
    }
    if (!text_checks)
        skip();
}

/* Fields at their longest (40 CJK characters each) still render. */
static void test_render_long_fields(void **state)
{
    (void)state;
    char longest[121] = "";
    for (int i = 0; i < 40; i++)
        strcat(longest, "联");
    struct letter l = sample();
    l.alliance = l.unit = l.body = l.position = longest;
    l.holder = "欧阳明辉";
    unsigned char *pdf;
    size_t len;
    render_ok(&l, &pdf, &len);
    if (!have_pdftotext()) {
        free(pdf);
        skip();
    }
    char *text = pdf_text(pdf, len);
    assert_has(text, "欧阳明辉");
    assert_has(text, "2028年4月17日");
    assert_has(text, "JL-7QK4-9XM2");
    free(text);
    free(pdf);
}

/* letter_render must refuse l and leave the outputs NULL/0. */
static void assert_refused(const struct letter *l)
{
    unsigned char *pdf = (unsigned char *)"x";
    size_t len = 7;
    assert_false(letter_render(l, &pdf, &len));
    assert_null(pdf);
    assert_int_equal(len, 0);
}

static void test_invalid(void **state)
{
    (void)state;
    struct letter l = sample();
    l.holder = NULL;
    assert_refused(&l);
    l = sample();
    l.holder = "";
    assert_refused(&l);
    l = sample();
    l.term = 0;
    assert_refused(&l);
    l = sample();
    l.term = -3;
    assert_refused(&l);
    l = sample();
    l.starts_on = "2023-4-18";
    assert_refused(&l);
    l = sample();
    l.ends_on = "2028-02-30";
    assert_refused(&l);
    l = sample();
    l.issued_on = "2023/04/18";
    assert_refused(&l);
    l = sample();
    l.ends_on = "2022-04-17"; /* before the start */
    assert_refused(&l);
    l = sample();
    l.verify_code = "";
    assert_refused(&l);
    l = sample();
    l.alliance = NULL;
    assert_refused(&l);
    l = sample();
    l.position = "理事\n长";
    assert_refused(&l);
    l = sample();
    l.holder = "\xe5\x86"; /* truncated UTF-8 */
    assert_refused(&l);
    assert_refused(NULL);
    l = sample();
    size_t len;
    assert_false(letter_render(&l, NULL, &len));
}

/* Twenty letters in a row, each with its own holder and nobody else's. */
static void test_many(void **state)
{
    (void)state;
    static const char *const surnames[4] = {"张", "王", "李", "赵"};
    static const char *const given[5] = {"一鸣", "二鸣", "三鸣", "四鸣", "五鸣"};
    bool text_checks = have_pdftotext();
    for (int i = 0; i < ROUNDS; i++) {
        char holder[32], other[32];
        snprintf(holder, sizeof(holder), "%s%s", surnames[i % 4], given[i / 4]);
        snprintf(other, sizeof(other), "%s%s", surnames[(i + 1) % 4], given[i / 4]);
        struct letter l = sample();
        l.holder = holder;
        unsigned char *pdf;
        size_t len;
        render_ok(&l, &pdf, &len);
        if (text_checks) {
            char *text = pdf_text(pdf, len);
            assert_has(text, holder);
            assert_null(strstr(text, other));
            free(text);
        }
        free(pdf);
    }
    if (!text_checks)
        skip();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_full),
        cmocka_unit_test(test_render_without_unit),
        cmocka_unit_test(test_render_without_url),
        cmocka_unit_test(test_term_numerals),
        cmocka_unit_test(test_render_long_fields),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
