/* Direct layer reference: nested loops over outputs and the reduction. */
#include "sim/ref/layer.h"

#include <stddef.h>

#include "sim/ref/vector.h"

void fast_layer_out_hw(const fast_layer *l, int64_t *ho, int64_t *wo)
{
    if (l->kind == FAST_LAYER_GEMM) {
        *ho = 1;
        *wo = l->m;
        return;
    }
    *ho = (l->h + l->pad_top + l->pad_bottom - l->kh) / l->stride + 1;
    *wo = (l->w + l->pad_left + l->pad_right - l->kw) / l->stride + 1;
}

void fast_layer_gemm_dims(const fast_layer *l, int64_t *g, int64_t *m, int64_t *k, int64_t *n)
{
    if (l->kind == FAST_LAYER_GEMM) {
        *g = 1, *m = l->m, *k = l->k, *n = l->n;
        return;
    }
    int64_t ho, wo;
    fast_layer_out_hw(l, &ho, &wo);
    *g = l->groups;
    *m = l->batch * ho * wo;
    *k = l->kh * l->kw * (l->cin / l->groups);
    *n = l->cout / l->groups;
}

int64_t fast_layer_in_elems(const fast_layer *l)
{
    return l->kind == FAST_LAYER_GEMM ? l->m * l->k : l->batch * l->h * l->w * l->cin;
}

int64_t fast_layer_w_elems(const fast_layer *l)
{
    return l->kind == FAST_LAYER_GEMM ? l->k * l->n
                                      : l->cout * l->kh * l->kw * (l->cin / l->groups);
}

int64_t fast_layer_out_elems(const fast_layer *l)
{
    int64_t g, m, k, n;
    fast_layer_gemm_dims(l, &g, &m, &k, &n);
    return m * g * n;
}

/* The fused tail: activation then requantization, as the vector unit does them. */
static int32_t finish(const fast_layer *l, uint32_t acc)
{
    if (l->act == FAST_ACT_RELU)
        acc = fast_ref_vector_int(FAST_VOP_RELU, acc, 0, 0, NULL);
    if (l->requant) {
        fast_vector_scalars s = {.zp = l->zp, .shift = l->shift, .lo = -128, .hi = 127};
        acc = fast_ref_vector_int(FAST_VOP_REQUANT, acc, (uint32_t)l->mult, 0, &s);
    }
    return (int32_t)acc;
}

void fast_ref_layer(const fast_layer *l, const int8_t *in, const int8_t *w, int32_t *out)
{
    if (l->kind == FAST_LAYER_GEMM) {
        for (int64_t i = 0; i < l->m; i++)
            for (int64_t j = 0; j < l->n; j++) {
                uint32_t s = 0;
                for (int64_t q = 0; q < l->k; q++)
                    s += (uint32_t)((int32_t)in[i * l->k + q] * (int32_t)w[q * l->n + j]);
                out[i * l->n + j] = finish(l, s);
            }
        return;
    }
    int64_t ho, wo;
    fast_layer_out_hw(l, &ho, &wo);
    int64_t cg = l->cin / l->groups, ng = l->cout / l->groups;
    for (int64_t b = 0; b < l->batch; b++)
        for (int64_t oy = 0; oy < ho; oy++)
            for (int64_t ox = 0; ox < wo; ox++)
                for (int64_t co = 0; co < l->cout; co++) {
                    int64_t gi = co / ng;
                    uint32_t s = 0;
                    for (int64_t ky = 0; ky < l->kh; ky++)
                        for (int64_t kx = 0; kx < l->kw; kx++)
                            for (int64_t ci = 0; ci < cg; ci++) {
                                int64_t iy = oy * l->stride + ky - l->pad_top;
                                int64_t ix = ox * l->stride + kx - l->pad_left;
                                int32_t a = 0;
                                if (iy >= 0 && iy < l->h && ix >= 0 && ix < l->w)
                                    a = in[((b * l->h + iy) * l->w + ix) * l->cin + gi * cg + ci];
                                int32_t wv = w[((co * l->kh + ky) * l->kw + kx) * cg + ci];
                                s += (uint32_t)(a * wv);
                            }
                    out[((b * ho + oy) * wo + ox) * l->cout + co] = finish(l, s);
                }
}
