// The worker pool's spin-then-block wait: a woken futex costs tens of microseconds on this kind of machine, which is
// as long as one decoding GEMM, so a worker first watches the job counter for a short while.
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

int kasane_spin_while_equal(const uint64_t *word, uint64_t seen, long max_ns) {
    long deadline = kasane_now_ns() + max_ns;
    for (;;) {
        for (int i = 0; i < 64; i++) {
            if (__atomic_load_n(word, __ATOMIC_ACQUIRE) != seen) return 1;
            kasane_cpu_relax();
        }
        if (kasane_now_ns() >= deadline) return 0;
    }
}

void kasane_store_release(uint64_t *word, uint64_t value) { __atomic_store_n(word, value, __ATOMIC_RELEASE); }
