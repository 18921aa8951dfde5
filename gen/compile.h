/* The layer compiler (docs/isa.md section 6): turns one layer, a configuration and the
 * tiling the analytical model chose for it into an instruction program and the layout of
 * the layer's tensors in external memory. Conv lowers to GEMM by im2col done in the LOADs
 * (strides and zero padding); blocks follow the tiling's tm, tk, tn and loop order; double
 * buffering, when the tiling has it, is written in the program with tokens. */
#ifndef FAST_COMPILE_H
#define FAST_COMPILE_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arch.h"
#include "core/diag.h"
#include "core/isa.h"
#include "sim/model/model.h"
#include "sim/ref/layer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where one tensor lives in external memory. Invariant: addr is a multiple of 64;
 * bytes = product of shape[0 .. rank) * elem_bytes; order names the dimensions, outermost
 * first, the last contiguous. */
typedef struct fast_tensor_place {
    const char *name;  /* "input", "weights", "output" */
    int64_t addr;      /* the external address: DRAM byte addr, or global memory byte
                          addr - FAST_GLOBAL_BASE when global */
    int global;        /* 1: in the global memory */
    int64_t bytes;
    int elem_bytes;    /* 1 int8, 4 int32 */
    const char *elem;  /* "int8" or "int32" */
    int rank;
    int64_t shape[4];
    const char *order; /* "NHWC", "MK", "GKN", "MN" */
} fast_tensor_place;

/* The external-memory images of a compiled layer: input, weights, output, in that order,
 * each in DRAM or (input and output, when the layer asks) in the global memory. */
typedef struct fast_layout {
    fast_tensor_place t[3];
    int64_t dram_bytes;   /* the DRAM image size the program needs */
    int64_t global_bytes; /* the global memory image size, 0 when it uses none */
} fast_layout;

/* The offset of tensor p in a host buffer holding the DRAM image followed by the global
 * memory image (dram_bytes + global_bytes bytes). */
int64_t fast_layout_offset(const fast_layout *lay, const fast_tensor_place *p);

/* A compiled layer. Invariant: insns[0 .. n) pass fast_isa_check and end with END; the
 * counts by_op sum to n; model_cycles is the analytical model's price of this layer. */
typedef struct fast_compiled {
    fast_insn *insns;
    size_t n;
    int64_t by_op[FAST_ISA_OP_COUNT];
    fast_layout layout;
    fast_tiling tiling;     /* the tiling the program follows */
    int64_t model_cycles;   /* docs/model.md price of the program's GEMM (vector tail and
                               stored output type included) */
    fast_unit model_unit;   /* where a network's model maps the layer (a depthwise conv may
                               be VECTOR; it is compiled on the arrays all the same) */
    fast_bound model_bound; /* COMPUTE when the arrays' work alone is at least 90% of
                               model_cycles, else MEMORY (docs/sim.md 6) */
} fast_compiled;

/* Compiles l for a (validated) with the tiling fast_model_eval chooses for it. Fills *c,
 * which the caller frees with fast_compiled_free; on error (kind "compile": a layer the
 * ISA cannot express, a field beyond its range, no tiling) returns FAST_EINPUT with
 * diagnostics and leaves *c empty. */
fast_status fast_compile_layer(const fast_arch *a, const fast_layer *l, fast_compiled *c,
                               fast_diag *d);

/* The same with a given tiling (for tests of other tilings); t must have the fields of a
 * fast_tiling the model returns for this layer: g, m, k, n per array, tm, tk, tn, order,
 * double_buffered, split and units. */
fast_status fast_compile_layer_tiled(const fast_arch *a, const fast_layer *l,
                                     const fast_tiling *t, fast_compiled *c, fast_diag *d);

/* The model's tiling and cycles for l on a (as fast_compile_layer uses them), and what
 * bounds them (bound may be NULL); returns FAST_OK or FAST_EINPUT with a diagnostic. */
fast_status fast_compile_model(const fast_arch *a, const fast_layer *l, fast_tiling *t,
                               int64_t *cycles, fast_unit *unit, fast_bound *bound,
                               fast_diag *d);

/* Frees what *c holds and empties it; NULL is a no-op. */
void fast_compiled_free(fast_compiled *c);

/* Writes the weights w of l (natural layout, see fast_ref_layer) into the image at the
 * weights' place, as the layout's GKN order wants: element (g, k, n) is w of output channel
 * g * n_per_group + n at (ky, kx, ci) with k = (ky * kw + kx) * cin/groups + ci. */
void fast_layout_pack_weights(const fast_layer *l, const fast_layout *lay, const int8_t *w,
                              uint8_t *image);

/* The layout as JSON ({"dram_bytes", "global_bytes", "tensors": [{name, memory, addr,
 * bytes, elem, shape, order}]});
 * the caller frees it with cJSON_Delete; NULL when out of memory. */
cJSON *fast_layout_to_json(const fast_layout *lay);

#ifdef __cplusplus
}
#endif

#endif
