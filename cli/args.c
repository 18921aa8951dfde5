#include "args.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"

int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fast %s: error[usage]: ", cmd->name);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see 'fast %s --help')\n", cmd->name);
    va_end(ap);
    return 2;
}

static int opt_index(const cli_cmd *cmd, const char *name, size_t len)
{
    for (int i = 0; cmd->opts && cmd->opts[i].name; i++)
        if (strlen(cmd->opts[i].name) == len && strncmp(cmd->opts[i].name, name, len) == 0)
            return i;
    return -1;
}

int cli_parse(const cli_cmd *cmd, int argc, char **argv, cli_args *out)
{
    memset(out, 0, sizeof *out);
    out->cmd = cmd;
    int only_pos = 0;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (!only_pos && strcmp(arg, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (!only_pos && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)) {
            cli_print_help(cmd);
            return -1;
        }
        if (!only_pos && arg[0] == '-' && arg[1] != '\0') {
            if (arg[1] != '-')
                return cli_usage_error(cmd, "unknown option '%s': options are written --name",
                                       arg);
            const char *name = arg + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            int k = opt_index(cmd, name, len);
            if (k < 0) {
                const char *names[CLI_MAX_OPTS + 2];
                size_t n = 0;
                for (int j = 0; cmd->opts && cmd->opts[j].name && n < CLI_MAX_OPTS; j++)
                    names[n++] = cmd->opts[j].name;
                names[n++] = "help";
                names[n] = NULL;
                char word[64];
                snprintf(word, sizeof word, "%.*s", (int)(len < 63 ? len : 63), name);
                const char *near = fast_suggest(word, names);
                if (near)
                    return cli_usage_error(cmd, "unknown option '--%s' (did you mean '--%s'?)",
                                           word, near);
                return cli_usage_error(cmd, "unknown option '--%s'", word);
            }
            const cli_opt *o = &cmd->opts[k];
            const char *val = "";
            if (o->metavar) {
                if (eq) {
                    val = eq + 1;
                } else if (i + 1 < argc) {
                    val = argv[++i];
                } else {
                    return cli_usage_error(cmd, "option '--%s' needs a value %s", o->name,
                                           o->metavar);
                }
            } else if (eq) {
                return cli_usage_error(cmd, "option '--%s' takes no value", o->name);
            }
            if (out->n_vals[k] > 0 && !o->repeatable && o->metavar)
                return cli_usage_error(cmd, "option '--%s' given more than once", o->name);
            if (out->n_vals[k] >= CLI_MAX_VALUES)
                return cli_usage_error(cmd, "option '--%s' given more than %d times", o->name,
                                       CLI_MAX_VALUES);
            out->vals[k][out->n_vals[k]++] = val;
            continue;
        }
        if (out->n_pos >= cmd->max_pos || out->n_pos >= CLI_MAX_POS) {
            if (cmd->max_pos == 0)
                return cli_usage_error(cmd, "unexpected argument '%s'", arg);
            return cli_usage_error(cmd, "too many arguments (at most %zu)", cmd->max_pos);
        }
        out->pos[out->n_pos++] = arg;
    }
    if (out->n_pos < cmd->min_pos)
        return cli_usage_error(cmd, "missing argument: usage is 'fast %s %s'", cmd->name,
                               cmd->usage);
    return 0;
}

static int find(const cli_args *a, const char *name)
{
    return opt_index(a->cmd, name, strlen(name));
}

const char *cli_get(const cli_args *a, const char *name)
{
    int k = find(a, name);
    return k >= 0 && a->n_vals[k] ? a->vals[k][a->n_vals[k] - 1] : NULL;
}

int cli_has(const cli_args *a, const char *name)
{
    int k = find(a, name);
    return k >= 0 && a->n_vals[k] > 0;
}

size_t cli_all(const cli_args *a, const char *name, const char *const **vals)
{
    int k = find(a, name);
    if (k < 0) {
        *vals = NULL;
        return 0;
    }
    *vals = a->vals[k];
    return a->n_vals[k];
}

int cli_get_int(const cli_args *a, const char *name, long long lo, long long hi, long long def,
                long long *out)
{
    const char *s = cli_get(a, name);
    if (!s) {
        *out = def;
        return 0;
    }
    int64_t v;
    if (fast_parse_i64(s, lo, hi, &v) != 0) {
        fprintf(stderr, "fast %s: error[usage]: --%s = %s: must be an integer in %lld..%lld\n",
                a->cmd->name, name, s, lo, hi);
        return 2;
    }
    *out = v;
    return 0;
}

void cli_print_help(const cli_cmd *cmd)
{
    printf("usage: fast %s %s\n\n%s\n", cmd->name, cmd->usage, cmd->summary);
    if (cmd->details)
        printf("\n%s\n", cmd->details);
    printf("\noptions:\n");
    for (int i = 0; cmd->opts && cmd->opts[i].name; i++) {
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", cmd->opts[i].name,
                 cmd->opts[i].metavar ? " " : "",
                 cmd->opts[i].metavar ? cmd->opts[i].metavar : "");
        printf("  %-26s %s%s\n", left, cmd->opts[i].help,
               cmd->opts[i].repeatable ? " (repeatable)" : "");
    }
    printf("  %-26s %s\n", "--help", "show this help");
}

int cli_workload_opts(const cli_args *a, fast_workload_opts *o)
{
    long long batch = 1;
    memset(o, 0, sizeof *o);
    int rc = cli_get_int(a, "batch", 1, FAST_MAX_BATCH, 1, &batch);
    o->batch = batch;
    o->batch_given = cli_has(a, "batch");
    o->n_input_shapes = cli_all(a, "input-shape", &o->input_shapes);
    o->allow_unsupported = cli_has(a, "allow-unsupported");
    return rc;
}
