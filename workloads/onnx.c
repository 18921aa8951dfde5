/* ONNX import: decoding the protobuf, checking the model, naming values, ordering nodes,
 * fixing input shapes, then mapping node after node (onnx_ops.c, onnx_fold.c,
 * onnx_patterns.c). */
#include "workloads/onnx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "workloads/onnx_impl.h"

#define MAX_ONNX_BYTES ((size_t)1 << 31) /* protobuf's own limit for one message */
#define OPSET_MIN 7
#define OPSET_MAX 21
#define MAX_DIM (INT64_C(1) << 40)

/* ---- values ---------------------------------------------------------------------------- */

static uint64_t name_hash(const char *s)
{
    return fast_hash64(s, strlen(s));
}

int onnx_find(const onnx_ctx *c, const char *name)
{
    if (!name || !c->hash_cap)
        return -1;
    size_t mask = (size_t)c->hash_cap - 1;
    for (size_t h = name_hash(name) & mask;; h = (h + 1) & mask) {
        int e = c->hash[h];
        if (e == 0)
            return -1;
        if (strcmp(c->v[e - 1].name, name) == 0)
            return e - 1;
    }
}

/* Adds a value; returns its index, or -1 when the name exists (or out of memory). */
static int add_value(onnx_ctx *c, const char *name, int producer)
{
    if (onnx_find(c, name) >= 0 || c->n_v >= c->cap_v)
        return -1;
    onnx_value *v = &c->v[c->n_v];
    memset(v, 0, sizeof *v);
    v->name = name;
    v->producer = producer;
    v->t = v->other = -1;
    size_t mask = (size_t)c->hash_cap - 1;
    size_t h = name_hash(name) & mask;
    while (c->hash[h])
        h = (h + 1) & mask;
    c->hash[h] = c->n_v + 1;
    return c->n_v++;
}

onnx_value *onnx_input(onnx_ctx *c, const Onnx__NodeProto *n, int i)
{
    if (i < 0 || (size_t)i >= n->n_input || !n->input[i][0])
        return NULL;
    int k = onnx_find(c, n->input[i]);
    return k < 0 ? NULL : &c->v[k];
}

onnx_value *onnx_output(onnx_ctx *c, const Onnx__NodeProto *n, int i)
{
    if (i < 0 || (size_t)i >= n->n_output || !n->output[i][0])
        return NULL;
    int k = onnx_find(c, n->output[i]);
    return k < 0 ? NULL : &c->v[k];
}

const char *onnx_where(const onnx_ctx *c, const Onnx__NodeProto *n, char *buf, size_t len)
{
    if (!n)
        return "graph";
    if (n->name && n->name[0])
        return n->name;
    int k = 0;
    while ((size_t)k < c->gp->n_node && c->gp->node[k] != n)
        k++;
    snprintf(buf, len, "nodes[%d] (%s)", k, n->op_type ? n->op_type : "?");
    return buf;
}

int onnx_fail(onnx_ctx *c, const Onnx__NodeProto *n, const char *value, const char *fmt, ...)
{
    char where[160];
    va_list ap;
    va_start(ap, fmt);
    char *msg = fast_vformat(fmt, ap);
    va_end(ap);
    fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", onnx_where(c, n, where, sizeof where),
                  value, "%s%s%s", n && n->op_type ? n->op_type : "",
                  n && n->op_type ? ": " : "", msg ? msg : "out of memory");
    free(msg);
    return -1;
}

/* ---- attributes ------------------------------------------------------------------------ */

const Onnx__AttributeProto *onnx_attr(const Onnx__NodeProto *n, const char *name)
{
    for (size_t i = 0; i < n->n_attribute; i++)
        if (n->attribute[i]->name && strcmp(n->attribute[i]->name, name) == 0)
            return n->attribute[i];
    return NULL;
}

int64_t onnx_attr_int(const Onnx__NodeProto *n, const char *name, int64_t def)
{
    const Onnx__AttributeProto *a = onnx_attr(n, name);
    return a && a->has_i ? a->i : def;
}

double onnx_attr_float(const Onnx__NodeProto *n, const char *name, double def)
{
    const Onnx__AttributeProto *a = onnx_attr(n, name);
    return a && a->has_f ? (double)a->f : def;
}

