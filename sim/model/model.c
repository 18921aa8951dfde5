/* The analytical model over a whole graph: mapping of each op, vector-unit and data-movement
 * pricing, fusion, on-chip residency of tensors, totals (docs/model.md sections 2-5). */
#include "sim/model/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/model/energy.h"
#include "workloads/passes.h"

static int64_t cdiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

const char *fast_unit_name(fast_unit u)
{
    static const char *const n[] = {"none", "array", "vector", "dma"};
    return (u >= 0 && u <= FAST_UNIT_DMA) ? n[u] : "?";
}

const char *fast_bound_name(fast_bound b)
{
    static const char *const n[] = {"compute", "memory", "vector", "none"};
    return (b >= 0 && b <= FAST_BOUND_NONE) ? n[b] : "?";
}

const char *fast_split_name(fast_split s)
{
    static const char *const n[] = {"n", "m", "g"};
    return (s >= 0 && s <= FAST_SPLIT_G) ? n[s] : "?";
}

const char *fast_order_name(fast_order o)
{
    return o == FAST_ORDER_MNK ? "mnk" : "nmk";
}

int64_t fast_model_peak_macs(const fast_arch *a)
{
    return fast_arch_pes(a) + a->cores * a->vector.lanes;
}

/* What the graph walk knows about the chip and the tensors. */
typedef struct walk_ctx {
    const fast_arch *a;
    const fast_graph *g;
    fast_energy e;
    int64_t eb;          /* bytes of an activation element on this chip */
    double chip_bpc;     /* DRAM bytes per cycle, whole chip */
    int64_t dram_lat;    /* DRAM latency, cycles */
    char *on_chip;       /* per tensor: kept in the global memory */
} walk_ctx;

static int64_t tensor_bytes(const walk_ctx *w, int t)
{
    const fast_tensor *x = &w->g->tensors[t];
    int64_t eb = x->elem == FAST_ELEM_INT32 ? 4 : w->eb;
    return fast_shape_elems(&x->shape) * eb;
}

/* Cycles of a vector operation over n_out outputs on one core (section 2). */
static int64_t vector_cycles(const walk_ctx *w, const fast_op *op, int64_t *elem_ops)
{
    const fast_graph *g = w->g;
    const fast_shape *in = &g->tensors[op->inputs[0]].shape;
    const fast_shape *out = &g->tensors[op->output].shape;
    int64_t cores = w->a->cores, V = w->a->vector.lanes;
    int64_t n = cdiv(fast_shape_elems(out), cores); /* outputs per core */
    int64_t pass = cdiv(n, V) + 4;
    switch (op->type) {
    case FAST_OP_SOFTMAX:
        *elem_ops = 3 * fast_shape_elems(out);
        return 3 * pass;
    case FAST_OP_LAYERNORM:
        *elem_ops = 2 * fast_shape_elems(out);
        return 2 * pass;
    case FAST_OP_AVGPOOL:
    case FAST_OP_MAXPOOL: {
        int64_t taps = op->attrs.pool.kh * op->attrs.pool.kw;
        *elem_ops = fast_shape_elems(out) * taps;
        return cdiv(n, V) * taps + 4;
    }
    case FAST_OP_GLOBALPOOL: {
        /* Every lane accumulates partial sums over the input at V elements per cycle, then
         * a log2(V)-step tree across lanes combines them. */
        int64_t n_in = cdiv(fast_shape_elems(in), cores), steps = 0;
        while ((INT64_C(1) << steps) < V)
            steps++;
        *elem_ops = fast_shape_elems(in);
        return cdiv(n_in, V) + 4 + steps;
    }
    case FAST_OP_CONV2D: { /* depthwise on the vector unit */
        int64_t taps = op->attrs.conv.kh * op->attrs.conv.kw;
        *elem_ops = fast_shape_elems(out) * taps;
        return cdiv(n, V) * taps + 4;
    }
    default:
        *elem_ops = fast_shape_elems(out);
        return pass;
    }
}

/* Bytes an op reads and writes, split by where they live. */
static void io_bytes(const walk_ctx *w, const fast_op *op, int out_t, int64_t *dram,
                     int64_t *glob)
{
    *dram = *glob = 0;
    for (int k = 0; k < op->n_inputs; k++) {
        int t = op->inputs[k];
        if (w->on_chip[t])
            *glob += tensor_bytes(w, t);
        else
            *dram += tensor_bytes(w, t);
    }
    if (w->on_chip[out_t])
        *glob += tensor_bytes(w, out_t);
    else
        *dram += tensor_bytes(w, out_t);
}

