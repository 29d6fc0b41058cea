#include "CKernels.h"
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define KASANE_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define KASANE_PAUSE() __asm__ __volatile__("yield")
#else
#define KASANE_PAUSE() ((void)0)
#endif

uint64_t kasane_load_u64(const uint64_t *word) { return __atomic_load_n(word, __ATOMIC_ACQUIRE); }

void kasane_store_u64(uint64_t *word, uint64_t value) { __atomic_store_n(word, value, __ATOMIC_RELEASE); }

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

// The clock is read every 64 pauses: a pause lasts 10-150 cycles depending on the CPU, so a fixed count would
// spin for very different times.
static int spin(const uint64_t *word, uint64_t value, int want_equal, uint64_t nanoseconds) {
    uint64_t deadline = now_ns() + nanoseconds;
    for (;;) {
        for (int i = 0; i < 64; i++) {
            if ((__atomic_load_n(word, __ATOMIC_ACQUIRE) == value) == want_equal) return 1;
            KASANE_PAUSE();
        }
        if (now_ns() >= deadline) return 0;
    }
}

int kasane_spin_while_equal(const uint64_t *word, uint64_t value, uint64_t nanoseconds) {
    return spin(word, value, 0, nanoseconds);
}

int kasane_spin_until_equal(const uint64_t *word, uint64_t value, uint64_t nanoseconds) {
    return spin(word, value, 1, nanoseconds);
}
