/*
 * jobs.c - worker threads for long work.
 *
 * A bounded FIFO of struct http_job served by n workers; each worker owns a
 * thread context from the hooks (its own database connection). The job's
 * record (state, progress) is kept by the application in its run().
 */
#include "http/http.h"
#include "base/log.h"

#include <pthread.h>
#include <stdlib.h>

#define MAX_WORKERS 64
#define MAX_QUEUED 1024

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct http_job *queue[MAX_QUEUED];
static size_t q_head, q_len;
static pthread_t workers[MAX_WORKERS];
static int worker_count;
static bool stop;
static const struct http_hooks *job_hooks;

static void *worker_main(void *arg)
{
    (void)arg;
    void *ctx = job_hooks->thread_init();
    pthread_mutex_lock(&mu);
    for (;;) {
        while (q_len == 0 && !stop)
            pthread_cond_wait(&cv, &mu);
        if (q_len == 0 && stop)
            break;
        struct http_job *job = queue[q_head];
        q_head = (q_head + 1) % MAX_QUEUED;
        q_len--;
        pthread_mutex_unlock(&mu);
        job->run(job, ctx);
        job->destroy(job);
        pthread_mutex_lock(&mu);
    }
    pthread_mutex_unlock(&mu);
    job_hooks->thread_cleanup(ctx);
    return NULL;
}

void http_jobs_start(int n, const struct http_hooks *hooks)
{
    job_hooks = hooks;
    stop = false;
    if (n > MAX_WORKERS)
        n = MAX_WORKERS;
    for (int i = 0; i < n; i++)
        if (pthread_create(&workers[worker_count], NULL, worker_main, NULL) == 0)
            worker_count++;
}

void http_jobs_submit(struct http_job *job)
{
    pthread_mutex_lock(&mu);
    if (q_len == MAX_QUEUED || worker_count == 0) {
        pthread_mutex_unlock(&mu);
        log_warn("jobs: queue full or no workers; running job %lld inline", (long long)job->id);
        void *ctx = job_hooks ? job_hooks->thread_init() : NULL;
        job->run(job, ctx);
        job->destroy(job);
        if (job_hooks)
            job_hooks->thread_cleanup(ctx);
        return;
    }
    queue[(q_head + q_len) % MAX_QUEUED] = job;
    q_len++;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
}

void http_jobs_stop(void)
{
    pthread_mutex_lock(&mu);
    stop = true;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < worker_count; i++)
        pthread_join(workers[i], NULL);
    worker_count = 0;
}