/* Streams bytes through DMA while the vector unit works (section 3.4): the op takes the
 * longer of the two plus one exposed latency. */
static int64_t stream_cycles(const walk_ctx *w, int64_t busy, int64_t dram, int64_t glob)
{
    /* The global memory moves one beat per cycle for the whole chip. */
    double gbpc = (double)fast_arch_beat_bytes(w->a);
    int64_t move = (int64_t)ceil((double)dram / w->chip_bpc + (double)glob / gbpc);
    int64_t t = busy > move ? busy : move;
    return t + (dram > 0 ? w->dram_lat : glob > 0 ? FAST_GLOBAL_LATENCY : 0);
}

static int is_depthwise(const fast_graph *g, const fast_op *op)
{
    const fast_conv_attrs *c = &op->attrs.conv;
    int64_t cin = g->tensors[op->inputs[0]].shape.d[3];
    return c->groups > 1 && c->groups == cin && c->cout == cin;
}

/* The GEMM view of an array op (section 4.1). */
static void gemm_dims(const fast_graph *g, const fast_op *op, int64_t *G, int64_t *M,
                      int64_t *K, int64_t *N)
{
    const fast_shape *x = &g->tensors[op->inputs[0]].shape;
    const fast_shape *y = &g->tensors[op->output].shape;
    if (op->type == FAST_OP_CONV2D) {
        const fast_conv_attrs *c = &op->attrs.conv;
        *G = c->groups;
        *M = y->d[0] * y->d[1] * y->d[2];
        *K = c->kh * c->kw * (x->d[3] / c->groups);
        *N = c->cout / c->groups;
    } else if (op->type == FAST_OP_FC) {
        *G = 1;
        *K = x->d[x->rank - 1];
        *N = op->attrs.units;
        *M = fast_shape_elems(y) / *N;
    } else { /* matmul */
        *G = 1;
        for (int i = 0; i < y->rank - 2; i++)
            *G *= y->d[i];
        *M = y->d[y->rank - 2];
        *N = y->d[y->rank - 1];
        *K = x->d[x->rank - 1];
    }
}

static void finish_vector(const walk_ctx *w, fast_op_cost *c)
{
    c->energy_pj = (double)c->vector_elems * w->e.vector_op_pj +
                   (double)c->sram_bytes * w->e.spad_byte_pj +
                   (double)c->global_bytes * w->e.global_byte_pj +
                   (double)c->dram_bytes * w->e.dram_byte_pj;
}

/* Prices a vector or data-movement op that stands alone. */
static void price_vector(const walk_ctx *w, const fast_op *op, fast_op_cost *c)
{
    int64_t elems = 0, dram, glob;
    int64_t busy = vector_cycles(w, op, &elems);
    io_bytes(w, op, op->output, &dram, &glob);
    if (op->type == FAST_OP_CONV2D) { /* depthwise weights come from DRAM */
        int64_t wb = op->params * w->eb;
        dram += wb;
    }
    c->unit = FAST_UNIT_VECTOR;
    c->cycles = stream_cycles(w, busy, dram, glob);
    c->compute_cycles = busy;
    c->bound = busy >= c->cycles - (dram > 0 ? w->dram_lat : 0) ? FAST_BOUND_VECTOR
                                                                 : FAST_BOUND_MEMORY;
    c->dram_bytes = dram;
    c->global_bytes = glob;
    c->sram_bytes = 2 * (dram + glob);
    c->vector_elems = elems;
    c->macs = op->macs;
    finish_vector(w, c);
}

/* Prices pure data movement: transpose and embedding gathers (section 4.5). */
static void price_dma(const walk_ctx *w, const fast_op *op, fast_op_cost *c)
{
    int64_t dram = 0, glob = 0;
    if (op->type == FAST_OP_EMBEDDING) {
        /* Reads the ids and one table row per id; writes the rows. */
        int64_t rows = tensor_bytes(w, op->output);
        dram = tensor_bytes(w, op->inputs[0]) + rows;
        if (w->on_chip[op->output])
            glob += rows;
        else
            dram += rows;
    } else {
        io_bytes(w, op, op->output, &dram, &glob);
    }
    c->unit = FAST_UNIT_DMA;
    c->cycles = stream_cycles(w, 0, dram, glob);
    c->bound = FAST_BOUND_MEMORY;
    c->dram_bytes = dram;
    c->global_bytes = glob;
    c->sram_bytes = dram + glob;
    finish_vector(w, c);
}

