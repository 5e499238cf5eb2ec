/*
 * fold_bench.c - how fast text_fold_utf8() and text_tokenize()
 * (src/lib/text/text.h) run over mixed simplified and traditional Chinese,
 * against the `opencc` command converting the same text (the anchor).
 *
 *   fold_bench --write FILE [--mb M] [--seed S]
 *       generates the corpus (M MB, default 50) and writes it to FILE;
 *   fold_bench --corpus FILE [--anchor SECONDS --anchor-out FILE] [--repeat R]
 *       times folding and tokenizing FILE (best of R runs, default 5) and,
 *       given the seconds opencc took on it and its output, prints the
 *       ratio and how far the two outputs agree.
 *
 * bench/search/fold runs both around the opencc command; see
 * bench/README.md. The corpus (seeded, splitmix64) is lines of 20-200
 * items, each drawn as: 35 % a traditional character of the fold table
 * itself (every Han code point that text_fold() changes, uniformly, the
 * supplementary ones included), 45 % a common simplified character, 8 %
 * Chinese punctuation, 10 % an ASCII word (letters in either case, or
 * digits) and a space, 2 % a full-width letter or digit.
 */
#include "bench/bench_common.h"
#include "base/alloc.h"
#include "lib/text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* About 500 of the most frequent simplified characters. */
static const char common[] = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出"
                             "就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所"
                             "民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都"
                             "两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日"
                             "那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比"
                             "或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想"
                             "已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长"
                             "求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
                             "几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造"
                             "百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权"
                             "收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目"
                             "至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集"
                             "温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书"
                             "布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支"
                             "般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存"
                             "候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属"
                             "圆包火住调满县局照参红细引听该铁价严龙飞";

static const char *const punct[] = {"，", "。", "、", "；", "：", "？", "！",
                                    "“",  "”",  "（", "）", "《", "》", " "};

struct pool {
    uint32_t *cp;
    size_t n;
};

/* Every Han code point that folding changes. */
static struct pool traditional(void)
{
    struct pool p = {xmalloc(8192 * sizeof(uint32_t)), 0};
    for (uint32_t cp = 0x3400; cp <= 0x2FA1F; cp++)
        if (text_is_han(cp) && text_fold(cp) != cp && p.n < 8192)
            p.cp[p.n++] = cp;
    return p;
}

static struct pool simplified(void)
{
    size_t n = strlen(common), i = 0;
    struct pool p = {xmalloc(n * sizeof(uint32_t)), 0};
    while (i < n)
        p.cp[p.n++] = text_next(common, n, &i);
    return p;
}

static size_t put_word(char *o, uint64_t *rng)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    size_t len = 1 + rng_below(rng, 10), k = 0;
    bool digits = rng_below(rng, 4) == 0;
    for (; k < len; k++)
        o[k] = digits ? (char)('0' + rng_below(rng, 10)) : letters[rng_below(rng, 52)];
    o[k++] = ' ';
    return k;
}

/* One item of the mix (at most 12 bytes). */
static size_t put_item(char *o, uint64_t *rng, const struct pool *trad, const struct pool *simp)
{
    size_t r = rng_below(rng, 100);
    if (r < 35)
        return text_put(trad->cp[rng_below(rng, trad->n)], o);
    if (r < 80)
        return text_put(simp->cp[rng_below(rng, simp->n)], o);
    if (r < 88) {
        const char *p = punct[rng_below(rng, sizeof punct / sizeof punct[0])];
        memcpy(o, p, strlen(p));
        return strlen(p);
    }
    if (r < 98)
        return put_word(o, rng);
    return text_put(0xFF10 + (uint32_t)rng_below(rng, 0x4B), o); /* ０ .. Ｚ .. ｚ */
}

static char *generate(size_t size, uint64_t seed, size_t *len)
{
    struct pool trad = traditional(), simp = simplified();
    char *s = xmalloc(size + 16);
    uint64_t rng = seed;
    size_t n = 0;
    while (n + 16 < size) {
        size_t items = 20 + rng_below(&rng, 181);
        for (size_t k = 0; k < items && n + 16 < size; k++)
            n += put_item(s + n, &rng, &trad, &simp);
        s[n++] = '\n';
    }
    free(trad.cp);
    free(simp.cp);
    *len = n;
    return s;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL || fseek(f, 0, SEEK_END) != 0) {
        perror(path);
        exit(1);
    }
    long size = ftell(f);
    rewind(f);
    char *s = xmalloc((size_t)size);
    if (size < 0 || fread(s, 1, (size_t)size, f) != (size_t)size) {
        perror(path);
        exit(1);
    }
    fclose(f);
    *len = (size_t)size;
    return s;
}

static double time_fold(const char *s, size_t n, char *out, int repeat, size_t *out_len)
{
    double best = 1e30;
    for (int r = 0; r < repeat; r++) {
        double t = now();
        *out_len = text_fold_utf8(s, n, out, 3 * n);
        t = now() - t;
        best = t < best ? t : best;
    }
    return best;
}

struct counts {
    size_t tokens, bytes;
};

static int count_token(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    struct counts *c = ctx;
    (void)tok;
    (void)start;
    (void)end;
    c->tokens++;
    c->bytes += len;
    return 0;
}

