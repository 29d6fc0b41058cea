// The row-dot kernels (every linear layer, at any row count), written once and compiled per instruction set. The
// including file defines
//   VEC, V (lanes), VZERO(), VLOADA(p), VSTORE(p, v), VLOAD_f32/bf16/f16(p), VFMA(acc, a, w), VADD(a, b), VHSUM(v)
// and PREFIX (the name prefix), and may define VHSUM16(v, out): sixteen VHSUMs at once, bit for bit the same. Every
// output is one vector accumulator over whole lanes (added to in the same order whatever the tiling), one fixed
// horizontal sum and a scalar tail, so a result never depends on the row count, the tile that computed it or the
// thread split.
#include "kernel_types.h"
#include "rows_dot_variants.h"

#ifndef VHSUM16
#define VHSUM16(v, out) for (int l_ = 0; l_ < 16; l_++) (out)[l_] = VHSUM((v)[l_])
#endif

#define KCAT2(a, b) a##b
#define KCAT(a, b) KCAT2(a, b)
#define KNAME(name) KCAT(PREFIX, name)

// Activation rows handled per pass over a weight tile (bounds the accumulator buffer), and the k-chunk over which
// a weight tile and the activation rows stay in L1 while every activation row uses them.
#define KASANE_ROW_GROUP 12
#define KASANE_K_CHUNK 512

// Rows of w are read as NW short interleaved streams (1 KB each at k = 512), too short for the hardware prefetcher
// to learn, so the tiles of the first row group ask for the same offset of the next strip's rows, NW rows ahead,
// into L2. Later row groups find those rows in cache, where prefetches only cost (70 rows against 512 f32 rows at
// k = 2048 ran at 64–80 GFLOP/s with them, 87–90 without). A prefetch never faults, also past the last row.
#define KASANE_PREFETCH(p) __builtin_prefetch((const void *)(p), 0, 2)

// NA rows of a against NW rows of w over lanes [t0, t1) (whole vectors), adding into the accumulators acc[i*stride+j].
#define DEFINE_TILE(DT, NA, NW) DEFINE_NAMED_TILE(tile_##DT##_##NA##x##NW, DT, NA, NW)
#define DEFINE_NAMED_TILE(NAME, DT, NA, NW)                                                                 \
    static inline __attribute__((always_inline)) void KNAME(NAME)(                                          \
        const float *a, size_t lda, const DT##_t *w, size_t ldw, size_t t0, size_t t1, VEC *accbuf,         \
        size_t stride, int prefetch) {                                                                      \
        VEC acc[NA][NW];                                                                                    \
        for (int i = 0; i < NA; i++)                                                                        \
            for (int j = 0; j < NW; j++) acc[i][j] = t0 == 0 ? VZERO() : accbuf[i * stride + j];           \
        for (size_t t = t0; t < t1; t += V) {                                                               \
            VEC av[NA];                                                                                     \
            for (int i = 0; i < NA; i++) av[i] = VLOADA(a + i * lda + t);                                   \
            for (int j = 0; j < NW; j++) {                                                                  \
                if (prefetch) KASANE_PREFETCH(w + (j + NW) * ldw + t);                                      \
                VEC wv = VLOAD_##DT(w + j * ldw + t);                                                       \
                for (int i = 0; i < NA; i++) acc[i][j] = VFMA(acc[i][j], av[i], wv);                        \
            }                                                                                               \
        }                                                                                                   \
        for (int i = 0; i < NA; i++)                                                                        \
            for (int j = 0; j < NW; j++) accbuf[i * stride + j] = acc[i][j];                                \
    }

