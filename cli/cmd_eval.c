/* fast eval: price one configuration on one workload with the analytical model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "core/arch.h"
#include "layer_arg.h"
#include "out.h"
#include "sim/model/model.h"
#include "synth/cost.h"
#include "workloads/passes.h"
#include "workloads/workload.h"

/* The structural class of an op, for the bottleneck breakdown. */
static const char *op_class(const fast_graph *g, const fast_op *op)
{
    const fast_shape *in = &g->tensors[op->inputs[0]].shape;
    switch (op->type) {
    case FAST_OP_CONV2D: {
        const fast_conv_attrs *c = &op->attrs.conv;
        if (c->groups > 1 && c->groups == in->d[3])
            return "depthwise conv";
        if (in->d[1] == 1 && in->d[2] == 1)
            return "squeeze-excite";
        if (c->kh == 1 && c->kw == 1)
            return "pointwise conv";
        return c->groups > 1 ? "grouped conv" : "spatial conv";
    }
    case FAST_OP_MATMUL: return "attention matmul";
    case FAST_OP_FC: return "fully connected";
    case FAST_OP_SOFTMAX: return "softmax";
    case FAST_OP_LAYERNORM: return "layernorm";
    case FAST_OP_MUL:
        if (op->n_inputs == 2) {
            const fast_shape *b = &g->tensors[op->inputs[1]].shape;
            if (b->rank == 4 && b->d[1] == 1 && b->d[2] == 1 && in->d[1] > 1)
                return "squeeze-excite";
        }
        return "elementwise";
    case FAST_OP_AVGPOOL:
    case FAST_OP_MAXPOOL:
    case FAST_OP_GLOBALPOOL: return "pooling";
    case FAST_OP_TRANSPOSE:
    case FAST_OP_EMBEDDING:
    case FAST_OP_RESHAPE:
    case FAST_OP_CONCAT: return "data movement";
    case FAST_OP_UNSUPPORTED: return "unsupported"; /* imported with --allow-unsupported */
    default: return "elementwise";
    }
}

static cJSON *tiling_json(const fast_op_cost *c)
{
    if (c->unit != FAST_UNIT_ARRAY)
        return cJSON_CreateNull();
    const fast_tiling *t = &c->tiling;
    cJSON *o = cJSON_CreateObject();
    cli_tiling_fields(o, t);
    cJSON_AddNumberToObject(o, "arrays", (double)t->units);
    cJSON_AddNumberToObject(o, "blocks", (double)t->blocks);
    return o;
}

/* Area and TDP of the design (docs/cost.md); prints the error and returns its status when
 * the calibration file cannot be read. */
static int eval_cost(const fast_arch *a, fast_area *area, fast_power *power)
{
    fast_diag *d = cli_diag_create();
    fast_calib c;
    if (fast_calib_load_default(&c, d) != FAST_OK) {
        int status = cli_report(d);
        fast_diag_destroy(d);
        return status;
    }
    fast_diag_destroy(d);
    *area = fast_cost_area(a, &c);
    *power = fast_cost_tdp(a, area);
    return 0;
}

static int print_json(const fast_arch *a, const fast_graph *g, const fast_model_result *r)
{
    fast_area area;
    fast_power power;
    int cost = eval_cost(a, &area, &power);
    if (cost)
        return cost;
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "arch", a->name);
    cJSON_AddStringToObject(doc, "workload", g->name);
    cJSON_AddNumberToObject(doc, "batch", (double)g->batch);
    cJSON_AddNumberToObject(doc, "cycles", (double)r->cycles);
    cJSON_AddNumberToObject(doc, "latency_s", r->latency_s);
    cJSON_AddNumberToObject(doc, "throughput_ips", r->throughput_ips);
    cJSON_AddNumberToObject(doc, "energy_j", r->energy_pj * 1e-12);
    cJSON_AddNumberToObject(doc, "macs", (double)r->macs);
    cJSON_AddNumberToObject(doc, "utilization", r->utilization);
    cJSON_AddNumberToObject(doc, "dram_bytes", (double)r->dram_bytes);
    cJSON_AddNumberToObject(doc, "peak_macs_per_cycle", (double)fast_model_peak_macs(a));
    cJSON_AddNumberToObject(doc, "area_mm2", area.total_mm2);
    cJSON_AddNumberToObject(doc, "tdp_w", power.tdp_w);
    cJSON_AddNumberToObject(doc, "perf_per_tdp", r->throughput_ips / power.tdp_w);
    cJSON *ops = cJSON_AddArrayToObject(doc, "ops");
    for (int i = 0; i < g->n_ops; i++) {
        const fast_op_cost *c = &r->ops[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", g->ops[i].name);
        cJSON_AddStringToObject(o, "type", fast_op_type_name(g->ops[i].type));
        cJSON_AddStringToObject(o, "class", op_class(g, &g->ops[i]));
        cJSON_AddStringToObject(o, "unit", fast_unit_name(c->unit));
        cJSON_AddNumberToObject(o, "cycles", (double)c->cycles);
        cJSON_AddNumberToObject(o, "macs", (double)c->macs);
        cJSON_AddNumberToObject(o, "dram_bytes", (double)c->dram_bytes);
        cJSON_AddNumberToObject(o, "energy_j", c->energy_pj * 1e-12);
        if (c->fused_into >= 0) {
            cJSON_AddStringToObject(o, "bound", "fused");
            cJSON_AddStringToObject(o, "fused_into", g->ops[c->fused_into].name);
        } else {
            cJSON_AddStringToObject(o, "bound", fast_bound_name(c->bound));
        }
        cJSON_AddItemToObject(o, "tiling", tiling_json(c));
        cJSON_AddItemToArray(ops, o);
    }
    return cli_print_json(doc);
}