static double time_tokenize(const char *s, size_t n, int repeat, struct counts *c)
{
    double best = 1e30;
    for (int r = 0; r < repeat; r++) {
        struct counts k = {0, 0};
        double t = now();
        text_tokenize(s, n, count_token, &k);
        t = now() - t;
        best = t < best ? t : best;
        *c = k;
    }
    return best;
}

/* The Han characters of a and b compared one by one, line by line, where
 * a line of each has as many code points (opencc's phrases keep the
 * length); returns the share that are equal (opencc does not fold width or
 * case, so only Han characters are compared), *lines the lines used. */
static double agreement(const char *a, size_t an, const char *b, size_t bn, size_t *lines,
                        size_t *total)
{
    size_t i = 0, j = 0, same = 0, all = 0;
    *lines = *total = 0;
    while (i < an && j < bn) {
        const char *ae = memchr(a + i, '\n', an - i), *be = memchr(b + j, '\n', bn - j);
        size_t al = ae ? (size_t)(ae - a) : an, bl = be ? (size_t)(be - b) : bn;
        size_t x = i, y = j, eq = 0, cnt = 0;
        while (x < al && y < bl) {
            uint32_t ca = text_next(a, al, &x), cb = text_next(b, bl, &y);
            if (text_is_han(ca) || text_is_han(cb)) {
                eq += ca == cb;
                cnt++;
            }
        }
        if (x == al && y == bl) {
            same += eq;
            all += cnt;
            ++*lines;
        }
        ++*total;
        i = al + 1;
        j = bl + 1;
    }
    return all ? 100.0 * (double)same / (double)all : 0.0;
}

static int write_corpus(const char *path, size_t mb, uint64_t seed)
{
    size_t n;
    char *s = generate(mb << 20, seed, &n);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(s, 1, n, f) != n || fclose(f) != 0) {
        perror(path);
        return 1;
    }
    size_t chars = 0;
    for (size_t i = 0; i < n; chars++)
        text_next(s, n, &i);
    printf("corpus           %zu bytes, %.1f M characters, seed %llu\n", n, (double)chars / 1e6,
           (unsigned long long)seed);
    free(s);
    return 0;
}

static void run(const char *path, int repeat, double anchor, const char *anchor_out)
{
    size_t n, out_len;
    char *s = slurp(path, &n);
    char *out = xmalloc(3 * n);
    memset(out, 0, 3 * n);
    double mb = (double)n / 1e6;
    double tf = time_fold(s, n, out, repeat, &out_len);
    struct counts c;
    double tt = time_tokenize(s, n, repeat, &c);
    if (anchor > 0)
        printf("opencc t2s       %8.3f s %8.1f MB/s   (opencc -c t2s.json -i FILE -o OUT: the "
               "anchor)\n",
               anchor, mb / anchor);
    printf("text_fold_utf8   %8.3f s %8.1f MB/s", tf, mb / tf);
    if (anchor > 0)
        printf("   ratio %.0fx (target >= 50x)", anchor / tf);
    printf("\ntext_tokenize    %8.3f s %8.1f MB/s   %.1f M tokens/s (%zu tokens)\n", tt, mb / tt,
           (double)c.tokens / tt / 1e6, c.tokens);
    if (anchor_out != NULL) {
        size_t on, lines, total;
        char *o = slurp(anchor_out, &on);
        double agree = agreement(out, out_len, o, on, &lines, &total);
        printf("agreement        %.3f %% of the Han characters equal to opencc's output "
               "(%zu of %zu lines comparable)\n",
               agree, lines, total);
        free(o);
    }
    printf("(best of %d runs; %.1f MB of UTF-8 in, %.1f MB out)\n", repeat, mb,
           (double)out_len / 1e6);
    free(out);
    free(s);
}

int main(int argc, char **argv)
{
    const char *write_path = NULL, *corpus = NULL, *anchor_out = NULL;
    size_t mb = 50;
    uint64_t seed = 1;
    int repeat = 5;
    double anchor = 0;
    bool usage = argc % 2 == 0; /* flags come in pairs */
    for (int i = 1; i + 1 < argc && !usage; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (strcmp(k, "--write") == 0)
            write_path = v;
        else if (strcmp(k, "--corpus") == 0)
            corpus = v;
        else if (strcmp(k, "--mb") == 0)
            mb = strtoull(v, NULL, 10);
        else if (strcmp(k, "--seed") == 0)
            seed = strtoull(v, NULL, 10);
        else if (strcmp(k, "--repeat") == 0)
            repeat = atoi(v);
        else if (strcmp(k, "--anchor") == 0)
            anchor = strtod(v, NULL);
        else if (strcmp(k, "--anchor-out") == 0)
            anchor_out = v;
        else
            usage = true;
    }
    if (usage || (write_path == NULL) == (corpus == NULL) || mb == 0 || repeat < 1) {
        fprintf(
            stderr,
            "usage: fold_bench --write FILE [--mb M] [--seed S]\n"
            "       fold_bench --corpus FILE [--anchor SECONDS --anchor-out FILE] [--repeat R]\n");
        return 2;
    }
    if (write_path != NULL)
        return write_corpus(write_path, mb, seed);
    run(corpus, repeat, anchor, anchor_out);
    return 0;
}
