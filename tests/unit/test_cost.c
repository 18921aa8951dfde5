/* The cost side (docs/cost.md): SRAM model, node scaling, power and TDP, the calibration
 * file, the least-squares solver and the liberty reader. No test runs Yosys (those are in
 * tests/synth/, label "synth"). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arch.h"
#include "core/util.h"
#include "synth/area_model.h"
#include "synth/calibrate.h"
#include "synth/cost.h"
#include "synth/sram.h"
#include "synth/yosys.h"

static char *src_path(const char *rel)
{
    return fast_format("%s/%s", FAST_SOURCE_DIR, rel);
}

static fast_arch load_arch(const char *rel)
{
    fast_arch a;
    char *p = src_path(rel);
    fast_diag *d = fast_diag_create();
    assert_int_equal(fast_arch_load(p, &a, d), FAST_OK);
    fast_diag_destroy(d);
    free(p);
    return a;
}

static fast_calib load_calib(void)
{
    fast_calib c;
    fast_diag *d = fast_diag_create();
    fast_status st = fast_calib_load_default(&c, d);
    if (st != FAST_OK) {
        char *line = d->n ? fast_diag_line(d, 0) : NULL;
        fail_msg("synth/calibration.json: %s", line ? line : "no diagnostic");
    }
    fast_diag_destroy(d);
    return c;
}

/* ---- SRAM ------------------------------------------------------------------------- */

static void sram_area_should_grow_with_bits(void **state)
{
    (void)state;
    double prev = 0;
    for (double kib = 1; kib <= 4096; kib *= 2) {
        double a = fast_sram_macro_um2(kib * 8192, 16);
        assert_true(a > prev);
        prev = a;
    }
    assert_true(fast_sram_macro_um2(0, 16) == 0);
    /* At least the bit cells themselves. */
    assert_true(fast_sram_macro_um2(8192 * 64, 7) >= 8192 * 64 * 0.027);
}

static void sram_efficiency_should_grow_with_macro_size(void **state)
{
    (void)state;
    double prev = 0;
    for (double kib = 0.5; kib <= 8192; kib *= 2) {
        double e = fast_sram_efficiency(kib * 8192);
        assert_true(e >= prev && e > 0 && e < 1);
        prev = e;
    }
    assert_true(fast_sram_efficiency(1024 * 8192.0) > fast_sram_efficiency(8192.0) + 0.3);
    /* The same bits in many small banks take more area than in a few large ones. */
    fast_arch a = load_arch("arch/small.json");
    double few = fast_sram_chip_mm2(&a);
    a.memory.banks = 16;
    assert_true(fast_sram_chip_mm2(&a) > few * 1.2);
}

static void sram_should_scale_with_the_node(void **state)
{
    (void)state;
    /* The published cells (REFERENCES.md): 0.07 um^2 at 16 nm, 0.027 um^2 at 7 nm. */
    assert_true(fabs(fast_sram_cell_um2(16) - 0.07) < 1e-12);
    assert_true(fabs(fast_sram_cell_um2(7) - 0.027) < 1e-12);
    assert_true(fast_sram_cell_um2(45) > fast_sram_cell_um2(28));
    assert_true(fast_sram_cell_um2(28) > fast_sram_cell_um2(16));
    double bits = 256 * 8192.0;
    assert_true(fast_sram_macro_um2(bits, 45) > 3 * fast_sram_macro_um2(bits, 16));
}

/* ---- logic area ------------------------------------------------------------------- */

static void node_scale_should_use_the_published_densities(void **state)
{
    (void)state;
    assert_true(fabs(fast_area_density_mtr_mm2(16) - 28.9) < 1e-9);
    assert_true(fabs(fast_area_density_mtr_mm2(7) - 91.2) < 1e-9);
    assert_true(fabs(fast_area_density_mtr_mm2(45) - 4.0 / 0.798) < 1e-9);
    assert_true(fabs(fast_area_node_scale(45) - 1.0) < 1e-12);
    double d28 = fast_area_density_mtr_mm2(28);
    assert_true(d28 > fast_area_density_mtr_mm2(45) && d28 < 28.9);
}

