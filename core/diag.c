#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

fast_diag *fast_diag_create(void) { return calloc(1, sizeof(fast_diag)); }

static void entry_free(fast_diag_entry *e)
{
    free(e->file);
    free(e->kind);
    free(e->where);
    free(e->value);
    free(e->reason);
}

void fast_diag_clear(fast_diag *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        entry_free(&d->v[i]);
    d->n = 0;
}

void fast_diag_destroy(fast_diag *d)
{
    if (!d)
        return;
    fast_diag_clear(d);
    free(d->v);
    free(d);
}

static void diag_vadd(fast_diag *d, fast_status status, const char *file, const char *kind,
                      const char *where, const char *value, const char *fmt, va_list ap)
{
    if (!d)
        return;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        fast_diag_entry *v = realloc(d->v, cap * sizeof *v);
        if (!v)
            return;
        d->v = v;
        d->cap = cap;
    }
    fast_diag_entry e = {
        .status = status,
        .file = fast_strdup(file ? file : ""),
        .kind = fast_strdup(kind ? kind : ""),
        .where = fast_strdup(where ? where : ""),
        .value = fast_strdup(value ? value : ""),
        .reason = fast_vformat(fmt, ap),
    };
    if (!e.file || !e.kind || !e.where || !e.value || !e.reason) {
        entry_free(&e);
        return;
    }
    d->v[d->n++] = e;
}

void fast_diag_add(fast_diag *d, fast_status status, const char *file, const char *kind,
                   const char *where, const char *value, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, status, file, kind, where, value, fmt, ap);
    va_end(ap);
}

void fast_diag_warn(fast_diag *d, const char *file, const char *kind, const char *where,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, FAST_OK, file, kind, where, NULL, fmt, ap);
    va_end(ap);
}

fast_status fast_diag_status(const fast_diag *d)
{
    fast_status s = FAST_OK;
    for (size_t i = 0; d && i < d->n; i++)
        if (d->v[i].status > s)
            s = d->v[i].status;
    return s;
}

size_t fast_diag_errors(const fast_diag *d)
{
    size_t n = 0;
    for (size_t i = 0; d && i < d->n; i++)
        n += d->v[i].status != FAST_OK;
    return n;
}

char *fast_diag_line(const fast_diag *d, size_t i)
{
    const fast_diag_entry *e = &d->v[i];
    const char *sev = e->status == FAST_OK ? "warning" : "error";
    const char *file = e->file[0] ? e->file : "fast";
    if (!e->where[0])
        return fast_format("%s: %s[%s]: %s", file, sev, e->kind, e->reason);
    if (!e->value[0])
        return fast_format("%s: %s[%s]: %s: %s", file, sev, e->kind, e->where, e->reason);
    return fast_format("%s: %s[%s]: %s = %s: %s", file, sev, e->kind, e->where, e->value,
                       e->reason);
}

void fast_diag_name_file(fast_diag *d, size_t from, const char *file)
{
    for (size_t i = from; d && i < d->n; i++) {
        if (d->v[i].file[0])
            continue;
        char *copy = fast_strdup(file ? file : "");
        if (!copy)
            return;
        free(d->v[i].file);
        d->v[i].file = copy;
    }
}
