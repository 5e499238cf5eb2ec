/*
 * letter.c - appointment letters (聘书) as one-page A4 PDFs.
 *
 * Cairo's PDF surface writes into a growing heap buffer; Pango lays out
 * the text in Noto Serif CJK SC (title, body, signature) and Noto Sans CJK
 * SC (small print); libqrencode gives the verification QR code, drawn as
 * filled rectangles.  User text goes through pango_layout_set_text with
 * attribute lists for the bold parts, never through markup, so nothing
 * needs escaping.
 *
 * Threads: every call builds its own PangoFontMap (pango_cairo_font_map_new)
 * and context, so no Pango object is shared between threads.  Fontconfig,
 * cairo's font caches and libqrencode are internally locked.  See the note
 * at letter_render for what this costs.
 *
 * Validation beyond letter.h: text fields are valid UTF-8 without control
 * characters, at most FIELD_MAX bytes (verify_code CODE_MAX, verify_url
 * URL_MAX); the term is 1..99 (第一届 .. 第九十九届); dates are real
 * calendar dates written YYYY-MM-DD and the term may not end before it
 * starts.  A NULL unit or verify_url counts as "".
 *
 * Page geometry is in PDF points (1/72 inch) with the origin top-left.
 */
#include "modules/governance/letter.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN_X 82.0 /* left/right edge of the text block */
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)
#define TITLE_Y 112.0    /* top of the title */
#define BODY_Y 236.0     /* top of the body paragraph */
#define BODY_MAX_H 280.0 /* the body shrinks its font to stay inside this */
#define SIGN_MIN_Y 540.0 /* the signature block starts no higher than this */
#define SIGN_GAP 64.0    /* space between the body and the signature */
#define QR_SIZE 80.0     /* QR code with its quiet zone */
#define QR_QUIET 4       /* quiet zone, in modules (ISO/IEC 18004) */
#define QR_X 58.0        /* left edge of the quiet zone */
#define QR_BOTTOM (PAGE_H - 54.0)

#define FIELD_MAX 120 /* bytes per text field: 40 CJK characters */
#define CODE_MAX 64
#define URL_MAX 1024
#define PDF_MAX (32u * 1024 * 1024)

#define SERIF "Noto Serif CJK SC"
#define SANS "Noto Sans CJK SC"

/* A date as written on the letter: 2023年4月18日 (at most 17 bytes). */
#define DATE_CN_CAP 32

/* The growing buffer behind the PDF stream. */
struct membuf {
    unsigned char *data;
    size_t len, cap;
    bool failed;
};

/* Everything a page needs, prepared from a validated letter. */
struct page {
    cairo_t *cr;
    PangoContext *pc;
    const struct letter *l;
    char term[32]; /* 第一届 */
    char starts[DATE_CN_CAP], ends[DATE_CN_CAP], issued[DATE_CN_CAP];
};

/* ------------------------------------------------------------------------ */
/* Output stream                                                            */
/* ------------------------------------------------------------------------ */

