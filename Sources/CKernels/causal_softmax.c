// Attention's softmax over a block of score rows, on 16-lane vectors compiled per instruction set (Swift's SIMD8
// code runs on SSE lanes only, and this was 3% of an evaluation there).
#include <math.h>
#include <string.h>
#include "CKernels.h"
#include "vector_exp.h"
#include "vector_max.h"
#include "vector_variants.h"

// One row in place: x[t] = e^(scale·x[t] − scale·max) / Σ, every value through the same vector lanes whatever its
// place (the tail too), the lanes' sums added in a fixed order.
#define DEFINE_CAUSAL_SOFTMAX(NAME)                                                                             \
    DEFINE_VECTOR_EXP(NAME)                                                                                     \
    DEFINE_VECTOR_MAX(NAME)                                                                                     \
    static void NAME##_row(float *x, size_t n, float scale) {                                                   \
        int nan; /* unused: NaNs are skipped, as Linalg's softmax does */                                       \
        float m = NAME##_max(x, n, &nan);                                                                       \
        size_t i;                                                                                               \
        if (m == -INFINITY) { /* every score masked: a uniform row rather than NaN */                          \
            for (size_t t = 0; t < n; t++) x[t] = 1.0f / (float)n;                                              \
            return;                                                                                             \
        }                                                                                                       \
        float top = m * scale; /* rounding is monotonic: the largest scaled score */                            \
        f16 sums = (f16)0.0f;                                                                                   \
        for (i = 0; i + 16 <= n; i += 16) {                                                                     \
            f16 v;                                                                                              \
            memcpy(&v, x + i, sizeof v);                                                                        \
            v = v * scale - top;                                                                                \
            NAME##_exp(&v);                                                                                     \
            memcpy(x + i, &v, sizeof v);                                                                        \
            sums += v;                                                                                          \
        }                                                                                                       \
        float total = 0;                                                                                        \
        for (int l = 0; l < 16; l++) total += sums[l];                                                          \
        if (i < n) {                                                                                            \
            f16 v = (f16)0.0f;                                                                                  \
            memcpy(&v, x + i, (n - i) * sizeof(float));                                                         \
            v = v * scale - top;                                                                                \
            NAME##_exp(&v);                                                                                     \
            memcpy(x + i, &v, (n - i) * sizeof(float));                                                         \
            for (size_t l = 0; l < n - i; l++) total += v[l];                                                   \
        }                                                                                                       \
        float inverse = 1 / total;                                                                              \
        for (size_t t = 0; t < n; t++) x[t] *= inverse;                                                         \
    }                                                                                                           \
    static void NAME(float *scores, size_t ld, size_t rows, size_t first_seen, size_t visible, float scale) {  \
        for (size_t r = 0; r < rows; r++) {                                                                     \
            float *row = scores + r * ld;                                                                       \
            size_t seen = first_seen + r;                                                                       \
            NAME##_row(row, seen, scale);                                                                       \
            memset(row + seen, 0, (visible - seen) * sizeof(float));                                            \
        }                                                                                                       \
    }

KASANE_DEFINE_VARIANTS(DEFINE_CAUSAL_SOFTMAX, causal_softmax)

void kasane_causal_softmax(int level, float *scores, size_t ld, size_t rows, size_t first_seen, size_t visible,
                           float scale) {
    KASANE_CALL_VARIANT(causal_softmax, level, scores, ld, rows, first_seen, visible, scale);
}
