/*
 * render.c - article bodies: Markdown to HTML with Debian's cmark.
 *
 * cmark's safe mode (its default since 0.29; CMARK_OPT_UNSAFE is never
 * set) replaces raw HTML by a comment and drops link and image targets
 * with the javascript:, vbscript: and file: schemes and data: other than
 * PNG, GIF, JPEG and WebP images. Text and attributes are escaped by
 * cmark. CMARK_OPT_VALIDATE_UTF8 replaces any invalid byte.
 */
#include "modules/news/news.h"
#include "base/alloc.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

char *news_render(const char *markdown, size_t len)
{
    char *html = cmark_markdown_to_html(markdown ? markdown : "", markdown ? len : 0,
                                        CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 |
                                            CMARK_OPT_SMART);
    if (html == NULL)
        abort(); /* cmark only fails when out of memory */
    return html;
}
