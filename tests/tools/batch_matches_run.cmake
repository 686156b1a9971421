# `concord batch --jobs 2 FOLDER` prints, in input order, exactly what `concord run --format
# json` prints for the folder's files one by one; and its summary counts them.
#   -DCONCORD=exe -DRULESETS=dir -DFOLDER=dir
file(GLOB files LIST_DIRECTORIES false "${FOLDER}/*")
list(SORT files)
list(LENGTH files count)
execute_process(COMMAND ${CONCORD} run --rulesets ${RULESETS} --date 2021-11-01 --format json ${files}
                OUTPUT_VARIABLE expected RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "concord run exited ${code}")
endif()
set(summary "${CMAKE_CURRENT_BINARY_DIR}/batch-summary.json")
execute_process(COMMAND ${CONCORD} batch --rulesets ${RULESETS} --date 2021-11-01 --jobs 2
                        --summary ${summary} ${FOLDER}
                OUTPUT_VARIABLE actual ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "concord batch exited ${code}\n${err}")
endif()
string(REGEX MATCHALL "\n" newlines "${actual}")
list(LENGTH newlines lines)
if(NOT lines EQUAL count)
  message(FATAL_ERROR "concord batch printed ${lines} lines for ${count} files")
endif()
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "concord batch differs from concord run over ${FOLDER}")
endif()
file(READ "${summary}" totals)
string(JSON read GET "${totals}" records_read)
string(JSON failed GET "${totals}" records_failed)
if(NOT read EQUAL count OR NOT failed EQUAL 0)
  message(FATAL_ERROR "summary: records_read ${read}, records_failed ${failed}\n${totals}")
endif()
