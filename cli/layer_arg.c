#include "layer_arg.h"

#include <stdio.h>
#include <string.h>

#include "workloads/workload.h"

int cli_fuse_parse(const cli_args *a, cli_fuse *f)
{
    const char *rq = cli_get(a, "requant");
    long long mult = 0, zp = 0;
    int shift = 0;
    if (rq && (sscanf(rq, "%lld,%d,%lld", &mult, &shift, &zp) != 3 || mult < INT32_MIN ||
               mult > INT32_MAX || shift < 0 || shift > 63 || zp < -128 || zp > 127))
        return cli_usage_error(a->cmd, "--requant = %s: expected MULT,SHIFT,ZP (int32, "
                               "0..63, -128..127)", rq);
    const char *gl = cli_get(a, "global");
    f->in_global = gl && (!strcmp(gl, "input") || !strcmp(gl, "both"));
    f->out_global = gl && (!strcmp(gl, "output") || !strcmp(gl, "both"));
    if (gl && !f->in_global && !f->out_global)
        return cli_usage_error(a->cmd, "--global = %s: expected input, output or both", gl);
    f->relu = cli_has(a, "relu");
    f->requant = rq != NULL;
    f->mult = (int32_t)mult, f->shift = shift, f->zp = (int32_t)zp;
    return 0;
}

int cli_layer_from_spec(const char *spec, const cli_fuse *f, fast_layer *l, fast_diag *d)
{
    fast_graph *g = fast_workload_inline(spec, 1, d);
    if (!g)
        return 2;
    memset(l, 0, sizeof *l);
    const fast_op *op = &g->ops[0];
    const fast_shape *x = &g->tensors[op->inputs[0]].shape;
    if (op->type == FAST_OP_FC) {
        l->kind = FAST_LAYER_GEMM;
        l->m = x->d[1];
        l->k = x->d[2];
        l->n = op->attrs.units;
    } else {
        const fast_conv_attrs *c = &op->attrs.conv;
        l->kind = FAST_LAYER_CONV;
        l->batch = x->d[0], l->h = x->d[1], l->w = x->d[2], l->cin = x->d[3];
        l->cout = c->cout, l->kh = c->kh, l->kw = c->kw, l->stride = c->stride_h;
        l->pad_top = c->pad_top, l->pad_bottom = c->pad_bottom;
        l->pad_left = c->pad_left, l->pad_right = c->pad_right;
        l->groups = c->groups;
    }
    fast_graph_destroy(g);
    l->act = f->relu ? FAST_ACT_RELU : FAST_ACT_NONE;
    l->requant = f->requant;
    l->mult = f->mult, l->shift = f->shift, l->zp = f->zp;
    l->in_global = f->in_global, l->out_global = f->out_global;
    return 0;
}

void cli_tiling_fields(cJSON *o, const fast_tiling *t)
{
    cJSON_AddNumberToObject(o, "g", (double)t->g);
    cJSON_AddNumberToObject(o, "m", (double)t->m);
    cJSON_AddNumberToObject(o, "k", (double)t->k);
    cJSON_AddNumberToObject(o, "n", (double)t->n);
    cJSON_AddNumberToObject(o, "tm", (double)t->tm);
    cJSON_AddNumberToObject(o, "tk", (double)t->tk);
    cJSON_AddNumberToObject(o, "tn", (double)t->tn);
    cJSON_AddStringToObject(o, "order", fast_order_name(t->order));
    cJSON_AddBoolToObject(o, "double_buffered", t->double_buffered);
    cJSON_AddStringToObject(o, "split", fast_split_name(t->split));
}

cJSON *cli_tiling_json(const fast_tiling *t)
{
    cJSON *o = cJSON_CreateObject();
    cli_tiling_fields(o, t);
    cJSON_AddNumberToObject(o, "units", (double)t->units);
    return o;
}
