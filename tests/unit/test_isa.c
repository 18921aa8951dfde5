/* The instruction set: encode/decode round trips with random fields, range errors, the
 * assembler's error text, and disassemble(assemble(x)) == x. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen/asm.h"
#include "core/isa.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

/* A random instruction of op that passes fast_isa_check. */
static fast_insn random_insn(int op)
{
    for (;;) {
        fast_insn i = fast_isa_make((fast_isa_op)op);
        int n;
        const fast_isa_slot *s = fast_isa_layout(op, &n);
        for (int k = 0; k < n; k++) {
            uint64_t v = next() & ((UINT64_C(1) << s[k].width) - 1);
            int64_t sv = (int64_t)v;
            if (s[k].is_signed && (v >> (s[k].width - 1)))
                sv -= (int64_t)1 << s[k].width;
            i.f[s[k].field] = op == FAST_ISA_END ? 0 : sv; /* end has no fields */
        }
        fast_diag *d = fast_diag_create();
        fast_status st = fast_isa_check(&i, NULL, d);
        fast_diag_destroy(d);
        if (st == FAST_OK)
            return i;
    }
}

static void isa_should_round_trip_every_instruction_with_random_fields(void **state)
{
    (void)state;
    for (int op = 0; op < FAST_ISA_OP_COUNT; op++)
        for (int t = 0; t < 2000; t++) {
            fast_insn i = random_insn(op), o;
            uint8_t b[FAST_ISA_BYTES];
            fast_isa_encode(&i, b);
            fast_diag *d = fast_diag_create();
            assert_int_equal(fast_isa_decode(b, &o, NULL, d), FAST_OK);
            fast_diag_destroy(d);
            assert_int_equal(o.op, i.op);
            assert_memory_equal(o.f, i.f, sizeof i.f);
        }
}

static void isa_layouts_should_fit_256_bits_without_overlap(void **state)
{
    (void)state;
    for (int op = 0; op < FAST_ISA_OP_COUNT; op++) {
        uint8_t used[256] = {0};
        for (int b = 0; b < 4; b++)
            used[b] = 1;
        int n;
        const fast_isa_slot *s = fast_isa_layout(op, &n);
        for (int k = 0; k < n; k++)
            for (int b = s[k].lsb; b < s[k].lsb + s[k].width; b++) {
                assert_true(b < 256);
                assert_int_equal(used[b], 0);
                used[b] = 1;
            }
    }
    int n;
    assert_null(fast_isa_layout(FAST_ISA_OP_COUNT, &n));
}

static char *first_error(fast_diag *d)
{
    assert_true(d->n > 0);
    return fast_diag_line(d, 0);
}

static void isa_should_reject_fields_out_of_range(void **state)
{
    (void)state;
    fast_insn i = random_insn(FAST_ISA_LOAD);
    i.f[FAST_F_X] = 70000;
    fast_diag *d = fast_diag_create();
    assert_int_equal(fast_isa_check(&i, "p.s", d), FAST_EINPUT);
    char *line = first_error(d);
    assert_string_equal(line, "p.s: error[isa]: x = 70000: must be 0..65535");
    free(line);
    fast_diag_clear(d);
    i = random_insn(FAST_ISA_VECTOR);
    i.f[FAST_F_ZP] = -40000;
    assert_int_equal(fast_isa_check(&i, NULL, d), FAST_EINPUT);
    line = first_error(d);
    assert_string_equal(line, "fast: error[isa]: zp = -40000: must be -32768..32767");
    free(line);
    fast_diag_clear(d);
    /* The store queue has no next queue. */
    i = random_insn(FAST_ISA_STORE);
    i.f[FAST_F_PUSH_NEXT] = 1;
    assert_int_equal(fast_isa_check(&i, NULL, d), FAST_EINPUT);
    line = first_error(d);
    assert_string_equal(line,
                        "fast: error[isa]: push_next = 1: the store queue has no next queue");
    free(line);
    fast_diag_clear(d);
    /* Decoding rejects reserved bits. */
    uint8_t b[FAST_ISA_BYTES] = {0};
    fast_insn e = fast_isa_make(FAST_ISA_END), o;
    fast_isa_encode(&e, b);
    b[31] = 0x80;
    assert_int_equal(fast_isa_decode(b, &o, "x.bin", d), FAST_EINPUT);
    line = first_error(d);
    assert_string_equal(line, "x.bin: error[isa]: bit = 255: set outside the fields of end "
                              "(reserved bits must be 0)");
    free(line);
    fast_diag_destroy(d);
}

/* Assembles text and returns the first error line (the caller frees it). */
static char *asm_error(const char *text)
{
    fast_diag *d = fast_diag_create();
    size_t n;
    fast_insn *p = fast_asm_parse(text, "t.s", &n, d);
    assert_null(p);
    char *line = first_error(d);
    fast_diag_destroy(d);
    return line;
}