int onnx_attr_ints(const Onnx__NodeProto *n, const char *name, int64_t *out, int max)
{
    const Onnx__AttributeProto *a = onnx_attr(n, name);
    if (!a)
        return -1;
    int k = (int)(a->n_ints < (size_t)max ? a->n_ints : (size_t)max);
    for (int i = 0; i < k; i++)
        out[i] = a->ints[i];
    return (int)a->n_ints > max ? max + 1 : k;
}

const char *onnx_attr_str(const Onnx__NodeProto *n, const char *name, const char *def,
                          char *buf, size_t len)
{
    const Onnx__AttributeProto *a = onnx_attr(n, name);
    if (!a || !a->has_s) {
        snprintf(buf, len, "%s", def);
        return buf;
    }
    size_t k = a->s.len < len - 1 ? a->s.len : len - 1;
    memcpy(buf, a->s.data, k);
    buf[k] = '\0';
    return buf;
}

/* ---- layouts and emitting ---------------------------------------------------------------- */

fast_shape onnx_to_nhwc(fast_shape s)
{
    if (s.rank != 4)
        return s;
    fast_shape r = s;
    r.d[1] = s.d[2];
    r.d[2] = s.d[3];
    r.d[3] = s.d[1];
    return r;
}

fast_shape onnx_from_nhwc(fast_shape s)
{
    if (s.rank != 4)
        return s;
    fast_shape r = s;
    r.d[1] = s.d[3];
    r.d[2] = s.d[1];
    r.d[3] = s.d[2];
    return r;
}

/* An IR name for an ONNX value: at most 128 characters, unique in the graph. */
static void ir_name(onnx_ctx *c, const char *base, const char *suffix, char *out, size_t len)
{
    char full[512];
    snprintf(full, sizeof full, "%s%s", base, suffix);
    if (strlen(full) > 120) {
        uint64_t h = fast_hash64(full, strlen(full));
        snprintf(full + 100, sizeof full - 100, "~%016llx", (unsigned long long)h);
    }
    snprintf(out, len, "%s", full);
    for (int k = 2; fast_graph_find_tensor(c->g, out) >= 0; k++)
        snprintf(out, len, "%s.%d", full, k);
}

int onnx_emit(onnx_ctx *c, const Onnx__NodeProto *n, const char *out_name, const char *suffix,
              fast_op_type type, const int *inputs, int n_inputs, const fast_op_attrs *a)
{
    char name[160];
    ir_name(c, out_name, suffix, name, sizeof name);
    size_t before = c->d->n;
    int t = fast_graph_add(c->g, name, type, inputs, n_inputs, a, c->d);
    if (t < 0) {
        /* The graph names the IR op; say which ONNX node it came from. */
        char where[160];
        const char *w = onnx_where(c, n, where, sizeof where);
        for (size_t i = before; i < c->d->n; i++) {
            fast_diag_entry *e = &c->d->v[i];
            char *r = fast_format("%s%s%s", n ? "node " : "", n ? w : "", n ? ": " : "");
            char *reason = r ? fast_format("%s%s", r, e->reason) : NULL;
            if (reason) {
                free(e->reason);
                e->reason = reason;
            }
            free(r);
        }
        fast_diag_name_file(c->d, before, c->file);
    }
    return t;
}

void onnx_bind(onnx_ctx *c, onnx_value *v, int t, int nhwc)
{
    v->kind = ONNX_V_ACT;
    v->t = t;
    v->other = -1;
    v->nhwc = nhwc && c->g->tensors[t].shape.rank == 4;
    v->shape = v->nhwc ? onnx_from_nhwc(c->g->tensors[t].shape) : c->g->tensors[t].shape;
}

int onnx_act_layout(onnx_ctx *c, onnx_value *v, int nhwc)
{
    if (v->kind != ONNX_V_ACT)
        return -1;
    if (v->shape.rank != 4 || v->nhwc == nhwc)
        return v->t;
    if (v->other >= 0)
        return v->other;
    fast_op_attrs a;
    memset(&a, 0, sizeof a);
    a.shape = nhwc ? onnx_to_nhwc(v->shape) : v->shape;
    /* A relabelling between layouts: the model prices reshapes as views. */
    int t = onnx_emit(c, NULL, v->name, nhwc ? ".nhwc" : ".nchw", FAST_OP_RESHAPE, &v->t, 1, &a);
    v->other = t;
    return t;
}

/* ---- reading and checking the model ------------------------------------------------------ */

