// The exact (erf) GELU of Linalg's geluInPlace (Numerical Recipes' erfc on the Cephes exp), written once on
// 16-lane vectors and compiled for AVX-512F, AVX2+FMA and plain SSE: Swift's SIMD8 code runs on SSE lanes only.
#include "CKernels.h"

#include "vector_exp.h"
#include "vector_variants.h"

#define DEFINE_GELU(NAME)                                                                                     \
    DEFINE_VECTOR_EXP(NAME)                                                                                   \
    static inline __attribute__((always_inline)) void NAME##_one(f16 *inout) {                                \
        f16 x = *inout;                                                                                       \
        f16 z = x * -0.70710678118654752f;                                                                      \
        i16 negative = z < 0;                                                                                   \
        f16 magnitude = __builtin_elementwise_abs(z);                                                          \
        i16 saturated = magnitude > 9; /* erfc(9) < 1e-36: 0, so the tail never turns subnormal */            \
        f16 a = __builtin_elementwise_min(magnitude, (f16)9.0f);                                              \
        f16 t = 1 / (1 + 0.5f * a);                                                                             \
        f16 p = (f16)0.17087277f;                                                                               \
        p = p * t + -0.82215223f;                                                                               \
        p = p * t + 1.48851587f;                                                                                \
        p = p * t + -1.13520398f;                                                                               \
        p = p * t + 0.27886807f;                                                                                \
        p = p * t + -0.18628806f;                                                                               \
        p = p * t + 0.09678418f;                                                                                \
        p = p * t + 0.37409196f;                                                                                \
        p = p * t + 1.00002368f;                                                                                \
        p = p * t + -1.26551223f;                                                                               \
        f16 e = p - a * a;                                                                                      \
        NAME##_exp(&e);                                                                                         \
        f16 tail = SELECT(saturated, (f16)0.0f, t * e);                                                         \
        f16 erfc = SELECT(negative, 2 - tail, tail);                                                            \
        *inout = 0.5f * x * erfc;                                                                               \
    }                                                                                                           \
    static void NAME(float *x, size_t n) {                                                                      \
        size_t i = 0;                                                                                           \
        for (; i + 16 <= n; i += 16) {                                                                          \
            f16 v;                                                                                              \
            __builtin_memcpy(&v, x + i, sizeof v);                                                              \
            NAME##_one(&v);                                                                                     \
            __builtin_memcpy(x + i, &v, sizeof v);                                                              \
        }                                                                                                       \
        if (i < n) { /* the tail through the same lanes, so a value never depends on where it sits */          \
            f16 v = (f16)0.0f;                                                                                  \
            __builtin_memcpy(&v, x + i, (n - i) * sizeof(float));                                               \
            NAME##_one(&v);                                                                                     \
            __builtin_memcpy(x + i, &v, (n - i) * sizeof(float));                                               \
        }                                                                                                       \
    }

KASANE_DEFINE_VARIANTS(DEFINE_GELU, gelu)

void kasane_gelu(int level, float *x, size_t n) {
    KASANE_CALL_VARIANT(gelu, level, x, n);
}
