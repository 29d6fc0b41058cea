// Chooses the kernel variant at run time: AVX-512F, AVX2+FMA+F16C, or the portable one.
#include "CKernels.h"
#include "rows_dot_variants.h"

typedef void (*kasane_rows_fn)(const float *, size_t, size_t, const void *, size_t, size_t, size_t, float *, size_t, int);
typedef void (*kasane_widen_fn)(const void *, size_t, float *);
typedef float (*kasane_sum_fn)(const float *, size_t);
typedef void (*kasane_sequential_gemm_fn)(const float *, size_t, size_t, const float *, size_t, size_t, size_t, float *,
                                          size_t, int);

typedef struct {
    kasane_rows_fn rows[3];   // by KASANE_DTYPE_*
    kasane_widen_fn widen[3];
    kasane_sum_fn sum;
    kasane_sequential_gemm_fn sequential_gemm;
} kasane_variant;

#define KASANE_VARIANT(P) \
    { {P##rows_f32, P##rows_bf16, P##rows_f16}, {P##widen_f32, P##widen_bf16, P##widen_f16}, P##read_sum, \
      P##sequential_gemm }

static const kasane_variant kasane_variants[] = {
    KASANE_VARIANT(kasane_portable_),
#if defined(__x86_64__)
    KASANE_VARIANT(kasane_avx2_),
    KASANE_VARIANT(kasane_avx512_),
#endif
};

int kasane_kernel_best_level(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return KASANE_LEVEL_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c"))
        return KASANE_LEVEL_AVX2;
#endif
    return KASANE_LEVEL_PORTABLE;
}

static const kasane_variant *kasane_variant_for(int level) {
    static int best = -1;  // benign race: every thread computes the same value
    if (best < 0) best = kasane_kernel_best_level();
    if (level > best) level = best;
    if (level < 0) level = 0;
    return &kasane_variants[level];
}

void kasane_rows_dot(int level, int dtype, const float *a, size_t lda, size_t m, const void *w, size_t ldw,
                     size_t rows, size_t k, float *c, size_t ldc, int accumulate) {
    if (dtype < 0 || dtype > 2 || m == 0 || rows == 0) return;
    kasane_variant_for(level)->rows[dtype](a, lda, m, w, ldw, rows, k, c, ldc, accumulate);
}

void kasane_widen(int level, int dtype, const void *src, size_t n, float *dst) {
    if (dtype < 0 || dtype > 2 || n == 0) return;
    kasane_variant_for(level)->widen[dtype](src, n, dst);
}

float kasane_read_sum(int level, const float *src, size_t n) { return kasane_variant_for(level)->sum(src, n); }

void kasane_sequential_gemm(int level, const float *a, size_t lda, size_t m, const float *b, size_t ldb, size_t k,
                            size_t n, float *c, size_t ldc, int accumulate) {
    if (m == 0 || n == 0) return;
    kasane_variant_for(level)->sequential_gemm(a, lda, m, b, ldb, k, n, c, ldc, accumulate);
}
