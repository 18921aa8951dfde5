/* Command-line parsing for `fast`: a table of commands, each with its options.
 * Parsing and printing only; every command's work is a call into libfast. */
#ifndef FAST_CLI_ARGS_H
#define FAST_CLI_ARGS_H

#include <stddef.h>

#include "workloads/workload.h"

#define CLI_MAX_OPTS 24
#define CLI_MAX_VALUES 64
#define CLI_MAX_POS 256

/* One option: `--name VALUE` (also `--name=VALUE`) when metavar is set, else a flag. */
typedef struct cli_opt {
    const char *name;    /* without the leading dashes */
    const char *metavar; /* NULL for a flag */
    const char *help;
    int repeatable;      /* may be given several times; every value is kept */
} cli_opt;

/* Parsed arguments of one command. Invariant: for option i, n_vals[i] values are in
 * vals[i] (argv pointers, or "" for flags); positionals in pos[0, n_pos). */
typedef struct cli_args {
    const struct cli_cmd *cmd;
    const char *vals[CLI_MAX_OPTS][CLI_MAX_VALUES];
    size_t n_vals[CLI_MAX_OPTS];
    const char *pos[CLI_MAX_POS];
    size_t n_pos;
} cli_args;

/* One command. `name` is one or two words ("eval", "config check"). */
typedef struct cli_cmd {
    const char *name;
    const char *summary;  /* one line for `fast --help` */
    const char *usage;    /* arguments after the name, e.g. "FILE... [--json]" */
    const char *details;  /* a paragraph for `fast NAME --help`, may be NULL */
    const cli_opt *opts;  /* terminated by an entry with name NULL */
    size_t min_pos, max_pos;
    int (*run)(const cli_args *a);
} cli_cmd;

/* Parses argv (after the command words) for cmd; on a usage error prints one line to stderr
 * and returns 2; returns -1 when --help was asked (help already printed), 0 when parsed. */
int cli_parse(const cli_cmd *cmd, int argc, char **argv, cli_args *out);

/* The last value of an option, or NULL when it was not given. */
const char *cli_get(const cli_args *a, const char *name);

/* Whether a flag (or an option) was given. */
int cli_has(const cli_args *a, const char *name);

/* Every value of a repeatable option; returns their count and sets *vals. */
size_t cli_all(const cli_args *a, const char *name, const char *const **vals);

/* Parses an integer option in [lo, hi]; when absent stores def. On a bad value prints
 * "fast NAME: error[usage]: --opt = VALUE: must be an integer in lo..hi" and returns 2. */
int cli_get_int(const cli_args *a, const char *name, long long lo, long long hi, long long def,
                long long *out);

/* Fills o from the workload options a command defines: --batch (1..FAST_MAX_BATCH, default
 * 1; batch_given when present), --input-shape (repeatable), --allow-unsupported. The
 * strings stay owned by a. Returns 0, or 2 after printing a usage error. */
int cli_workload_opts(const cli_args *a, fast_workload_opts *o);

/* Prints `fast NAME --help` text to stdout. */
void cli_print_help(const cli_cmd *cmd);

/* Prints a usage error for cmd ("fast NAME: error[usage]: ...") to stderr; returns 2. */
int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
