// SwiGLU's gate, silu(g)·u, on 16-lane vectors compiled per instruction set (Swift's SIMD8 code runs on SSE lanes
// only, and this was 2% of an evaluation there).
#include <string.h>
#include "CKernels.h"
#include "vector_exp.h"
#include "vector_variants.h"

#define DEFINE_SILU_MULTIPLY(NAME)                                                                              \
    DEFINE_VECTOR_EXP(NAME)                                                                                     \
    static inline __attribute__((always_inline)) void NAME##_one(f16 *gate, const f16 *up) { /* no vector ABI */ \
        f16 e = -*gate;                                                                                         \
        NAME##_exp(&e);                                                                                         \
        *gate = *gate / (1 + e) * *up;                                                                          \
    }                                                                                                           \
    static void NAME(float *gate, const float *up, size_t n) {                                                  \
        size_t i = 0;                                                                                           \
        for (; i + 16 <= n; i += 16) {                                                                          \
            f16 g, u;                                                                                           \
            memcpy(&g, gate + i, sizeof g);                                                                     \
            memcpy(&u, up + i, sizeof u);                                                                       \
            NAME##_one(&g, &u);                                                                                  \
            memcpy(gate + i, &g, sizeof g);                                                                     \
        }                                                                                                       \
        if (i < n) { /* the tail through the same lanes, so a value never depends on where it sits */          \
            f16 g = (f16)0.0f, u = (f16)0.0f;                                                                   \
            memcpy(&g, gate + i, (n - i) * sizeof(float));                                                      \
            memcpy(&u, up + i, (n - i) * sizeof(float));                                                        \
            NAME##_one(&g, &u);                                                                                  \
            memcpy(gate + i, &g, (n - i) * sizeof(float));                                                      \
        }                                                                                                       \
    }

KASANE_DEFINE_VARIANTS(DEFINE_SILU_MULTIPLY, silu_multiply)

void kasane_silu_multiply(int level, float *gate, const float *up, size_t n) {
    KASANE_CALL_VARIANT(silu_multiply, level, gate, up, n);
}
