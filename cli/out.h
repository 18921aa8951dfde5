/* Printing shared by the commands: diagnostics to stderr, JSON documents to stdout. */
#ifndef FAST_CLI_OUT_H
#define FAST_CLI_OUT_H

#include <cjson/cJSON.h>

#include "core/diag.h"

/* Prints every entry as one line on stderr and empties the list; returns its status. */
int cli_report(fast_diag *d);

/* Prints the document, indented, and a newline on stdout; frees it. Returns 0, or 3 when
 * out of memory. */
int cli_print_json(cJSON *doc);

/* Creates a diagnostics list or exits with status 3 (out of memory at start-up). */
fast_diag *cli_diag_create(void);

#endif
