#include "out.h"

#include <stdio.h>
#include <stdlib.h>

int cli_report(fast_diag *d)
{
    int status = fast_diag_status(d);
    for (size_t i = 0; i < d->n; i++) {
        char *line = fast_diag_line(d, i);
        fprintf(stderr, "%s\n", line ? line : "fast: error: out of memory");
        free(line);
    }
    fast_diag_clear(d);
    return status;
}

int cli_print_json(cJSON *doc)
{
    char *s = doc ? cJSON_Print(doc) : NULL;
    cJSON_Delete(doc);
    if (!s) {
        fprintf(stderr, "fast: error[internal]: out of memory\n");
        return 3;
    }
    fputs(s, stdout);
    fputc('\n', stdout);
    cJSON_free(s);
    return 0;
}

fast_diag *cli_diag_create(void)
{
    fast_diag *d = fast_diag_create();
    if (!d) {
        fprintf(stderr, "fast: error[internal]: out of memory\n");
        exit(3);
    }
    return d;
}
