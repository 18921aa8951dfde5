/* Assembler and disassembler: table-driven over the layouts of core/isa.c. */
#include "gen/asm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sim/ref/vector.h"

#define KIND "asm"

/* Fields printed as a bare word when 1 and left out when 0. */
static int is_flag(int f)
{
    return f == FAST_F_POP_PREV || f == FAST_F_POP_NEXT || f == FAST_F_PUSH_PREV ||
           f == FAST_F_PUSH_NEXT || f == FAST_F_CONT || f == FAST_F_ACCUMULATE ||
           f == FAST_F_BSRC;
}

/* The symbolic name of value v of field f, or NULL when f is numeric. */
static const char *sym(int f, int64_t v)
{
    switch (f) {
    case FAST_F_MEM: return v >= 0 && v <= 2 ? fast_isa_mem_name((int)v) : NULL;
    case FAST_F_FMT: return v >= 0 && v <= 2 ? fast_isa_fmt_name((int)v) : NULL;
    case FAST_F_QUEUE: return v >= 0 && v <= 2 ? fast_isa_queue_name((int)v) : NULL;
    case FAST_F_VOP: return v >= 0 && v < FAST_VOP_COUNT ? fast_ref_vector_op_name((int)v) : NULL;
    default: return NULL;
    }
}

/* Value of a symbolic name for field f; -1 when unknown. */
static int64_t unsym(int f, const char *s)
{
    int top = f == FAST_F_VOP ? FAST_VOP_COUNT : 3;
    if (f != FAST_F_MEM && f != FAST_F_FMT && f != FAST_F_QUEUE && f != FAST_F_VOP)
        return -1;
    for (int v = 0; v < top; v++) {
        const char *n = sym(f, v);
        if (n && strcmp(n, s) == 0)
            return v;
    }
    return -1;
}

int fast_asm_format_insn(const fast_insn *i, char *buf, size_t len)
{
    int n, used = snprintf(buf, len, "%s", fast_isa_op_name(i->op));
    const fast_isa_slot *s = fast_isa_layout(i->op, &n);
    for (int k = 0; k < n; k++) {
        int f = s[k].field;
        size_t at = (size_t)used < len ? (size_t)used : len;
        char *p = len ? buf + at : buf;
        size_t room = len - at;
        if (is_flag(f)) {
            if (i->f[f])
                used += snprintf(p, room, " %s", fast_isa_field_name(f));
        } else if (f == FAST_F_ARRAY && i->op == FAST_ISA_END) {
            continue;
        } else if (sym(f, i->f[f])) {
            used += snprintf(p, room, " %s=%s", fast_isa_field_name(f), sym(f, i->f[f]));
        } else if (f == FAST_F_DRAM || f == FAST_F_B || f == FAST_F_C) {
            used += snprintf(p, room, " %s=0x%llx", fast_isa_field_name(f),
                             (unsigned long long)i->f[f]);
        } else {
            used += snprintf(p, room, " %s=%lld", fast_isa_field_name(f), (long long)i->f[f]);
        }
    }
    return used;
}

char *fast_asm_format(const fast_insn *insns, size_t n)
{
    size_t cap = 256 * (n + 1), len = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (size_t k = 0; k < n; k++) {
        int need = fast_asm_format_insn(&insns[k], out + len, cap - len);
        if ((size_t)need + 2 > cap - len) {
            cap = 2 * cap + (size_t)need + 2;
            char *b = realloc(out, cap);
            if (!b) {
                free(out);
                return NULL;
            }
            out = b;
            fast_asm_format_insn(&insns[k], out + len, cap - len);
        }
        len += (size_t)need;
        out[len++] = '\n';
        out[len] = '\0';
    }
    return out;
}

/* Reports a problem on one line. */
static void line_error(fast_diag *d, const char *file, int line, const char *text,
                       const char *fmt, const char *a, const char *b)
{
    char where[32], msg[256];
    snprintf(where, sizeof where, "line %d", line);
    snprintf(msg, sizeof msg, fmt, a, b);
    char quoted[200];
    snprintf(quoted, sizeof quoted, "\"%s\"", text);
    fast_diag_add(d, FAST_EINPUT, file, KIND, where, quoted, "%s", msg);
}

/* Parses an integer: decimal, 0x hex, optional minus sign. Returns 0 on success. */
static int parse_int(const char *s, int64_t *v)
{
    if (!*s)
        return -1;
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 0);
    if (errno || *end)
        return -1;
    *v = x;
    return 0;
}

