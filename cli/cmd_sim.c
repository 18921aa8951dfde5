/* fast sim: one layer on the generated RTL under Verilator, against the model and the
 * layer reference (docs/sim.md). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

#include "args.h"
#include "commands.h"
#include "core/arch.h"
#include "layer_arg.h"
#include "out.h"
#include "sim/rtl/run.h"

static int run_sim(const cli_args *a)
{
    const char *arch_path = cli_get(a, "arch"), *spec = cli_get(a, "layer");
    if (!arch_path || !spec)
        return cli_usage_error(a->cmd, "--arch and --layer are required");
    cli_fuse fuse;
    long long seed = 1, max_cycles = 0;
    int rc = cli_fuse_parse(a, &fuse);
    if (!rc)
        rc = cli_get_int(a, "seed", 1, INT64_MAX, 1, &seed);
    if (!rc)
        rc = cli_get_int(a, "max-cycles", 1, INT64_MAX, 0, &max_cycles);
    if (rc)
        return rc;
    fast_diag *d = cli_diag_create();
    fast_arch arch;
    fast_layer l;
    fast_simrtl_result r;
    fast_simrtl_opts o = {.layer_name = spec, .arch_file = arch_path, .seed = (uint64_t)seed, .max_cycles = max_cycles,
                          .trace_path = cli_get(a, "trace"), .rtl_dir = cli_get(a, "rtl"),
                          .jitter = cli_has(a, "jitter")};
    fast_status s = fast_arch_load(arch_path, &arch, d);
    if (s == FAST_OK)
        s = cli_layer_from_spec(spec, &fuse, &l, d) ? FAST_EINPUT : FAST_OK;
    if (s == FAST_OK)
        s = fast_simrtl_run(&arch, &l, &o, &r, d);
    int status = cli_report(d);
    fast_diag_destroy(d);
    if (s != FAST_OK)
        return status ? status : (int)s;
    int code = r.bit_exact ? 0 : 1;
    if (cli_has(a, "json")) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "config", arch.name);
        char hash[17];
        snprintf(hash, sizeof hash, "%016" PRIx64, fast_arch_hash(&arch));
        cJSON_AddStringToObject(doc, "config_hash", hash);
        cJSON_AddStringToObject(doc, "layer", spec);
        cJSON_AddBoolToObject(doc, "relu", fuse.relu);
        cJSON_AddStringToObject(doc, "global", fuse.in_global && fuse.out_global ? "both"
                                               : fuse.in_global                  ? "input"
                                               : fuse.out_global                 ? "output"
                                                                                 : "none");
        if (fuse.requant) {
            cJSON *q = cJSON_AddObjectToObject(doc, "requant");
            cJSON_AddNumberToObject(q, "mult", fuse.mult);
            cJSON_AddNumberToObject(q, "shift", fuse.shift);
            cJSON_AddNumberToObject(q, "zp", fuse.zp);
        }
        cJSON_AddNumberToObject(doc, "seed", (double)seed);
        cJSON_AddItemToObject(doc, "tiling", cli_tiling_json(&r.tiling));
        cJSON_AddNumberToObject(doc, "instructions", (double)r.instructions);
        cJSON *ops = cJSON_AddObjectToObject(doc, "by_op");
        for (int k = 0; k < FAST_ISA_OP_COUNT; k++)
            cJSON_AddNumberToObject(ops, fast_isa_op_name(k), (double)r.by_op[k]);
        cJSON_AddNumberToObject(doc, "model_cycles", (double)r.model_cycles);
        cJSON_AddStringToObject(doc, "model_unit", fast_unit_name(r.model_unit));
        cJSON_AddStringToObject(doc, "model_bound", fast_bound_name(r.model_bound));
        cJSON_AddNumberToObject(doc, "rtl_cycles", (double)r.rtl_cycles);
        cJSON_AddNumberToObject(doc, "rtl_last_write_cycle", (double)r.last_write_cycle);
        cJSON_AddNumberToObject(doc, "error", r.error);
        cJSON_AddBoolToObject(doc, "bit_exact", r.bit_exact);
        cJSON_AddNumberToObject(doc, "outputs", (double)r.outputs);
        cJSON_AddNumberToObject(doc, "mismatches", (double)r.mismatches);
        if (r.mismatches) {
            cJSON *m = cJSON_AddObjectToObject(doc, "first_mismatch");
            cJSON_AddNumberToObject(m, "index", (double)r.first_index);
            cJSON_AddNumberToObject(m, "rtl", (double)r.first_got);
            cJSON_AddNumberToObject(m, "reference", (double)r.first_want);
        }
        cJSON_AddNumberToObject(doc, "bytes_read", (double)r.bytes_read);
        cJSON_AddNumberToObject(doc, "bytes_written", (double)r.bytes_written);
        cJSON_AddStringToObject(doc, "top", r.top);
        cJSON_AddNumberToObject(doc, "dram_latency", (double)r.lat);
        cJSON_AddNumberToObject(doc, "dma_bw256", (double)r.bw256);
        cJSON_AddNumberToObject(doc, "dram_bw256", (double)r.mem_bw256);
        cJSON_AddNumberToObject(doc, "ext_bytes", (double)r.ext_bytes);
        cJSON_AddBoolToObject(doc, "jitter", o.jitter);
        cJSON_AddBoolToObject(doc, "cached", r.cached);
        cJSON_AddNumberToObject(doc, "build_seconds", r.build_s);
        cJSON_AddNumberToObject(doc, "sim_seconds", r.sim_s);
        cJSON_AddStringToObject(doc, "cache", r.cache_entry);
        if (o.trace_path)
            cJSON_AddStringToObject(doc, "trace", o.trace_path);
        int prc = cli_print_json(doc);
        return prc ? prc : code;
    }
    const fast_tiling *t = &r.tiling;
    printf("%s on %s (%s, %lld of %lld arrays)\n", spec, arch.name, r.top, (long long)t->units,
           (long long)r.arrays);
    printf("  tiling         tm=%lld tk=%lld tn=%lld %s%s, split %s\n", (long long)t->tm,
           (long long)t->tk, (long long)t->tn, fast_order_name(t->order),
           t->double_buffered ? " double-buffered" : "", fast_split_name(t->split));
    printf("  instructions   %lld (", (long long)r.instructions);
    for (int k = 0; k < FAST_ISA_OP_COUNT; k++)
        printf("%s%s %lld", k ? ", " : "", fast_isa_op_name(k), (long long)r.by_op[k]);
    printf(")\n");
    printf("  model cycles   %lld, %s-bound%s\n", (long long)r.model_cycles,
           fast_bound_name(r.model_bound), r.model_unit == FAST_UNIT_ARRAY ? ""
                                           : " (on the arrays, as the program runs; a network's "
                                             "model maps this layer to the vector unit)");
    printf("  RTL cycles     %lld (%+.2f%%; last write beat in cycle %lld)\n",
           (long long)r.rtl_cycles, 100.0 * r.error, (long long)r.last_write_cycle);
    if (r.bit_exact)
        printf("  outputs        %lld, bit-exact\n", (long long)r.outputs);
    else
        printf("  outputs        %lld, %lld MISMATCH (first: output %lld = %lld, reference "
               "%lld)\n",
               (long long)r.outputs, (long long)r.mismatches, (long long)r.first_index,
               (long long)r.first_got, (long long)r.first_want);
    printf("  DRAM           L = %lld cycles, B/U = %.3f bytes per cycle per array, B = %.3f; "
           "read %lld bytes, written %lld\n",
           (long long)r.lat, (double)r.bw256 / 256.0, (double)r.mem_bw256 / 256.0,
           (long long)r.bytes_read, (long long)r.bytes_written);
    if (r.cached)
        printf("  harness        cached (%s), ran in %.2f s\n", r.cache_entry, r.sim_s);
    else
        printf("  harness        built in %.1f s (%s), ran in %.2f s\n", r.build_s,
               r.cache_entry, r.sim_s);
    if (o.trace_path)
        printf("  trace          %s\n", o.trace_path);
    return code;
}

static const cli_opt sim_opts[] = {
    {"arch", "FILE", "the configuration (JSON)", 0},
    {"layer", "INLINE", "gemm:M,K,N or conv:H,W,Cin,Cout,K,stride[,groups] (same padding)", 0},
    CLI_FUSE_OPTS,
    {"seed", "N", "seed of the random int8 inputs and weights (default 1)", 0},
    {"max-cycles", "N", "a hang after N cycles (default 10 x the model's cycles + 100000)", 0},
    {"trace", "FILE.fst", "write an FST waveform (builds a tracing harness, cached apart)", 0},
    {"rtl", "DIR", "build this directory's Verilog and parameters header instead of "
                   "generating it (edited RTL)", 0},
    {"jitter", NULL, "random handshake gaps at the memory port (checks data, not cycles)", 0},
    {"json", NULL, "print one JSON document on stdout", 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_cmd_sim = {
    "sim",
    "run one layer on the generated RTL under Verilator; compare with the model",
    "--arch FILE --layer INLINE [--relu] [--requant M,S,Z] [--global WHICH] [--seed N] "
    "[--max-cycles N] "
    "[--trace FILE.fst] [--rtl DIR] [--jitter] [--json]",
    "Compiles the layer (as fast compile does), fills its input and weights with seeded\n"
    "random int8, generates the configuration's RTL, builds the Verilator harness into a\n"
    "cache ($FAST_CACHE_DIR, else .cache/fast-sim in the build directory), runs the program\n"
    "on the whole accelerator with external memory at the configuration's latency and\n"
    "bandwidth, and compares the output with the C layer reference bit for bit and the\n"
    "cycles with the analytical model's. Exit 0 bit-exact, 1 a mismatch or a failed run,\n"
    "2 bad input, 3 Verilator missing or its build failed. See docs/sim.md.",
    sim_opts,
    0,
    0,
    run_sim,
};
