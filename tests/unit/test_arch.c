/* The accelerator configuration: load, save, canonical form, hash, validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arch.h"
#include "core/util.h"

static char *src_path(const char *rel)
{
    return fast_format("%s/%s", FAST_SOURCE_DIR, rel);
}

static void load_ok(const char *rel, fast_arch *a)
{
    char *p = src_path(rel);
    fast_diag *d = fast_diag_create();
    assert_int_equal(fast_arch_load(p, a, d), FAST_OK);
    assert_int_equal(d->n, 0);
    fast_diag_destroy(d);
    free(p);
}

/* Parses text and returns the first diagnostic line (caller frees), or NULL when valid. */
static char *first_error(const char *text)
{
    fast_diag *d = fast_diag_create();
    fast_arch a;
    fast_status s = fast_arch_parse(text, strlen(text), "t.json", &a, d);
    char *line = NULL;
    if (s != FAST_OK) {
        assert_true(d->n > 0);
        line = fast_diag_line(d, 0);
    } else {
        assert_int_equal(d->n, 0);
    }
    fast_diag_destroy(d);
    return line;
}

static void arch_default_should_validate(void **state)
{
    (void)state;
    fast_arch a;
    fast_arch_default(&a);
    fast_diag *d = fast_diag_create();
    assert_int_equal(fast_arch_validate(&a, NULL, d), FAST_OK);
    assert_int_equal(a.vector.lanes, a.array.cols);
    fast_diag_destroy(d);
}

/* The DMA's row look-ahead (docs/model.md 3.2): L cycles rounded up to a power of two,
 * at least 8; the model and the generator share it. */
static void arch_dma_rowq_should_cover_the_latency(void **state)
{
    (void)state;
    fast_arch a;
    fast_arch_default(&a);
    a.clock_mhz = 1000;
    const double ns[] = {0.5, 8, 9, 16, 17, 60, 100, 1000};
    const int64_t want[] = {8, 8, 16, 16, 32, 64, 128, 1024};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        a.dram.latency_ns = ns[i];
        assert_int_equal(fast_arch_dma_rowq(&a), want[i]);
    }
    a.clock_mhz = 200; /* sim4x4: 60 ns at 200 MHz is 12 cycles */
    a.dram.latency_ns = 60;
    assert_int_equal(fast_arch_dma_rowq(&a), 16);
}

static void arch_tpu_v3_should_load_the_published_figures(void **state)
{
    (void)state;
    fast_arch a;
    load_ok("arch/tpu-v3.json", &a);
    assert_string_equal(a.name, "tpu-v3");
    assert_int_equal(a.cores, 2);
    assert_int_equal(a.array.count, 2);
    assert_int_equal(a.array.rows, 128);
    assert_int_equal(a.array.cols, 128);
    assert_int_equal(a.array.dtype, FAST_DTYPE_BF16);
    assert_true(a.clock_mhz == 940.0);
    assert_true(a.dram.bandwidth_gbps == 900.0);
    assert_int_equal(a.process_nm, 16);
    /* 32 MiB on chip in all (REFERENCES.md, Ten Lessons). */
    int64_t kib = a.cores * (a.memory.input_kib + a.memory.weight_kib + a.memory.acc_kib) +
                  a.memory.global_mib * 1024;
    assert_int_equal(kib, 32 * 1024);
    /* 4 MXUs x 16384 MACs = 65536 MACs per cycle; x2 x 940 MHz = 123 TFLOPS. */
    assert_int_equal(fast_arch_pes(&a), 65536);
    double tflops = (double)fast_arch_pes(&a) * 2 * a.clock_mhz * 1e6 / 1e12;
    assert_true(tflops > 123.0 && tflops < 123.3);
}

static void arch_small_should_load(void **state)
{
    (void)state;
    fast_arch a;
    load_ok("arch/small.json", &a);
    assert_int_equal(a.array.rows, 8);
    assert_int_equal(a.array.dtype, FAST_DTYPE_INT8);
}