/* Cairo write callback: appends length bytes to the membuf in closure. */
static cairo_status_t membuf_write(void *closure, const unsigned char *data, unsigned int length)
{
    struct membuf *mb = closure;
    if (mb->failed)
        return CAIRO_STATUS_WRITE_ERROR;
    if (length > PDF_MAX - mb->len) {
        mb->failed = true;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    if (mb->len + length > mb->cap) {
        size_t cap = mb->cap ? mb->cap : 64 * 1024;
        while (cap < mb->len + length)
            cap *= 2;
        unsigned char *p = realloc(mb->data, cap);
        if (p == NULL) {
            mb->failed = true;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        mb->data = p;
        mb->cap = cap;
    }
    memcpy(mb->data + mb->len, data, length);
    mb->len += length;
    return CAIRO_STATUS_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* Validation and formatting                                                */
/* ------------------------------------------------------------------------ */

/* Is s a non-empty, valid UTF-8 string of at most max bytes without
 * control characters (a newline would break the layout)? */
static bool field_ok(const char *s, size_t max)
{
    if (s == NULL || s[0] == '\0')
        return false;
    size_t n = strlen(s);
    if (n > max || !g_utf8_validate(s, (gssize)n, NULL))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return false;
    }
    return true;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* Parses exactly YYYY-MM-DD (a real calendar date, year 1900..9999) into
 * *y, *m, *d.  Returns false for anything else, such as "2023-4-18". */
static bool date_parse(const char *s, int *y, int *m, int *d)
{
    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    }
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    return *y >= 1900 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= days_in_month(*y, *m);
}

/* Writes 2023-04-18 as 2023年4月18日 into out[DATE_CN_CAP].  Returns false
 * if s is not a date. */
static bool date_cn(const char *s, char *out)
{
    int y, m, d;
    if (!date_parse(s, &y, &m, &d))
        return false;
    snprintf(out, DATE_CN_CAP, "%d年%d月%d日", y, m, d);
    return true;
}

/* Writes the term as 第一届 .. 第九十九届 into out (cap >= 32).  Returns
 * false outside 1..99. */
static bool term_cn(int term, char *out, size_t cap)
{
    static const char *const digit[10] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (term < 1 || term > 99)
        return false;
    int tens = term / 10, ones = term % 10;
    const char *t = tens > 1 ? digit[tens] : "";
    const char *ten = tens > 0 ? "十" : "";
    snprintf(out, cap, "第%s%s%s届", t, ten, digit[ones]);
    return true;
}

/* Checks every field of l and fills the formatted parts of pg. */
static bool page_prepare(struct page *pg, const struct letter *l)
{
    const char *const fields[] = {l->alliance, l->holder, l->body, l->position};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (!field_ok(fields[i], FIELD_MAX))
            return false;
    }
    if (l->unit != NULL && l->unit[0] != '\0' && !field_ok(l->unit, FIELD_MAX))
        return false;
    if (!field_ok(l->verify_code, CODE_MAX))
        return false;
    if (l->verify_url != NULL && l->verify_url[0] != '\0' && !field_ok(l->verify_url, URL_MAX))
        return false;
    if (!term_cn(l->term, pg->term, sizeof(pg->term)))
        return false;
    if (!date_cn(l->starts_on, pg->starts) || !date_cn(l->ends_on, pg->ends) ||
        !date_cn(l->issued_on, pg->issued))
        return false;
    /* YYYY-MM-DD compares as a string; a term may not end before it starts. */
    if (strcmp(l->ends_on, l->starts_on) < 0)
        return false;
    pg->l = l;
    return true;
}

/* ------------------------------------------------------------------------ */
/* Drawing                                                                  */
/* ------------------------------------------------------------------------ */

static void set_rgb(cairo_t *cr, unsigned rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                         (rgb & 0xff) / 255.0);
}

#define RED 0x9b1c1cu
#define INK 0x1f1f1fu
#define GREY 0x6b6b6bu

/* A layout in family at size points, width points wide (wrapped word or
 * character), aligned as given.  The caller unrefs it. */
