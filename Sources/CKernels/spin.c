// The worker pool's spin-then-block waits: a woken futex costs tens of microseconds on this kind of machine, which is
// as long as one decoding GEMM, so a worker first watches the job counter, and the caller the count of workers still
// in its job, for a short while.
#include "CKernels.h"
#include <time.h>

static inline void kasane_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static long kasane_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

// Spins until (*word == value) == want_equal or about max_ns have passed; returns whether it got there.
static int kasane_spin(const uint64_t *word, uint64_t value, int want_equal, long max_ns) {
    long deadline = kasane_now_ns() + max_ns;
    for (;;) {
        for (int i = 0; i < 64; i++) {
            if ((__atomic_load_n(word, __ATOMIC_ACQUIRE) == value) == want_equal) return 1;
            kasane_cpu_relax();
        }
        if (kasane_now_ns() >= deadline) return 0;
    }
}

int kasane_spin_while_equal(const uint64_t *word, uint64_t seen, long max_ns) {
    return kasane_spin(word, seen, 0, max_ns);
}

int kasane_spin_until_equal(const uint64_t *word, uint64_t value, long max_ns) {
    return kasane_spin(word, value, 1, max_ns);
}

void kasane_store_release(uint64_t *word, uint64_t value) { __atomic_store_n(word, value, __ATOMIC_RELEASE); }
