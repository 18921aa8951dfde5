# DMA engine and scratchpads (docs/rtl.md section 9). rtl.dma_<cfg>: fast_dma with three
# fast_scratchpad instances (dma_top.v) runs random LOAD and STORE batches against a C++
# external-memory model; data bit-exact against sim/ref/machine.c (fast_machine_transfer)
# and the end cycle of every command against the timing of docs/rtl.md 9.4, for several
# latencies and bandwidths (--cfg L:BW*256; ":j" random handshake gaps, data only; ":f" a
# memory faster than the DMA's L and BW, which must not change the timing).
# Three builds: int8 with 8-byte beats; bf16 with 16-byte beats and a shorter row queue;
# int8 with 4-byte beats (one accumulator word per beat) and an 8-row queue. Between them
# the scratchpads take every banking case of fast_scratchpad: as many banks as lanes, more
# banks than lanes, one lane over several banks, and a single bank. rtl.dma_lint: Verilator -Wall, Icarus and Yosys on the templates.
set(FAST_DMA_RTL
    ${CMAKE_CURRENT_LIST_DIR}/dma_top.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_dma.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_dma_fifo.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_scratchpad.v
    ${CMAKE_SOURCE_DIR}/rtl_templates/fast_sram_2r1w.v)

fast_rtl_test(dma_int8_w8
              TB ${CMAKE_CURRENT_LIST_DIR}/tb_dma.cpp TOP dma_top
              VERILOG ${FAST_DMA_RTL}
              VARGS -GE=1 -GW=8 -GROWQ=32 -GIBMUL=1 -GWBMUL=2 -GABMUL=1
              ARGS --e 1 --w 8 --rowq 32 --seed 11 --batches 100
                   --cfg 2:2048 --cfg 5:768 --cfg 17:1100 --cfg 32:4096 --cfg 9:200
                   --cfg 12:1100:f --cfg 6:2048:j)
fast_rtl_test(dma_bf16_w16
              TB ${CMAKE_CURRENT_LIST_DIR}/tb_dma.cpp TOP dma_top
              VERILOG ${FAST_DMA_RTL}
              VARGS -GE=2 -GW=16 -GROWQ=16 -GIBMUL=2 -GWBMUL=1 -GABMUL=2
              ARGS --e 2 --w 16 --rowq 16 --seed 12 --batches 100
                   --cfg 2:4096 --cfg 16:1700 --cfg 3:8192 --cfg 12:333 --cfg 10:2000:f
                   --cfg 8:4096:j)
fast_rtl_test(dma_int8_w4
              TB ${CMAKE_CURRENT_LIST_DIR}/tb_dma.cpp TOP dma_top
              VERILOG ${FAST_DMA_RTL}
              VARGS -GE=1 -GW=4 -GROWQ=8 -GIBMUL=2 -GWBMUL=1 -GABMUL=2
              ARGS --e 1 --w 4 --rowq 8 --seed 13 --batches 100
                   --cfg 2:1024 --cfg 8:600 --cfg 5:2048 --cfg 3:100 --cfg 6:300:f
                   --cfg 4:1024:j)
# A wide port (256-byte beats) with bandwidths above 255 bytes per cycle (bw_i's upper bits).
fast_rtl_test(dma_int8_w256
              TB ${CMAKE_CURRENT_LIST_DIR}/tb_dma.cpp TOP dma_top
              VERILOG ${FAST_DMA_RTL}
              VARGS -GE=1 -GW=256 -GROWQ=16 -GIBMUL=1 -GWBMUL=2 -GABMUL=1
              ARGS --e 1 --w 256 --rowq 16 --seed 14 --batches 60
                   --cfg 4:80000 --cfg 10:30000 --cfg 3:65600 --cfg 7:70000:f
                   --cfg 5:100000:j)
set_tests_properties(rtl.dma_int8_w8 rtl.dma_bf16_w16 rtl.dma_int8_w4 rtl.dma_int8_w256
                     PROPERTIES TIMEOUT 600)
set_tests_properties(rtl.dma_int8_w8 PROPERTIES RESOURCE_LOCK dma_int8_w8)
# The latency is hidden behind a cont command only when L <= ROWQ: one cycle more must
# break the end cycles (the test fails if it does not). Shares the int8 build.
add_test(NAME rtl.dma_int8_w8_late
         COMMAND bash ${CMAKE_SOURCE_DIR}/tests/rtl/vtest.sh ${CMAKE_BINARY_DIR}/rtl/dma_int8_w8
                 ${CMAKE_CURRENT_LIST_DIR}/tb_dma.cpp dma_top ${FAST_DMA_RTL}
                 -GE=1 -GW=8 -GROWQ=32 -GIBMUL=1 -GWBMUL=2 -GABMUL=1
                 -- --e 1 --w 8 --rowq 32 --seed 5 --batches 30 --cfg 33:2048)
set_tests_properties(rtl.dma_int8_w8_late PROPERTIES LABELS rtl WILL_FAIL TRUE
  RESOURCE_LOCK dma_int8_w8
  ENVIRONMENT "FAST_LIB=$<TARGET_FILE:fast_lib>;FAST_INCLUDES=${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/generated")

add_test(NAME rtl.dma_lint
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/lint.sh ${CMAKE_SOURCE_DIR}/rtl_templates)
set_tests_properties(rtl.dma_lint PROPERTIES LABELS rtl TIMEOUT 600)
