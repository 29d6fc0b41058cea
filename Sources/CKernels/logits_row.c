// A logits row's summaries for greedy decoding with log-probs, its argmax and log Σ exp, on 16-lane vectors compiled
// per instruction set. Swift's SIMD8 code ran on SSE lanes, 2.5% of an evaluation, all of it on the calling thread
// while the pool's other thread waited.
#include <math.h>
#include <string.h>
#include "CKernels.h"
#include "vector_exp.h"
#include "vector_max.h"
#include "vector_variants.h"

// The first index of the largest entry (as a scan from row[0] keeping the first of equal values).
#define DEFINE_ARGMAX(NAME)                                                                                     \
    DEFINE_VECTOR_MAX(NAME)                                                                                     \
    static size_t NAME(const float *row, size_t n) {                                                            \
        if (n == 0 || row[0] != row[0]) return 0; /* a scan from row[0] keeps a NaN first entry */              \
        int nan;                                                                                                \
        float m = NAME##_max(row, n, &nan);                                                                     \
        size_t i = 0;                                                                                           \
        for (; i + 16 <= n; i += 16) {                                                                          \
            f16 v;                                                                                              \
            memcpy(&v, row + i, sizeof v);                                                                      \
            if (__builtin_reduce_or(v == m) != 0) break;                                                        \
        }                                                                                                       \
        for (; i < n; i++)                                                                                      \
            if (row[i] == m) return i;                                                                          \
        return 0;                                                                                               \
    }

// log Σ e^row[i]: NaN when an entry is NaN or +inf, -inf when all are -inf; every exponential through the same
// lanes whatever its place.
#define DEFINE_LOG_SUM_EXP(NAME)                                                                                \
    DEFINE_VECTOR_EXP(NAME)                                                                                     \
    DEFINE_VECTOR_MAX(NAME)                                                                                     \
    static double NAME(const float *row, size_t n) {                                                            \
        int nan;                                                                                                \
        float m = NAME##_max(row, n, &nan);                                                                     \
        if (nan || m == INFINITY) return NAN;                                                                   \
        if (m == -INFINITY) return -INFINITY;                                                                   \
        double total = 0;                                                                                       \
        size_t i = 0, whole = n - n % 16;                                                                       \
        while (i < whole) { /* lanes summed in fp32 over 512 values at most, then in double */                  \
            f16 block = (f16)0.0f;                                                                              \
            size_t end = i + 512 < whole ? i + 512 : whole;                                                     \
            for (; i < end; i += 16) {                                                                          \
                f16 v;                                                                                          \
                memcpy(&v, row + i, sizeof v);                                                                  \
                v -= m;                                                                                         \
                NAME##_exp(&v);                                                                                 \
                block += v;                                                                                     \
            }                                                                                                   \
            for (int l = 0; l < 16; l++) total += block[l];                                                     \
        }                                                                                                       \
        if (i < n) { /* the tail through the same lanes */                                                      \
            f16 v = (f16)0.0f;                                                                                  \
            memcpy(&v, row + i, (n - i) * sizeof(float));                                                       \
            v -= m;                                                                                             \
            NAME##_exp(&v);                                                                                     \
            for (size_t l = 0; l < n - i; l++) total += v[l];                                                   \
        }                                                                                                       \
        return (double)m + log(total);                                                                          \
    }

KASANE_DEFINE_VARIANTS(DEFINE_ARGMAX, argmax)
KASANE_DEFINE_VARIANTS(DEFINE_LOG_SUM_EXP, log_sum_exp)

// `index = argmax` expands to `index = argmax_avx512(row, n)` and so on: the variant's result is kept.
size_t kasane_argmax(int level, const float *row, size_t n) {
    size_t index = 0;
    KASANE_CALL_VARIANT(index = argmax, level, row, n);
    return index;
}

double kasane_log_sum_exp(int level, const float *row, size_t n) {
    double value = 0;
    KASANE_CALL_VARIANT(value = log_sum_exp, level, row, n);
    return value;
}
