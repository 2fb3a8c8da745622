/* A slow disk for benchmarks: every fsync/fdatasync of the process waits SLOW_FSYNC_MS
 * more, and every SLOW_FSYNC_STALL_EVERY-th one SLOW_FSYNC_STALL_MS more (a stall), then
 * does the real one. Build and use (docs/performance.md):
 *
 *   cc -shared -fPIC -O2 -o /tmp/slow_fsync.so bench/slow_fsync.c -ldl
 *   LD_PRELOAD=/tmp/slow_fsync.so SLOW_FSYNC_MS=2 SLOW_FSYNC_STALL_MS=200 \
 *     SLOW_FSYNC_STALL_EVERY=100 .venv/bin/python bench/county.py ...
 *
 * The wait is in the calling thread, as a real disk's is: on eventlet's hub it stops
 * every meeting; in a thread of its own it stops only that thread. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>

static long every_ms(const char *name, long fallback) {
    const char *value = getenv(name);
    return value ? atol(value) : fallback;
}

static void wait_like_a_slow_disk(void) {
    static unsigned long shared;
    long ms = every_ms("SLOW_FSYNC_MS", 0);
    long stall = every_ms("SLOW_FSYNC_STALL_MS", 0);
    long every = every_ms("SLOW_FSYNC_STALL_EVERY", 0);
    unsigned long n = __atomic_add_fetch(&shared, 1, __ATOMIC_RELAXED);
    if (every > 0 && n % (unsigned long)every == 0)
        ms += stall;
    if (ms > 0) {
        struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
        nanosleep(&pause, NULL);
    }
}

int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    wait_like_a_slow_disk();
    return real(fd);
}

int fdatasync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    wait_like_a_slow_disk();
    return real(fd);
}