static const char *base_name(const char *path, char *buf, size_t len)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    snprintf(buf, len, "%s", b);
    size_t n = strlen(buf);
    if (n > 5 && strcmp(buf + n - 5, ".onnx") == 0)
        buf[n - 5] = '\0';
    if (strlen(buf) > 120)
        buf[120] = '\0';
    if (!buf[0])
        snprintf(buf, len, "onnx");
    return buf;
}

static int check_model(onnx_ctx *c)
{
    const Onnx__ModelProto *m = c->model;
    char val[32];
    if (!m->has_ir_version || m->ir_version < 3 || m->ir_version > 10) {
        snprintf(val, sizeof val, "%lld", (long long)m->ir_version);
        fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", "ir_version",
                      m->has_ir_version ? val : NULL, "%s; this build reads ONNX IR versions "
                      "3..10 (not an ONNX model?)", m->has_ir_version ? "unsupported" :
                      "missing");
        return -1;
    }
    int found = 0;
    for (size_t i = 0; i < m->n_opset_import; i++) {
        const Onnx__OperatorSetIdProto *o = m->opset_import[i];
        const char *dom = o->domain ? o->domain : "";
        if (strcmp(dom, "") && strcmp(dom, "ai.onnx"))
            continue;
        char where[48];
        snprintf(where, sizeof where, "opset_import[%zu].version", i);
        snprintf(val, sizeof val, "%lld", (long long)o->version);
        if (!o->has_version || o->version < OPSET_MIN || o->version > OPSET_MAX) {
            fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", where,
                          o->has_version ? val : NULL, "%s; this build maps opsets %d..%d",
                          o->has_version ? "unsupported opset" : "missing", OPSET_MIN,
                          OPSET_MAX);
            return -1;
        }
        c->opset = o->version;
        found = 1;
    }
    if (!found) {
        fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", "opset_import", NULL,
                      "no version of the default ONNX operator set (domain \"\")");
        return -1;
    }
    if (!m->graph) {
        fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", "graph", NULL,
                      "missing: the model has no graph");
        return -1;
    }
    c->gp = m->graph;
    if (c->gp->n_node == 0) {
        fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", "graph.node", NULL,
                      "the graph has no nodes");
        return -1;
    }
    if (c->gp->n_sparse_initializer > 0) {
        fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", "graph.sparse_initializer", NULL,
                      "sparse initializers are not supported");
        return -1;
    }
    if (c->gp->n_node > (1u << 22)) {
        fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", "graph.node", NULL,
                      "more than 2^22 nodes");
        return -1;
    }
    return 0;
}

/* Names every value: graph inputs, initializers, node outputs (Constant nodes are read
 * at once). Reports names written twice. */
static int register_values(onnx_ctx *c)
{
    const Onnx__GraphProto *gp = c->gp;
    size_t total = gp->n_input + gp->n_initializer;
    for (size_t k = 0; k < gp->n_node; k++)
        total += gp->node[k]->n_output;
    c->cap_v = (int)total + 1;
    c->hash_cap = 16;
    while ((size_t)c->hash_cap < 2 * total + 2)
        c->hash_cap *= 2;
    c->v = calloc((size_t)c->cap_v, sizeof *c->v);
    c->hash = calloc((size_t)c->hash_cap, sizeof *c->hash);
    if (!c->v || !c->hash)
        return -1;
    int bad = 0;
    for (size_t i = 0; i < gp->n_initializer; i++) {
        const Onnx__TensorProto *t = gp->initializer[i];
        char where[48];
        snprintf(where, sizeof where, "graph.initializer[%zu]", i);
        if (!t->name || !t->name[0]) {
            fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", where, NULL,
                          "an initializer without a name");
            bad = 1;
            continue;
        }
        int k = add_value(c, t->name, -1);
        if (k < 0) {
            fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", where, t->name,
                          "duplicate initializer name");
            bad = 1;
            continue;
        }
        c->v[k].is_const = 1;
        c->v[k].kind = ONNX_V_CONST;
        if (onnx_const_read(c, t, t->name, &c->v[k].c))
            bad = 1;
    }
    for (size_t i = 0; i < gp->n_input; i++) {
        const char *name = gp->input[i]->name;
        if (!name || !name[0]) {
            fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", "graph.input", NULL,
                          "an input without a name");
            bad = 1;
        } else if (onnx_find(c, name) < 0) {
            add_value(c, name, -1);
        }
        /* An input that is also an initializer (IR version 3) is a constant. */
    }
    for (size_t k = 0; k < gp->n_node; k++) {
        const Onnx__NodeProto *n = gp->node[k];
        if (!n->op_type || !n->op_type[0]) {
            onnx_fail(c, n, NULL, "a node without an operator type");
            bad = 1;
            continue;
        }
        for (size_t o = 0; o < n->n_output; o++) {
            if (!n->output[o][0])
                continue;
            int v = add_value(c, n->output[o], (int)k);
            if (v < 0) {
                onnx_fail(c, n, n->output[o], "output %zu: this name is already written by "
                          "another node, an input or an initializer", o);
                bad = 1;
            }
        }
    }
    return bad ? -1 : 0;
}

