/* fast synth: Yosys area of one configuration's generated RTL, beside the area model. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "args.h"
#include "commands.h"
#include "core/arch.h"
#include "core/util.h"
#include "out.h"
#include "synth/area_model.h"
#include "synth/calibrate.h"
#include "synth/yosys.h"

/* --verilog FILE... --top NAME: the flow on hand-written Verilog, no model to compare. */
static int run_files(const cli_args *args, double timeout)
{
    const char *const *vals = NULL;
    size_t n = cli_all(args, "verilog", &vals);
    const char *top = cli_get(args, "top");
    if (!top)
        return cli_usage_error(args->cmd, "--verilog needs --top NAME");
    fast_diag *d = cli_diag_create();
    char **files = calloc(n + 1, sizeof *files);
    fast_synth_result r;
    fast_status st = files ? FAST_OK : FAST_ETOOL;
    for (size_t i = 0; st == FAST_OK && i < n; i++) {
        /* The script runs in its work directory: make relative paths absolute. */
        char cwd[4096];
        if (vals[i][0] == '/')
            files[i] = fast_strdup(vals[i]);
        else if (getcwd(cwd, sizeof cwd))
            files[i] = fast_format("%s/%s", cwd, vals[i]);
        if (!files[i] || access(files[i], R_OK) != 0) {
            fast_diag_add(d, FAST_EINPUT, vals[i], "synth", NULL, NULL, "cannot open");
            st = FAST_EINPUT;
        }
    }
    char *work = st == FAST_OK ? fast_synth_mkdtemp("fast-synth", d) : NULL;
    if (st == FAST_OK && !work)
        st = FAST_ETOOL;
    if (st == FAST_OK)
        st = fast_synth_run((const char *const *)files, (int)n, top, work, timeout, &r, d);
    fast_synth_rmtree(work);
    free(work);
    for (size_t i = 0; files && i < n; i++)
        free(files[i]);
    free(files);
    int status = cli_report(d);
    fast_diag_destroy(d);
    if (st != FAST_OK)
        return status ? status : (int)st;
    if (cli_has(args, "json")) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "top", top);
        cJSON_AddStringToObject(doc, "yosys", r.yosys_version);
        cJSON_AddNumberToObject(doc, "cells", (double)r.cells);
        cJSON_AddNumberToObject(doc, "flops", (double)r.flops);
        cJSON_AddNumberToObject(doc, "transistors", (double)r.transistors);
        cJSON_AddNumberToObject(doc, "sram_macros", (double)r.sram_macros);
        cJSON_AddNumberToObject(doc, "area_um2_yosys", r.area_um2);
        cJSON_AddNumberToObject(doc, "area_mm2_yosys", r.area_um2 * 1e-6);
        return cli_print_json(doc);
    }
    printf("%s: %lld cells (%lld flip-flops), %lld SRAM macros, %.3f um2 (NanGate 45 nm), "
           "%lld transistors\n",
           top, (long long)r.cells, (long long)r.flops, (long long)r.sram_macros, r.area_um2,
           (long long)r.transistors);
    return 0;
}

static int run_synth(const cli_args *args)
{
    long long timeout = 600;
    int rc = cli_get_int(args, "timeout", 1, 86400, 600, &timeout);
    if (rc)
        return rc;
    const char *path = cli_get(args, "arch");
    if (cli_has(args, "verilog") && !path)
        return run_files(args, (double)timeout);
    if (!path || cli_has(args, "verilog"))
        return cli_usage_error(args->cmd,
                               "give either --arch FILE or --verilog FILE... --top NAME");
    fast_diag *d = cli_diag_create();
    fast_arch a;
    fast_calib c;
    fast_synth_result r;
    fast_status st = fast_arch_load(path, &a, d);
    if (st == FAST_OK)
        st = fast_calib_load_default(&c, d);
    if (st == FAST_OK) {
        size_t from = d->n;
        st = fast_synth_arch(&a, (double)timeout, &r, d);
        fast_diag_name_file(d, from, path);
    }
    int status = cli_report(d);
    fast_diag_destroy(d);
    if (st != FAST_OK)
        return status ? status : (int)st;
    /* Both areas are one core's logic in NanGate 45 nm cells; memories are SRAM macros. */
    double yosys_mm2 = r.area_um2 * 1e-6;
    double model_mm2 = fast_calib_model_um2(&a, &c, r.has_vector) * 1e-6;
    double tr_mm2 = (double)r.transistors / fast_area_density_mtr_mm2(45) * 1e-6;
    double error = yosys_mm2 > 0 ? (model_mm2 - yosys_mm2) / yosys_mm2 : 0;
    if (cli_has(args, "json")) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "arch", a.name);
        cJSON_AddStringToObject(doc, "yosys", r.yosys_version);
        cJSON_AddNumberToObject(doc, "cells", (double)r.cells);
        cJSON_AddNumberToObject(doc, "flops", (double)r.flops);
        cJSON_AddNumberToObject(doc, "transistors", (double)r.transistors);
        cJSON_AddNumberToObject(doc, "sram_macros", (double)r.sram_macros);
        cJSON_AddNumberToObject(doc, "area_mm2_yosys", yosys_mm2);
        cJSON_AddNumberToObject(doc, "area_mm2_transistors", tr_mm2);
        cJSON_AddNumberToObject(doc, "area_mm2_model", model_mm2);
        cJSON_AddNumberToObject(doc, "error", error);
        cJSON_AddBoolToObject(doc, "vector_unit_in_rtl", r.has_vector);
        cJSON_AddNumberToObject(doc, "seconds", r.seconds);
        return cli_print_json(doc);
    }
    printf("%s: one core's logic, NanGate 45 nm (%s)\n", a.name, r.yosys_version);
    printf("  cells         %lld (%lld flip-flops), %lld SRAM macros as black boxes\n",
           (long long)r.cells, (long long)r.flops, (long long)r.sram_macros);
    printf("  Yosys area    %.6f mm2 (liberty cells)\n", yosys_mm2);
    printf("  transistors   %lld, %.6f mm2 at %.2f M/mm2\n", (long long)r.transistors, tr_mm2,
           fast_area_density_mtr_mm2(45));
    printf("  model area    %.6f mm2 (synth/calibration.json), error %+.1f%%\n", model_mm2,
           100.0 * error);
    printf("  Yosys time    %.1f s\n", r.seconds);
    return 0;
}

static const cli_opt synth_opts[] = {
    {"arch", "FILE", "accelerator configuration (docs/config.md)", 0},
    {"verilog", "FILE", "instead of --arch: synthesize these Verilog files (repeatable)", 1},
    {"top", "NAME", "with --verilog: the top module", 0},
    {"timeout", "S", "stop Yosys after S seconds (default 600)", 0},
    {"json", NULL, "print one JSON document on stdout", 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_cmd_synth = {
    "synth", "synthesize a configuration's RTL with Yosys and compare with the area model",
    "--arch FILE | --verilog FILE... --top NAME [--timeout S] [--json]",
    "Generates one core's RTL into a temporary directory, synthesizes it with Yosys onto\n"
    "NanGate 45 nm cells (synth/area.ys, synth/nangate45_area.lib), and prints the cell\n"
    "count, the transistor estimate, the area, and the calibrated model's area for the same\n"
    "configuration. Memories are black boxes priced by the SRAM model. Exits 3 when Yosys\n"
    "is missing. docs/cost.md explains the flow.",
    synth_opts, 0, 0, run_synth};
