/* fast compile: one layer -> program.bin, program.s and layout.json (docs/isa.md 6). */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "commands.h"
#include "core/arch.h"
#include "core/util.h"
#include "gen/asm.h"
#include "gen/compile.h"
#include "out.h"
#include "workloads/workload.h"

static const char *const out_files[] = {"program.bin", "program.s", "layout.json", NULL};

/* The layer an inline spec describes (gemm:M,K,N or conv:H,W,Cin,Cout,K,stride[,groups],
 * with TensorFlow "same" padding). Returns 0, or 2 after a diagnostic. */
static int layer_from_spec(const char *spec, fast_layer *l, fast_diag *d)
{
    fast_graph *g = fast_workload_inline(spec, 1, d);
    if (!g)
        return 2;
    memset(l, 0, sizeof *l);
    const fast_op *op = &g->ops[0];
    const fast_shape *x = &g->tensors[op->inputs[0]].shape;
    if (op->type == FAST_OP_FC) {
        l->kind = FAST_LAYER_GEMM;
        l->m = x->d[1];
        l->k = x->d[2];
        l->n = op->attrs.units;
    } else {
        const fast_conv_attrs *c = &op->attrs.conv;
        l->kind = FAST_LAYER_CONV;
        l->batch = x->d[0], l->h = x->d[1], l->w = x->d[2], l->cin = x->d[3];
        l->cout = c->cout, l->kh = c->kh, l->kw = c->kw, l->stride = c->stride_h;
        l->pad_top = c->pad_top, l->pad_bottom = c->pad_bottom;
        l->pad_left = c->pad_left, l->pad_right = c->pad_right;
        l->groups = c->groups;
    }
    fast_graph_destroy(g);
    return 0;
}

/* 1 when dir holds only files that fast compile writes. */
static int dir_is_ours(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return 0;
    int ours = 1;
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        int known = 0;
        for (int i = 0; out_files[i]; i++)
            known |= strcmp(e->d_name, out_files[i]) == 0;
        ours &= known;
    }
    closedir(dp);
    return ours;
}

static cJSON *tiling_json(const fast_tiling *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "g", (double)t->g);
    cJSON_AddNumberToObject(o, "m", (double)t->m);
    cJSON_AddNumberToObject(o, "k", (double)t->k);
    cJSON_AddNumberToObject(o, "n", (double)t->n);
    cJSON_AddNumberToObject(o, "tm", (double)t->tm);
    cJSON_AddNumberToObject(o, "tk", (double)t->tk);
    cJSON_AddNumberToObject(o, "tn", (double)t->tn);
    cJSON_AddStringToObject(o, "order", fast_order_name(t->order));
    cJSON_AddBoolToObject(o, "double_buffered", t->double_buffered);
    cJSON_AddStringToObject(o, "split", fast_split_name(t->split));
    cJSON_AddNumberToObject(o, "units", (double)t->units);
    return o;
}

/* Writes the three files into a new directory beside out_dir and renames it into place. */
static fast_status write_outputs(const char *out_dir, const fast_compiled *c,
                                 const char *layout_text, fast_diag *d)
{
    char *tmp = fast_dir_stage(out_dir, dir_is_ours,
                               "exists and holds files that fast compile did not write",
                               "compile", d);
    if (!tmp)
        return fast_diag_status(d);
    uint8_t *bin = fast_isa_encode_program(c->insns, c->n);
    char *text = fast_asm_format(c->insns, c->n);
    const void *data[3] = {bin, text, layout_text};
    size_t len[3] = {c->n * FAST_ISA_BYTES, text ? strlen(text) : 0, strlen(layout_text)};
    fast_status st = bin && text ? FAST_OK : FAST_ETOOL;
    for (int i = 0; st == FAST_OK && i < 3; i++) {
        char *p = fast_format("%s/%s", tmp, out_files[i]);
        st = p ? fast_file_write_atomic(p, data[i], len[i], "compile", d) : FAST_ETOOL;
        free(p);
    }
    if (st == FAST_OK)
        st = fast_dir_commit(tmp, out_dir, "compile", d);
    else
        fast_dir_abort(tmp);
    free(tmp);
    free(bin);
    free(text);
    return st;
}

