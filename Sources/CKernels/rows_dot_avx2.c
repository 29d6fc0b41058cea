// AVX2 + FMA + F16C variant of the row-dot and sequential GEMM kernels: 8 lanes; row-dot tiles of 2 activation
// rows x 4 weight rows (8 accumulators, 2 activation and 1 weight register: fits the 16 ymm registers).
#if defined(__x86_64__)
#include <immintrin.h>
#include "CKernels.h"

#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)

// The first r of 8 lanes: the mask is the table read from 8 - r.
static const int32_t kasane_avx2_lanes[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
#define KASANE_AVX2_MASK(r) _mm256_loadu_si256((const __m256i *)(kasane_avx2_lanes + 8 - (r)))

static inline float kasane_avx2_hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

#define VEC __m256
#define V 8
#define VZERO() _mm256_setzero_ps()
#define VLOADA(p) _mm256_loadu_ps(p)
#define VSTORE(p, v) _mm256_storeu_ps(p, v)
#define VLOAD_f32(p) _mm256_loadu_ps(p)
#define VLOAD_bf16(p) \
    _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(p))), 16))
#define VLOAD_f16(p) _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p)))
#define VFMA(acc, a, w) _mm256_fmadd_ps(a, w, acc)
#define VADD(a, b) _mm256_add_ps(a, b)
#define VBROADCAST(x) _mm256_set1_ps(x)
#define VLOADN(p, r) _mm256_maskload_ps(p, KASANE_AVX2_MASK(r))
#define VSTOREN(p, v, r) _mm256_maskstore_ps(p, KASANE_AVX2_MASK(r), v)
#define VHSUM(v) kasane_avx2_hsum(v)
#define PREFIX kasane_avx2_
#include "rows_dot_template.h"
#include "sequential_gemm_template.h"

DEFINE_VARIANT(2, 4)
DEFINE_SEQUENTIAL_GEMM(2, 4, 1, 8, 8)  // 8 accumulators, 4 vectors of b and a broadcast

#pragma clang attribute pop
#endif
