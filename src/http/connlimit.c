/*
 * connlimit.c - open connections per client address (SEC-G1).
 *
 * One table for all event loops (accepting is rare next to requests, so a
 * mutex is cheap). A connection is counted when accepted and uncounted by
 * the socket's close callback; an address over the limit is closed at once.
 * Connections from the trusted proxy are not counted (they carry everyone).
 */
#include "http/internal.h"
#include "base/alloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#define SLOTS 8192
#define PROBES 32

struct slot {
    unsigned char addr[16];
    unsigned char len; /* 0 = free */
    int count;
};

static struct slot slots[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

/* The address bytes of a peer (4 for IPv4, 16 for IPv6). */
static size_t addr_key(h2o_socket_t *sock, unsigned char out[16])
{
    struct sockaddr_storage ss;
    socklen_t n = h2o_socket_getpeername(sock, (struct sockaddr *)&ss);
    if (n == 0)
        return 0;
    if (ss.ss_family == AF_INET) {
        memcpy(out, &((struct sockaddr_in *)&ss)->sin_addr, 4);
        return 4;
    }
    if (ss.ss_family == AF_INET6) {
        memcpy(out, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
        return 16;
    }
    return 0;
}

static unsigned hash(const unsigned char *p, size_t n)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

void http_connlimit_release(int slot)
{
    if (slot < 0)
        return;
    pthread_mutex_lock(&mu);
    if (--slots[slot].count == 0)
        slots[slot].len = 0;
    pthread_mutex_unlock(&mu);
}

int http_connlimit_acquire(h2o_socket_t *sock, int max, const char *trusted_proxy)
{
    unsigned char key[16];
    size_t n = addr_key(sock, key);
    if (n == 0)
        return CONN_UNCOUNTED;
    if (trusted_proxy[0] != '\0') {
        unsigned char proxy[16];
        int family = n == 4 ? AF_INET : AF_INET6;
        if (inet_pton(family, trusted_proxy, proxy) == 1 && memcmp(proxy, key, n) == 0)
            return CONN_UNCOUNTED;
    }
    int found = -1, result;
    pthread_mutex_lock(&mu);
    unsigned h = hash(key, n);
    for (int p = 0; p < PROBES; p++) {
        int i = (int)((h + (unsigned)p) % SLOTS);
        if (slots[i].len == n && memcmp(slots[i].addr, key, n) == 0) {
            found = i;
            break;
        }
        if (slots[i].len == 0 && found < 0)
            found = i; /* first free slot; keep looking for the address */
    }
    if (found < 0) {
        result = CONN_UNCOUNTED; /* a full table admits: never refuse for our lack of room */
    } else {
        if (slots[found].len == 0) {
            memcpy(slots[found].addr, key, n);
            slots[found].len = (unsigned char)n;
            slots[found].count = 0;
        }
        result = slots[found].count >= max ? CONN_REFUSED : found;
        if (result >= 0)
            slots[found].count++;
    }
    pthread_mutex_unlock(&mu);
    return result;
}
