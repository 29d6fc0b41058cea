// The vector kernels written once on 16-lane clang vectors (GELU, SiLU, the causal softmax): their three compiled
// variants and the call that picks one.
#ifndef KASANE_VECTOR_VARIANTS_H
#define KASANE_VECTOR_VARIANTS_H
#include "CKernels.h"

// DEFINE(NAME##_portable), DEFINE(NAME##_avx2) and DEFINE(NAME##_avx512), each compiled for its instruction set.
#if defined(__x86_64__)
#define KASANE_DEFINE_VARIANTS(DEFINE, NAME)                                                                    \
    DEFINE(NAME##_portable)                                                                                     \
    _Pragma("clang attribute push(__attribute__((target(\"avx2,fma\"))), apply_to = function)")                 \
    DEFINE(NAME##_avx2)                                                                                         \
    _Pragma("clang attribute pop")                                                                              \
    _Pragma("clang attribute push(__attribute__((target(\"avx512f\"))), apply_to = function)")                  \
    DEFINE(NAME##_avx512)                                                                                       \
    _Pragma("clang attribute pop")
#else
#define KASANE_DEFINE_VARIANTS(DEFINE, NAME) DEFINE(NAME##_portable)
#endif

// Calls the variant of NAME for `level`, capped at the best this CPU runs.
#if defined(__x86_64__)
#define KASANE_CALL_VARIANT(NAME, level, ...)                                                                   \
    do {                                                                                                        \
        int best_ = kasane_kernel_best_level(), level_ = (level) < best_ ? (level) : best_;                     \
        if (level_ >= KASANE_LEVEL_AVX512) NAME##_avx512(__VA_ARGS__);                                          \
        else if (level_ >= KASANE_LEVEL_AVX2) NAME##_avx2(__VA_ARGS__);                                         \
        else NAME##_portable(__VA_ARGS__);                                                                      \
    } while (0)
#else
#define KASANE_CALL_VARIANT(NAME, level, ...) NAME##_portable(__VA_ARGS__)
#endif

#endif
