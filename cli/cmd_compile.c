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
#include "layer_arg.h"
#include "out.h"

static const char *const out_files[] = {"program.bin", "program.s", "layout.json", NULL};

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
    const char *out_dir = cli_get(a, "out");
    if (!arch_path || !spec || !out_dir)
        return cli_usage_error(a->cmd, "--arch, --layer and --out are required");
    fast_layer l;
    cli_fuse fuse;
    int rc = cli_fuse_parse(a, &fuse);
    if (rc)
        return rc;
    fast_diag *d = cli_diag_create();
    fast_arch arch;
    fast_compiled c = {0};
    fast_status s = fast_arch_load(arch_path, &arch, d);
    if (s == FAST_OK)
        s = cli_layer_from_spec(spec, &fuse, &l, d) ? FAST_EINPUT : FAST_OK;
    if (s == FAST_OK) {
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
        cJSON_AddItemToObject(lay, "tiling", cli_tiling_json(&c.tiling));
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
        cJSON_AddItemToObject(doc, "tiling", cli_tiling_json(&c.tiling));
        cJSON_AddNumberToObject(doc, "model_cycles", (double)c.model_cycles);
        cJSON_AddStringToObject(doc, "model_unit", fast_unit_name(c.model_unit));
        cJSON_AddStringToObject(doc, "model_bound", fast_bound_name(c.model_bound));
        cJSON_AddNumberToObject(doc, "dram_bytes", (double)c.layout.dram_bytes);
        cJSON_AddNumberToObject(doc, "global_bytes", (double)c.layout.global_bytes);
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
    CLI_FUSE_OPTS,
    {"out", "DIR", "the output directory (replaced if fast compile wrote it before)", 0},
    {"json", NULL, "print instruction counts, tiling and model cycles as JSON", 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_cmd_compile = {
    "compile",
    "compile one layer into an accelerator program",
    "--arch FILE --layer INLINE --out DIR [--relu] [--requant M,S,Z] [--global WHICH] "
    "[--json]",
    "Compiles the layer with the tiling the analytical model chooses for it and writes\n"
    "program.bin, program.s and layout.json (where the input, weights and output live in\n"
    "external memory) into DIR, atomically. See docs/isa.md.",
    compile_opts,
    0,
    0,
    run_compile,
};
