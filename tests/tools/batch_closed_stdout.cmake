# `concord batch ... | head -c 10`: the reader goes away early; batch ends quietly (exit 0,
# nothing on stderr), never by SIGPIPE.   -DCONCORD=exe -DRULESETS=dir -DFOLDER=dir
foreach(jobs 1 2)
  execute_process(COMMAND ${CONCORD} batch --rulesets ${RULESETS} --jobs ${jobs} ${FOLDER}
                  COMMAND head -c 10
                  OUTPUT_QUIET ERROR_VARIABLE err RESULTS_VARIABLE codes TIMEOUT 60)
  list(GET codes 0 code)
  if(NOT code STREQUAL "0" OR NOT err STREQUAL "")
    message(FATAL_ERROR "--jobs ${jobs}: concord batch ended with '${code}'\n${err}")
  endif()
endforeach()
