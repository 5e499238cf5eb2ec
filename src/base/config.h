/*
 * config.h - the server's settings: defaults, then jilian.ini in the data
 * folder (if present), then JILIAN_* environment variables, then flags.
 */
#ifndef JL_BASE_CONFIG_H
#define JL_BASE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct config {
    char data_dir[512];
    char listen[128];       /* host:port */
    char web_root[512];     /* built console (web/dist); empty disables */
    char trusted_proxy[64]; /* peer address whose X-Forwarded-* is believed */
    int threads;            /* event loops; 0 = one per core */
    int workers;            /* job worker threads */
    int idle_timeout_s;     /* session idle timeout, seconds */
    int admin_idle_timeout_s;
    int absolute_timeout_s;
    int req_timeout_ms; /* slow-client timeout */
    int max_conn_per_addr;
    bool log_requests;
    char pii_full_roles[128]; /* roles granted pii.read_full, comma-separated */
    char public_url[256];     /* the site's address, e.g. https://jilian.example.cn, for links in documents */
};

/* Fills c with defaults and data_dir. */
void config_defaults(struct config *c, const char *data_dir);
/* Reads DATA/jilian.ini if it exists and JILIAN_* variables. Returns false
 * with a message in err (cap bytes) on a malformed file. */
bool config_load(struct config *c, char *err, size_t cap);
/* Sets one key ("listen", "threads", ...) from text; false if unknown/bad. */
bool config_set(struct config *c, const char *key, const char *value);

#endif
