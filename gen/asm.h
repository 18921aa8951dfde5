/* The assembly text of the instruction set (docs/isa.md section 4): one instruction per
 * line, `MNEMONIC field=value ... flag ...`, `#` comments. Parsing and printing. */
#ifndef FAST_ASM_H
#define FAST_ASM_H

#include <stddef.h>

#include "core/diag.h"
#include "core/isa.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parses assembly text; returns a new array of *n checked instructions the caller frees,
 * or NULL with one diagnostic per bad line, `FILE: error[asm]: line L = "TEXT": reason`. */
fast_insn *fast_asm_parse(const char *text, const char *file, size_t *n, fast_diag *d);

/* Writes the canonical text of one instruction (no newline) into buf of size len;
 * returns the length it needs, as snprintf does. */
int fast_asm_format_insn(const fast_insn *i, char *buf, size_t len);

/* The canonical text of a program, one line per instruction; the caller frees it; NULL
 * when out of memory. fast_asm_parse of it gives the same instructions back. */
char *fast_asm_format(const fast_insn *insns, size_t n);

#ifdef __cplusplus
}
#endif

#endif