/* Checks every reference, counts consumers, builds the consumer lists. */
static int link_values(onnx_ctx *c)
{
    const Onnx__GraphProto *gp = c->gp;
    int bad = 0;
    size_t n_refs = 0;
    for (size_t k = 0; k < gp->n_node; k++) {
        const Onnx__NodeProto *n = gp->node[k];
        for (size_t i = 0; i < n->n_input; i++) {
            if (!n->input[i][0])
                continue;
            int v = onnx_find(c, n->input[i]);
            if (v < 0) {
                onnx_fail(c, n, n->input[i], "input %zu: no graph input, initializer or node "
                          "output of this name", i);
                bad = 1;
                continue;
            }
            c->v[v].n_consumers++;
            n_refs++;
        }
    }
    for (size_t i = 0; i < gp->n_output; i++) {
        const char *name = gp->output[i]->name;
        int v = onnx_find(c, name ? name : "");
        if (v < 0) {
            char where[48];
            snprintf(where, sizeof where, "graph.output[%zu]", i);
            fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", where, name,
                          "no node or input writes this output");
            bad = 1;
            continue;
        }
        c->v[v].is_output = 1;
        c->v[v].n_consumers++;
    }
    if (bad)
        return -1;
    c->cons_off = calloc((size_t)c->n_v + 1, sizeof *c->cons_off);
    c->cons = calloc(n_refs + 1, sizeof *c->cons);
    int *fill = calloc((size_t)c->n_v + 1, sizeof *fill);
    if (!c->cons_off || !c->cons || !fill) {
        free(fill);
        return -1;
    }
    for (size_t k = 0; k < gp->n_node; k++)
        for (size_t i = 0; i < gp->node[k]->n_input; i++) {
            int v = gp->node[k]->input[i][0] ? onnx_find(c, gp->node[k]->input[i]) : -1;
            if (v >= 0)
                c->cons_off[v + 1]++;
        }
    for (int v = 0; v < c->n_v; v++)
        c->cons_off[v + 1] += c->cons_off[v];
    for (size_t k = 0; k < gp->n_node; k++)
        for (size_t i = 0; i < gp->node[k]->n_input; i++) {
            int v = gp->node[k]->input[i][0] ? onnx_find(c, gp->node[k]->input[i]) : -1;
            if (v >= 0)
                c->cons[c->cons_off[v] + fill[v]++] = (int)k;
        }
    free(fill);
    return 0;
}

/* Orders the nodes so that every node comes after the producers of its inputs, keeping the
 * file's order where it already is one. Reports a cycle. */
static int order_nodes(onnx_ctx *c)
{
    int n = c->n_nodes;
    int *indeg = calloc((size_t)n + 1, sizeof *indeg);
    char *done = calloc((size_t)n + 1, 1);
    c->order = calloc((size_t)n + 1, sizeof *c->order);
    if (!indeg || !done || !c->order) {
        free(indeg);
        free(done);
        return -1;
    }
    for (int k = 0; k < n; k++) {
        const Onnx__NodeProto *nd = c->gp->node[k];
        for (size_t i = 0; i < nd->n_input; i++) {
            onnx_value *v = onnx_input(c, nd, (int)i);
            if (v && v->producer >= 0)
                indeg[k]++;
        }
    }
    int emitted = 0, rc = 0;
    while (emitted < n) {
        int progress = 0;
        for (int k = 0; k < n; k++) {
            if (done[k] || indeg[k])
                continue;
            done[k] = 1;
            c->order[emitted++] = k;
            progress = 1;
            const Onnx__NodeProto *nd = c->gp->node[k];
            for (size_t o = 0; o < nd->n_output; o++) {
                int v = nd->output[o][0] ? onnx_find(c, nd->output[o]) : -1;
                if (v < 0 || c->v[v].producer != k)
                    continue;
                for (int j = c->cons_off[v]; j < c->cons_off[v + 1]; j++)
                    indeg[c->cons[j]]--;
            }
        }
        if (!progress) {
            for (int k = 0; k < n; k++)
                if (!done[k]) {
                    onnx_fail(c, c->gp->node[k], NULL, "the graph has a cycle through this "
                              "node");
                    break;
                }
            rc = -1;
            break;
        }
    }
    free(indeg);
    free(done);
    return rc;
}