/* One row of the breakdown by class. */
typedef struct class_row {
    const char *name;
    int64_t cycles, macs;
    int ops;
} class_row;

/* An op's place in the ranking by time: most cycles first, then graph order. */
typedef struct op_rank {
    int64_t cycles;
    int op;
} op_rank;

static int cmp_ops(const void *x, const void *y)
{
    const op_rank *a = x, *b = y;
    if (a->cycles != b->cycles)
        return a->cycles < b->cycles ? 1 : -1;
    return a->op - b->op;
}

static int cmp_rows(const void *x, const void *y)
{
    const class_row *a = x, *b = y;
    if (a->cycles != b->cycles)
        return a->cycles < b->cycles ? 1 : -1;
    return strcmp(a->name, b->name);
}

static int print_human(const fast_arch *a, const fast_graph *g, const fast_model_result *r,
                       int top)
{
    fast_area area;
    fast_power power;
    int cost = eval_cost(a, &area, &power);
    if (cost)
        return cost;
    double us = r->latency_s * 1e6;
    printf("%s on %s, batch %lld\n", g->name, a->name, (long long)g->batch);
    printf("  latency      %.1f us (%lld cycles at %.0f MHz)\n", us, (long long)r->cycles,
           a->clock_mhz);
    printf("  throughput   %.1f inferences/s\n", r->throughput_ips);
    printf("  energy       %.3f mJ per batch (%.1f uJ per inference)\n", r->energy_pj * 1e-9,
           r->energy_pj * 1e-6 / (double)g->batch);
    printf("  MACs         %.3f G; utilization %.1f%% of %lld MACs/cycle peak\n",
           (double)r->macs * 1e-9, 100.0 * r->utilization,
           (long long)fast_model_peak_macs(a));
    printf("  DRAM traffic %.2f MB\n", (double)r->dram_bytes * 1e-6);
    printf("  area         %.2f mm2 at %lld nm (logic %.2f, SRAM %.2f)\n", area.total_mm2,
           (long long)a->process_nm, area.logic_mm2, area.sram_mm2);
    printf("  TDP          %.2f W (dynamic %.2f, leakage %.2f)\n", power.tdp_w,
           power.dynamic_w, power.leakage_w);
    printf("  Perf/TDP     %.2f inferences/s per W\n\n", r->throughput_ips / power.tdp_w);

    op_rank *idx = malloc((size_t)g->n_ops * sizeof *idx);
    class_row rows[16];
    int n_rows = 0;
    if (!idx)
        return 3;
    for (int i = 0; i < g->n_ops; i++) {
        idx[i] = (op_rank){r->ops[i].cycles, i};
        int head = r->ops[i].fused_into >= 0 ? r->ops[i].fused_into : i;
        const char *cls = op_class(g, &g->ops[head]);
        int k = 0;
        while (k < n_rows && strcmp(rows[k].name, cls) != 0)
            k++;
        if (k == n_rows && n_rows < 16)
            rows[n_rows++] = (class_row){cls, 0, 0, 0};
        if (k < n_rows) {
            rows[k].cycles += r->ops[i].cycles;
            rows[k].macs += r->ops[i].macs;
            rows[k].ops += head == i;
        }
    }
    qsort(idx, (size_t)g->n_ops, sizeof *idx, cmp_ops);
    if (top > 0)
        printf("slowest operations\n");
    if (top > 0)
        printf("  %-40s %-16s %10s %6s %-8s %-6s %s\n", "op", "class", "cycles", "share", "bound",
           "unit", "tiling");
    for (int j = 0; j < top && j < g->n_ops; j++) {
        int i = idx[j].op;
        const fast_op_cost *c = &r->ops[i];
        if (c->cycles == 0)
            break;
        char tiling[96] = "";
        if (c->unit == FAST_UNIT_ARRAY)
            snprintf(tiling, sizeof tiling, "%s-split x%lld, %lldx%lldx%lld %s%s",
                     fast_split_name(c->tiling.split), (long long)c->tiling.units,
                     (long long)c->tiling.tm, (long long)c->tiling.tk, (long long)c->tiling.tn,
                     fast_order_name(c->tiling.order), c->tiling.double_buffered ? " db" : "");
        printf("  %-40.40s %-16s %10lld %5.1f%% %-8s %-6s %s\n", g->ops[i].name,
               op_class(g, &g->ops[i]), (long long)c->cycles,
               100.0 * (double)c->cycles / (double)r->cycles, fast_bound_name(c->bound),
               fast_unit_name(c->unit), tiling);
    }
    free(idx);
    qsort(rows, (size_t)n_rows, sizeof *rows, cmp_rows);
    printf("\ntime by operation class (fused ops count with the op they are fused into)\n");
    printf("  %-18s %5s %10s %6s %10s %8s\n", "class", "ops", "cycles", "share", "GMACs",
           "util");
    int64_t peak = fast_model_peak_macs(a);
    for (int k = 0; k < n_rows; k++) {
        double util = rows[k].cycles ? (double)rows[k].macs / ((double)rows[k].cycles * (double)peak)
                                     : 0;
        printf("  %-18s %5d %10lld %5.1f%% %10.3f %7.1f%%\n", rows[k].name, rows[k].ops,
               (long long)rows[k].cycles, 100.0 * (double)rows[k].cycles / (double)r->cycles,
               (double)rows[k].macs * 1e-9, 100.0 * util);
    }
    return 0;
}