/* GEMMs already priced in this evaluation, by shape and operand placement: repeated
 * layers (the blocks of a stage, the layers of an encoder) are searched once. */
typedef struct gemm_entry {
    fast_gemm op;
    int ok;
    fast_op_cost cost;
} gemm_entry;

#define GEMM_CACHE 256

static int gemm_cached(const walk_ctx *w, gemm_entry *cache, int *n_cache, const fast_gemm *op,
                       fast_op_cost *c)
{
    for (int i = 0; i < *n_cache; i++) {
        const gemm_entry *e = &cache[i];
        if (e->op.g == op->g && e->op.m == op->m && e->op.k == op->k && e->op.n == op->n &&
            e->op.weights_are_activations == op->weights_are_activations &&
            e->op.in_on_chip == op->in_on_chip && e->op.out_on_chip == op->out_on_chip &&
            e->op.out_bytes == op->out_bytes && e->op.vector_passes == op->vector_passes &&
            e->op.conv_wo == op->conv_wo && e->op.conv_cg == op->conv_cg) {
            *c = e->cost;
            return e->ok;
        }
    }
    int ok = fast_model_gemm(w->a, op, c) == 0;
    if (*n_cache < GEMM_CACHE)
        cache[(*n_cache)++] = (gemm_entry){*op, ok, *c};
    return ok;
}