static PangoLayout *layout_new(struct page *pg, const char *family, PangoWeight weight, double size,
                               double width, PangoAlignment align)
{
    PangoLayout *ly = pango_layout_new(pg->pc);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, family);
    pango_font_description_set_weight(fd, weight);
    pango_font_description_set_size(fd, (gint)(size * PANGO_SCALE));
    pango_layout_set_font_description(ly, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(ly, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(ly, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(ly, align);
    return ly;
}

/* Draws ly with its top-left corner at (x, y); returns its height. */
static double layout_show(struct page *pg, PangoLayout *ly, double x, double y)
{
    int w, h;
    cairo_move_to(pg->cr, x, y);
    pango_cairo_show_layout(pg->cr, ly);
    pango_layout_get_size(ly, &w, &h);
    return (double)h / PANGO_SCALE;
}

/* The double border: a heavy outer rule and a fine inner one. */
static void draw_border(cairo_t *cr)
{
    set_rgb(cr, RED);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    cairo_set_line_width(cr, 3.0);
    cairo_rectangle(cr, 28.0, 28.0, PAGE_W - 56.0, PAGE_H - 56.0);
    cairo_stroke(cr);
    cairo_set_line_width(cr, 0.9);
    cairo_rectangle(cr, 35.0, 35.0, PAGE_W - 70.0, PAGE_H - 70.0);
    cairo_stroke(cr);
}

static void draw_title(struct page *pg)
{
    PangoLayout *ly = layout_new(pg, SERIF, PANGO_WEIGHT_BOLD, 46.0, CONTENT_W, PANGO_ALIGN_CENTER);
    /* U+3000 IDEOGRAPHIC SPACE between the two characters. */
    pango_layout_set_text(ly, "聘\u3000书", -1);
    set_rgb(pg->cr, RED);
    layout_show(pg, ly, MARGIN_X, TITLE_Y);
    g_object_unref(ly);
}

/* Appends s to text (cap bytes, *n used); false if it does not fit. */
static bool text_add(char *text, size_t cap, size_t *n, const char *s)
{
    size_t k = strlen(s);
    if (k >= cap - *n)
        return false;
    memcpy(text + *n, s, k + 1);
    *n += k;
    return true;
}

/* Appends s in bold: adds a weight attribute over its bytes to attrs. */
static bool text_add_bold(char *text, size_t cap, size_t *n, const char *s, PangoAttrList *attrs)
{
    size_t start = *n;
    if (!text_add(text, cap, n, s))
        return false;
    PangoAttribute *a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
    a->start_index = (guint)start;
    a->end_index = (guint)*n;
    pango_attr_list_insert(attrs, a);
    return true;
}

/* The appointment sentence and the closing line, holder and position in
 * bold.  Returns false if the text does not fit text[cap]. */
static bool body_text(const struct page *pg, char *text, size_t cap, PangoAttrList *attrs)
{
    const struct letter *l = pg->l;
    const struct {
        const char *s;
        bool bold;
    } parts[] = {
        {"兹聘请", false},
        {l->unit != NULL ? l->unit : "", false},
        {l->holder, true},
        {"同志为", false},
        {l->alliance, false},
        {pg->term, false},
        {l->body, false},
        {l->position, true},
        {"，任期自", false},
        {pg->starts, false},
        {"至", false},
        {pg->ends, false},
        {"。\n特发此聘书。", false},
    };
    size_t n = 0;
    text[0] = '\0';
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        bool ok = parts[i].bold ? text_add_bold(text, cap, &n, parts[i].s, attrs)
                                : text_add(text, cap, &n, parts[i].s);
        if (!ok)
            return false;
    }
    return true;
}

/* Draws the body paragraph, shrinking the font until it fits BODY_MAX_H.
 * Returns the y just below it, or a negative value on failure. */
static double draw_body(struct page *pg)
{
    static const double sizes[] = {16.0, 14.5, 13.0, 11.5, 10.0};
    char text[1024];
    PangoAttrList *attrs = pango_attr_list_new();
    double bottom = -1.0;
    if (body_text(pg, text, sizeof(text), attrs)) {
        for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
            PangoLayout *ly =
                layout_new(pg, SERIF, PANGO_WEIGHT_NORMAL, sizes[i], CONTENT_W, PANGO_ALIGN_LEFT);
            pango_layout_set_text(ly, text, -1);
            pango_layout_set_attributes(ly, attrs);
            pango_layout_set_indent(ly, (int)(2 * sizes[i] * PANGO_SCALE));
            pango_layout_set_line_spacing(ly, 2.0f);
            pango_layout_set_justify(ly, TRUE);
            int w, h;
            pango_layout_get_size(ly, &w, &h);
            if ((double)h / PANGO_SCALE <= BODY_MAX_H) {
                set_rgb(pg->cr, INK);
                bottom = BODY_Y + layout_show(pg, ly, MARGIN_X, BODY_Y);
                g_object_unref(ly);
                break;
            }
            g_object_unref(ly);
        }
    }
    pango_attr_list_unref(attrs);
    return bottom;
}

