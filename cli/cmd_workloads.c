/* fast workloads list | show | export */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "out.h"
#include "workloads/format.h"
#include "workloads/workload.h"
#include "workloads/zoo.h"

/* "385.8M" style: three significant figures with a unit suffix. */
static void human_count(int64_t v, char *buf, size_t n)
{
    const char *unit[] = {"", "K", "M", "G", "T", "P"};
    double x = (double)v;
    int u = 0;
    while (x >= 1000.0 && u < 5) {
        x /= 1000.0;
        u++;
    }
    if (u == 0)
        snprintf(buf, n, "%lld", (long long)v);
    else
        snprintf(buf, n, "%.*f%s", x < 10 ? 2 : x < 100 ? 1 : 0, x, unit[u]);
}

static int batch_arg(const cli_args *a, int64_t *batch)
{
    long long b = 1;
    int rc = cli_get_int(a, "batch", 1, FAST_MAX_BATCH, 1, &b);
    *batch = b;
    return rc;
}

static int run_list(const cli_args *a)
{
    int64_t batch;
    int rc = batch_arg(a, &batch);
    if (rc)
        return rc;
    int json = cli_has(a, "json");
    cJSON *doc = json ? cJSON_CreateArray() : NULL;
    fast_diag *d = cli_diag_create();
    if (!json)
        printf("%-20s %5s %10s %10s  %s\n", "name", "ops", "MACs", "params", "description");
    for (int i = 0; fast_zoo_names[i]; i++) {
        fast_graph *g = fast_zoo_build(fast_zoo_names[i], batch, d);
        if (!g)
            break;
        int64_t macs = fast_graph_macs(g), params = fast_graph_params(g);
        if (json) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "name", g->name);
            cJSON_AddNumberToObject(e, "ops", g->n_ops);
            cJSON_AddNumberToObject(e, "macs", (double)macs);
            cJSON_AddNumberToObject(e, "params", (double)params);
            cJSON_AddNumberToObject(e, "batch", (double)batch);
            cJSON_AddStringToObject(e, "description", fast_zoo_describe(fast_zoo_names[i]));
            cJSON_AddItemToArray(doc, e);
        } else {
            char m[32], p[32];
            human_count(macs, m, sizeof m);
            human_count(params, p, sizeof p);
            printf("%-20s %5d %10s %10s  %s\n", g->name, g->n_ops, m, p,
                   fast_zoo_describe(fast_zoo_names[i]));
        }
        fast_graph_destroy(g);
    }
    int status = cli_report(d);
    fast_diag_destroy(d);
    if (status) {
        cJSON_Delete(doc);
        return status;
    }
    return json ? cli_print_json(doc) : 0;
}

static cJSON *shape_json(const fast_shape *s)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < s->rank; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber((double)s->d[i]));
    return a;
}

static void print_show(const fast_graph *g)
{
    char m[32], p[32];
    human_count(fast_graph_macs(g), m, sizeof m);
    human_count(fast_graph_params(g), p, sizeof p);
    printf("%s: %d ops, batch %lld, %s MACs (%lld), %s params (%lld)\n\n", g->name, g->n_ops,
           (long long)g->batch, m, (long long)fast_graph_macs(g), p,
           (long long)fast_graph_params(g));
    printf("%-36s %-10s %-22s %-18s %10s %9s\n", "op", "type", "inputs", "output", "MACs",
           "params");
    for (int i = 0; i < g->n_ops; i++) {
        const fast_op *op = &g->ops[i];
        char in[160] = "", out[64];
        size_t k = 0;
        for (int j = 0; j < op->n_inputs && k < sizeof in; j++) {
            char s[64];
            fast_shape_format(&g->tensors[op->inputs[j]].shape, s, sizeof s);
            k += (size_t)snprintf(in + k, sizeof in - k, "%s%s", j ? " " : "", s);
        }
        fast_shape_format(&g->tensors[op->output].shape, out, sizeof out);
        human_count(op->macs, m, sizeof m);
        human_count(op->params, p, sizeof p);
        printf("%-36s %-10s %-22s %-18s %10s %9s\n", op->name, fast_op_type_name(op->type), in,
               out, m, p);
    }
}

