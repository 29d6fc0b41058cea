// What an own prefill GEMM kernel could gain over OpenBLAS (issue #11), single-threaded, on the shapes of a linear
// layer: C[M][N] = A[M][K] · W[N][K]ᵀ (A = activations, W = a weight matrix, row-major as stored).
//   openblas : cblas_sgemm (it packs W and A on every call)
//   packed   : an AVX-512 14×32 micro-kernel on W packed once beforehand into [N/32][K][32] panels (as it would be
//              if the weights were laid out so at load time); A is packed per 14-row tile
//   repack   : the same kernel, W packed panel by panel inside the call (f32, and bf16 widened while packing)
// Every output element is one fma chain over k = 0..K-1 in the kernels, so a row does not depend on M.
// Build and run (not part of the package; needs libopenblas-dev and an AVX-512 CPU):
//   gcc -O3 -march=native -o /tmp/gemm_probe bench/gemm_probe.c -lopenblas
//   OPENBLAS_NUM_THREADS=1 /tmp/gemm_probe M N K
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cblas.h>
#include "CKernels.h"

#define MR 14
#define NR 32

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

// C[mr rows][32 cols, masked] = rows of A (at `a`, `sa` floats apart, `sk` floats between k) × panel p[K][32].
static inline __attribute__((always_inline)) void tile(const int mr, int K, const float *restrict a, int sa, int sk,
                                                      const float *restrict p, float *restrict c, int ldc,
                                                      __mmask16 m0, __mmask16 m1) {
    __m512 c0[MR], c1[MR];
    for (int i = 0; i < mr; i++) { c0[i] = _mm512_setzero_ps(); c1[i] = _mm512_setzero_ps(); }
    for (int k = 0; k < K; k++) {
        __m512 b0 = _mm512_load_ps(p + k * NR), b1 = _mm512_load_ps(p + k * NR + 16);
        for (int i = 0; i < mr; i++) {
            __m512 x = _mm512_set1_ps(a[i * sa + k * sk]);
            c0[i] = _mm512_fmadd_ps(x, b0, c0[i]);
            c1[i] = _mm512_fmadd_ps(x, b1, c1[i]);
        }
    }
    for (int i = 0; i < mr; i++) {
        _mm512_mask_storeu_ps(c + i * ldc, m0, c0[i]);
        _mm512_mask_storeu_ps(c + i * ldc + 16, m1, c1[i]);
    }
}

static void tiles(int mr, int K, const float *a, int sa, int sk, const float *p, float *c, int ldc, __mmask16 m0,
                  __mmask16 m1) {
    switch (mr) {
#define CASE(n) case n: tile(n, K, a, sa, sk, p, c, ldc, m0, m1); break;
    CASE(1) CASE(2) CASE(3) CASE(4) CASE(5) CASE(6) CASE(7) CASE(8) CASE(9) CASE(10) CASE(11) CASE(12) CASE(13) CASE(14)
    }
}

// Rows n0..n0+nb (nb ≤ 32) of W (f32 or bf16) into one panel p[K][32], zero past nb.
static void pack_panel(int nb, int K, const void *w, int bf16, size_t n0, float *p) {
    for (int j = 0; j < NR; j++) {
        for (int k = 0; k < K; k++) {
            float v = 0;
            if (j < nb && bf16) { uint32_t u = (uint32_t)((const uint16_t *)w)[(n0 + j) * K + k] << 16; memcpy(&v, &u, 4); }
            else if (j < nb) v = ((const float *)w)[(n0 + j) * K + k];
            p[k * NR + j] = v;
        }
    }
}

static void masks(int nb, __mmask16 *m0, __mmask16 *m1) {
    *m0 = nb >= 16 ? 0xFFFF : (__mmask16)((1u << nb) - 1);
    *m1 = nb >= 32 ? 0xFFFF : nb > 16 ? (__mmask16)((1u << (nb - 16)) - 1) : 0;
}

static void gemm_packed(int M, int N, int K, const float *A, const float *Wp, float *C, float *Atile) {
    for (int m = 0; m < M; m += MR) {
        int mr = M - m < MR ? M - m : MR;
        for (int k = 0; k < K; k++) for (int i = 0; i < MR; i++) Atile[k * MR + i] = i < mr ? A[(size_t)(m + i) * K + k] : 0;
        for (int n0 = 0; n0 < N; n0 += NR) {
            __mmask16 m0, m1;
            masks(N - n0 < NR ? N - n0 : NR, &m0, &m1);
            tiles(mr, K, Atile, 1, MR, Wp + (size_t)n0 * K, C + (size_t)m * N + n0, N, m0, m1);
        }
    }
}