/* The type of a node as messages name it: "Conv", or "com.microsoft.Attention". */
static void op_label(const Onnx__NodeProto *n, char *buf, size_t len)
{
    const char *dom = n->domain ? n->domain : "";
    if (dom[0] && strcmp(dom, "ai.onnx"))
        snprintf(buf, len, "%s.%s", dom, n->op_type);
    else
        snprintf(buf, len, "%s", n->op_type);
}

/* Lists every unsupported operator type with its count and first node: one error, or with
 * --allow-unsupported one warning per type. */
static int scan_unsupported(onnx_ctx *c)
{
    enum { MAX_TYPES = 64 };
    char types[MAX_TYPES][96];
    int count[MAX_TYPES], first[MAX_TYPES], n_types = 0, more = 0;
    for (int k = 0; k < c->n_nodes; k++) {
        const Onnx__NodeProto *n = c->gp->node[k];
        if (onnx_supported(n))
            continue;
        char label[96];
        op_label(n, label, sizeof label);
        int t = 0;
        while (t < n_types && strcmp(types[t], label))
            t++;
        if (t == n_types) {
            if (n_types == MAX_TYPES) {
                more++;
                continue;
            }
            snprintf(types[n_types], sizeof types[n_types], "%s", label);
            count[n_types] = 0;
            first[n_types++] = k;
        }
        count[t]++;
    }
    if (n_types == 0)
        return 0;
    char where[160];
    if (c->opts->allow_unsupported) {
        for (int t = 0; t < n_types; t++)
            fast_diag_warn(c->d, c->file, "workload", types[t],
                           "unsupported operator: %d node%s (first %s) imported as "
                           "vector-unit operations of type \"unsupported\"",
                           count[t], count[t] == 1 ? "" : "s",
                           onnx_where(c, c->gp->node[first[t]], where, sizeof where));
        return 0;
    }
    size_t cap = 256 + (size_t)n_types * 300, k = 0;
    char *list = malloc(cap);
    if (!list)
        return -1;
    list[0] = '\0';
    for (int t = 0; t < n_types; t++)
        k += (size_t)snprintf(list + k, cap - k, "%s%s x%d (first %s)", t ? ", " : "",
                              types[t], count[t],
                              onnx_where(c, c->gp->node[first[t]], where, sizeof where));
    if (more)
        snprintf(list + k, cap - k, ", and %d more nodes", more);
    fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", "unsupported operators", list,
                  "no mapping onto the IR; --allow-unsupported imports them as vector-unit "
                  "operations");
    free(list);
    return -1;
}

/* Which values can be computed at import time: initializers, Constant nodes, Shape and
 * Size of anything, and foldable operators whose inputs all are. */
static void mark_constants(onnx_ctx *c)
{
    for (int j = 0; j < c->n_nodes; j++) {
        const Onnx__NodeProto *n = c->gp->node[c->order[j]];
        int is_const = 0;
        if (!strcmp(n->op_type, "Shape") || !strcmp(n->op_type, "Size") ||
            !strcmp(n->op_type, "Constant")) {
            is_const = 1;
        } else if (onnx_foldable(n->op_type) && onnx_supported(n)) {
            is_const = 1;
            for (size_t i = 0; i < n->n_input; i++) {
                onnx_value *v = onnx_input(c, n, (int)i);
                if (v && !v->is_const)
                    is_const = 0;
            }
        }
        for (size_t o = 0; o < n->n_output; o++) {
            onnx_value *v = onnx_output(c, n, (int)o);
            if (v)
                v->is_const = is_const;
        }
    }
}

/* ---- input shapes -------------------------------------------------------------------------- */

static fast_elem elem_of(int32_t t)
{
    switch (t) {
    case ONNX_INT8:
    case ONNX_UINT8:
    case ONNX_BOOL: return FAST_ELEM_INT8;
    case ONNX_FLOAT16:
    case ONNX_BFLOAT16: return FAST_ELEM_BF16;
    case ONNX_INT32:
    case ONNX_INT64:
    case ONNX_UINT32:
    case ONNX_UINT64:
    case ONNX_INT16:
    case ONNX_UINT16: return FAST_ELEM_INT32;
    default: return FAST_ELEM_FP32;
    }
}

