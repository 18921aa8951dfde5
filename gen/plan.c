#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/version.h"
#include "gen/plan.h"
#include "gen/templates.h"

#define KIND "gen"

static int64_t clog2(int64_t v)
{
    int64_t b = 0;
    while (((int64_t)1 << b) < v)
        b++;
    return b;
}

static void add_port(fast_gen_port *ports, int *n, const char *name, int output, int64_t width)
{
    ports[*n] = (fast_gen_port){name, output, width};
    (*n)++;
}

/* The ports of fast_array_unit_ws / fast_array_unit_os after clk_i and rst_ni. */
static void plan_array_ports(fast_gen_plan *p)
{
    fast_gen_port *v = p->array_ports;
    int *n = &p->n_array_ports;
    if (!p->os) {
        add_port(v, n, "w_we_i", 0, 1);
        add_port(v, n, "w_row_i", 0, p->row_bits);
        add_port(v, n, "w_data_i", 0, p->cols * p->elem_bits);
        add_port(v, n, "in_valid_i", 0, 1);
        add_port(v, n, "in_swap_i", 0, 1);
        add_port(v, n, "in_act_i", 0, p->rows * p->elem_bits);
    } else {
        add_port(v, n, "in_valid_i", 0, 1);
        add_port(v, n, "in_first_i", 0, 1);
        add_port(v, n, "in_last_i", 0, 1);
        add_port(v, n, "in_act_i", 0, p->rows * p->elem_bits);
        add_port(v, n, "in_w_i", 0, p->cols * p->elem_bits);
    }
    add_port(v, n, "in_acc_addr_i", 0, p->acc_addr_bits);
    add_port(v, n, "in_acc_add_i", 0, 1);
    add_port(v, n, "acc_we_o", 1, 1);
    add_port(v, n, "vw_en_i", 0, 1);
    add_port(v, n, "vw_addr_i", 0, p->acc_addr_bits);
    add_port(v, n, "vw_data_i", 0, p->cols * 32);
    add_port(v, n, "rd_en_i", 0, 1);
    add_port(v, n, "rd_addr_i", 0, p->acc_addr_bits);
    add_port(v, n, "rd_data_o", 1, p->cols * 32);
}

/* The ports of fast_vector_unit after clk_i and rst_ni (docs/rtl.md section 5). */
static void plan_vector_ports(fast_gen_plan *p)
{
    fast_gen_port *v = p->vector_ports;
    int *n = &p->n_vector_ports;
    int64_t bus = p->lanes * 32;
    add_port(v, n, "valid_i", 0, 1);
    add_port(v, n, "op_i", 0, 5);
    add_port(v, n, "red_i", 0, 2);
    add_port(v, n, "first_i", 0, 1);
    add_port(v, n, "last_i", 0, 1);
    add_port(v, n, "a_i", 0, bus);
    add_port(v, n, "b_i", 0, bus);
    add_port(v, n, "c_i", 0, bus);
    add_port(v, n, "zp_i", 0, 32);
    add_port(v, n, "shift_i", 0, 6);
    add_port(v, n, "lo_i", 0, 32);
    add_port(v, n, "hi_i", 0, 32);
    add_port(v, n, "valid_o", 1, 1);
    add_port(v, n, "y_o", 1, bus);
    add_port(v, n, "rvalid_o", 1, 1);
    add_port(v, n, "r_o", 1, bus);
    add_port(v, n, "r2_o", 1, bus);
}

/* Whether an int8 design can leave a template out. The templates choose between an integer
 * and a floating-point implementation with a generate on DTYPE or FP, and their parameters
 * default to the integer one. So an int8 design needs no floating-point template
 * ("fast_fp*", "fast_bf16*", vector modules with "fp" in their names), but a bf16 design
 * keeps the integer ones: tools that elaborate every module with its default parameters
 * (Yosys's read_verilog, `synth -top`) would otherwise miss them. For the same reason every
 * design keeps both arrays that fast_tile chooses between with a generate on OS (an
 * output-stationary design's fast_tile, elaborated with its default OS = 0, instantiates
 * fast_systolic_ws). */
static int not_needed(const fast_gen_plan *p, const char *module)
{
    int fp_only = strncmp(module, "fast_fp", 7) == 0 || strncmp(module, "fast_bf16", 9) == 0 ||
                  (strncmp(module, "fast_vector_", 12) == 0 && strstr(module + 12, "fp"));
    return !p->bf16 && fp_only;
}

/* Adds `module` and, first, every template it instantiates (a line that starts with a
 * fast_ module name followed by "#(" or an instance name "u_..."), so that dependencies
 * come before their users. */
