#include <inttypes.h>
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
    add_port(v, n, "rd_en_i", 0, 1);
    add_port(v, n, "rd_addr_i", 0, p->acc_addr_bits);
    add_port(v, n, "rd_data_o", 1, p->cols * 32);
}

static int add_module(fast_gen_plan *p, const char *module)
{
    for (int i = 0; i < p->n_modules; i++)
        if (strcmp(p->modules[i], module) == 0)
            return 1;
    const fast_gen_template *t = fast_gen_template_find(module);
    if (!t || p->n_modules == FAST_GEN_MAX_MODULES)
        return 0;
    p->modules[p->n_modules++] = t->module;
    return 1;
}

/* Every template whose module name starts with `prefix`. */
static int add_modules_with_prefix(fast_gen_plan *p, const char *prefix)
{
    int found = 0;
    for (const fast_gen_template *t = fast_gen_templates; t->module; t++)
        if (strncmp(t->module, prefix, strlen(prefix)) == 0) {
            if (!add_module(p, t->module))
                return 0;
            found = 1;
        }
    return found;
}

static int plan_modules(fast_gen_plan *p)
{
    int ok = add_module(p, "fast_delay") && add_module(p, "fast_sram_2r1w");
    if (p->bf16)
        ok = ok && add_modules_with_prefix(p, "fast_fp") && add_module(p, "fast_bf16_mul");
    ok = ok && add_module(p, "fast_mac");
    if (p->os)
        ok = ok && add_module(p, "fast_pe_os") && add_module(p, "fast_systolic_os");
    else
        ok = ok && add_module(p, "fast_pe_ws") && add_module(p, "fast_systolic_ws");
    ok = ok && add_module(p, "fast_accumulator");
    ok = ok && add_module(p, p->os ? "fast_array_unit_os" : "fast_array_unit_ws");
    return ok;
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
    p->acc_depth = rows_fit / p->acc_banks * p->acc_banks;
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

    plan_array_ports(p);
    if (!plan_modules(p)) {
        fast_diag_add(d, FAST_ETOOL, file, KIND, NULL, NULL,
                      "the program lacks an RTL template it needs (a broken build)");
        return FAST_ETOOL;
    }
    return FAST_OK;
}