static void arch_round_trip_should_be_identical(void **state)
{
    (void)state;
    const char *files[] = {"arch/tpu-v3.json", "arch/small.json"};
    for (size_t i = 0; i < 2; i++) {
        fast_arch a, b;
        load_ok(files[i], &a);
        char tmpl[] = "/tmp/fast-arch-XXXXXX";
        int fd = mkstemp(tmpl);
        assert_true(fd >= 0);
        close(fd);
        fast_diag *d = fast_diag_create();
        assert_int_equal(fast_arch_save(&a, tmpl, d), FAST_OK);
        assert_int_equal(fast_arch_load(tmpl, &b, d), FAST_OK);
        fast_diag_destroy(d);
        unlink(tmpl);
        char *ca = fast_arch_canonical(&a), *cb = fast_arch_canonical(&b);
        assert_string_equal(ca, cb);
        assert_true(fast_arch_hash(&a) == fast_arch_hash(&b));
        free(ca);
        free(cb);
    }
}

static void arch_hash_should_be_pinned(void **state)
{
    /* The hash is stamped into generated RTL and names cached builds: it must not change
     * between runs, builds or machines. A deliberate change of the canonical form updates
     * these values (and says so in the commit). */
    (void)state;
    fast_arch a;
    fast_arch_default(&a);
    char *c = fast_arch_canonical(&a);
    assert_string_equal(c, "{\"name\":\"default\",\"process_nm\":16,\"clock_mhz\":1000,"
                           "\"cores\":1,\"array\":{\"rows\":8,\"cols\":8,\"count\":1,"
                           "\"dataflow\":\"ws\",\"dtype\":\"int8\"},\"vector\":{\"lanes\":8},"
                           "\"memory\":{\"input_kib\":64,\"weight_kib\":64,\"acc_kib\":64,"
                           "\"global_mib\":0,\"banks\":4},\"dram\":{\"bandwidth_gbps\":25.6,"
                           "\"latency_ns\":100}}");
    assert_true(fast_arch_hash(&a) == fast_hash64(c, strlen(c)));
    free(c);
    /* FNV-1a of the empty string and of "a" (published test vectors). */
    assert_true(fast_hash64("", 0) == 0xcbf29ce484222325ULL);
    assert_true(fast_hash64("a", 1) == 0xaf63dc4c8601ec8cULL);
}

static void arch_hash_should_change_when_any_field_changes(void **state)
{
    (void)state;
    fast_arch base;
    fast_arch_default(&base);
    fast_arch v[17];
    for (int i = 0; i < 17; i++)
        v[i] = base;
    snprintf(v[0].name, sizeof v[0].name, "other");
    v[1].process_nm = 7;
    v[2].clock_mhz = 1000.5;
    v[3].cores = 2;
    v[4].array.rows = 16;
    v[5].array.cols = 16;
    v[6].array.count = 2;
    v[7].array.dataflow = FAST_DATAFLOW_OS;
    v[8].array.dtype = FAST_DTYPE_BF16;
    v[9].vector.lanes = 16;
    v[10].memory.input_kib = 65;
    v[11].memory.weight_kib = 65;
    v[12].memory.acc_kib = 65;
    v[13].memory.global_mib = 1;
    v[14].memory.banks = 8;
    v[15].dram.bandwidth_gbps = 25.7;
    v[16].dram.latency_ns = 101;
    uint64_t h[18];
    h[17] = fast_arch_hash(&base);
    for (int i = 0; i < 17; i++) {
        fast_diag *d = fast_diag_create();
        assert_int_equal(fast_arch_validate(&v[i], NULL, d), FAST_OK);
        fast_diag_destroy(d);
        h[i] = fast_arch_hash(&v[i]);
    }
    for (int i = 0; i < 18; i++)
        for (int j = i + 1; j < 18; j++)
            assert_true(h[i] != h[j]);
}

static void arch_fields_should_list_the_canonical_order(void **state)
{
    (void)state;
    fast_arch a;
    fast_arch_default(&a);
    cJSON *j = fast_arch_to_json(&a);
    size_t i = 0;
    for (cJSON *top = j->child; top; top = top->next) {
        if (cJSON_IsObject(top)) {
            for (cJSON *f = top->child; f; f = f->next) {
                char *path = fast_format("%s.%s", top->string, f->string);
                assert_non_null(fast_arch_fields[i]);
                assert_string_equal(fast_arch_fields[i++], path);
                free(path);
            }
        } else {
            assert_non_null(fast_arch_fields[i]);
            assert_string_equal(fast_arch_fields[i++], top->string);
        }
    }
    assert_null(fast_arch_fields[i]);
    cJSON_Delete(j);
}

