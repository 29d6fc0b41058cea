// AVX-512F variant of the row-dot and sequential GEMM kernels: 16 lanes; row-dot tiles of 4 activation rows x 4
// weight rows (16 accumulators of the 32 zmm registers).
#if defined(__x86_64__)
#include <immintrin.h>
#include "CKernels.h"

#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)

// The halving tree: lanes i + i+8, then i + i+4, i + i+2, 0 + 1.
static inline float kasane_avx512_hsum(__m512 v) {
    __m256 high = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
    __m256 h = _mm256_add_ps(_mm512_castps512_ps256(v), high);
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// The same tree for 16 vectors at once (15 additions instead of 60), out[q] = hsum(v[q]) bit for bit.
static inline void kasane_avx512_hsum16(const __m512 *v, float *out) {
    __m512 t[8], u[4], w[2];
    for (int p = 0; p < 8; p++)  // blocks [x0+x2, x1+x3, y0+y2, y1+y3]: lanes i + i+8
        t[p] = _mm512_add_ps(_mm512_shuffle_f32x4(v[2 * p], v[2 * p + 1], 0x44),
                             _mm512_shuffle_f32x4(v[2 * p], v[2 * p + 1], 0xEE));
    for (int r = 0; r < 4; r++)  // block b: output 4r+b, lanes i + i+4
        u[r] = _mm512_add_ps(_mm512_shuffle_f32x4(t[2 * r], t[2 * r + 1], 0x88),
                             _mm512_shuffle_f32x4(t[2 * r], t[2 * r + 1], 0xDD));
    for (int s = 0; s < 2; s++)  // lanes i + i+2 within blocks
        w[s] = _mm512_add_ps(_mm512_shuffle_ps(u[2 * s], u[2 * s + 1], 0x44),
                             _mm512_shuffle_ps(u[2 * s], u[2 * s + 1], 0xEE));
    // lanes 0 + 1: lane 4k + j holds output 4j + k
    __m512 f = _mm512_add_ps(_mm512_shuffle_ps(w[0], w[1], 0x88), _mm512_shuffle_ps(w[0], w[1], 0xDD));
    const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    _mm512_storeu_ps(out, _mm512_permutexvar_ps(order, f));
}

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
#define VBROADCAST(x) _mm512_set1_ps(x)
#define VLOADN(p, r) _mm512_maskz_loadu_ps((__mmask16)((1u << (r)) - 1), p)
#define VSTOREN(p, v, r) _mm512_mask_storeu_ps(p, (__mmask16)((1u << (r)) - 1), v)
#define VHSUM(v) kasane_avx512_hsum(v)
#define VHSUM16(v, out) kasane_avx512_hsum16(v, out)
#define PREFIX kasane_avx512_
#include "rows_dot_template.h"
#include "sequential_gemm_template.h"

DEFINE_VARIANT(4, 4)
DEFINE_SEQUENTIAL_GEMM(6, 4, 2, 8, 8)  // 24 accumulators: 4 vectors of b and 6 broadcasts; the rest 2 rows x 8

#pragma clang attribute pop
#endif
