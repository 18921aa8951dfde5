/* fast asm and fast disasm: the instruction set's text and binary forms (docs/isa.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "core/util.h"
#include "gen/asm.h"
#include "core/isa.h"
#include "out.h"

#define MAX_PROGRAM_BYTES (256u << 20)

static int run_asm(const cli_args *a)
{
    const char *in = a->pos[0], *out = cli_get(a, "out");
    if (!out)
        return cli_usage_error(a->cmd, "--out is required");
    fast_diag *d = cli_diag_create();
    size_t len = 0, n = 0;
    char *text = fast_file_read(in, MAX_PROGRAM_BYTES, &len, "asm", d);
    fast_insn *prog = text ? fast_asm_parse(text, in, &n, d) : NULL;
    uint8_t *bin = prog ? fast_isa_encode_program(prog, n) : NULL;
    if (prog && !bin)
        fast_diag_add(d, FAST_ETOOL, NULL, "asm", NULL, NULL, "out of memory");
    if (bin)
        fast_file_write_atomic(out, bin, n * FAST_ISA_BYTES, "asm", d);
    int status = cli_report(d);
    fast_diag_destroy(d);
    free(text);
    free(prog);
    free(bin);
    if (status == 0 && !cli_has(a, "quiet"))
        printf("%s: %zu instructions, %zu bytes in %s\n", in, n, n * FAST_ISA_BYTES, out);
    return status;
}

static int run_disasm(const cli_args *a)
{
    const char *in = a->pos[0], *out = cli_get(a, "out");
    fast_diag *d = cli_diag_create();
    size_t len = 0, n = 0;
    char *bytes = fast_file_read(in, MAX_PROGRAM_BYTES, &len, "disasm", d);
    fast_insn *prog = bytes ? fast_isa_decode_program((const uint8_t *)bytes, len, in, &n, d)
                            : NULL;
    char *text = prog ? fast_asm_format(prog, n) : NULL;
    if (prog && !text)
        fast_diag_add(d, FAST_ETOOL, NULL, "disasm", NULL, NULL, "out of memory");
    if (text && out)
        fast_file_write_atomic(out, text, strlen(text), "disasm", d);
    int status = cli_report(d);
    fast_diag_destroy(d);
    if (status == 0 && text && !out)
        fputs(text, stdout);
    free(bytes);
    free(prog);
    free(text);
    return status;
}

static const cli_opt asm_opts[] = {
    {"out", "FILE", "the binary program to write (32 bytes per instruction)", 0},
    {"quiet", NULL, "print nothing on success", 0},
    {NULL, NULL, NULL, 0},
};

static const cli_opt disasm_opts[] = {
    {"out", "FILE", "write the text there instead of printing it", 0},
    {NULL, NULL, NULL, 0},
};

const cli_cmd cli_cmd_asm = {
    "asm",
    "assemble an accelerator program",
    "FILE.s --out FILE.bin [--quiet]",
    "Reads one instruction per line (docs/isa.md section 4) and writes the 256-bit binary\n"
    "encoding, atomically. Every bad line is reported as\n"
    "FILE: error[asm]: line L = \"TEXT\": reason, and nothing is written (exit 2).",
    asm_opts,
    1,
    1,
    run_asm,
};

const cli_cmd cli_cmd_disasm = {
    "disasm",
    "disassemble an accelerator program",
    "FILE.bin [--out FILE.s]",
    "Prints the canonical text of a binary program: fast asm of it gives the same bytes.",
    disasm_opts,
    1,
    1,
    run_disasm,
};