static int add_module(fast_gen_plan *p, const char *module, int depth)
{
    for (int i = 0; i < p->n_modules; i++)
        if (strcmp(p->modules[i], module) == 0)
            return 1;
    const fast_gen_template *t = fast_gen_template_find(module);
    if (!t || depth > 16)
        return 0;
    const char *text = (const char *)t->text;
    for (const char *line = text; line && *line; line = strchr(line, '\n')) {
        while (*line == '\n' || *line == ' ')
            line++;
        if (strncmp(line, "fast_", 5) != 0 || strncmp(line, module, strlen(module)) == 0)
            continue;
        size_t len = strspn(line, "abcdefghijklmnopqrstuvwxyz0123456789_");
        const char *after = line + len;
        while (*after == ' ')
            after++;
        if (*after != '#' && strncmp(after, "u_", 2) != 0)
            continue;
        char dep[64];
        if (len >= sizeof dep)
            return 0;
        memcpy(dep, line, len);
        dep[len] = '\0';
        if (!not_needed(p, dep) && !add_module(p, dep, depth + 1))
            return 0;
    }
    if (p->n_modules == FAST_GEN_MAX_MODULES)
        return 0;
    p->modules[p->n_modules++] = t->module;
    return 1;
}

static int plan_modules(fast_gen_plan *p)
{
    return add_module(p, p->os ? "fast_array_unit_os" : "fast_array_unit_ws", 0) &&
           add_module(p, "fast_vector_unit", 0) &&
           add_module(p, "fast_fetch", 0) && add_module(p, "fast_cluster", 0) &&
           add_module(p, "fast_ext_arbiter", 0) &&
           (!p->global_bytes || add_module(p, "fast_gmem", 0));
}

static int64_t pow2_at_least(int64_t v)
{
    int64_t p = 1;
    while (p < v)
        p *= 2;
    return p;
}

/* One array's scratchpad: `kib` KiB shared by the core's arrays, elements of `eb` bytes,
 * read `width` elements at a time by the array and W bytes at a time by the DMA. The
 * scratchpad needs a bank per element of its widest access (docs/rtl.md 10.2). */
static int plan_spad(const fast_gen_plan *p, int64_t kib, int64_t width, const char *field,
                     const char *file, int64_t *depth, int64_t *banks, int64_t *port,
                     fast_diag *d)
{
    int64_t eb = p->elem_bits / 8;
    *port = pow2_at_least(width > p->ext_bytes / eb ? width : p->ext_bytes / eb);
    *banks = *port > p->arch->memory.banks ? *port : p->arch->memory.banks;
    int64_t elems = kib * 1024 / p->count / eb;
    *depth = elems / *banks * *banks;
    if (*depth < 2 * *banks) {
        char v[32];
        snprintf(v, sizeof v, "%" PRId64, kib);
        fast_diag_add(d, FAST_EINPUT, file, KIND, field, v,
                      "each array's share holds %" PRId64 " elements, fewer than 2 in each of "
                      "the %" PRId64 " banks its %" PRId64 "-element accesses need",
                      elems, *banks, *port);
        return 0;
    }
    return 1;
}

/* The accelerator's parameters (docs/rtl.md 10). */
static int plan_accel(fast_gen_plan *p, const char *file, fast_diag *d)
{
    const fast_arch *a = p->arch;
    p->cores = a->cores;
    p->arrays = a->cores * a->array.count;
    double bpc = fast_arch_dram_bytes_per_cycle(a);
    p->dram_bw256 = (int64_t)llround(bpc * 256.0);
    if (p->dram_bw256 < 1)
        p->dram_bw256 = 1;
    p->dram_lat = fast_arch_dram_latency(a);
    if (p->dram_lat < 2)
        p->dram_lat = 2;
    /* The external port carries the chip's bandwidth in one beat per cycle (docs/model.md
     * 3.2: 4 to FAST_BEAT_MAX bytes). */
    p->ext_bytes = fast_arch_beat_bytes(a);
    /* The global memory takes the upper half of the 32-bit external address space. */
    p->global_bytes = a->memory.global_mib << 20;
    if (a->memory.global_mib > 2048) {
        char v[32];
        snprintf(v, sizeof v, "%" PRId64, a->memory.global_mib);
        fast_diag_add(d, FAST_EINPUT, file, KIND, "memory.global_mib", v,
                      "the accelerator addresses at most 2048 MiB of global memory (the upper "
                      "half of its 32-bit external address space)");
        return 0;
    }
    p->rowq = fast_arch_dma_rowq(a);
    p->qdepth = 32;
    p->cmdq = pow2_at_least(2 * p->rowq);
    /* Requests the arbiters track: each DMA's row look-ahead, plus the writes whose
     * responses are still L cycles away (one beat per cycle on the port), so that a STORE
     * chain's look-ahead is never held up by responses (docs/rtl.md 10.4). */
    p->arbq = pow2_at_least(p->arrays * p->rowq + p->rowq);
    if (p->arbq > 256)
        p->arbq = 256;
    /* p->top is "fast_<name>_core". */
    snprintf(p->accel_top, sizeof p->accel_top, "fast_%.*s_accel", (int)strlen(p->top) - 10,
             p->top + 5);
    char acc[32];
    snprintf(acc, sizeof acc, "%" PRId64, a->memory.acc_kib);
    if (p->acc_depth / 2 / p->acc_banks < 2) {
        fast_diag_add(d, FAST_EINPUT, file, KIND, "memory.acc_kib", acc,
                      "each array's accumulator share holds %" PRId64 " rows; the accelerator "
                      "needs two halves of at least 2 rows in each of the %" PRId64 " banks",
                      p->acc_depth, p->acc_banks);
        return 0;
    }
    if (p->os && p->acc_depth / 2 < p->rows) {
        fast_diag_add(d, FAST_EINPUT, file, KIND, "memory.acc_kib", acc,
                      "each array's accumulator share holds %" PRId64 " rows; an output-"
                      "stationary tile writes %" PRId64 " rows into one of its two halves",
                      p->acc_depth, p->rows);
        return 0;
    }
    return plan_spad(p, a->memory.input_kib, p->rows, "memory.input_kib", file, &p->inp_depth,
                     &p->inp_banks, &p->inp_port, d) &
           plan_spad(p, a->memory.weight_kib, p->cols, "memory.weight_kib", file,
                     &p->wgt_depth, &p->wgt_banks, &p->wgt_port, d);
}