static void area_should_grow_with_every_unit(void **state)
{
    (void)state;
    fast_calib c = load_calib();
    fast_arch a = load_arch("arch/small.json");
    fast_area base = fast_cost_area(&a, &c);
    assert_true(base.logic_mm2 > 0 && base.sram_mm2 > 0);
    assert_true(fabs(base.total_mm2 - base.logic_mm2 - base.sram_mm2) < 1e-12);
    fast_arch b = a;
    b.array.rows = b.array.cols = 16;
    b.memory.weight_kib = 64;
    assert_true(fast_cost_area(&b, &c).arrays_mm2 > 3 * base.arrays_mm2);
    b = a;
    b.vector.lanes = 64;
    assert_true(fast_cost_area(&b, &c).vector_mm2 > base.vector_mm2);
    b = a;
    b.cores = 2;
    assert_true(fabs(fast_cost_area(&b, &c).logic_mm2 - 2 * base.logic_mm2) < 1e-12);
    b = a;
    b.process_nm = 7;
    assert_true(fast_cost_area(&b, &c).total_mm2 < base.total_mm2 / 5);
}

/* ---- power ------------------------------------------------------------------------ */

static void power_should_double_with_the_clock(void **state)
{
    (void)state;
    fast_calib c = load_calib();
    fast_arch a = load_arch("arch/tpu-v3.json");
    fast_area area = fast_cost_area(&a, &c);
    fast_power p1 = fast_cost_tdp(&a, &area);
    a.clock_mhz *= 2;
    fast_power p2 = fast_cost_tdp(&a, &area);
    /* Arrays, lanes and global-memory ports double. DRAM power follows the bandwidth, not
     * the clock, and so does the DMA's share of scratchpad writes. */
    assert_true(fabs(p2.mac_w - 2 * p1.mac_w) < 1e-9 * p1.mac_w);
    assert_true(fabs(p2.vector_w - 2 * p1.vector_w) < 1e-9 * p1.vector_w);
    assert_true(fabs(p2.global_w - 2 * p1.global_w) < 1e-9 * p1.global_w);
    assert_true(p2.spad_w > 1.9 * p1.spad_w && p2.spad_w < 2 * p1.spad_w);
    assert_true(p2.dram_w == p1.dram_w && p2.leakage_w == p1.leakage_w);
    assert_true(fabs(p1.tdp_w - p1.dynamic_w - p1.leakage_w) < 1e-9);
}

static void power_should_grow_with_lanes(void **state)
{
    (void)state;
    fast_calib c = load_calib();
    fast_arch a = load_arch("arch/small.json");
    fast_area area = fast_cost_area(&a, &c);
    fast_power p1 = fast_cost_tdp(&a, &area);
    a.vector.lanes *= 4;
    area = fast_cost_area(&a, &c);
    fast_power p2 = fast_cost_tdp(&a, &area);
    assert_true(fabs(p2.vector_w - 4 * p1.vector_w) < 1e-9 * p1.vector_w);
    assert_true(p2.spad_w > p1.spad_w);
    assert_true(p2.tdp_w > p1.tdp_w);
}

static void leakage_should_be_proportional_to_area(void **state)
{
    (void)state;
    fast_arch a = load_arch("arch/small.json");
    fast_area area = {0, 0, 0, 1.0, 2.0, 3.0};
    fast_power p1 = fast_cost_tdp(&a, &area);
    area.total_mm2 = 6.0;
    fast_power p2 = fast_cost_tdp(&a, &area);
    assert_true(p1.leakage_w > 0);
    assert_true(fabs(p2.leakage_w - 2 * p1.leakage_w) < 1e-12);
    assert_true(p2.dynamic_w == p1.dynamic_w);
    assert_true(fabs(p1.leakage_w - 3.0 * fast_cost_leakage_w_mm2(45)) < 1e-12);
}

static void tpu_v3_should_have_finite_computed_totals(void **state)
{
    (void)state;
    fast_calib c = load_calib();
    fast_arch a = load_arch("arch/tpu-v3.json");
    fast_area area = fast_cost_area(&a, &c);
    fast_power p = fast_cost_tdp(&a, &area);
    assert_true(isfinite(area.total_mm2) && area.total_mm2 > 0);
    assert_true(area.arrays_mm2 > 0 && area.vector_mm2 > 0 && area.sram_mm2 > 0);
    assert_true(isfinite(p.tdp_w) && p.tdp_w > 0);
    assert_true(p.mac_w > 0 && p.vector_w > 0 && p.spad_w > 0 && p.global_w > 0 &&
                p.dram_w > 0 && p.leakage_w > 0);
    double sum = p.mac_w + p.vector_w + p.spad_w + p.global_w + p.dram_w;
    assert_true(fabs(sum - p.dynamic_w) < 1e-9 * sum);
    /* 32 MiB of SRAM at 0.07 um^2 per bit is at least 18.8 mm^2 of bit cells. */
    assert_true(area.sram_mm2 > 32.0 * 8388608 * 0.07 * 1e-6);
}