/* Parses "NAME=D0,D1,..." into name (a copy in buf) and dims; returns the rank or -1. */
static int parse_input_shape(onnx_ctx *c, const char *spec, char *name, size_t len,
                             int64_t *dims)
{
    const char *eq = strrchr(spec, '=');
    if (!eq || eq == spec || (size_t)(eq - spec) >= len) {
        fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", "--input-shape", spec,
                      "expected NAME=D0,D1,... (an input name, then its dimensions)");
        return -1;
    }
    memcpy(name, spec, (size_t)(eq - spec));
    name[eq - spec] = '\0';
    int rank = 0;
    const char *p = eq + 1;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char field[32];
        int64_t v = 0;
        if (rank == FAST_MAX_RANK) {
            fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", "--input-shape", spec,
                          "at most %d dimensions", FAST_MAX_RANK);
            return -1;
        }
        if (n == 0 || n >= sizeof field) {
            fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", "--input-shape", spec,
                          "dimension %d: missing or overlong", rank);
            return -1;
        }
        memcpy(field, p, n);
        field[n] = '\0';
        if (fast_parse_i64(field, 1, MAX_DIM, &v)) {
            fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", "--input-shape", spec,
                          "dimension %d = %s: must be an integer in 1..2^40", rank, field);
            return -1;
        }
        dims[rank++] = v;
        if (!comma)
            break;
        p = comma + 1;
    }
    return rank;
}

/* Remembers that the dimension symbol sym has value v (for value_info of unsupported ops). */
static void add_symbol(onnx_ctx *c, const char *sym, int64_t v)
{
    if (!sym || !sym[0] || c->n_syms == 64)
        return;
    for (int i = 0; i < c->n_syms; i++)
        if (!strcmp(c->sym_names[i], sym))
            return;
    c->sym_names[c->n_syms] = fast_strdup(sym);
    if (c->sym_names[c->n_syms])
        c->sym_values[c->n_syms++] = v;
}

/* Creates the IR inputs with their shapes: the file's dimensions, then --input-shape, then
 * the batch as the first dimension; any dimension left dynamic is an error. */
