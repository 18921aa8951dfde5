/* Direct C reference of whole layers (docs/isa.md section 7): convolution with padding and
 * stride, grouped and depthwise convolution, GEMM and fully connected, with the fused
 * activation and requantization of the vector unit. Written without tiling, so that a
 * compiled program run on the reference machine can be checked against it bit for bit. */
#ifndef FAST_REF_LAYER_H
#define FAST_REF_LAYER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fast_layer_kind {
    FAST_LAYER_GEMM = 0, /* [m x k] x [k x n]; fully connected is the same */
    FAST_LAYER_CONV = 1  /* NHWC convolution; groups == cin == cout is depthwise */
} fast_layer_kind;

typedef enum fast_layer_act { FAST_ACT_NONE = 0, FAST_ACT_RELU = 1 } fast_layer_act;

/* One layer, int8 operands and int32 accumulation. Invariant for GEMM: m, k, n >= 1. For
 * CONV: batch, h, w, cin, cout, kh, kw, stride >= 1, pads >= 0, groups divides cin and
 * cout, and the output is at least 1x1: ho = (h + pad_top + pad_bottom - kh) / stride + 1,
 * likewise wo. Outputs are int32 unless requant is set, then int8:
 * clamp(round_half_away(acc * mult / 2^shift) + zp, -128, 127) after the activation. */
typedef struct fast_layer {
    fast_layer_kind kind;
    int64_t m, k, n;
    int64_t batch, h, w, cin, cout, kh, kw, stride;
    int64_t pad_top, pad_bottom, pad_left, pad_right, groups;
    fast_layer_act act;
    int requant;
    int32_t mult; /* requantize multiplier, applied to the int32 accumulator */
    int shift;    /* 0..63 */
    int32_t zp;   /* output zero point, -128..127 */
    int in_global, out_global; /* input, output kept in the global memory (else DRAM); the
                                  reference ignores them */
} fast_layer;

/* The layer as an implicit GEMM: g groups of m x k by k x n. */
void fast_layer_gemm_dims(const fast_layer *l, int64_t *g, int64_t *m, int64_t *k,
                          int64_t *n);

/* Output height and width of a conv (1 and m for a GEMM, so that outputs are m rows). */
void fast_layer_out_hw(const fast_layer *l, int64_t *ho, int64_t *wo);

/* Elements of the input (batch*h*w*cin or m*k), weights (cout*kh*kw*cin/groups or k*n) and
 * output (batch*ho*wo*cout or m*n). */
int64_t fast_layer_in_elems(const fast_layer *l);
int64_t fast_layer_w_elems(const fast_layer *l);
int64_t fast_layer_out_elems(const fast_layer *l);

/* Computes the layer directly. in is NHWC [batch][h][w][cin] (or [m][k]); w is
 * [cout][kh][kw][cin/groups] (or [k][n]); out is NHWC [batch][ho][wo][cout] (or [m][n]),
 * int32 values, already requantized to -128..127 when l->requant. Each sum takes its
 * products in ascending (ky, kx, ci), with int32 wrap-around; the activation and
 * requantization are fast_ref_vector_int's. The caller owns every buffer. */
void fast_ref_layer(const fast_layer *l, const int8_t *in, const int8_t *w, int32_t *out);

#ifdef __cplusplus
}
#endif

#endif
