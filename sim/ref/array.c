#include "sim/ref/array.h"

#include "sim/ref/fp.h"

uint32_t fast_ref_mac(int bf16, uint32_t acc, uint16_t a, uint16_t w)
{
    if (bf16)
        return fast_ref_fp32_add(acc, fast_ref_bf16_mul(a, w));
    int32_t p = (int32_t)(int8_t)(uint8_t)a * (int32_t)(int8_t)(uint8_t)w;
    return acc + (uint32_t)p;
}

uint32_t fast_ref_acc_add(int bf16, uint32_t old, uint32_t add)
{
    return bf16 ? fast_ref_fp32_add(old, add) : old + add;
}

void fast_ref_matmul(int bf16, int64_t m, int64_t k, int64_t n, const uint16_t *a,
                     const uint16_t *w, uint32_t *out)
{
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) {
            uint32_t acc = 0;
            for (int64_t r = 0; r < k; r++)
                acc = fast_ref_mac(bf16, acc, a[i * k + r], w[r * n + j]);
            out[i * n + j] = acc;
        }
}