static int make_inputs(onnx_ctx *c)
{
    const fast_workload_opts *o = c->opts;
    const Onnx__GraphProto *gp = c->gp;
    int bad = 0;
    size_t ns = o->n_input_shapes;
    char (*names)[256] = calloc(ns + 1, sizeof *names);
    int64_t (*gds)[FAST_MAX_RANK] = calloc(ns + 1, sizeof *gds);
    int *grs = calloc(ns + 1, sizeof *grs);
    if (!names || !gds || !grs) {
        free(names);
        free(gds);
        free(grs);
        return -1;
    }
    for (size_t s = 0; s < ns; s++) {
        grs[s] = parse_input_shape(c, o->input_shapes[s], names[s], sizeof names[s], gds[s]);
        if (grs[s] < 0) {
            bad = 1;
            continue;
        }
        int k = onnx_find(c, names[s]);
        if (k >= 0 && c->v[k].producer < 0 && c->v[k].kind != ONNX_V_CONST)
            continue;
        char list[512] = "";
        size_t len = 0;
        for (size_t i = 0; i < gp->n_input && len < sizeof list; i++) {
            int j = onnx_find(c, gp->input[i]->name);
            if (j >= 0 && c->v[j].kind != ONNX_V_CONST)
                len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "",
                                        gp->input[i]->name);
        }
        fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", "--input-shape",
                      o->input_shapes[s], "no graph input of this name (inputs: %s)", list);
        bad = 1;
    }
    if (bad) {
        free(names);
        free(gds);
        free(grs);
        return -1;
    }
    for (size_t i = 0; i < gp->n_input; i++) {
        const Onnx__ValueInfoProto *in = gp->input[i];
        int k = onnx_find(c, in->name);
        if (k < 0 || c->v[k].kind == ONNX_V_CONST)
            continue; /* an initializer listed as an input */
        const Onnx__TypeProto *tp = in->type;
        if (!tp || tp->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE || !tp->tensor_type) {
            fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", in->name, NULL,
                          "graph input is not a tensor");
            bad = 1;
            continue;
        }
        const Onnx__TypeProto__Tensor *tt = tp->tensor_type;
        int rank = tt->shape ? (int)tt->shape->n_dim : -1;
        int64_t dims[FAST_MAX_RANK];
        const char *sym[FAST_MAX_RANK];
        if (rank > FAST_MAX_RANK) {
            char val[16];
            snprintf(val, sizeof val, "%d", rank);
            fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", in->name, val,
                          "graph input rank must be 1..%d", FAST_MAX_RANK);
            bad = 1;
            continue;
        }
        for (int j = 0; j < rank; j++) {
            const Onnx__TensorShapeProto__Dimension *dm = tt->shape->dim[j];
            int fixed = dm->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE &&
                        dm->dim_value > 0;
            dims[j] = fixed ? dm->dim_value : 0;
            sym[j] = dm->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM
                         ? dm->dim_param : NULL;
        }
        for (size_t s = 0; s < ns; s++) {
            const int64_t *gd = gds[s];
            int gr = grs[s];
            if (gr < 0 || strcmp(names[s], in->name))
                continue;
            if (rank >= 0 && gr != rank) {
                fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", "--input-shape",
                              o->input_shapes[s], "input %s has %d dimensions, not %d",
                              in->name, rank, gr);
                bad = 1;
                continue;
            }
            if (rank < 0) {
                rank = gr;
                for (int j = 0; j < rank; j++)
                    sym[j] = NULL;
            }
            for (int j = 0; j < rank; j++) {
                if (dims[j] > 0 && dims[j] != gd[j] && j > 0) {
                    char where[300];
                    snprintf(where, sizeof where, "--input-shape %s", in->name);
                    char val[32];
                    snprintf(val, sizeof val, "%lld", (long long)gd[j]);
                    fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", where, val,
                                  "dimension %d is fixed to %lld by the model", j,
                                  (long long)dims[j]);
                    bad = 1;
                }
                dims[j] = gd[j];
            }
        }
        if (rank == 0) {
            fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", in->name, NULL,
                          "scalar graph inputs are not supported");
            bad = 1;
            continue;
        }
        if (rank < 0) {
            fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", in->name, NULL,
                          "the model gives no shape for this input; give one with "
                          "--input-shape %s=D0,D1,...", in->name);
            bad = 1;
            continue;
        }
        if (o->batch_given || dims[0] == 0) {
            dims[0] = o->batch;
        }
        int missing = 0;
        for (int j = 0; j < rank; j++)
            if (dims[j] == 0) {
                char where[300];
                snprintf(where, sizeof where, "%s.shape[%d]", in->name, j);
                fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", where,
                              sym[j] && sym[j][0] ? sym[j] : "?",
                              "dynamic dimension; fix it with --input-shape %s=D0,D1,...",
                              in->name);
                missing = bad = 1;
            }
        if (missing || bad)
            continue;
        for (int j = 0; j < rank; j++)
            add_symbol(c, sym[j], dims[j]);
        fast_shape s = fast_shape_make(rank, dims);
        size_t before = c->d->n;
        int t = fast_graph_input(c->g, in->name, rank == 4 ? onnx_to_nhwc(s) : s,
                                 elem_of(tt->has_elem_type ? tt->elem_type : ONNX_FLOAT), c->d);
        fast_diag_name_file(c->d, before, c->file);
        if (t < 0) {
            bad = 1;
            continue;
        }
        onnx_bind(c, &c->v[k], t, rank == 4);
    }
    free(names);
    free(gds);
    free(grs);
    if (!bad && c->g->n_tensors == 0) {
        fast_diag_add(c->d, FAST_EINPUT, c->file, "workload", "graph.input", NULL,
                      "the model has no inputs besides its initializers");
        bad = 1;
    }
    if (!bad)
        c->g->batch = c->g->tensors[0].shape.d[0];
    return bad ? -1 : 0;
}

int onnx_declared_shape(onnx_ctx *c, const char *name, fast_shape *out)
{
    const Onnx__GraphProto *gp = c->gp;
    const Onnx__ValueInfoProto *vi = NULL;
    for (size_t i = 0; i < gp->n_value_info && !vi; i++)
        if (gp->value_info[i]->name && !strcmp(gp->value_info[i]->name, name))
            vi = gp->value_info[i];
    for (size_t i = 0; i < gp->n_output && !vi; i++)
        if (gp->output[i]->name && !strcmp(gp->output[i]->name, name))
            vi = gp->output[i];
    if (!vi || !vi->type || vi->type->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE ||
        !vi->type->tensor_type || !vi->type->tensor_type->shape)
        return -1;
    const Onnx__TensorShapeProto *sp = vi->type->tensor_type->shape;
    if (sp->n_dim < 1 || sp->n_dim > FAST_MAX_RANK)
        return -1;
    out->rank = (int)sp->n_dim;
    for (int j = 0; j < out->rank; j++) {
        const Onnx__TensorShapeProto__Dimension *dm = sp->dim[j];
        out->d[j] = 0;
        if (dm->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE)
            out->d[j] = dm->dim_value;
        else if (dm->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM)
            for (int s = 0; s < c->n_syms; s++)
                if (!strcmp(c->sym_names[s], dm->dim_param))
                    out->d[j] = c->sym_values[s];
        if (out->d[j] < 1)
            return -1;
    }
    return out->rank;
}

