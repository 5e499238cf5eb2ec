/*
 * views.c - how often each article is read, without a row per view.
 *
 * Views are counted in a small table in memory (shared by the server's
 * threads, under a mutex) and added to articles.views now and then: when
 * a request finds the last flush 10 seconds old, and at each thread's end.
 * A crash loses at most those seconds of counting, never an article.
 */
#include "modules/news/internal.h"
#include "base/time.h"

#include <pthread.h>

#define SLOTS 256
#define FLUSH_MS 10000

static struct {
    int64_t id;
    int64_t count;
} pending[SLOTS];
static int64_t last_flush;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void news_view(int64_t id)
{
    pthread_mutex_lock(&lock);
    size_t h = (size_t)id * 2654435761u % SLOTS;
    for (size_t i = 0; i < SLOTS; i++) {
        size_t k = (h + i) % SLOTS;
        if (pending[k].id == id || pending[k].id == 0) {
            pending[k].id = id;
            pending[k].count++;
            break;
        }
    } /* a full table drops the view: counting must never block reading */
    pthread_mutex_unlock(&lock);
}

void news_views_flush(struct db *db, bool force)
{
    struct {
        int64_t id, count;
    } batch[SLOTS];
    size_t n = 0;
    pthread_mutex_lock(&lock);
    int64_t now = time_mono_ms();
    if (force || now - last_flush >= FLUSH_MS) {
        last_flush = now;
        for (size_t k = 0; k < SLOTS; k++) {
            if (pending[k].id) {
                batch[n].id = pending[k].id;
                batch[n++].count = pending[k].count;
                pending[k].id = pending[k].count = 0;
            }
        }
    }
    pthread_mutex_unlock(&lock);
    for (size_t i = 0; i < n; i++) {
        struct db_stmt *st = db_prepare(db, "UPDATE articles SET views = views + $2 WHERE id = $1");
        if (st == NULL)
            break;
        db_bind_int(st, 1, batch[i].id);
        db_bind_int(st, 2, batch[i].count);
        db_run(st);
    }
}