fast_model_result *fast_model_eval(const fast_arch *a, const fast_graph *g, fast_diag *d)
{
    fast_model_result *r = calloc(1, sizeof *r);
    walk_ctx w = {.a = a, .g = g};
    int *consumers = calloc((size_t)g->n_tensors + 1, sizeof *consumers);
    int *exit_t = calloc((size_t)g->n_ops + 1, sizeof *exit_t);
    gemm_entry *cache = malloc(GEMM_CACHE * sizeof *cache);
    int n_cache = 0;
    w.on_chip = calloc((size_t)g->n_tensors + 1, 1);
    if (r)
        r->ops = calloc((size_t)g->n_ops + 1, sizeof *r->ops);
    if (!r || !r->ops || !consumers || !exit_t || !w.on_chip || !cache) {
        fast_diag_add(d, FAST_ETOOL, NULL, "model", NULL, NULL, "out of memory");
        goto fail;
    }
    r->n_ops = g->n_ops;
    w.e = fast_energy_of(a);
    w.eb = fast_arch_elem_bytes(a);
    w.chip_bpc = fast_arch_dram_bytes_per_cycle(a);
    w.dram_lat = fast_arch_dram_latency(a);

    /* Residency (section 3.3): a tensor made and used on chip stays in the global memory
     * when it takes at most half of it (the other half holds the op's other operand). */
    fast_graph_count_consumers(g, consumers);
    int64_t global_bytes = a->memory.global_mib * 1048576;
    for (int t = 0; t < g->n_tensors; t++)
        w.on_chip[t] = global_bytes > 0 && g->tensors[t].producer >= 0 && consumers[t] > 0 &&
                       tensor_bytes(&w, t) <= global_bytes / 2;
    /* The tensor a head writes is the output of the last op fused into it. */
    for (int i = 0; i < g->n_ops; i++)
        exit_t[i] = g->ops[i].output;
    for (int i = 0; i < g->n_ops; i++)
        if (g->ops[i].fused_into >= 0)
            exit_t[g->ops[i].fused_into] = g->ops[i].output;

    for (int i = 0; i < g->n_ops; i++) {
        const fast_op *op = &g->ops[i];
        fast_op_cost *c = &r->ops[i];
        c->fused_into = op->fused_into;
        c->bound = FAST_BOUND_NONE;
        if (op->fused_into >= 0) {
            /* Priced with its head: the head's vector time includes this op. */
            c->macs = op->macs;
            continue;
        }
        switch (op->type) {
        case FAST_OP_CONV2D:
        case FAST_OP_FC:
        case FAST_OP_MATMUL: {
            int64_t G, M, K, N;
            gemm_dims(g, op, &G, &M, &K, &N);
            int in_chip = w.on_chip[op->inputs[0]];
            int out_chip = w.on_chip[exit_t[i]];
            int acts = op->type == FAST_OP_MATMUL;
            if (acts && in_chip != w.on_chip[op->inputs[1]])
                acts = 0; /* the operands live apart: the second comes from DRAM */
            /* The fused ops run on the vector unit over each finished output block, one
             * pass each; an int8 result is requantized in one more pass, into which a
             * fused relu folds (docs/model.md 4.3). */
            int passes = 0, relu = 0;
            int64_t elems = 0;
            for (int j = i + 1; j < g->n_ops; j++)
                if (g->ops[j].fused_into == i) {
                    int64_t e1 = 0;
                    vector_cycles(&w, &g->ops[j], &e1);
                    elems += e1;
                    passes++;
                    relu |= g->ops[j].type == FAST_OP_RELU;
                }
            int64_t ob = tensor_bytes(&w, exit_t[i]) /
                         fast_shape_elems(&g->tensors[exit_t[i]].shape);
            if (ob == 1) {
                passes += relu ? 0 : 1;
                elems += fast_shape_elems(&g->tensors[exit_t[i]].shape);
            }
            fast_gemm gop = {.g = G, .m = M, .k = K, .n = N, .weights_are_activations = acts,
                             .in_on_chip = in_chip, .out_on_chip = out_chip,
                             .out_bytes = ob, .vector_passes = passes};
            if (op->type == FAST_OP_CONV2D) {
                gop.conv_wo = g->tensors[op->output].shape.d[2];
                gop.conv_cg = g->tensors[op->inputs[0]].shape.d[3] / op->attrs.conv.groups;
            }
            fast_op_cost arr;
            int ok = gemm_cached(&w, cache, &n_cache, &gop, &arr);
            if (op->type == FAST_OP_CONV2D && is_depthwise(g, op)) {
                /* Depthwise: the vector unit or the array, whichever is faster. */
                fast_op_cost vec = {0};
                price_vector(&w, op, &vec);
                if (!ok || vec.cycles < arr.cycles) {
                    arr = vec;
                    ok = 1;
                }
            }
            if (!ok) {
                char val[96];
                snprintf(val, sizeof val, "G=%lld M=%lld K=%lld N=%lld", (long long)G,
                         (long long)M, (long long)K, (long long)N);
                fast_diag_add(d, FAST_EINPUT, NULL, "model", op->name, val,
                              "no tiling fits the scratchpads (one %lldx%lld weight tile and "
                              "one row of inputs and accumulators must fit)",
                              (long long)a->array.rows, (long long)a->array.cols);
                goto fail;
            }
            *c = arr;
            c->fused_into = -1;
            c->macs = op->macs;
            c->vector_elems += elems;
            c->energy_pj += (double)elems * w.e.vector_op_pj;
            break;
        }
        case FAST_OP_RESHAPE:
        case FAST_OP_CONCAT:
            /* No data movement: a reshape is a view, a concat writes its inputs in place
             * (their producers store into the concatenated tensor). */
            c->unit = FAST_UNIT_NONE;
            break;
        case FAST_OP_TRANSPOSE:
        case FAST_OP_EMBEDDING: price_dma(&w, op, c); break;
        default: price_vector(&w, op, c); break;
        }
    }
    for (int i = 0; i < g->n_ops; i++) {
        const fast_op_cost *c = &r->ops[i];
        r->cycles += c->cycles;
        r->macs += c->macs;
        r->dram_bytes += c->dram_bytes;
        r->energy_pj += c->energy_pj;
    }
    r->latency_s = (double)r->cycles / (a->clock_mhz * 1e6);
    r->throughput_ips = r->latency_s > 0 ? (double)g->batch / r->latency_s : 0;
    r->utilization = r->cycles > 0 ? (double)r->macs / ((double)r->cycles *
                                                        (double)fast_model_peak_macs(a))
                                   : 0;
    free(consumers);
    free(exit_t);
    free(cache);
    free(w.on_chip);
    return r;
fail:
    free(consumers);
    free(exit_t);
    free(cache);
    free(w.on_chip);
    fast_model_result_destroy(r);
    return NULL;
}

void fast_model_result_destroy(fast_model_result *r)
{
    if (!r)
        return;
    free(r->ops);
    free(r);
}
