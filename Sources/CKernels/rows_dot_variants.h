// The per-instruction-set entry points defined by rows_dot_template.h and sequential_gemm_template.h (internal to
// CKernels).
#ifndef KASANE_ROWS_DOT_VARIANTS_H
#define KASANE_ROWS_DOT_VARIANTS_H
#include <stddef.h>

#define KASANE_DECLARE_VARIANT(P)                                                                           \
    void P##rows_f32(const float *, size_t, size_t, const void *, size_t, size_t, size_t, float *, size_t, int); \
    void P##rows_bf16(const float *, size_t, size_t, const void *, size_t, size_t, size_t, float *, size_t, int); \
    void P##rows_f16(const float *, size_t, size_t, const void *, size_t, size_t, size_t, float *, size_t, int); \
    void P##widen_f32(const void *, size_t, float *);                                                       \
    void P##widen_bf16(const void *, size_t, float *);                                                      \
    void P##widen_f16(const void *, size_t, float *);                                                       \
    float P##read_sum(const float *, size_t);                                                               \
    void P##sequential_gemm(const float *, size_t, size_t, const float *, size_t, size_t, size_t, float *, size_t, int);

KASANE_DECLARE_VARIANT(kasane_portable_)
#if defined(__x86_64__)
KASANE_DECLARE_VARIANT(kasane_avx2_)
KASANE_DECLARE_VARIANT(kasane_avx512_)
#endif
#endif
