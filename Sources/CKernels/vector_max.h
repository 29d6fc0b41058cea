// The largest entry of a row on 16-lane vectors, for the C kernels that need it: the causal softmax and the logits
// row's summaries. The including file compiles it per instruction set. The maximum is exact, so the lane order does
// not change it.
#ifndef KASANE_VECTOR_MAX_H
#define KASANE_VECTOR_MAX_H
#include <math.h>
#include <string.h>
#include "vector_exp.h"

// NAME##_max(row, n, &nan): the largest of row[0..<n] (NaNs skipped, -inf when all are); nan set when any is NaN.
#define DEFINE_VECTOR_MAX(NAME)                                                                                 \
    static inline __attribute__((always_inline)) float NAME##_max(const float *row, size_t n, int *nan) {       \
        f16 lanes = (f16)(-INFINITY);                                                                           \
        i16 nans = (i16)0;                                                                                      \
        size_t i = 0;                                                                                           \
        for (; i + 16 <= n; i += 16) {                                                                          \
            f16 v;                                                                                              \
            memcpy(&v, row + i, sizeof v);                                                                      \
            lanes = __builtin_elementwise_max(lanes, v);                                                        \
            nans |= v != v;                                                                                     \
        }                                                                                                       \
        float m = -INFINITY;                                                                                    \
        for (int l = 0; l < 16; l++) m = lanes[l] > m ? lanes[l] : m;                                           \
        *nan = __builtin_reduce_or(nans) != 0;                                                                  \
        for (; i < n; i++) {                                                                                    \
            m = row[i] > m ? row[i] : m;                                                                        \
            *nan |= row[i] != row[i];                                                                           \
        }                                                                                                       \
        return m;                                                                                               \
    }

#endif
