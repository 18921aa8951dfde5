/* The command table of `fast`. Each command lives in cli/cmd_<group>.c. */
#ifndef FAST_CLI_COMMANDS_H
#define FAST_CLI_COMMANDS_H

#include "args.h"

extern const cli_cmd cli_cmd_config_check;
extern const cli_cmd cli_cmd_config_show;
extern const cli_cmd cli_cmd_tools;
extern const cli_cmd cli_cmd_eval;
extern const cli_cmd cli_cmd_gen;
extern const cli_cmd cli_cmd_compile;
extern const cli_cmd cli_cmd_sim;
extern const cli_cmd cli_cmd_asm;
extern const cli_cmd cli_cmd_disasm;
extern const cli_cmd cli_cmd_synth;
extern const cli_cmd cli_cmd_calibrate;
extern const cli_cmd cli_cmd_bench_model;
extern const cli_cmd cli_cmd_workloads_list;
extern const cli_cmd cli_cmd_workloads_show;
extern const cli_cmd cli_cmd_workloads_export;
extern const cli_cmd cli_cmd_workloads_import;

/* Every command, in the order `fast --help` lists them; NULL-terminated. */
extern const cli_cmd *const cli_commands[];

#endif
