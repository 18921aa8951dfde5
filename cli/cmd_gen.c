/* fast gen: emit the Verilog of a configuration. */
#include <inttypes.h>
#include <stdio.h>

#include "args.h"
#include "commands.h"
#include "core/arch.h"
#include "gen/gen.h"
#include "out.h"

static int run_gen(const cli_args *a)
{
    const char *arch_path = cli_get(a, "arch");
    const char *out_dir = cli_get(a, "out");
    if (!arch_path || !out_dir)
        return cli_usage_error(a->cmd, "--arch and --out are required");
    fast_diag *d = cli_diag_create();
    fast_arch arch;
    fast_gen_result r = {0};
    fast_status s = fast_arch_load(arch_path, &arch, d);
    if (s == FAST_OK) {
        size_t before = d->n;
        s = fast_gen_emit(&arch, out_dir, &r, d);
        fast_diag_name_file(d, before, arch_path);
    }
    int status = cli_report(d);
    fast_diag_destroy(d);
    if (s != FAST_OK)
        return status ? status : (int)s;
    char hash[17];
    snprintf(hash, sizeof hash, "%016" PRIx64, r.hash);
    if (cli_has(a, "json")) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "top", r.top);
        cJSON_AddStringToObject(doc, "accel", r.accel);
        cJSON_AddStringToObject(doc, "hash", hash);
        cJSON *files = cJSON_AddArrayToObject(doc, "files");
        for (int i = 0; i < r.n_files; i++)
            cJSON_AddItemToArray(files, cJSON_CreateString(r.files[i]));
        fast_gen_result_free(&r);
        return cli_print_json(doc);
    }
    printf("%s: %d files in %s (top %s, accelerator %s, hash %s)\n", arch.name, r.n_files,
           out_dir, r.top, r.accel, hash);
    fast_gen_result_free(&r);
    return 0;
}

static const cli_opt gen_opts[] = {
    {"arch", "FILE", "the configuration (JSON)", 0},
    {"out", "DIR", "the output directory (replaced if fast gen wrote it before)", 0},
    {"json", NULL, "print {top, accel, files, hash} as JSON", 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_cmd_gen = {
    "gen",
    "emit the Verilog of a configuration",
    "--arch FILE --out DIR [--json]",
    "Writes one core's datapath (systolic arrays, accumulators, vector unit), the templates\n"
    "it uses and a C parameters header into DIR, atomically: on any error nothing is left\n"
    "behind. The same configuration gives byte-identical files. See docs/rtl.md.",
    gen_opts,
    0,
    0,
    run_gen,
};
