/* proc.c - see proc.h. */
#include "base/proc.h"
#include "base/log.h"
#include "base/time.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Feeds stdin and drains stdout until both are done or time runs out. */
static bool pump(int to_child, int from_child, const unsigned char *in, size_t in_len,
                 struct buf *out, int64_t deadline)
{
    size_t sent = 0;
    bool ok = true, reading = true;
    if (in_len == 0) {
        close(to_child);
        to_child = -1;
    }
    while (reading) {
        int64_t left = deadline - time_mono_ms();
        if (left <= 0) {
            ok = false;
            break;
        }
        struct pollfd p[2] = {{from_child, POLLIN, 0}, {to_child, POLLOUT, 0}};
        int n = poll(p, to_child >= 0 ? 2 : 1, (int)left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ok = false;
            break;
        }
        if (to_child >= 0 && (p[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t w = write(to_child, in + sent, in_len - sent);
            if (w > 0)
                sent += (size_t)w;
            if (w < 0 && errno != EAGAIN && errno != EINTR)
                sent = in_len; /* the child stopped reading */
            if (sent == in_len) {
                close(to_child);
                to_child = -1;
            }
        }
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            char chunk[65536];
            ssize_t r = read(from_child, chunk, sizeof(chunk));
            if (r > 0 && !buf_append(out, chunk, (size_t)r)) {
                ok = false;
                break;
            }
            if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN))
                reading = false;
        }
    }
    if (to_child >= 0)
        close(to_child);
    return ok;
}

bool proc_run(const char *const argv[], const void *in, size_t in_len, struct buf *out,
              int timeout_ms)
{
    int in_pipe[2], out_pipe[2];
    if (pipe2(in_pipe, O_CLOEXEC) != 0)
        return false;
    if (pipe2(out_pipe, O_CLOEXEC) != 0) {
        close(in_pipe[0]);
        close(in_pipe[1]);
        return false;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in_pipe[0]);
    close(out_pipe[1]);
    if (rc != 0) {
        log_error("proc: cannot start %s: %s", argv[0], strerror(rc));
        close(in_pipe[1]);
        close(out_pipe[0]);
        return false;
    }
    /* A child that stops reading must not kill us with SIGPIPE. */
    fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
    bool ok = pump(in_pipe[1], out_pipe[0], in, in_len, out, time_mono_ms() + timeout_ms);
    close(out_pipe[0]);
    if (!ok)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (ok && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        log_error("proc: %s failed (status %d)", argv[0], status);
        ok = false;
    }
    return ok;
}

bool proc_sibling(const char *name, char *out, size_t cap)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0)
        return false;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash == NULL)
        return false;
    *slash = '\0';
    int w = snprintf(out, cap, "%s/%s", self, name);
    return w > 0 && (size_t)w < cap;
}
