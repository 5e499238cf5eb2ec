/*
 * letter.h - appointment letters (聘书) as PDF (Cairo + Pango, Noto CJK).
 *
 * Pure rendering: no database, no HTTP. The caller fills struct letter
 * and gets the PDF bytes in a heap buffer.
 */
#ifndef JL_MODULES_GOVERNANCE_LETTER_H
#define JL_MODULES_GOVERNANCE_LETTER_H

#include <stdbool.h>
#include <stddef.h>

struct letter {
    const char *alliance;    /* 京津冀及周边技工教育联盟 */
    const char *holder;      /* the person: 冯明辉 */
    const char *unit;        /* the unit, "" for none: 石家庄市技师学院 */
    const char *body;        /* 理事会 / 专家委员会 */
    const char *position;    /* 理事长 / 副理事长 / 委员 ... as shown */
    int term;                /* 1 = 第一届 */
    const char *starts_on;   /* YYYY-MM-DD */
    const char *ends_on;     /* YYYY-MM-DD */
    const char *issued_on;   /* YYYY-MM-DD, the date printed under the seal line */
    const char *verify_code; /* printed, and in the QR code with verify_url */
    const char *verify_url;  /* e.g. https://host/verify?code=..., may be "" (no QR) */
};

/* Renders one A4 letter. On success returns true and sets *pdf (heap,
 * free()) and *len; on failure (cairo error, missing field) returns false
 * and leaves them NULL/0. Thread-safe: may run on several worker threads
 * at once. */
bool letter_render(const struct letter *l, unsigned char **pdf, size_t *len);

#endif