static void asm_should_report_errors_with_line_numbers(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"# header\n\nfoo x=1\n",
         "t.s: error[asm]: line 3 = \"foo x=1\": unknown instruction 'foo': expected load, "
         "store, matmul, vector, sync or end"},
        {"sync queue=load\nload array=0 mem=inp bogus=3 x=1 y=1 z=1\n",
         "t.s: error[asm]: line 2 = \"load array=0 mem=inp bogus=3 x=1 y=1 z=1\": 'bogus' is "
         "not a field of load"},
        {"load mem=inp x=70000 y=1 z=1  # too wide\n",
         "t.s: error[asm]: line 1 = \"load mem=inp x=70000 y=1 z=1\": x = 70000: must be "
         "0..65535"},
        {"matmul m=1 k=1 n=1 m=2\n",
         "t.s: error[asm]: line 1 = \"matmul m=1 k=1 n=1 m=2\": 'm' given twice"},
        {"vector vop=frobnicate rows=1 cols=1\n",
         "t.s: error[asm]: line 1 = \"vector vop=frobnicate rows=1 cols=1\": vop = frobnicate: "
         "not a number or a known name"},
        {"load mem=inp x=4 y=1 z=1 pop_prev\n",
         "t.s: error[asm]: line 1 = \"load mem=inp x=4 y=1 z=1 pop_prev\": pop_prev = 1: the "
         "load queue has no previous queue"},
        {"matmul accumulate=1 m=1 k=1 n=1\n",
         "t.s: error[asm]: line 1 = \"matmul accumulate=1 m=1 k=1 n=1\": 'accumulate' is a "
         "flag: write it without a value"},
        {"store mem=acc fmt=byte x=0 y=1\n",
         "t.s: error[asm]: line 1 = \"store mem=acc fmt=byte x=0 y=1\": x = 0: must be at "
         "least 1"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *line = asm_error(cases[k][0]);
        assert_string_equal(line, cases[k][1]);
        free(line);
    }
}

static void disasm_of_asm_should_be_the_identity(void **state)
{
    (void)state;
    /* Random programs: text -> instructions -> text is the same text, and the binary
     * survives encode -> decode. */
    for (int t = 0; t < 200; t++) {
        fast_insn prog[12];
        for (int k = 0; k < 12; k++)
            prog[k] = random_insn((int)(next() % FAST_ISA_OP_COUNT));
        char *text = fast_asm_format(prog, 12);
        fast_diag *d = fast_diag_create();
        size_t n = 0;
        fast_insn *back = fast_asm_parse(text, "r.s", &n, d);
        for (size_t e = 0; e < d->n; e++) {
            char *line = fast_diag_line(d, e);
            print_message("%s\n", line);
            free(line);
        }
        assert_non_null(back);
        assert_int_equal(n, 12);
        for (int k = 0; k < 12; k++) {
            assert_int_equal(back[k].op, prog[k].op);
            assert_memory_equal(back[k].f, prog[k].f, sizeof prog[k].f);
        }
        char *again = fast_asm_format(back, n);
        assert_string_equal(again, text);
        uint8_t *bin = fast_isa_encode_program(back, n);
        size_t m = 0;
        fast_insn *dec = fast_isa_decode_program(bin, n * FAST_ISA_BYTES, "r.bin", &m, d);
        assert_non_null(dec);
        char *third = fast_asm_format(dec, m);
        assert_string_equal(third, text);
        free(third);
        free(dec);
        free(bin);
        free(again);
        free(back);
        free(text);
        fast_diag_destroy(d);
    }
}

static void asm_should_accept_comments_names_and_hex(void **state)
{
    (void)state;
    const char *text = "  # a program\n"
                       "load array=1 mem=wgt dram=0x40 x=8 y=2 z=1 y_dstride=8 y_sstride=8 "
                       "push_next\n"
                       "vector vop=requant b=0x5a827999 shift=37 zp=-3 lo=-128 hi=127 rows=2 "
                       "cols=8 ; trailing\n"
                       "end\n";
    fast_diag *d = fast_diag_create();
    size_t n;
    fast_insn *p = fast_asm_parse(text, "c.s", &n, d);
    assert_null(p); /* ';' is not a comment: the bad token is reported */
    char *line = first_error(d);
    assert_non_null(strstr(line, "line 3"));
    assert_non_null(strstr(line, "';' is not a field of vector"));
    free(line);
    fast_diag_clear(d);
    char *fixed = strdup(text);
    *strstr(fixed, "; trailing") = '#';
    p = fast_asm_parse(fixed, "c.s", &n, d);
    assert_non_null(p);
    assert_int_equal(n, 3);
    assert_int_equal(p[0].f[FAST_F_ARRAY], 1);
    assert_int_equal(p[0].f[FAST_F_MEM], FAST_MEM_WGT);
    assert_int_equal(p[0].f[FAST_F_DRAM], 64);
    assert_int_equal(p[1].f[FAST_F_ZP], -3);
    assert_int_equal(p[1].f[FAST_F_B], 0x5a827999);
    assert_int_equal(fast_isa_queue_of(&p[0]), FAST_QUEUE_LOAD);
    assert_int_equal(fast_isa_queue_of(&p[1]), FAST_QUEUE_COMPUTE);
    assert_int_equal(fast_isa_queue_of(&p[2]), FAST_QUEUE_NONE);
    free(p);
    free(fixed);
    fast_diag_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(isa_should_round_trip_every_instruction_with_random_fields),
        cmocka_unit_test(isa_layouts_should_fit_256_bits_without_overlap),
        cmocka_unit_test(isa_should_reject_fields_out_of_range),
        cmocka_unit_test(asm_should_report_errors_with_line_numbers),
        cmocka_unit_test(disasm_of_asm_should_be_the_identity),
        cmocka_unit_test(asm_should_accept_comments_names_and_hex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
