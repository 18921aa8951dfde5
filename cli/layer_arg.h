/* The one-layer arguments that fast compile and fast sim share: the inline layer
 * (gemm:M,K,N or conv:H,W,Cin,Cout,K,stride[,groups], "same" padding), --relu and
 * --requant MULT,SHIFT,ZP, and the tiling as JSON. */
#ifndef FAST_CLI_LAYER_ARG_H
#define FAST_CLI_LAYER_ARG_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "args.h"
#include "core/diag.h"
#include "sim/model/model.h"
#include "sim/ref/layer.h"

/* The fused tail a command's --relu and --requant ask for. */
typedef struct cli_fuse {
    int relu, requant;
    int in_global, out_global; /* --global: tensors kept in the global memory */
    int32_t mult, zp; /* requantize multiplier and zero point (-128..127) */
    int shift;        /* 0..63 */
} cli_fuse;

/* The option-table entries of --relu and --requant, in this order. */
#define CLI_FUSE_OPTS                                                                     \
    {"relu", NULL, "fuse a relu after the layer", 0},                                      \
    {"requant", "MULT,SHIFT,ZP", "fuse requantization to int8 (docs/rtl.md 5.2)", 0},        \
    {"global", "input|output|both", "keep the input, the output or both in the global "     \
     "memory instead of DRAM (docs/isa.md 6)", 0}

/* Reads --relu, --requant and --global into *f. Returns 0, or 2 after printing a usage
 * error. */
int cli_fuse_parse(const cli_args *a, cli_fuse *f);

/* Fills *l with the layer an inline spec describes and the fused tail f. Returns 0, or 2
 * after adding a diagnostic naming the spec. */
int cli_layer_from_spec(const char *spec, const cli_fuse *f, fast_layer *l, fast_diag *d);

/* Adds the fields every tiling object has to o: g, m, k, n, tm, tk, tn, order,
 * double_buffered, split. */
void cli_tiling_fields(cJSON *o, const fast_tiling *t);

/* The tiling of a compiled layer as a JSON object (the fields above and units); the caller
 * owns it. */
cJSON *cli_tiling_json(const fast_tiling *t);

#endif
