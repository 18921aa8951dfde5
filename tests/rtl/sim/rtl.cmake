# fast sim end to end (docs/sim.md): layers compiled, run on the generated accelerator under
# Verilator and compared bit for bit with the C layer reference; each case prints the
# model's and the RTL's cycles (check.sh), which must agree within 1% or the case's bound.
# The cases are every layer of cases.txt on every configuration there (4x4, 8x8 =
# arch/small.json, two 16x16 arrays in one core, 8x32 on two cores, 8x8 with a 256-byte
# external port, an output-stationary 8x4): rtl.sim.<configuration>.<layer>. The harness of
# each configuration is built
# once into the cache (<build>/.cache/fast-sim); the cases of one configuration wait for
# that build. summary.py runs the same cases and prints one table.
# rtl.sim_harness: the harness itself on a stand-in accelerator (fixture/), and fast sim
# --rtl on it.
file(STRINGS ${CMAKE_CURRENT_LIST_DIR}/cases.txt FAST_SIM_LINES REGEX "^(config|layer|bound) ")
set(FAST_SIM_CONFIGS "")
foreach(line ${FAST_SIM_LINES})
  if(line MATCHES "^config (.*)$")
    list(APPEND FAST_SIM_CONFIGS ${CMAKE_SOURCE_DIR}/${CMAKE_MATCH_1})
  endif()
endforeach()
foreach(line ${FAST_SIM_LINES})
  if(NOT line MATCHES "^layer ([^ ]+) (.*)$")
    continue()
  endif()
  set(name ${CMAKE_MATCH_1})
  separate_arguments(args UNIX_COMMAND "${CMAKE_MATCH_2}")
  set(bound 1)
  foreach(b ${FAST_SIM_LINES})
    if(b MATCHES "^bound ${name} ([0-9.]+)$")
      set(bound ${CMAKE_MATCH_1})
    endif()
  endforeach()
  foreach(arch ${FAST_SIM_CONFIGS})
    get_filename_component(cfg ${arch} NAME_WE)
    # A layer with --global runs on the configurations that have a global memory.
    file(READ ${arch} arch_json)
    string(JSON global_mib GET "${arch_json}" memory global_mib)
    if("--global" IN_LIST args AND global_mib EQUAL 0)
      continue()
    endif()
    add_test(NAME rtl.sim.${cfg}.${name}
             COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/check.sh $<TARGET_FILE:fast> ${arch} ${args})
    set_tests_properties(rtl.sim.${cfg}.${name} PROPERTIES LABELS rtl TIMEOUT 1200
                         SKIP_RETURN_CODE 3 ENVIRONMENT FAST_SIM_MAX_ERROR=${bound})
  endforeach()
endforeach()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/cases.txt
             ${FAST_SIM_CONFIGS})

add_test(NAME rtl.sim_harness
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/test_harness.sh $<TARGET_FILE:fast>
                 ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/rtl/sim_harness)
set_tests_properties(rtl.sim_harness PROPERTIES LABELS rtl TIMEOUT 600 SKIP_RETURN_CODE 3)