/* The signature block, right-aligned: the alliance and the issue date. */
static void draw_signature(struct page *pg, double top)
{
    char text[FIELD_MAX + DATE_CN_CAP + 8];
    snprintf(text, sizeof(text), "%s\n%s", pg->l->alliance, pg->issued);
    PangoLayout *ly =
        layout_new(pg, SERIF, PANGO_WEIGHT_NORMAL, 16.0, CONTENT_W, PANGO_ALIGN_RIGHT);
    pango_layout_set_text(ly, text, -1);
    pango_layout_set_line_spacing(ly, 1.8f);
    set_rgb(pg->cr, INK);
    layout_show(pg, ly, MARGIN_X, top);
    g_object_unref(ly);
}

/* Draws the QR code of url, quiet zone included, in a size x size square
 * at (x, y).  Dark modules are merged into horizontal runs and filled as
 * one path, so viewers show no seams.  False if url cannot be encoded. */
static bool draw_qr(cairo_t *cr, const char *url, double x, double y, double size)
{
    QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (qr == NULL)
        return false;
    int n = qr->width;
    double m = size / (n + 2 * QR_QUIET);
    cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
    cairo_rectangle(cr, x, y, size, size);
    cairo_fill(cr);
    for (int r = 0; r < n; r++) {
        const unsigned char *row = qr->data + (size_t)r * (size_t)n;
        int c = 0;
        while (c < n) {
            if (!(row[c] & 1)) {
                c++;
                continue;
            }
            int run = c;
            while (run < n && (row[run] & 1))
                run++;
            cairo_rectangle(cr, x + (QR_QUIET + c) * m, y + (QR_QUIET + r) * m, (run - c) * m, m);
            c = run;
        }
    }
    cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
    cairo_fill(cr);
    QRcode_free(qr);
    return true;
}

/* The bottom-left block: the QR code (if there is a URL), the verification
 * code and a small hint beside it. */
static bool draw_verify(struct page *pg)
{
    const char *url = pg->l->verify_url;
    bool has_qr = url != NULL && url[0] != '\0';
    double qr_y = QR_BOTTOM - QR_SIZE;
    double text_x = MARGIN_X;
    if (has_qr) {
        if (!draw_qr(pg->cr, url, QR_X, qr_y, QR_SIZE))
            return false;
        text_x = QR_X + QR_SIZE + 4.0;
    }
    char line[CODE_MAX + 32];
    snprintf(line, sizeof(line), "验证码：%s", pg->l->verify_code);
    PangoLayout *code = layout_new(pg, SANS, PANGO_WEIGHT_NORMAL, 10.5, 300.0, PANGO_ALIGN_LEFT);
    pango_layout_set_text(code, line, -1);
    PangoLayout *hint = layout_new(pg, SANS, PANGO_WEIGHT_NORMAL, 8.5, 300.0, PANGO_ALIGN_LEFT);
    pango_layout_set_text(hint, "扫码或访问联盟网站核验", -1);
    int w, hc, hh;
    pango_layout_get_size(code, &w, &hc);
    pango_layout_get_size(hint, &w, &hh);
    double block = (double)(hc + hh) / PANGO_SCALE + 3.0;
    double y = has_qr ? qr_y + (QR_SIZE - block) / 2 : QR_BOTTOM - block;
    set_rgb(pg->cr, INK);
    y += layout_show(pg, code, text_x, y) + 3.0;
    set_rgb(pg->cr, GREY);
    layout_show(pg, hint, text_x, y);
    g_object_unref(code);
    g_object_unref(hint);
    return true;
}

