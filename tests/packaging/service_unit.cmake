# systemd-analyze verify on the staged concord.service: every directive must parse (systemd
# only warns about a bad value, so any output is a failure). The unit names the installed
# executable, so a copy pointing at the staged one is verified; the Documentation= line is
# dropped because verify runs `man` on it, which knows nothing of the staging folder.
#   -DANALYZE=systemd-analyze -DUNIT=staged unit -DINSTALLED_BINDIR -DSTAGED_BINDIR -DWORK
file(READ "${UNIT}" unit)
string(REPLACE "${INSTALLED_BINDIR}/concord" "${STAGED_BINDIR}/concord" unit "${unit}")
string(REGEX REPLACE "\nDocumentation=[^\n]*" "" unit "${unit}")
file(WRITE "${WORK}/concord.service" "${unit}")
execute_process(COMMAND ${ANALYZE} verify "${WORK}/concord.service"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 0 OR NOT "${out}${err}" STREQUAL "")
  message(FATAL_ERROR "systemd-analyze verify concord.service (exit ${code}):\n${out}${err}")
endif()