static void gemm_repack(int M, int N, int K, const float *A, const void *W, int bf16, float *C, float *panel) {
    for (int n0 = 0; n0 < N; n0 += NR) {
        int nb = N - n0 < NR ? N - n0 : NR;
        __mmask16 m0, m1;
        masks(nb, &m0, &m1);
        pack_panel(nb, K, W, bf16, n0, panel);
        for (int m = 0; m < M; m += MR)
            tiles(M - m < MR ? M - m : MR, K, A + (size_t)m * K, K, 1, panel, C + (size_t)m * N + n0, N, m0, m1);
    }
}

// Kasane's kernels as rowDotGemm calls them: 32 weight rows per task (here one after another on one thread).
static void row_dot(int M, int N, int K, const float *A, const void *W, int bf16, float *C) {
    for (int n0 = 0; n0 < N; n0 += 32)
        kasane_rows_dot(KASANE_LEVEL_AVX512, bf16 ? KASANE_DTYPE_BF16 : KASANE_DTYPE_F32, A, K, M,
                        (const char *)W + (size_t)n0 * K * (bf16 ? 2 : 4), K, N - n0 < 32 ? N - n0 : 32, K, C + n0, N, 0);
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: gemm_probe M N K (N a multiple of 32)\n"); return 2; }
    int M = atoi(argv[1]), N = atoi(argv[2]), K = atoi(argv[3]);
    if (M < 1 || N < 32 || N % NR || K < 1) { fprintf(stderr, "gemm_probe: need M ≥ 1, N a multiple of 32, K ≥ 1\n"); return 2; }
    float *A = aligned_alloc(64, 4L * M * K), *W = aligned_alloc(64, 4L * N * K), *Wp = aligned_alloc(64, 4L * N * K);
    float *C = aligned_alloc(64, 4L * M * N), *C2 = aligned_alloc(64, 4L * M * N);
    float *Atile = aligned_alloc(64, 4L * K * MR), *panel = aligned_alloc(64, 4L * K * NR);
    uint16_t *Wb = aligned_alloc(64, 2L * N * K + 64);
    srand(1);
    for (long i = 0; i < (long)M * K; i++) A[i] = (rand() % 2000 - 1000) / 1000.f;
    for (long i = 0; i < (long)N * K; i++) {   // bf16-exact weights, so all three paths multiply the same values
        float v = (rand() % 2000 - 1000) / 1000.f; uint32_t u; memcpy(&u, &v, 4);
        Wb[i] = u >> 16; u = (uint32_t)Wb[i] << 16; memcpy(&W[i], &u, 4);
    }
    for (int n0 = 0; n0 < N; n0 += NR) pack_panel(NR, K, W, 0, n0, Wp + (size_t)n0 * K);
    double best[6] = {1e9, 1e9, 1e9, 1e9, 1e9, 1e9}, worst = 0;
    for (int r = 0; r < 7; r++) {
        double t = now(); cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1, A, K, W, K, 0, C, N);
        t = now() - t; if (t < best[0]) best[0] = t;
        t = now(); gemm_packed(M, N, K, A, Wp, C2, Atile); t = now() - t; if (t < best[1]) best[1] = t;
        t = now(); gemm_repack(M, N, K, A, W, 0, C2, panel); t = now() - t; if (t < best[2]) best[2] = t;
        t = now(); gemm_repack(M, N, K, A, Wb, 1, C2, panel); t = now() - t; if (t < best[3]) best[3] = t;
        t = now(); row_dot(M, N, K, A, W, 0, C2); t = now() - t; if (t < best[4]) best[4] = t;
        t = now(); row_dot(M, N, K, A, Wb, 1, C2); t = now() - t; if (t < best[5]) best[5] = t;
    }
    for (long i = 0; i < (long)M * N; i++) { double d = C[i] - C2[i]; if (d < 0) d = -d; if (d > worst) worst = d; }
    double flop = 2.0 * M * N * K / 1e9;
    printf("M %4d N %5d K %5d  GFLOP/s: openblas %6.1f  packed %6.1f  repack f32 %6.1f  repack bf16 %6.1f"
           "  row-dot f32 %6.1f  row-dot bf16 %6.1f  (max |diff| %.2g)\n", M, N, K, flop / best[0], flop / best[1],
           flop / best[2], flop / best[3], flop / best[4], flop / best[5], worst);
    return 0;
}