// Up to KASANE_ROW_GROUP rows of a against NW rows of w: k in chunks, activation rows in tiles of TA, then pairs
// and single rows (a single row loads NW weight vectors per activation vector: 13–15 rows ran 5–8% slower than 12
// or 16 without the pairs), then the horizontal sums and the scalar k tail.
#define DEFINE_STRIP(DT, TA, NW)                                                                            \
    DEFINE_TILE(DT, TA, NW)                                                                                 \
    DEFINE_NAMED_TILE(pair_##DT##_##NW, DT, 2, NW)                                                          \
    DEFINE_TILE(DT, 1, NW)                                                                                  \
    static void KNAME(strip_##DT##_##NW)(const float *a, size_t lda, size_t m, const DT##_t *w, size_t ldw, \
                                         int prefetch, size_t k, float *c, size_t ldc, int accumulate) {    \
        VEC acc[KASANE_ROW_GROUP * NW];                                                                     \
        size_t kv = k - k % V;                                                                              \
        if (kv == 0) /* the tiles zero their accumulators at t0 == 0, and none runs */                      \
            for (size_t q = 0; q < m * NW; q++) acc[q] = VZERO();                                           \
        for (size_t t0 = 0; t0 < kv; t0 += KASANE_K_CHUNK) {                                                \
            size_t t1 = t0 + KASANE_K_CHUNK < kv ? t0 + KASANE_K_CHUNK : kv;                                \
            size_t i = 0;                                                                                   \
            for (; i + TA <= m; i += TA)                                                                    \
                KNAME(tile_##DT##_##TA##x##NW)(a + i * lda, lda, w, ldw, t0, t1, acc + i * NW, NW, prefetch); \
            for (; i + 2 <= m; i += 2)                                                                      \
                KNAME(pair_##DT##_##NW)(a + i * lda, lda, w, ldw, t0, t1, acc + i * NW, NW, prefetch);      \
            for (; i < m; i++)                                                                              \
                KNAME(tile_##DT##_1x##NW)(a + i * lda, lda, w, ldw, t0, t1, acc + i * NW, NW, prefetch);    \
        }                                                                                                   \
        float sums[KASANE_ROW_GROUP * NW];                                                                  \
        size_t q = 0;                                                                                       \
        for (; q + 16 <= m * NW; q += 16) VHSUM16(acc + q, sums + q);                                       \
        for (; q < m * NW; q++) sums[q] = VHSUM(acc[q]);                                                    \
        for (size_t i = 0; i < m; i++)                                                                      \
            for (int j = 0; j < NW; j++) {                                                                  \
                float s = sums[i * NW + j];                                                                 \
                for (size_t u = kv; u < k; u++) s += a[i * lda + u] * kasane_scalar_##DT(w[j * ldw + u]);  \
                float *out = c + i * ldc + j;                                                               \
                *out = accumulate ? *out + s : s;                                                           \
            }                                                                                               \
    }

// All rows of a against `rows` rows of w: strips of TW weight rows, then single rows.
#define DEFINE_DRIVER(DT, TA, TW)                                                                           \
    DEFINE_STRIP(DT, TA, TW)                                                                                \
    DEFINE_STRIP(DT, TA, 1)                                                                                 \
    void KNAME(rows_##DT)(const float *a, size_t lda, size_t m, const void *wv, size_t ldw, size_t rows,    \
                          size_t k, float *c, size_t ldc, int accumulate) {                                 \
        const DT##_t *w = (const DT##_t *)wv;                                                               \
        for (size_t i0 = 0; i0 < m; i0 += KASANE_ROW_GROUP) {                                               \
            size_t mm = m - i0 < KASANE_ROW_GROUP ? m - i0 : KASANE_ROW_GROUP;                              \
            const float *ai = a + i0 * lda;                                                                 \
            float *ci = c + i0 * ldc;                                                                       \
            size_t j = 0;                                                                                   \
            for (; j + TW <= rows; j += TW)                                                                 \
                KNAME(strip_##DT##_##TW)(ai, lda, mm, w + j * ldw, ldw, i0 == 0, k, ci + j, ldc, accumulate); \
            for (; j < rows; j++)                                                                           \
                KNAME(strip_##DT##_1)(ai, lda, mm, w + j * ldw, ldw, i0 == 0, k, ci + j, ldc, accumulate);  \
        }                                                                                                   \
    }

// Widening of n stored values to fp32 (embedding rows).
#define DEFINE_WIDEN(DT)                                                                                    \
    void KNAME(widen_##DT)(const void *src, size_t n, float *dst) {                                         \
        const DT##_t *s = (const DT##_t *)src;                                                              \
        size_t t = 0;                                                                                       \
        for (; t + V <= n; t += V) VSTORE(dst + t, VLOAD_##DT(s + t));                                      \
        for (; t < n; t++) dst[t] = kasane_scalar_##DT(s[t]);                                               \
    }

// Sum of n floats through four independent accumulators: a pure streaming read.
#define DEFINE_READ_SUM()                                                                                   \
    float KNAME(read_sum)(const float *src, size_t n) {                                                     \
        VEC s0 = VZERO(), s1 = VZERO(), s2 = VZERO(), s3 = VZERO();                                         \
        size_t t = 0;                                                                                       \
        for (; t + 4 * V <= n; t += 4 * V) {                                                                \
            s0 = VADD(s0, VLOADA(src + t));                                                                 \
            s1 = VADD(s1, VLOADA(src + t + V));                                                             \
            s2 = VADD(s2, VLOADA(src + t + 2 * V));                                                         \
            s3 = VADD(s3, VLOADA(src + t + 3 * V));                                                         \
        }                                                                                                   \
        float s = VHSUM(VADD(VADD(s0, s1), VADD(s2, s3)));                                                  \
        for (; t < n; t++) s += src[t];                                                                     \
        return s;                                                                                           \
    }

// Every entry point of a variant, with tiles of TA activation rows x TW weight rows.
#define DEFINE_VARIANT(TA, TW)                                                                              \
    DEFINE_DRIVER(f32, TA, TW)                                                                              \
    DEFINE_DRIVER(bf16, TA, TW)                                                                             \
    DEFINE_DRIVER(f16, TA, TW)                                                                              \
    DEFINE_WIDEN(f32)                                                                                       \
    DEFINE_WIDEN(bf16)                                                                                      \
    DEFINE_WIDEN(f16)                                                                                       \
    DEFINE_READ_SUM()
