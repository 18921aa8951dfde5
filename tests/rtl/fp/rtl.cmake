# Floating-point blocks (docs/rtl.md section 2): rtl.fp compares fast_bf16_mul,
# fast_fp32_add, fast_fp32_mul and fast_fp32_to_bf16 with the C reference bit for bit;
# rtl.fp_lint runs Verilator -Wall, Icarus and Yosys on each of them.
set(FAST_FP_RTL
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_bf16_mul.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_fp32_add.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_fp32_mul.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_fp32_to_bf16.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_fp_lzc.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_fp_round_pack.v)

fast_rtl_test(fp TB ${CMAKE_CURRENT_LIST_DIR}/tb_fp.cpp TOP fp_top
              VERILOG ${CMAKE_CURRENT_LIST_DIR}/fp_top.v ${FAST_FP_RTL})

add_test(NAME rtl.fp_lint
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/lint.sh ${CMAKE_SOURCE_DIR}/rtl_templates)
set_tests_properties(rtl.fp_lint PROPERTIES LABELS rtl)
