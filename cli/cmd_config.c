/* fast config check | show */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "commands.h"
#include "core/arch.h"
#include "out.h"

static cJSON *errors_json(const fast_diag *d)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; d && i < d->n; i++) {
        char *line = fast_diag_line(d, i);
        cJSON_AddItemToArray(arr, cJSON_CreateString(line ? line : "out of memory"));
        free(line);
    }
    return arr;
}

static int run_check(const cli_args *a)
{
    int json = cli_has(a, "json");
    fast_diag *d = cli_diag_create();
    cJSON *doc = json ? cJSON_CreateArray() : NULL;
    int status = 0;
    for (size_t i = 0; i < a->n_pos; i++) {
        fast_arch arch;
        fast_status s = fast_arch_load(a->pos[i], &arch, d);
        char hash[17];
        snprintf(hash, sizeof hash, "%016" PRIx64, s == FAST_OK ? fast_arch_hash(&arch) : 0);
        if (json) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "file", a->pos[i]);
            cJSON_AddBoolToObject(e, "ok", s == FAST_OK);
            if (s == FAST_OK)
                cJSON_AddStringToObject(e, "hash", hash);
            cJSON_AddItemToObject(e, "errors", errors_json(d));
            cJSON_AddItemToArray(doc, e);
        } else if (s == FAST_OK) {
            printf("%s: ok (%s, hash %s)\n", a->pos[i], arch.name, hash);
        }
        int r = cli_report(d);
        if (r > status)
            status = r;
    }
    fast_diag_destroy(d);
    if (json) {
        int r = cli_print_json(doc);
        if (r > status)
            status = r;
    }
    return status;
}

static int run_show(const cli_args *a)
{
    fast_diag *d = cli_diag_create();
    fast_arch arch;
    fast_status s = fast_arch_load(a->pos[0], &arch, d);
    int status = cli_report(d);
    fast_diag_destroy(d);
    if (s != FAST_OK)
        return status;
    char hash[17];
    snprintf(hash, sizeof hash, "%016" PRIx64, fast_arch_hash(&arch));
    if (cli_has(a, "json")) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "file", a->pos[0]);
        cJSON_AddStringToObject(doc, "hash", hash);
        cJSON_AddItemToObject(doc, "config", fast_arch_to_json(&arch));
        return cli_print_json(doc);
    }
    cJSON *j = fast_arch_to_json(&arch);
    char *text = j ? cJSON_Print(j) : NULL;
    cJSON_Delete(j);
    if (!text)
        return 3;
    printf("%s\nhash: %s\n", text, hash);
    cJSON_free(text);
    return 0;
}

static const cli_opt json_only[] = {
    {"json", NULL, "print one JSON document on stdout", 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_cmd_config_check = {
    "config check", "validate accelerator configuration files", "FILE... [--json]",
    "Prints 'FILE: ok' per valid file and one line per problem on stderr:\n"
    "  FILE: error[config]: FIELD = VALUE: reason\n"
    "Exits 2 when any file is invalid. Fields are documented in docs/config.md.",
    json_only, 1, CLI_MAX_POS, run_check};

const cli_cmd cli_cmd_config_show = {
    "config show", "print a configuration with every default filled in, and its hash",
    "FILE [--json]",
    "The canonical form (fixed field order, every field present) is what the hash is taken\n"
    "over; the generator stamps that hash into every emitted file.",
    json_only, 1, 1, run_show};
