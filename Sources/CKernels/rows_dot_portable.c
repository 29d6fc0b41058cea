// Portable variant of the row-dot and sequential GEMM kernels: 8-lane accumulators as plain arrays, which the
// compiler vectorises for the baseline instruction set (SSE2 on x86-64, NEON on arm64). Row-dot tiles of 2
// activation rows x 4 weight rows.
#include "CKernels.h"
#include "kernel_types.h"

typedef struct { float v[8]; } kasane_vec8;

static inline kasane_vec8 kasane_v8_zero(void) {
    kasane_vec8 r;
    for (int l = 0; l < 8; l++) r.v[l] = 0;
    return r;
}
static inline kasane_vec8 kasane_v8_load(const float *p) {
    kasane_vec8 r;
    memcpy(r.v, p, sizeof r.v);
    return r;
}
static inline void kasane_v8_store(float *p, kasane_vec8 v) { memcpy(p, v.v, sizeof v.v); }
static inline kasane_vec8 kasane_v8_load_n(const float *p, int r) {
    kasane_vec8 v = kasane_v8_zero();
    memcpy(v.v, p, (size_t)r * sizeof(float));
    return v;
}
static inline void kasane_v8_store_n(float *p, kasane_vec8 v, int r) { memcpy(p, v.v, (size_t)r * sizeof(float)); }
static inline kasane_vec8 kasane_v8_broadcast(float x) {
    kasane_vec8 r;
    for (int l = 0; l < 8; l++) r.v[l] = x;
    return r;
}
static inline kasane_vec8 kasane_v8_load_bf16(const bf16_t *p) {
    kasane_vec8 r;
    for (int l = 0; l < 8; l++) r.v[l] = kasane_scalar_bf16(p[l]);
    return r;
}
static inline kasane_vec8 kasane_v8_load_f16(const f16_t *p) {
    kasane_vec8 r;
    for (int l = 0; l < 8; l++) r.v[l] = kasane_scalar_f16(p[l]);
    return r;
}
static inline kasane_vec8 kasane_v8_fma(kasane_vec8 acc, kasane_vec8 a, kasane_vec8 w) {
    for (int l = 0; l < 8; l++) acc.v[l] += a.v[l] * w.v[l];
    return acc;
}
static inline kasane_vec8 kasane_v8_add(kasane_vec8 a, kasane_vec8 b) {
    for (int l = 0; l < 8; l++) a.v[l] += b.v[l];
    return a;
}
static inline float kasane_v8_hsum(kasane_vec8 v) {
    return ((v.v[0] + v.v[4]) + (v.v[2] + v.v[6])) + ((v.v[1] + v.v[5]) + (v.v[3] + v.v[7]));
}

#define VEC kasane_vec8
#define V 8
#define VZERO() kasane_v8_zero()
#define VLOADA(p) kasane_v8_load(p)
#define VSTORE(p, v) kasane_v8_store(p, v)
#define VLOAD_f32(p) kasane_v8_load(p)
#define VLOAD_bf16(p) kasane_v8_load_bf16(p)
#define VLOAD_f16(p) kasane_v8_load_f16(p)
#define VFMA(acc, a, w) kasane_v8_fma(acc, a, w)
#define VADD(a, b) kasane_v8_add(a, b)
#define VBROADCAST(x) kasane_v8_broadcast(x)
#define VLOADN(p, r) kasane_v8_load_n(p, r)
#define VSTOREN(p, v, r) kasane_v8_store_n(p, v, r)
#define VHSUM(v) kasane_v8_hsum(v)
#define PREFIX kasane_portable_
#include "rows_dot_template.h"
#include "sequential_gemm_template.h"

DEFINE_VARIANT(2, 4)
DEFINE_SEQUENTIAL_GEMM(2, 4, 1, 4, 4)