fast_status fast_gen_plan_make(const fast_arch *a, const char *file, fast_gen_plan *p,
                               fast_diag *d)
{
    memset(p, 0, sizeof *p);
    size_t before = d->n;
    if (fast_arch_validate(a, file, d) != FAST_OK)
        return FAST_EINPUT;
    p->arch = a;
    p->hash = fast_arch_hash(a);
    p->rows = a->array.rows;
    p->cols = a->array.cols;
    p->count = a->array.count;
    p->lanes = a->vector.lanes;
    p->os = a->array.dataflow == FAST_DATAFLOW_OS;
    p->bf16 = a->array.dtype == FAST_DTYPE_BF16;
    p->elem_bits = 8 * fast_arch_elem_bytes(a);
    p->row_bits = p->rows > 1 ? clog2(p->rows) : 1;

    char banks[32];
    snprintf(banks, sizeof banks, "%" PRId64, a->memory.banks);
    p->acc_banks = a->memory.banks;
    if (p->acc_banks & (p->acc_banks - 1))
        fast_diag_add(d, FAST_EINPUT, file, KIND, "memory.banks", banks,
                      "the RTL interleaves banks by address bits, so it needs a power of two");
    /* The arrays of a core share the accumulator scratchpad equally (docs/model.md 3.1);
     * each array's share is rows of cols 32-bit values, whole rows in every bank. */
    int64_t share = a->memory.acc_kib * 1024 / a->array.count;
    int64_t rows_fit = share / (p->cols * 4);
    p->acc_depth = fast_arch_acc_rows(a);
    if (p->acc_depth / p->acc_banks < 2)
        fast_diag_add(d, FAST_EINPUT, file, KIND, "memory.banks", banks,
                      "each array's accumulator share holds %" PRId64
                      " rows of %" PRId64 " values, fewer than 2 per bank",
                      rows_fit, p->cols);
    else if (p->os && p->acc_depth < p->rows) {
        char acc[32];
        snprintf(acc, sizeof acc, "%" PRId64, a->memory.acc_kib);
        fast_diag_add(d, FAST_EINPUT, file, KIND, "memory.acc_kib", acc,
                      "an output-stationary array needs %" PRId64
                      " accumulator rows (one block), its share holds %" PRId64,
                      p->rows, p->acc_depth);
    }
    if (d->n > before)
        return FAST_EINPUT;
    p->acc_addr_bits = clog2(p->acc_depth);

    /* Verilog identifiers allow neither '.' nor '-'. */
    char name[FAST_ARCH_NAME_MAX + 1];
    snprintf(name, sizeof name, "%s", a->name);
    for (char *c = name; *c; c++)
        if (*c == '.' || *c == '-')
            *c = '_';
    snprintf(p->top, sizeof p->top, "fast_%s_core", name);
    snprintf(p->header, sizeof p->header,
             "Generated by fast %s from configuration \"%s\" (hash %016" PRIx64
             "); do not edit.",
             FAST_VERSION, a->name, p->hash);

    if (!plan_accel(p, file, d))
        return FAST_EINPUT;
    plan_array_ports(p);
    plan_vector_ports(p);
    if (!plan_modules(p)) {
        fast_diag_add(d, FAST_ETOOL, file, KIND, NULL, NULL,
                      "the program lacks an RTL template it needs (a broken build)");
        return FAST_ETOOL;
    }
    return FAST_OK;
}
