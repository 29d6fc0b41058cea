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
/// a few fp32 rows against `rows` stored weight rows of `dtype`, accumulated in fp32. `ldw` counts elements.
/// A level above `kasane_kernel_best_level()` runs the best one instead.
void kasane_rows_dot(int level, int dtype, const float *a, size_t lda, size_t m, const void *w, size_t ldw,
                     size_t rows, size_t k, float *c, size_t ldc, int accumulate);

/// Widens `n` stored values of `dtype` to fp32 (exact).
void kasane_widen(int level, int dtype, const void *src, size_t n, float *dst);

/// Sums `n` floats with wide vector loads (the read-bandwidth probe of `kasane doctor`).
float kasane_read_sum(int level, const float *src, size_t n);

/// Atomic 64-bit words shared by the worker pool's threads (C11 atomics; Swift reads and writes them only here).
uint64_t kasane_load_u64(const uint64_t *word);
void kasane_store_u64(uint64_t *word, uint64_t value);

/// Waits on the CPU, for at most `nanoseconds`, until `*word != value` (`until_equal`: until `*word == value`).
/// Returns 1 when that happened in time, 0 otherwise (then the caller sleeps on its condition variable).
int kasane_spin_while_equal(const uint64_t *word, uint64_t value, uint64_t nanoseconds);
int kasane_spin_until_equal(const uint64_t *word, uint64_t value, uint64_t nanoseconds);

#endif