/* ---- the calibration file --------------------------------------------------------- */

/* Parses text and returns the first diagnostic line (caller frees), or NULL when it loads. */
static char *parse_error(const char *text)
{
    fast_calib c;
    fast_diag *d = fast_diag_create();
    fast_status st = fast_calib_parse(text, strlen(text), "cal.json", &c, d);
    char *line = NULL;
    if (st != FAST_OK) {
        assert_int_equal(st, FAST_EINPUT);
        assert_true(d->n > 0);
        line = fast_diag_line(d, 0);
    }
    fast_diag_destroy(d);
    return line;
}

/* A valid calibration text with every coefficient 1, with `extra` spliced into the
 * coefficients and `skip` (a term name) left out; caller frees. */
static char *calib_text(const char *skip, const char *extra, const char *yosys)
{
    char *s = fast_strdup("{");
    if (yosys) {
        char *t = fast_format("%s\"yosys\": \"%s\", ", s, yosys);
        free(s);
        s = t;
    }
    char *t = fast_format("%s\"coefficients\": {%s", s, extra ? extra : "");
    free(s);
    s = t;
    int first = 1; /* extra, when given, ends in ", " */
    for (int i = 0; i < FAST_AREA_TERMS; i++) {
        if (skip && strcmp(skip, fast_area_terms[i]) == 0)
            continue;
        t = fast_format("%s%s\"%s\": 1", s, first ? "" : ", ", fast_area_terms[i]);
        free(s);
        s = t;
        first = 0;
    }
    t = fast_format("%s}}", s);
    free(s);
    return t;
}

static void calib_should_reject_bad_files(void **state)
{
    (void)state;
    char *text = calib_text(NULL, NULL, "Yosys 0.23");
    char *err = parse_error(text);
    assert_null(err);
    free(text);

    err = parse_error("{\"yosys\": ");
    assert_non_null(err);
    assert_non_null(strstr(err, "cal.json: error[calibration]: line 1"));
    free(err);

    text = calib_text("pe.bf16.os", NULL, "Yosys 0.23");
    err = parse_error(text);
    assert_string_equal(err, "cal.json: error[calibration]: coefficients.pe.bf16.os: "
                             "missing required field");
    free(err);
    free(text);

    text = calib_text(NULL, "\"pe.int8.wss\": 3, ", "Yosys 0.23");
    err = parse_error(text);
    assert_non_null(err);
    assert_non_null(strstr(err, "coefficients.pe.int8.wss = 3: unknown field (did you mean "
                                "coefficients.pe.int8.ws?)"));
    free(err);
    free(text);

    text = calib_text("lane.int8", "\"lane.int8\": \"big\", ", "Yosys 0.23");
    err = parse_error(text);
    assert_non_null(err);
    assert_non_null(strstr(err, "coefficients.lane.int8 = \"big\""));
    free(err);
    free(text);

    text = calib_text(NULL, NULL, NULL);
    err = parse_error(text);
    assert_non_null(err);
    assert_non_null(strstr(err, "yosys"));
    free(err);
    free(text);

    fast_calib c;
    fast_diag *d = fast_diag_create();
    assert_int_equal(fast_calib_load("/nonexistent/calibration.json", &c, d), FAST_EINPUT);
    assert_int_equal(d->n, 1);
    fast_diag_destroy(d);
}

static void calib_checked_in_should_load(void **state)
{
    (void)state;
    fast_calib c = load_calib();
    assert_true(c.n_configs >= 20);
    assert_non_null(strstr(c.yosys, "Yosys"));
    for (int i = 0; i < FAST_AREA_TERMS; i++)
        assert_true(isfinite(c.coef_um2[i]));
    /* A PE is at least its flip-flops: int8 WS holds two 8-bit weights and a 32-bit sum. */
    assert_true(c.coef_um2[0] > 48 * 4.522);
}

/* ---- solver, liberty, Yosys JSON -------------------------------------------------- */

