/* The two files the generator writes itself: the core's top module and the parameters
 * header. Everything else it emits is a template, copied. */
#include <inttypes.h>
#include <stdio.h>

#include "gen/plan.h"

static void port_decl(fast_text *t, const char *prefix, const fast_gen_port *q, int last)
{
    char range[48] = "";
    if (q->width > 1)
        snprintf(range, sizeof range, "[%" PRId64 ":0]", q->width - 1);
    fast_text_printf(t, "  %-6s wire %-10s %s%s%s\n", q->output ? "output" : "input", range,
                     prefix, q->name, last ? "" : ",");
}

static void port_conns(fast_text *t, const char *prefix, const fast_gen_port *v, int n)
{
    fast_text_printf(t, "    .%-13s (clk_i),\n    .%-13s (rst_ni),\n", "clk_i", "rst_ni");
    for (int i = 0; i < n; i++)
        fast_text_printf(t, "    .%-13s (%s%s)%s\n", v[i].name, prefix, v[i].name,
                         i + 1 < n ? "," : "");
}

void fast_gen_top_write(const fast_gen_plan *p, fast_text *t)
{
    const fast_arch *a = p->arch;
    fast_text_printf(t, "// %s\n", p->header);
    fast_text_printf(t, "// %s: the datapath of one core of configuration \"%s\":\n", p->top,
                     a->name);
    fast_text_printf(t,
                     "//   %" PRId64 " %s %s systolic array%s of %" PRId64 " x %" PRId64
                     " PEs, each with %" PRId64 " accumulator\n//   rows in %" PRId64
                     " bank%s;\n",
                     p->count, p->os ? "output-stationary" : "weight-stationary",
                     fast_dtype_name(a->array.dtype), p->count > 1 ? "s" : "", p->rows, p->cols,
                     p->acc_depth, p->acc_banks, p->acc_banks > 1 ? "s" : "");
    fast_text_printf(t, "//   a vector unit of %" PRId64 " %s lane%s.\n", p->lanes,
                     p->bf16 ? "fp32" : "int32", p->lanes > 1 ? "s" : "");
    fast_text_printf(t, "// The ports of array i are prefixed a<i>_, those of the vector unit v_ "
                        "(docs/rtl.md section 6).\n");
    fast_text_printf(t, "`default_nettype none\n\nmodule %s (\n", p->top);
    fast_text_printf(t, "  input  wire            clk_i,\n  input  wire            rst_ni,\n");
    for (int64_t i = 0; i < p->count; i++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "a%" PRId64 "_", i);
        fast_text_printf(t, "  // array %" PRId64 "\n", i);
        for (int j = 0; j < p->n_array_ports; j++)
            port_decl(t, prefix, &p->array_ports[j], 0);
    }
    fast_text_printf(t, "  // vector unit\n");
    for (int j = 0; j < p->n_vector_ports; j++)
        port_decl(t, "v_", &p->vector_ports[j], j + 1 == p->n_vector_ports);
    fast_text_printf(t, ");\n");
    for (int64_t i = 0; i < p->count; i++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "a%" PRId64 "_", i);
        fast_text_printf(t,
                         "\n  fast_array_unit_%s #(\n"
                         "    .ROWS      (%" PRId64 "),\n"
                         "    .COLS      (%" PRId64 "),\n"
                         "    .DTYPE     (%d),\n"
                         "    .ACC_DEPTH (%" PRId64 "),\n"
                         "    .ACC_BANKS (%" PRId64 ")\n"
                         "  ) u_array%" PRId64 " (\n",
                         p->os ? "os" : "ws", p->rows, p->cols, p->bf16, p->acc_depth,
                         p->acc_banks, i);
        port_conns(t, prefix, p->array_ports, p->n_array_ports);
        fast_text_printf(t, "  );\n");
    }
    fast_text_printf(t,
                     "\n  fast_vector_unit #(\n"
                     "    .LANES (%" PRId64 "),\n"
                     "    .FP    (%d)\n"
                     "  ) u_vector (\n",
                     p->lanes, p->bf16);
    port_conns(t, "v_", p->vector_ports, p->n_vector_ports);
    fast_text_printf(t, "  );\nendmodule\n\n`default_nettype wire\n");
}

void fast_gen_params_write(const fast_gen_plan *p, fast_text *t)
{
    char guard[FAST_ARCH_NAME_MAX + 32];
    snprintf(guard, sizeof guard, "%s_PARAMS_H", p->top);
    for (char *c = guard; *c; c++)
        if (*c >= 'a' && *c <= 'z')
            *c = (char)(*c - 'a' + 'A');
    fast_text_printf(t, "/* %s */\n", p->header);
    fast_text_printf(t,
                     "/* The parameters of %s, for harnesses and programs (docs/rtl.md "
                     "section 6). */\n",
                     p->top);
    fast_text_printf(t, "#ifndef %s\n#define %s\n\n", guard, guard);
    fast_text_printf(t, "#define FAST_TOP \"%s\"\n", p->top);
    fast_text_printf(t, "#define FAST_CONFIG_NAME \"%s\"\n", p->arch->name);
    fast_text_printf(t, "#define FAST_CONFIG_HASH 0x%016" PRIx64 "ULL\n", p->hash);
    fast_text_printf(t, "#define FAST_ARRAY_ROWS %" PRId64 "\n", p->rows);
    fast_text_printf(t, "#define FAST_ARRAY_COLS %" PRId64 "\n", p->cols);
    fast_text_printf(t, "#define FAST_ARRAY_COUNT %" PRId64 "\n", p->count);
    fast_text_printf(t, "#define FAST_ARRAY_OS %d /* 1: output-stationary */\n", p->os);
    fast_text_printf(t, "#define FAST_ARRAY_BF16 %d /* 1: bf16 operands, fp32 sums */\n",
                     p->bf16);
    fast_text_printf(t, "#define FAST_ELEM_BITS %" PRId64 "\n", p->elem_bits);
    fast_text_printf(t, "#define FAST_ROW_BITS %" PRId64 "\n", p->row_bits);
    fast_text_printf(t, "#define FAST_ACC_DEPTH %" PRId64 "\n", p->acc_depth);
    fast_text_printf(t, "#define FAST_ACC_BANKS %" PRId64 "\n", p->acc_banks);
    fast_text_printf(t, "#define FAST_ACC_ADDR_BITS %" PRId64 "\n", p->acc_addr_bits);
    fast_text_printf(t, "#define FAST_VECTOR_LANES %" PRId64 "\n", p->lanes);
    fast_text_printf(t, "#define FAST_VECTOR_FP %d /* 1: fp32 lanes */\n", p->bf16);
    fast_text_printf(t, "\n#endif\n");
}
