#ifndef KASANE_CKERNELS_H
#define KASANE_CKERNELS_H
#include <stddef.h>
#include <stdint.h>

/// CPUs in the calling thread's affinity mask, or 0 where that cannot be read.
int kasane_affinity_cpus(void);

/// Storage types of weight rows.
enum { KASANE_DTYPE_F32 = 0, KASANE_DTYPE_BF16 = 1, KASANE_DTYPE_F16 = 2 };

/// Kernel variants, in increasing order of capability.
enum { KASANE_LEVEL_PORTABLE = 0, KASANE_LEVEL_AVX2 = 1, KASANE_LEVEL_AVX512 = 2 };

/// The best variant this CPU (and OS) runs.
int kasane_kernel_best_level(void);

/// `c[i*ldc + j] = (accumulate ? c[i*ldc + j] : 0) + sum_t a[i*lda + t] * w[j*ldw + t]` for i < m, j < rows:
/// fp32 rows against `rows` stored weight rows of `dtype`, accumulated in fp32. `ldw` counts elements.
/// A level above `kasane_kernel_best_level()` runs the best one instead.
void kasane_rows_dot(int level, int dtype, const float *a, size_t lda, size_t m, const void *w, size_t ldw,
                     size_t rows, size_t k, float *c, size_t ldc, int accumulate);

/// `c[i*ldc + j] = (accumulate ? c[i*ldc + j] : 0) + sum_t a[i*lda + t] * b[t*ldb + j]` for i < m, j < n, t < k
/// (attention's Q·Kᵀ over transposed keys, and P·V): each output one multiply-add chain over t in order, so rows
/// are independent of each other and a sum split over two calls (the second accumulating) equals the sum in one
/// call, bit for bit.
void kasane_sequential_gemm(int level, const float *a, size_t lda, size_t m, const float *b, size_t ldb, size_t k,
                            size_t n, float *c, size_t ldc, int accumulate);

/// Attention's causal softmax over `rows` score rows `ld` apart, each `visible` long: row r over its first
/// `first_seen + r` scores `x` as softmax(scale · x), the rest set to 0 (keys after the row's position).
void kasane_causal_softmax(int level, float *scores, size_t ld, size_t rows, size_t first_seen, size_t visible,
                           float scale);

/// SwiGLU in place: `gate[i] = silu(gate[i]) · up[i]` with silu(z) = z / (1 + e^-z), for i < n.
void kasane_silu_multiply(int level, float *gate, const float *up, size_t n);

/// The first index of the largest of `row[0..<n]` (NaNs skipped; 0 when row[0] is NaN, as a scan from row[0] with
/// `>` gives).
size_t kasane_argmax(int level, const float *row, size_t n);

/// log Σ e^row[i] over i < n: the maximum m exact, each e^(row[i] − m) from the Cephes polynomial (about 1 ulp of
/// expf), lanes summed in fp32 over at most 512 values, then in double. NaN when an entry is NaN or +inf; -inf when
/// n is 0 or every entry is -inf.
double kasane_log_sum_exp(int level, const float *row, size_t n);

/// Widens `n` stored values of `dtype` to fp32 (exact).
void kasane_widen(int level, int dtype, const void *src, size_t n, float *dst);

/// The exact (erf) GELU in place on `n` floats, on the widest lanes `level` allows (Linalg's geluInPlace formula;
/// fused multiply-adds may change the last bits).
void kasane_gelu(int level, float *x, size_t n);

/// Sums `n` floats with wide vector loads (the read-bandwidth probe of `kasane doctor`).
float kasane_read_sum(int level, const float *src, size_t n);

/// Waits, spinning with the CPU's pause hint, until `*word != seen` or about `max_ns` nanoseconds have passed;
/// returns whether it changed (an acquire load). The worker pool's short wait before it blocks.
int kasane_spin_while_equal(const uint64_t *word, uint64_t seen, long max_ns);

/// Waits, spinning with the CPU's pause hint, until `*word == value` or about `max_ns` nanoseconds have passed;
/// returns whether it got there (an acquire load). The pool's caller waiting for workers to leave its job.
int kasane_spin_until_equal(const uint64_t *word, uint64_t value, long max_ns);

/// Stores `value` to `*word` with release order (publishes a job to spinning workers).
void kasane_store_release(uint64_t *word, uint64_t value);

#endif
