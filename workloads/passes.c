/* Graph passes: operation fusion. */
#include "workloads/passes.h"

#include <stdlib.h>
#include <string.h>

void fast_graph_count_consumers(const fast_graph *g, int *counts)
{
    memset(counts, 0, (size_t)g->n_tensors * sizeof *counts);
    for (int i = 0; i < g->n_ops; i++)
        for (int k = 0; k < g->ops[i].n_inputs; k++)
            counts[g->ops[i].inputs[k]]++;
}

static int is_head(fast_op_type t)
{
    return t == FAST_OP_CONV2D || t == FAST_OP_FC || t == FAST_OP_MATMUL;
}

static int is_fusable(fast_op_type t)
{
    switch (t) {
    case FAST_OP_BATCHNORM:
    case FAST_OP_RELU:
    case FAST_OP_RELU6:
    case FAST_OP_SIGMOID:
    case FAST_OP_SWISH:
    case FAST_OP_GELU:
    case FAST_OP_TANH: return 1;
    default: return 0;
    }
}

int fast_graph_fuse(fast_graph *g)
{
    int fused = 0;
    int *consumers = malloc(((size_t)g->n_tensors + 1) * sizeof *consumers);
    if (!consumers)
        return -1;
    fast_graph_count_consumers(g, consumers);
    /* Ops are in topological order, so a producer's own mark is final when its consumer is
     * visited; chains (conv -> batchnorm -> swish) fold into the conv one link at a time. */
    for (int i = 0; i < g->n_ops; i++) {
        fast_op *op = &g->ops[i];
        if (op->fused_into >= 0 || !is_fusable(op->type))
            continue;
        int t = op->inputs[0];
        int p = g->tensors[t].producer;
        if (p < 0 || consumers[t] != 1)
            continue;
        int head = g->ops[p].fused_into >= 0 ? g->ops[p].fused_into : p;
        if (!is_head(g->ops[head].type))
            continue;
        op->fused_into = head;
        fused++;
    }
    free(consumers);
    return fused;
}

void fast_graph_unfuse(fast_graph *g)
{
    for (int i = 0; i < g->n_ops; i++)
        g->ops[i].fused_into = -1;
}