static void arch_should_fill_defaults_and_derive_lanes(void **state)
{
    (void)state;
    fast_diag *d = fast_diag_create();
    fast_arch a;
    const char *t = "{\"name\":\"x\",\"array\":{\"rows\":4,\"cols\":12}}";
    assert_int_equal(fast_arch_parse(t, strlen(t), "t.json", &a, d), FAST_OK);
    assert_int_equal(a.vector.lanes, 12);
    assert_int_equal(a.cores, 1);
    assert_int_equal(a.memory.banks, 4);
    fast_diag_destroy(d);
}

static void arch_errors_should_name_field_value_and_reason(void **state)
{
    (void)state;
    struct {
        const char *text, *line;
    } cases[] = {
        {"{\"name\":\"x\",\"array\":{\"rows\":0,\"cols\":8}}",
         "t.json: error[config]: array.rows = 0: must be an integer in 1..1024"},
        {"{\"name\":\"x\",\"array\":{\"rows\":8,\"colz\":8}}",
         "t.json: error[config]: array.colz = 8: unknown field (did you mean array.cols?)"},
        {"{\"name\":\"x\",\"array\":{\"rows\":8}}",
         "t.json: error[config]: array.cols: missing required field"},
        {"{\"name\":\"x\",\"array\":{\"rows\":8,\"cols\":8,\"dtype\":\"int9\"}}",
         "t.json: error[config]: array.dtype = \"int9\": must be one of \"int8\", \"bf16\" "
         "(did you mean \"int8\"?)"},
        {"{\"name\":\"x\",\n \"array\":{\"rows\":8,\"cols\":8},}",
         "t.json: error[config]: line 2, column 30: malformed JSON near '}'"},
        {"{\"name\":\"x\",\"process_nm\":22,\"array\":{\"rows\":8,\"cols\":8}}",
         "t.json: error[config]: process_nm = 22: must be one of 45, 28, 16, 7"},
        {"{\"name\":\"x y\",\"array\":{\"rows\":8,\"cols\":8}}",
         "t.json: error[config]: name = \"x y\": may contain only letters, digits, '_', '-' "
         "and '.'"},
        {"{\"name\":\"x\",\"array\":{\"rows\":128,\"cols\":128},\"memory\":{\"weight_kib\":8}}",
         "t.json: error[config]: memory.weight_kib = 8: smaller than one 128x128 int8 weight "
         "tile per array (16384 bytes)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *line = first_error(cases[i].text);
        assert_non_null(line);
        assert_string_equal(line, cases[i].line);
        free(line);
    }
}

static void arch_validate_should_reject_bad_values_built_in_code(void **state)
{
    (void)state;
    fast_arch a;
    fast_arch_default(&a);
    a.clock_mhz = 0.0 / 0.0;
    a.array.rows = 5000;
    fast_diag *d = fast_diag_create();
    assert_int_equal(fast_arch_validate(&a, NULL, d), FAST_EINPUT);
    assert_int_equal(d->n, 2);
    fast_diag_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arch_default_should_validate),
        cmocka_unit_test(arch_dma_rowq_should_cover_the_latency),
        cmocka_unit_test(arch_tpu_v3_should_load_the_published_figures),
        cmocka_unit_test(arch_small_should_load),
        cmocka_unit_test(arch_round_trip_should_be_identical),
        cmocka_unit_test(arch_hash_should_be_pinned),
        cmocka_unit_test(arch_hash_should_change_when_any_field_changes),
        cmocka_unit_test(arch_fields_should_list_the_canonical_order),
        cmocka_unit_test(arch_should_fill_defaults_and_derive_lanes),
        cmocka_unit_test(arch_errors_should_name_field_value_and_reason),
        cmocka_unit_test(arch_validate_should_reject_bad_values_built_in_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
