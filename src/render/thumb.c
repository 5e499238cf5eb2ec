/*
 * thumb.c - `jilian-render thumb`: an uploaded image's thumbnail.
 *
 * Reads a PNG, JPEG, GIF or WebP image on stdin (at most 8 MiB) and writes
 * a PNG of at most 480 pixels a side on stdout. The server runs it as a
 * child process (base/proc.h): the image decoders (libgd) never run in the
 * server (which does not link them), and the child's address space is
 * capped, so an image that decodes into gigabytes only fails here. Ends
 * with _exit() like the letter renderer.
 */
#include "render/render.h"

#include <gd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define THUMB_INPUT_MAX (8 << 20)
#define THUMB_SIDE 480
#define THUMB_MEMORY (512UL << 20)

/* AddressSanitizer reserves terabytes of address space for its shadow, so
 * a sanitizer build cannot cap it; the cap holds in every other build. */
#if defined(__SANITIZE_ADDRESS__)
#define THUMB_CAP_MEMORY 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define THUMB_CAP_MEMORY 0
#endif
#endif
#ifndef THUMB_CAP_MEMORY
#define THUMB_CAP_MEMORY 1
#endif

static gdImagePtr decode(unsigned char *p, int n)
{
    if (n >= 8 && memcmp(p, "\x89PNG", 4) == 0)
        return gdImageCreateFromPngPtr(n, p);
    if (n >= 3 && memcmp(p, "\xff\xd8\xff", 3) == 0)
        return gdImageCreateFromJpegPtrEx(n, p, 1);
    if (n >= 6 && memcmp(p, "GIF8", 4) == 0)
        return gdImageCreateFromGifPtr(n, p);
    if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
        return gdImageCreateFromWebpPtr(n, p);
    return NULL;
}

static int thumb(void)
{
    unsigned char *in = malloc(THUMB_INPUT_MAX + 1);
    if (in == NULL)
        return RENDER_FAIL;
    size_t n = fread(in, 1, THUMB_INPUT_MAX + 1, stdin);
    if (n == 0 || n > THUMB_INPUT_MAX)
        return RENDER_DATA;
    gdImagePtr img = decode(in, (int)n);
    if (img == NULL)
        return RENDER_DATA;
    int w = gdImageSX(img), h = gdImageSY(img);
    int tw = w, th = h;
    if (w > THUMB_SIDE || h > THUMB_SIDE) {
        tw = w >= h ? THUMB_SIDE : (int)((long)w * THUMB_SIDE / h);
        th = w >= h ? (int)((long)h * THUMB_SIDE / w) : THUMB_SIDE;
    }
    gdImageSetInterpolationMethod(img, GD_BILINEAR_FIXED);
    gdImagePtr small = gdImageScale(img, tw > 0 ? (unsigned)tw : 1, th > 0 ? (unsigned)th : 1);
    int size = 0;
    void *png = small ? gdImagePngPtr(small, &size) : NULL;
    if (png == NULL || size <= 0)
        return RENDER_FAIL;
    size_t done = 0;
    while (done < (size_t)size) {
        ssize_t w2 = write(1, (char *)png + done, (size_t)size - done);
        if (w2 <= 0)
            return RENDER_FAIL;
        done += (size_t)w2;
    }
    return RENDER_OK;
}

int render_thumb(void)
{
    struct rlimit lim = {THUMB_MEMORY, THUMB_MEMORY};
    if (THUMB_CAP_MEMORY && setrlimit(RLIMIT_AS, &lim) != 0)
        _exit(RENDER_FAIL);
    _exit(thumb());
}
