// Element types of stored weights and their exact scalar widening to fp32 (shared by every instruction set).
#ifndef KASANE_KERNEL_TYPES_H
#define KASANE_KERNEL_TYPES_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef float f32_t;
typedef uint16_t bf16_t;
typedef uint16_t f16_t;

static inline float kasane_bits_to_float(uint32_t bits) {
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static inline float kasane_scalar_f32(f32_t x) { return x; }

// bf16 is the upper half of an fp32.
static inline float kasane_scalar_bf16(bf16_t x) { return kasane_bits_to_float((uint32_t)x << 16); }

// IEEE half to fp32, exact for every value (subnormals, inf, NaN payloads).
static inline float kasane_scalar_f16(f16_t x) {
    uint32_t sign = (uint32_t)(x & 0x8000) << 16;
    uint32_t magnitude = x & 0x7FFF;
    if (magnitude >= 0x7C00) return kasane_bits_to_float(sign | 0x7F800000u | ((magnitude & 0x3FF) << 13));
    if (magnitude >= 0x0400) return kasane_bits_to_float(sign | ((magnitude << 13) + 0x38000000u));
    float f = (float)magnitude * 5.960464477539063e-08f;  // subnormal: magnitude * 2^-24
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    return kasane_bits_to_float(sign | bits);
}
#endif