static void lsq_should_recover_exact_coefficients(void **state)
{
    (void)state;
    enum { N = 12, P = 4 };
    double x[N * P], y[N], b[P], want[P] = {3.5, -2.0, 0.0, 1e3};
    for (int i = 0; i < N; i++) {
        x[i * P + 0] = i + 1;
        x[i * P + 1] = (i + 1) * (i + 1);
        x[i * P + 2] = 0; /* an unused term */
        x[i * P + 3] = i % 3;
        y[i] = 0;
        for (int j = 0; j < P; j++)
            y[i] += x[i * P + j] * want[j];
    }
    assert_int_equal(fast_lsq_solve(x, y, N, P, b, NULL), 0);
    for (int j = 0; j < P; j++)
        assert_true(fabs(b[j] - want[j]) < 1e-6 * (1 + fabs(want[j])));
    /* A dependent column is reported. */
    for (int i = 0; i < N; i++)
        x[i * P + 2] = 2 * x[i * P + 0];
    int bad = -1;
    assert_int_equal(fast_lsq_solve(x, y, N, P, b, &bad), -1);
    assert_int_equal(bad, 2);
}

static void nnls_should_keep_coefficients_non_negative(void **state)
{
    (void)state;
    enum { N = 6, P = 2 };
    double x[N * P], y[N], b[P];
    for (int i = 0; i < N; i++) {
        x[i * P + 0] = 1;
        x[i * P + 1] = i;
        y[i] = 10 - i; /* the unconstrained slope is -1 */
    }
    assert_int_equal(fast_nnls_solve(x, y, N, P, b), 0);
    assert_true(b[1] == 0);
    assert_true(fabs(b[0] - 7.5) < 1e-9); /* the mean of y */
    for (int i = 0; i < N; i++)
        y[i] = 2 + 3 * i;
    assert_int_equal(fast_nnls_solve(x, y, N, P, b), 0);
    assert_true(fabs(b[0] - 2) < 1e-9 && fabs(b[1] - 3) < 1e-9);
}

static void liberty_should_carry_the_published_areas(void **state)
{
    (void)state;
    fast_liberty lib;
    char *p = src_path("synth/nangate45_area.lib");
    fast_diag *d = fast_diag_create();
    assert_int_equal(fast_liberty_load(p, &lib, d), FAST_OK);
    fast_diag_destroy(d);
    free(p);
    /* REFERENCES.md: sites of 0.266 um^2. */
    const char *names[] = {"INV_X1", "NAND2_X1", "NOR2_X1", "AND2_X1", "OR2_X1", "AOI21_X1",
                           "OAI21_X1", "XOR2_X1", "XNOR2_X1", "MUX2_X1", "HA_X1", "FA_X1",
                           "DFF_X1"};
    const int sites[] = {2, 3, 3, 4, 4, 4, 4, 6, 6, 7, 10, 16, 17};
    assert_int_equal(lib.n_cells, 13);
    for (int i = 0; i < 13; i++)
        assert_true(fabs(fast_liberty_area(&lib, names[i]) - sites[i] * 0.266) < 1e-9);
    assert_true(fast_liberty_area(&lib, "BUF_X1") < 0);
}

static void yosys_json_fix_should_drop_trailing_commas(void **state)
{
    (void)state;
    char text[] = "{\"a\": {\"b,}\": 1,\n},\n\n}";
    fast_synth_fix_json(text);
    cJSON *j = cJSON_Parse(text);
    assert_non_null(j);
    assert_non_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "a"),
                                                     "b,}"));
    cJSON_Delete(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sram_area_should_grow_with_bits),
        cmocka_unit_test(sram_efficiency_should_grow_with_macro_size),
        cmocka_unit_test(sram_should_scale_with_the_node),
        cmocka_unit_test(node_scale_should_use_the_published_densities),
        cmocka_unit_test(area_should_grow_with_every_unit),
        cmocka_unit_test(power_should_double_with_the_clock),
        cmocka_unit_test(power_should_grow_with_lanes),
        cmocka_unit_test(leakage_should_be_proportional_to_area),
        cmocka_unit_test(tpu_v3_should_have_finite_computed_totals),
        cmocka_unit_test(calib_should_reject_bad_files),
        cmocka_unit_test(calib_checked_in_should_load),
        cmocka_unit_test(lsq_should_recover_exact_coefficients),
        cmocka_unit_test(nnls_should_keep_coefficients_non_negative),
        cmocka_unit_test(liberty_should_carry_the_published_areas),
        cmocka_unit_test(yosys_json_fix_should_drop_trailing_commas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