/* ---- the import ----------------------------------------------------------------------------- */

static int map_all(onnx_ctx *c)
{
    for (int j = 0; j < c->n_nodes; j++) {
        int k = c->order[j];
        const Onnx__NodeProto *n = c->gp->node[k];
        if (c->skip[k] || !strcmp(n->op_type, "Constant"))
            continue;
        int all_const = n->n_output > 0;
        for (size_t o = 0; o < n->n_output; o++) {
            onnx_value *v = onnx_output(c, n, (int)o);
            if (v && !v->is_const)
                all_const = 0;
        }
        int rc;
        if (all_const)
            rc = onnx_fold_node(c, n);
        else if (!onnx_supported(n))
            rc = onnx_map_unsupported(c, k);
        else if ((rc = onnx_try_patterns(c, k)) == 0)
            rc = onnx_map_node(c, k);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static void ctx_free(onnx_ctx *c)
{
    for (int i = 0; i < c->n_v; i++)
        onnx_const_clear(&c->v[i].c);
    for (int i = 0; i < c->n_syms; i++)
        free(c->sym_names[i]);
    free(c->v);
    free(c->hash);
    free(c->order);
    free(c->skip);
    free(c->cons_off);
    free(c->cons);
    if (c->model)
        onnx__model_proto__free_unpacked(c->model, NULL);
}

fast_graph *fast_onnx_parse(const void *data, size_t len, const char *file,
                            const fast_workload_opts *o, fast_diag *d)
{
    onnx_ctx c;
    memset(&c, 0, sizeof c);
    c.file = file;
    c.d = d;
    c.opts = o;
    size_t before = fast_diag_errors(d);
    c.model = onnx__model_proto__unpack(NULL, len, data);
    if (!c.model) {
        fast_diag_add(d, FAST_EINPUT, file, "workload", NULL, NULL,
                      "not an ONNX model: the protobuf does not decode (truncated or another "
                      "format)");
        return NULL;
    }
    char name[160];
    int rc = check_model(&c);
    if (!rc) {
        c.n_nodes = (int)c.gp->n_node;
        c.skip = calloc((size_t)c.n_nodes + 1, 1);
        c.g = fast_graph_create(base_name(file, name, sizeof name), 1);
        rc = (!c.skip || !c.g) ? -2 : register_values(&c);
    }
    if (!rc)
        rc = link_values(&c);
    if (!rc)
        rc = order_nodes(&c);
    if (!rc)
        rc = scan_unsupported(&c);
    if (!rc) {
        mark_constants(&c);
        for (int k = 0; k < c.n_nodes && !rc; k++)
            if (!strcmp(c.gp->node[k]->op_type, "Constant"))
                rc = onnx_fold_node(&c, c.gp->node[k]);
    }
    if (!rc)
        rc = make_inputs(&c);
    if (!rc)
        rc = map_all(&c);
    if (!rc && c.g->n_ops == 0) {
        fast_diag_add(d, FAST_EINPUT, file, "workload", NULL, NULL,
                      "the model computes nothing to price (every node folds to a constant)");
        rc = -1;
    }
    if (rc && fast_diag_errors(d) == before)
        fast_diag_add(d, FAST_ETOOL, file, "workload", NULL, NULL, "out of memory");
    ctx_free(&c);
    if (fast_diag_errors(d) > before) {
        fast_graph_destroy(c.g);
        return NULL;
    }
    return c.g;
}

fast_graph *fast_onnx_load(const char *path, const fast_workload_opts *o, fast_diag *d)
{
    size_t len = 0;
    char *data = fast_file_read(path, MAX_ONNX_BYTES, &len, "workload", d);
    if (!data)
        return NULL;
    fast_graph *g = fast_onnx_parse(data, len, path, o, d);
    free(data);
    return g;
}
