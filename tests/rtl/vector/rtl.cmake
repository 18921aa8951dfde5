# Vector unit (docs/rtl.md section 5). rtl.vector_<mode>_l<LANES>: random op streams through
# fast_vector_unit compared bit for bit with sim/ref/vector.c, 4-cycle latency checked on
# every cycle; the four builds cover both modes and the three C++ types Verilator gives a
# LANES x 32 bus (32 bits, 64 bits, wider). rtl.vector_lint: Verilator -Wall without waivers
# and Icarus -g2005; the 1024-lane lint is its own test because Verilator takes minutes on it.
set(FAST_VECTOR_RTL
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_vector_unit.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_vector_lane_int.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_vector_lane_fp.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_vector_prep.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_vector_pwl.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_vector_table.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_vector_fp2fix.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_vector_fix2fp.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_fp32_add.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_fp32_mul.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_fp32_to_bf16.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_fp_lzc.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_fp_round_pack.v)

foreach(cfg "int;2;0" "int;8;0" "fp;1;1" "fp;3;1")
  list(GET cfg 0 mode)
  list(GET cfg 1 lanes)
  list(GET cfg 2 fp)
  fast_rtl_test(vector_${mode}_l${lanes}
                TB ${CMAKE_CURRENT_LIST_DIR}/tb_vector.cpp TOP fast_vector_unit
                VERILOG ${FAST_VECTOR_RTL}
                VARGS -GLANES=${lanes} -GFP=${fp}
                ARGS --lanes ${lanes} --fp ${fp} --cycles 200000)
  set_tests_properties(rtl.vector_${mode}_l${lanes} PROPERTIES TIMEOUT 600)
endforeach()

add_test(NAME rtl.vector_lint
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/lint.sh ${CMAKE_SOURCE_DIR} 1 2 3 8 16 64)
add_test(NAME rtl.vector_lint_1024
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/lint.sh ${CMAKE_SOURCE_DIR} 1024)
# The 1024-lane lint takes Verilator about 7 minutes: label "long", which the test command
# and CI leave out; run it with `ctest --test-dir build -L long`.
set_tests_properties(rtl.vector_lint PROPERTIES LABELS rtl)
set_tests_properties(rtl.vector_lint_1024 PROPERTIES LABELS long TIMEOUT 1800)