static int run_show(const cli_args *a)
{
    fast_workload_opts o;
    int rc = cli_workload_opts(a, &o);
    if (rc)
        return rc;
    fast_diag *d = cli_diag_create();
    fast_graph *g = fast_workload_load_opts(a->pos[0], &o, d);
    int status = cli_report(d);
    fast_diag_destroy(d);
    if (!g)
        return status ? status : 2;
    if (!cli_has(a, "json")) {
        print_show(g);
        fast_graph_destroy(g);
        return 0;
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "name", g->name);
    cJSON_AddNumberToObject(doc, "batch", (double)g->batch);
    cJSON_AddNumberToObject(doc, "macs", (double)fast_graph_macs(g));
    cJSON_AddNumberToObject(doc, "params", (double)fast_graph_params(g));
    cJSON *ops = cJSON_AddArrayToObject(doc, "ops");
    for (int i = 0; i < g->n_ops; i++) {
        const fast_op *op = &g->ops[i];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "name", op->name);
        cJSON_AddStringToObject(e, "type", fast_op_type_name(op->type));
        cJSON *ins = cJSON_AddArrayToObject(e, "inputs");
        for (int j = 0; j < op->n_inputs; j++)
            cJSON_AddItemToArray(ins, shape_json(&g->tensors[op->inputs[j]].shape));
        cJSON_AddItemToObject(e, "output", shape_json(&g->tensors[op->output].shape));
        cJSON_AddNumberToObject(e, "macs", (double)op->macs);
        cJSON_AddNumberToObject(e, "params", (double)op->params);
        cJSON_AddItemToArray(ops, e);
    }
    fast_graph_destroy(g);
    return cli_print_json(doc);
}

static int run_export(const cli_args *a)
{
    fast_workload_opts o;
    int rc = cli_workload_opts(a, &o);
    if (rc)
        return rc;
    const char *out = cli_get(a, "out");
    if (!out)
        return cli_usage_error(a->cmd, "--out FILE is required");
    if (a->cmd == &cli_cmd_workloads_import && !fast_workload_is_onnx(a->pos[0]))
        return cli_usage_error(a->cmd, "'%s' is not an ONNX file (FILE.onnx); use 'fast "
                               "workloads export' for other workloads", a->pos[0]);
    fast_diag *d = cli_diag_create();
    fast_graph *g = fast_workload_load_opts(a->pos[0], &o, d);
    if (g && fast_workload_save(g, out, d) == FAST_OK)
        printf("%s: wrote %s (%d ops)\n", a->pos[0], out, g->n_ops);
    fast_graph_destroy(g);
    int status = cli_report(d);
    fast_diag_destroy(d);
    return status;
}

static const cli_opt list_opts[] = {
    {"batch", "N", "batch size (default 1)", 0},
    {"json", NULL, "print one JSON document on stdout", 0},
    {NULL, NULL, NULL, 0},
};

/* The options of every command that loads one workload. */
#define WORKLOAD_OPTS                                                                        \
    {"batch", "N", "batch size (default 1; for ONNX files, the first dimension of every "     \
                   "input)", 0},                                                             \
    {"input-shape", "NAME=D0,D1,...", "ONNX: the dimensions of input NAME (repeatable)", 1},  \
    {"allow-unsupported", NULL, "ONNX: import unsupported operators as vector-unit ops", 0}

static const cli_opt show_opts[] = {
    WORKLOAD_OPTS,
    {"json", NULL, "print one JSON document on stdout", 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt export_opts[] = {
    WORKLOAD_OPTS,
    {"out", "FILE", "where to write the JSON form (written atomically)", 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_cmd_workloads_list = {
    "workloads list", "the built-in models with their op, MAC and parameter counts",
    "[--batch N] [--json]",
    "MACs are multiply-accumulates for the whole batch; params are weights, biases and\n"
    "normalization scales and shifts (docs/workloads.md).",
    list_opts, 0, 0, run_list};

const cli_cmd cli_cmd_workloads_show = {
    "workloads show", "every operation of a workload with shapes, MACs and params",
    "NAME|FILE|INLINE [--batch N] [--input-shape NAME=D0,D1,...]... [--json]",
    "NAME is a built-in model (fast workloads list), FILE a workload in the JSON format of\n"
    "docs/workloads.md or an ONNX model (FILE.onnx), INLINE a single layer: gemm:M,K,N or\n"
    "conv:H,W,Cin,Cout,K,stride[,groups] (same padding, square kernel). Dynamic dimensions\n"
    "of ONNX inputs are fixed with --input-shape (docs/workloads.md, \"ONNX import\").",
    show_opts, 1, 1, run_show};

const cli_cmd cli_cmd_workloads_export = {
    "workloads export", "write a workload in the JSON format",
    "NAME|FILE|INLINE --out FILE [--batch N] [--input-shape NAME=D0,D1,...]...",
    "The written file reads back to the identical operations, shapes and counts.", export_opts,
    1, 1, run_export};

const cli_cmd cli_cmd_workloads_import = {
    "workloads import", "import an ONNX model into the JSON format",
    "FILE.onnx --out FILE [--input-shape NAME=D0,D1,...]... [--batch N] [--allow-unsupported]",
    "Maps the ONNX graph onto the workload IR (docs/workloads.md, \"ONNX import\") and writes\n"
    "its JSON form atomically, so that it can be inspected and edited. Weights are counted,\n"
    "never copied. Nothing is written when the model cannot be imported.",
    export_opts, 1, 1, run_export};
