#include "commands.h"

#include <stddef.h>

const cli_cmd *const cli_commands[] = {
    &cli_cmd_config_check,
    &cli_cmd_config_show,
    &cli_cmd_eval,
    &cli_cmd_gen,
    &cli_cmd_compile,
    &cli_cmd_sim,
    &cli_cmd_asm,
    &cli_cmd_disasm,
    &cli_cmd_synth,
    &cli_cmd_calibrate,
    &cli_cmd_workloads_list,
    &cli_cmd_workloads_show,
    &cli_cmd_workloads_export,
    &cli_cmd_workloads_import,
    &cli_cmd_bench_model,
    &cli_cmd_tools,
    NULL,
};