static int run_compile(const cli_args *a)
{
    const char *arch_path = cli_get(a, "arch"), *spec = cli_get(a, "layer");
    const char *out_dir = cli_get(a, "out"), *rq = cli_get(a, "requant");
    if (!arch_path || !spec || !out_dir)
        return cli_usage_error(a->cmd, "--arch, --layer and --out are required");
    fast_layer l;
    long long mult = 0, zp = 0;
    int shift = 0;
    if (rq && (sscanf(rq, "%lld,%d,%lld", &mult, &shift, &zp) != 3 || mult < INT32_MIN ||
               mult > INT32_MAX || shift < 0 || shift > 63 || zp < -128 || zp > 127))
        return cli_usage_error(a->cmd, "--requant = %s: expected MULT,SHIFT,ZP (int32, "
                               "0..63, -128..127)", rq);
    fast_diag *d = cli_diag_create();
    fast_arch arch;
    fast_compiled c = {0};
    fast_status s = fast_arch_load(arch_path, &arch, d);
    if (s == FAST_OK)
        s = layer_from_spec(spec, &l, d) ? FAST_EINPUT : FAST_OK;
    if (s == FAST_OK) {
        l.act = cli_has(a, "relu") ? FAST_ACT_RELU : FAST_ACT_NONE;
        l.requant = rq != NULL;
        l.mult = (int32_t)mult, l.shift = shift, l.zp = (int32_t)zp;
        size_t before = d->n;
        s = fast_compile_layer(&arch, &l, &c, d);
        fast_diag_name_file(d, before, spec);
    }
    cJSON *counts = NULL;
    if (s == FAST_OK) {
        cJSON *lay = fast_layout_to_json(&c.layout);
        cJSON_AddStringToObject(lay, "arch", arch.name);
        char hash[17];
        snprintf(hash, sizeof hash, "%016" PRIx64, fast_arch_hash(&arch));
        cJSON_AddStringToObject(lay, "arch_hash", hash);
        cJSON_AddStringToObject(lay, "layer", spec);
        cJSON_AddItemToObject(lay, "tiling", tiling_json(&c.tiling));
        char *text = cJSON_Print(lay);
        cJSON_Delete(lay);
        char *withnl = text ? fast_format("%s\n", text) : NULL;
        cJSON_free(text);
        s = withnl ? write_outputs(out_dir, &c, withnl, d) : FAST_ETOOL;
        free(withnl);
        counts = cJSON_CreateObject();
        cJSON_AddNumberToObject(counts, "total", (double)c.n);
        for (int k = 0; k < FAST_ISA_OP_COUNT; k++)
            cJSON_AddNumberToObject(counts, fast_isa_op_name(k), (double)c.by_op[k]);
    }
    int status = cli_report(d);
    fast_diag_destroy(d);
    if (s != FAST_OK) {
        cJSON_Delete(counts);
        fast_compiled_free(&c);
        return status ? status : (int)s;
    }
    if (cli_has(a, "json")) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "layer", spec);
        cJSON_AddItemToObject(doc, "instructions", counts);
        cJSON_AddItemToObject(doc, "tiling", tiling_json(&c.tiling));
        cJSON_AddNumberToObject(doc, "model_cycles", (double)c.model_cycles);
        cJSON_AddStringToObject(doc, "model_unit", fast_unit_name(c.model_unit));
        cJSON_AddNumberToObject(doc, "dram_bytes", (double)c.layout.dram_bytes);
        cJSON_AddStringToObject(doc, "out", out_dir);
        fast_compiled_free(&c);
        return cli_print_json(doc);
    }
    printf("%s: %zu instructions (%lld matmul), tiling tm=%lld tk=%lld tn=%lld %s%s, model "
           "%lld cycles, in %s\n",
           spec, c.n, (long long)c.by_op[FAST_ISA_MATMUL], (long long)c.tiling.tm,
           (long long)c.tiling.tk, (long long)c.tiling.tn, fast_order_name(c.tiling.order),
           c.tiling.double_buffered ? " double-buffered" : "", (long long)c.model_cycles,
           out_dir);
    cJSON_Delete(counts);
    fast_compiled_free(&c);
    return 0;
}

static const cli_opt compile_opts[] = {
    {"arch", "FILE", "the configuration (JSON)", 0},
    {"layer", "INLINE", "gemm:M,K,N or conv:H,W,Cin,Cout,K,stride[,groups] (same padding)", 0},
    {"relu", NULL, "fuse a relu after the layer", 0},
    {"requant", "MULT,SHIFT,ZP", "fuse requantization to int8 (docs/rtl.md 5.2)", 0},
    {"out", "DIR", "the output directory (replaced if fast compile wrote it before)", 0},
    {"json", NULL, "print instruction counts, tiling and model cycles as JSON", 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_cmd_compile = {
    "compile",
    "compile one layer into an accelerator program",
    "--arch FILE --layer INLINE --out DIR [--relu] [--requant M,S,Z] [--json]",
    "Compiles the layer with the tiling the analytical model chooses for it and writes\n"
    "program.bin, program.s and layout.json (where the input, weights and output live in\n"
    "external memory) into DIR, atomically. See docs/isa.md.",
    compile_opts,
    0,
    0,
    run_compile,
};