static int run_eval(const cli_args *args)
{
    long long top = 10;
    fast_workload_opts wo;
    int rc = cli_workload_opts(args, &wo);
    if (!rc)
        rc = cli_get_int(args, "top", 0, 1000000, 10, &top);
    if (rc)
        return rc;
    const char *arch_path = cli_get(args, "arch");
    const char *spec = cli_get(args, "workload");
    if (!arch_path || !spec)
        return cli_usage_error(args->cmd, "--arch FILE and --workload NAME|FILE|INLINE are "
                                          "required");
    fast_diag *d = cli_diag_create();
    fast_arch a;
    fast_graph *g = NULL;
    fast_model_result *r = NULL;
    if (fast_arch_load(arch_path, &a, d) == FAST_OK)
        g = fast_workload_load_opts(spec, &wo, d);
    if (g) {
        if (!cli_has(args, "no-fusion") && fast_graph_fuse(g) < 0)
            fast_diag_add(d, FAST_ETOOL, spec, "workload", NULL, NULL, "out of memory");
        else
            r = fast_model_eval(&a, g, d);
        fast_diag_name_file(d, 0, spec);
    }
    int status = cli_report(d);
    fast_diag_destroy(d);
    if (r) {
        if (cli_has(args, "json"))
            status = print_json(&a, g, r);
        else
            status = print_human(&a, g, r, (int)top);
    }
    fast_model_result_destroy(r);
    fast_graph_destroy(g);
    return status;
}

static const cli_opt eval_opts[] = {
    {"arch", "FILE", "accelerator configuration (docs/config.md)", 0},
    {"workload", "W", "built-in model, workload JSON or ONNX file, or gemm:M,K,N / conv:...", 0},
    {"batch", "N", "batch size (default 1; for ONNX files, the first dimension of every input)",
     0},
    {"input-shape", "NAME=D0,D1,...", "ONNX: the dimensions of input NAME (repeatable)", 1},
    {"allow-unsupported", NULL, "ONNX: import unsupported operators as vector-unit ops", 0},
    {"top", "N", "slowest operations to list (default 10)", 0},
    {"no-fusion", NULL, "price every op on its own (no operation fusion)", 0},
    {"json", NULL, "print one JSON document on stdout", 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_cmd_eval = {
    "eval", "price a configuration on a workload with the analytical model",
    "--arch FILE --workload NAME|FILE|INLINE [--batch N] [--input-shape NAME=D0,D1,...]... "
    "[--json]",
    "Prints latency, throughput, energy, utilization and DRAM traffic, then the slowest\n"
    "operations with their chosen tiling, then the time by operation class. The model and\n"
    "its per-tile formulas are in docs/model.md.",
    eval_opts, 0, 0, run_eval};
