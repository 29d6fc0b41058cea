// The sequential GEMM (both products of attention), written once and compiled per instruction set, like
// rows_dot_template.h (whose macros the including file defines, plus VBROADCAST(x), and VLOADN(p, r) and
// VSTOREN(p, v, r) for the first r lanes only):
//   c[i*ldc + j] = (accumulate ? c[i*ldc + j] : 0) + sum over t < k, in order, of a[i*lda + t] * b[t*ldb + j]
// for rows i < m and columns j < n. Every output is one multiply-add chain over t, whatever the tile that computes
// it, so a row's result never depends on the other rows of the call, and a sum split into two calls (the second
// accumulating) is bit for bit the sum in one call.
#define KSCAT2(a, b) a##b
#define KSCAT(a, b) KSCAT2(a, b)
#define KSNAME(name) KSCAT(PREFIX, name)

// NA rows of a against ND vectors of b's columns (the last one holding only `last` columns, 0 < last <= V),
// over every t: NA·ND accumulators, ND loads of b and NA broadcasts of a per t.
#define DEFINE_SEQ_TILE(NAME, NA, ND)                                                                       \
    static inline __attribute__((always_inline)) void KSNAME(NAME)(                                         \
        const float *a, size_t lda, const float *b, size_t ldb, size_t k, float *c, size_t ldc, int last,   \
        int accumulate) {                                                                                   \
        VEC acc[NA][ND];                                                                                    \
        for (int i = 0; i < NA; i++)                                                                        \
            for (int j = 0; j < ND; j++)                                                                    \
                acc[i][j] = !accumulate ? VZERO()                                                           \
                          : j < ND - 1 || last == V ? VLOADA(c + i * ldc + j * V)                           \
                                                    : VLOADN(c + i * ldc + j * V, last);                    \
        for (size_t t = 0; t < k; t++) {                                                                    \
            VEC bv[ND];                                                                                     \
            for (int j = 0; j < ND; j++)                                                                    \
                bv[j] = j < ND - 1 || last == V ? VLOADA(b + t * ldb + j * V) : VLOADN(b + t * ldb + j * V, last); \
            for (int i = 0; i < NA; i++) {                                                                  \
                VEC ai = VBROADCAST(a[i * lda + t]);                                                        \
                for (int j = 0; j < ND; j++) acc[i][j] = VFMA(acc[i][j], ai, bv[j]);                        \
            }                                                                                               \
        }                                                                                                   \
        for (int i = 0; i < NA; i++)                                                                        \
            for (int j = 0; j < ND; j++) {                                                                  \
                if (j < ND - 1 || last == V) VSTORE(c + i * ldc + j * V, acc[i][j]);                        \
                else VSTOREN(c + i * ldc + j * V, acc[i][j], last);                                         \
            }                                                                                               \
    }

// NA rows over all n columns, as KSNAME(seq_rows_NAME): tiles of ND vectors, then of 4, 2 and 1, the last one partial.
#define DEFINE_SEQ_ROWS(NAME, NA, ND)                                                                       \
    DEFINE_SEQ_TILE(seq_tile_##NAME##_wide, NA, ND)                                                         \
    DEFINE_SEQ_TILE(seq_tile_##NAME##_4, NA, 4)                                                             \
    DEFINE_SEQ_TILE(seq_tile_##NAME##_2, NA, 2)                                                             \
    DEFINE_SEQ_TILE(seq_tile_##NAME##_1, NA, 1)                                                             \
    static void KSNAME(seq_rows_##NAME)(const float *a, size_t lda, const float *b, size_t ldb, size_t k,   \
                                        size_t n, float *c, size_t ldc, int accumulate) {                   \
        size_t j = 0;                                                                                       \
        for (; j + ND * V <= n; j += ND * V)                                                                \
            KSNAME(seq_tile_##NAME##_wide)(a, lda, b + j, ldb, k, c + j, ldc, V, accumulate);               \
        for (; j + 4 * V <= n; j += 4 * V)                                                                  \
            KSNAME(seq_tile_##NAME##_4)(a, lda, b + j, ldb, k, c + j, ldc, V, accumulate);                  \
        for (; j + 2 * V <= n; j += 2 * V)                                                                  \
            KSNAME(seq_tile_##NAME##_2)(a, lda, b + j, ldb, k, c + j, ldc, V, accumulate);                  \
        for (; j < n; j += V)                                                                               \
            KSNAME(seq_tile_##NAME##_1)(a, lda, b + j, ldb, k, c + j, ldc, n - j < V ? (int)(n - j) : V,    \
                                        accumulate);                                                        \
    }

// Every row of a: tiles of NA rows against ND vectors; the rest in tiles of NB rows against NDB vectors (a block's
// last few rows, a few decoding rows: without them, up to NA - 1 rows would each reread all of b alone); then single
// rows against ND1 vectors, as many independent chains as the larger tiles have, so a lone decoding row is not held
// up by FMA latency. NB = 1 leaves the single-row loop nothing to do.
#define DEFINE_SEQUENTIAL_GEMM(NA, ND, NB, NDB, ND1)                                                        \
    DEFINE_SEQ_ROWS(full, NA, ND)                                                                           \
    DEFINE_SEQ_ROWS(rest, NB, NDB)                                                                          \
    DEFINE_SEQ_ROWS(single, 1, ND1)                                                                         \
    void KSNAME(sequential_gemm)(const float *a, size_t lda, size_t m, const float *b, size_t ldb, size_t k, \
                                 size_t n, float *c, size_t ldc, int accumulate) {                          \
        size_t i = 0;                                                                                       \
        for (; i + NA <= m; i += NA)                                                                        \
            KSNAME(seq_rows_full)(a + i * lda, lda, b, ldb, k, n, c + i * ldc, ldc, accumulate);            \
        for (; i + NB <= m; i += NB)                                                                        \
            KSNAME(seq_rows_rest)(a + i * lda, lda, b, ldb, k, n, c + i * ldc, ldc, accumulate);            \
        for (; i < m; i++)                                                                                  \
            KSNAME(seq_rows_single)(a + i * lda, lda, b, ldb, k, n, c + i * ldc, ldc, accumulate);          \
    }