/* Sets up pg->pc for vector output: 72 dpi (1 pt = 1 unit), unhinted
 * metrics and unrounded glyph positions, so the layout does not depend on
 * any screen. */
static void context_setup(struct page *pg)
{
    pango_cairo_update_context(pg->cr, pg->pc);
    pango_cairo_context_set_resolution(pg->pc, 72.0);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pg->pc, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(pg->pc, FALSE);
}

/* Draws the whole page on pg->cr.  False on any failure. */
static bool draw_page(struct page *pg)
{
    context_setup(pg);
    cairo_set_source_rgb(pg->cr, 1.0, 1.0, 1.0);
    cairo_paint(pg->cr);
    draw_border(pg->cr);
    draw_title(pg);
    double bottom = draw_body(pg);
    if (bottom < 0)
        return false;
    double sign = bottom + SIGN_GAP > SIGN_MIN_Y ? bottom + SIGN_GAP : SIGN_MIN_Y;
    draw_signature(pg, sign);
    if (!draw_verify(pg))
        return false;
    cairo_show_page(pg->cr);
    return cairo_status(pg->cr) == CAIRO_STATUS_SUCCESS;
}

/* Sets the document title "聘书 - <holder>" where cairo supports it. */
static void set_metadata(cairo_surface_t *surface, const char *holder)
{
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 16, 0)
    char title[FIELD_MAX + 32];
    snprintf(title, sizeof(title), "聘书 - %s", holder);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "jilian");
#else
    (void)surface;
    (void)holder;
#endif
}

/* Renders the page of a prepared pg into mb.  False on any cairo error. */
static bool render_to(struct page *pg, struct membuf *mb)
{
    cairo_surface_t *surface =
        cairo_pdf_surface_create_for_stream(membuf_write, mb, PAGE_W, PAGE_H);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        return false;
    }
    set_metadata(surface, pg->l->holder);
    pg->cr = cairo_create(surface);
    PangoFontMap *fm = pango_cairo_font_map_new();
    pg->pc = pango_font_map_create_context(fm);
    bool ok = draw_page(pg);
    g_object_unref(pg->pc);
    g_object_unref(fm);
    cairo_destroy(pg->cr);
    cairo_surface_finish(surface);
    ok = ok && cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS && !mb->failed;
    cairo_surface_destroy(surface);
    return ok;
}

/*
 * Threading: each call owns a fresh PangoFontMap, so concurrent calls share
 * no Pango state and there is no lock of ours.  The expensive one-time work
 * (fontconfig's configuration, cairo's FreeType faces) is process-wide and
 * shared anyway; the fresh map costs about 4 ms of a ~20 ms render (font
 * matching again).  A shared map behind a mutex saves that but serialises
 * the layout and drawing of concurrent renders; letters are rare enough
 * that isolation wins.
 */
bool letter_render(const struct letter *l, unsigned char **pdf, size_t *len)
{
    if (pdf != NULL)
        *pdf = NULL;
    if (len != NULL)
        *len = 0;
    if (l == NULL || pdf == NULL || len == NULL)
        return false;
    struct page pg;
    memset(&pg, 0, sizeof(pg));
    if (!page_prepare(&pg, l))
        return false;
    struct membuf mb = {NULL, 0, 0, false};
    if (!render_to(&pg, &mb)) {
        free(mb.data);
        return false;
    }
    /* Shrink to fit: gives back the slack of the doubling, and gives the
     * caller's buffer an allocation stack outside cairo, so an LSan
     * suppression of cairo's own leaks cannot hide a leak of it. */
    unsigned char *fit = realloc(mb.data, mb.len);
    *pdf = fit != NULL ? fit : mb.data;
    *len = mb.len;
    return true;
}
