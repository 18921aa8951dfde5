/* fast bench model: speed of the analytical model, network evaluations per second. */
#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "core/util.h"
#include "commands.h"
#include "out.h"
#include "search/space.h"
#include "sim/model/model.h"
#include "workloads/passes.h"
#include "workloads/workload.h"

static int run_bench_model(const cli_args *args)
{
    long long configs = 1000, seed = 1;
    fast_workload_opts wo;
    int rc = cli_workload_opts(args, &wo);
    if (!rc)
        rc = cli_get_int(args, "configs", 1, 1000000, 1000, &configs);
    if (!rc)
        rc = cli_get_int(args, "seed", 0, 1LL << 62, 1, &seed);
    if (rc)
        return rc;
    const char *const *names = NULL;
    static const char *const defaults[] = {"efficientnet-b0", "bert-base-seq128"};
    size_t n_names = cli_all(args, "workload", &names);
    if (n_names == 0) {
        names = defaults;
        n_names = 2;
    }
    int json = cli_has(args, "json");
    cJSON *doc = json ? cJSON_CreateArray() : NULL;
    fast_arch *archs = malloc((size_t)configs * sizeof *archs);
    fast_diag *d = cli_diag_create();
    int status = 0;
    if (!archs) {
        fprintf(stderr, "fast bench model: error[bench]: out of memory\n");
        return 3;
    }
    /* Distinct configurations, drawn before timing starts. */
    fast_rng rng;
    fast_rng_seed(&rng, (uint64_t)seed);
    for (long long i = 0; i < configs; i++)
        fast_space_sample(&rng, &archs[i]);
    if (!json)
        printf("%-20s %8s %12s %12s %14s\n", "workload", "configs", "seconds", "evals_per_s",
               "mean_cycles");
    for (size_t w = 0; w < n_names && status == 0; w++) {
        fast_graph *g = fast_workload_load_opts(names[w], &wo, d);
        if (!g) {
            status = cli_report(d);
            break;
        }
        if (fast_graph_fuse(g) < 0) {
            fast_graph_destroy(g);
            fast_diag_add(d, FAST_ETOOL, names[w], "workload", NULL, NULL, "out of memory");
            status = cli_report(d);
            break;
        }
        long long failed = 0;
        double cycles = 0;
        double t0 = fast_now_s();
        for (long long i = 0; i < configs; i++) {
            fast_model_result *r = fast_model_eval(&archs[i], g, NULL);
            if (r)
                cycles += (double)r->cycles;
            else
                failed++;
            fast_model_result_destroy(r);
        }
        double dt = fast_now_s() - t0;
        double eps = (double)configs / dt;
        double mean = configs > failed ? cycles / (double)(configs - failed) : 0;
        if (json) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "workload", g->name);
            cJSON_AddNumberToObject(e, "configs", (double)configs);
            cJSON_AddNumberToObject(e, "unmappable", (double)failed);
            cJSON_AddNumberToObject(e, "seconds", dt);
            cJSON_AddNumberToObject(e, "evals_per_s", eps);
            cJSON_AddNumberToObject(e, "ops", g->n_ops);
            cJSON_AddItemToArray(doc, e);
        } else {
            printf("%-20s %8lld %12.3f %12.0f %14.0f\n", g->name, configs, dt, eps, mean);
            if (failed)
                printf("  (%lld configurations could not map some op)\n", failed);
        }
        fast_graph_destroy(g);
    }
    free(archs);
    fast_diag_destroy(d);
    if (json) {
        if (status) {
            cJSON_Delete(doc);
            return status;
        }
        return cli_print_json(doc);
    }
    return status;
}

static const cli_opt bench_model_opts[] = {
    {"workload", "W", "workload to evaluate (repeatable; default efficientnet-b0 and "
                      "bert-base-seq128)", 1},
    {"input-shape", "NAME=D0,D1,...", "ONNX: the dimensions of input NAME (repeatable)", 1},
    {"allow-unsupported", NULL, "ONNX: import unsupported operators as vector-unit ops", 0},
    {"configs", "N", "distinct random valid configurations per workload (default 1000)", 0},
    {"seed", "S", "seed of the configuration sampler (default 1)", 0},
    {"json", NULL, "print one JSON document on stdout", 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_cmd_bench_model = {
    "bench model", "speed of the analytical model: network evaluations per second",
    "[--workload W]... [--input-shape NAME=D0,D1,...]... [--configs N] [--seed S] [--json]",
    "Draws N distinct random valid configurations (search/space.c), then times full\n"
    "network evaluations, per-op tiling search included, on one thread. No result is\n"
    "cached across configurations.",
    bench_model_opts, 0, 0, run_bench_model};
