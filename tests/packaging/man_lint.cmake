# groff with every warning on (-ww) and no output (-z): any message is a roff mistake.
#   -DGROFF -DPAGE
execute_process(COMMAND ${GROFF} -man -ww -z ${PAGE}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 0 OR NOT "${out}${err}" STREQUAL "")
  message(FATAL_ERROR "groff warns about ${PAGE}:\n${out}${err}")
endif()
