/* config.c - settings from defaults, jilian.ini and the environment. */
#include "base/config.h"
#include "base/str.h"

#include <ini.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void config_defaults(struct config *c, const char *data_dir)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->data_dir, sizeof(c->data_dir), "%s", data_dir);
    snprintf(c->listen, sizeof(c->listen), "127.0.0.1:8080");
    snprintf(c->web_root, sizeof(c->web_root), "web/dist");
    c->threads = 0;
    c->workers = 2;
    c->idle_timeout_s = 30 * 60;
    c->admin_idle_timeout_s = 15 * 60;
    c->absolute_timeout_s = 12 * 3600;
    c->req_timeout_ms = 10000;
    c->max_conn_per_addr = 256;
    c->log_requests = true;
}

static bool set_int(int *dst, const char *v, int64_t min, int64_t max)
{
    int64_t x;
    if (!str_to_i64(v, strlen(v), min, max, &x))
        return false;
    *dst = (int)x;
    return true;
}

static bool set_str(char *dst, size_t cap, const char *v)
{
    if (strlen(v) >= cap)
        return false;
    memcpy(dst, v, strlen(v) + 1);
    return true;
}

bool config_set(struct config *c, const char *key, const char *v)
{
    if (strcmp(key, "listen") == 0)
        return set_str(c->listen, sizeof(c->listen), v);
    if (strcmp(key, "web_root") == 0)
        return set_str(c->web_root, sizeof(c->web_root), v);
    if (strcmp(key, "trusted_proxy") == 0)
        return set_str(c->trusted_proxy, sizeof(c->trusted_proxy), v);
    if (strcmp(key, "threads") == 0)
        return set_int(&c->threads, v, 0, 256);
    if (strcmp(key, "workers") == 0)
        return set_int(&c->workers, v, 1, 64);
    if (strcmp(key, "idle_timeout_s") == 0)
        return set_int(&c->idle_timeout_s, v, 1, 24 * 3600);
    if (strcmp(key, "admin_idle_timeout_s") == 0)
        return set_int(&c->admin_idle_timeout_s, v, 1, 24 * 3600);
    if (strcmp(key, "absolute_timeout_s") == 0)
        return set_int(&c->absolute_timeout_s, v, 1, 7 * 24 * 3600);
    if (strcmp(key, "req_timeout_ms") == 0)
        return set_int(&c->req_timeout_ms, v, 100, 600000);
    if (strcmp(key, "max_conn_per_addr") == 0)
        return set_int(&c->max_conn_per_addr, v, 1, 100000);
    if (strcmp(key, "public_url") == 0)
        return set_str(c->public_url, sizeof(c->public_url), v);
    if (strcmp(key, "pii_full_roles") == 0)
        return set_str(c->pii_full_roles, sizeof(c->pii_full_roles), v);
    if (strcmp(key, "log_requests") == 0) {
        c->log_requests = strcmp(v, "0") != 0 && strcmp(v, "false") != 0;
        return true;
    }
    return false;
}

struct ini_ctx {
    struct config *c;
    char *err;
    size_t cap;
    bool ok;
};

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
    struct ini_ctx *x = user;
    (void)section;
    if (!config_set(x->c, name, value)) {
        snprintf(x->err, x->cap, "jilian.ini: bad setting %s", name);
        x->ok = false;
        return 0;
    }
    return 1;
}

bool config_load(struct config *c, char *err, size_t cap)
{
    static const char *const keys[] = {
        "listen",         "web_root",          "trusted_proxy",        "threads",
        "workers",        "idle_timeout_s",    "admin_idle_timeout_s", "absolute_timeout_s",
        "req_timeout_ms", "max_conn_per_addr", "log_requests",         "pii_full_roles",
        "public_url"};
    char path[600];
    snprintf(path, sizeof(path), "%s/jilian.ini", c->data_dir);
    FILE *f = fopen(path, "r");
    if (f != NULL) {
        struct ini_ctx x = {c, err, cap, true};
        int rc = ini_parse_file(f, on_ini, &x);
        fclose(f);
        if (!x.ok)
            return false;
        if (rc != 0) {
            snprintf(err, cap, "jilian.ini: syntax error on line %d", rc);
            return false;
        }
    }
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        char env[64];
        snprintf(env, sizeof(env), "JILIAN_%s", keys[i]);
        for (char *p = env; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
        const char *v = getenv(env);
        if (v != NULL && !config_set(c, keys[i], v)) {
            snprintf(err, cap, "bad value in %s", env);
            return false;
        }
    }
    return true;
}