/* Parses one trimmed, comment-free line into *ins; returns 0, or -1 after reporting. */
static int parse_line(char *s, const char *file, int line, const char *text, fast_insn *ins,
                      fast_diag *d)
{
    char *save = NULL, *tok = strtok_r(s, " \t", &save);
    int op = -1;
    for (int k = 0; k < FAST_ISA_OP_COUNT; k++)
        if (strcmp(tok, fast_isa_op_name(k)) == 0)
            op = k;
    if (op < 0) {
        line_error(d, file, line, text,
                   "unknown instruction '%s': expected load, store, matmul, vector, sync or "
                   "end%s", tok, "");
        return -1;
    }
    *ins = fast_isa_make((fast_isa_op)op);
    int n;
    const fast_isa_slot *lay = fast_isa_layout(op, &n);
    int seen[FAST_F_COUNT] = {0};
    while ((tok = strtok_r(NULL, " \t", &save))) {
        char *eq = strchr(tok, '=');
        if (eq)
            *eq = '\0';
        int f = -1;
        for (int k = 0; k < n; k++)
            if (strcmp(tok, fast_isa_field_name(lay[k].field)) == 0)
                f = lay[k].field;
        if (f < 0 || (f == FAST_F_ARRAY && op == FAST_ISA_END)) {
            line_error(d, file, line, text, "'%s' is not a field of %s", tok,
                       fast_isa_op_name(op));
            return -1;
        }
        if (seen[f]++) {
            line_error(d, file, line, text, "'%s' given twice%s", tok, "");
            return -1;
        }
        if (is_flag(f)) {
            if (eq) {
                line_error(d, file, line, text, "'%s' is a flag: write it without a value%s",
                           tok, "");
                return -1;
            }
            ins->f[f] = 1;
            continue;
        }
        if (!eq || !eq[1]) {
            line_error(d, file, line, text, "'%s' needs a value: %s=VALUE", tok, tok);
            return -1;
        }
        int64_t v = unsym(f, eq + 1);
        if (v < 0 && parse_int(eq + 1, &v) != 0) {
            line_error(d, file, line, text, "%s = %s: not a number or a known name", tok,
                       eq + 1);
            return -1;
        }
        ins->f[f] = v;
    }
    fast_diag *tmp = fast_diag_create();
    if (!tmp)
        return -1;
    int rc = 0;
    if (fast_isa_check(ins, NULL, tmp) != FAST_OK) {
        /* Re-word the first problem as a line error: "FIELD = VALUE: reason". */
        const fast_diag_entry *e = &tmp->v[0];
        char msg[256];
        if (e->value && *e->value)
            snprintf(msg, sizeof msg, "%s = %s: %s", e->where, e->value, e->reason);
        else
            snprintf(msg, sizeof msg, "%s: %s", e->where, e->reason);
        line_error(d, file, line, text, "%s%s", msg, "");
        rc = -1;
    }
    fast_diag_destroy(tmp);
    return rc;
}

fast_insn *fast_asm_parse(const char *text, const char *file, size_t *n, fast_diag *d)
{
    size_t cap = 64, cnt = 0, errors = fast_diag_errors(d);
    fast_insn *v = malloc(cap * sizeof *v);
    if (!v) {
        fast_diag_add(d, FAST_ETOOL, file, KIND, NULL, NULL, "out of memory");
        return NULL;
    }
    int line = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        line++;
        char *buf = malloc(len + 1), *raw = malloc(len + 1);
        if (!buf || !raw) {
            free(buf);
            free(raw);
            break;
        }
        memcpy(buf, p, len);
        buf[len] = '\0';
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        char *s = buf;
        while (*s == ' ' || *s == '\t' || *s == '\r')
            s++;
        size_t sl = strlen(s);
        while (sl && (s[sl - 1] == ' ' || s[sl - 1] == '\t' || s[sl - 1] == '\r'))
            s[--sl] = '\0';
        strcpy(raw, s);
        if (*s) {
            if (cnt == cap) {
                fast_insn *nv = realloc(v, 2 * cap * sizeof *v);
                if (!nv) {
                    free(buf);
                    free(raw);
                    break;
                }
                v = nv;
                cap *= 2;
            }
            if (parse_line(s, file, line, raw, &v[cnt], d) == 0)
                cnt++;
        }
        free(buf);
        free(raw);
        p = nl ? nl + 1 : p + len;
    }
    if (fast_diag_errors(d) > errors) {
        free(v);
        return NULL;
    }
    *n = cnt;
    return v;
}
