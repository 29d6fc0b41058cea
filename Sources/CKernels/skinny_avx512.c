// AVX-512F variant of the few-row kernels: 16 lanes, tiles of 4 activation rows x 4 weight rows
// (16 accumulators of the 32 zmm registers).
#if defined(__x86_64__)
#include <immintrin.h>
#include "CKernels.h"

#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)

#define VEC __m512
#define V 16
#define VZERO() _mm512_setzero_ps()
#define VLOADA(p) _mm512_loadu_ps(p)
#define VSTORE(p, v) _mm512_storeu_ps(p, v)
#define VLOAD_f32(p) _mm512_loadu_ps(p)
#define VLOAD_bf16(p) \
    _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(p))), 16))
#define VLOAD_f16(p) _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(p)))
#define VFMA(acc, a, w) _mm512_fmadd_ps(a, w, acc)
#define VADD(a, b) _mm512_add_ps(a, b)
#define VHSUM(v) _mm512_reduce_add_ps(v)
#define PREFIX kasane_avx512_
#include "skinny_template.h"

DEFINE_VARIANT(4, 4)

#pragma clang attribute pop
#endif
