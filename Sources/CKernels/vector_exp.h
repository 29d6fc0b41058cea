// The Cephes exp polynomial on 16-lane vectors (Linalg's exp8, about 1 ulp from expf), for the C kernels that
// need it: GELU and attention's softmax. The including file compiles it per instruction set.
#ifndef KASANE_VECTOR_EXP_H
#define KASANE_VECTOR_EXP_H

typedef float f16 __attribute__((ext_vector_type(16)));
typedef int i16 __attribute__((ext_vector_type(16)));

#define SELECT(mask, a, b) ((f16)(((mask) & (i16)(a)) | (~(mask) & (i16)(b))))

// NAME##_exp(&v): e^v in place (by pointer: no vector ABI between functions of different targets).
#define DEFINE_VECTOR_EXP(NAME)                                                                                 \
    static inline __attribute__((always_inline)) void NAME##_exp(f16 *inout) { /* by pointer: no vector ABI */ \
        f16 in = *inout;                                                                                        \
        f16 x0 = __builtin_elementwise_max(__builtin_elementwise_min(in, (f16)88.0f), (f16)-87.0f);            \
        f16 magic = (f16)12582912.0f;                                                                           \
        f16 t = x0 * 1.44269504088896341f + magic;                                                            \
        f16 n = t - magic;                                                                                      \
        f16 x = x0 - n * 0.693359375f;                                                                          \
        x = x - n * -2.12194440e-4f;                                                                            \
        f16 z = x * x;                                                                                          \
        f16 y = (f16)1.9875691500e-4f;                                                                          \
        y = y * x + 1.3981999507e-3f;                                                                           \
        y = y * x + 8.3334519073e-3f;                                                                           \
        y = y * x + 4.1665795894e-2f;                                                                           \
        y = y * x + 1.6666665459e-1f;                                                                           \
        y = y * x + 5.0000001201e-1f;                                                                           \
        y = y * z + x + 1;                                                                                      \
        i16 ni = (i16)t - 0x4B400000;                                                                           \
        *inout = y * (f16)((ni + 127) << 23);                                                                   \
    }

#endif
