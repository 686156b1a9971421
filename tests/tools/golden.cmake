# Runs the concord command line and compares one of its output streams with a golden file.
#   -DCONCORD=exe -DARGS=a;b;c -DGOLDEN=file [-DSTREAM=stdout|stderr] [-DEXPECT_EXIT=n]
#   [-DSTRIP=prefix]    (removed from the output, so golden files hold no machine paths)
# Set UPDATE_GOLDEN=1 in the environment to rewrite the golden file instead (then review
# the diff): UPDATE_GOLDEN=1 ctest -R cli.
if(NOT STREAM)
  set(STREAM stdout)
endif()
execute_process(COMMAND ${CONCORD} ${ARGS}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
if(STREAM STREQUAL "stderr")
  set(actual "${err}")
else()
  set(actual "${out}")
endif()
if(STRIP)
  string(REPLACE "${STRIP}" "" actual "${actual}")
endif()
if(DEFINED EXPECT_EXIT AND NOT code EQUAL EXPECT_EXIT)
  message(FATAL_ERROR "exit status ${code}, expected ${EXPECT_EXIT}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if("$ENV{UPDATE_GOLDEN}" STREQUAL "1")
  file(WRITE "${GOLDEN}" "${actual}")
  message(STATUS "updated ${GOLDEN}")
  return()
endif()
file(READ "${GOLDEN}" expected)
if(NOT actual STREQUAL expected)
  file(WRITE "${GOLDEN}.actual" "${actual}")
  message(FATAL_ERROR "output differs from ${GOLDEN}\n"
          "actual output written to ${GOLDEN}.actual; compare with: diff ${GOLDEN} ${GOLDEN}.actual\n"
          "if the change is intended: UPDATE_GOLDEN=1 ctest -R cli. and review the diff")
endif()
