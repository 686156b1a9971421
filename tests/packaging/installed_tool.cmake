# The installed `concord` reports the release and, with no --rulesets, evaluates with the
# rulesets installed beside it (not the source tree's): a broken file dropped into the
# installed folder must make it fail, naming that folder.
#   -DPREFIX -DBINDIR -DRULESETSDIR -DVERSION -DSAMPLE
set(concord "${PREFIX}/${BINDIR}/concord")
set(rulesets "${PREFIX}/${RULESETSDIR}")

execute_process(COMMAND ${concord} --version OUTPUT_VARIABLE out RESULT_VARIABLE code)
if(NOT code EQUAL 0 OR NOT out STREQUAL "concord ${VERSION}\n")
  message(FATAL_ERROR "`concord --version` gave '${out}' (exit ${code}), expected 'concord ${VERSION}'")
endif()

execute_process(COMMAND ${concord} run --date 2021-11-01 ${SAMPLE}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 0 OR NOT out MATCHES "Long-term conditions review \\(merged\\)")
  message(FATAL_ERROR "installed `concord run` (exit ${code}) printed no merged review:\n${out}\n${err}")
endif()

set(probe "${rulesets}/zz_install_probe.concord")
file(WRITE "${probe}" "ruleset install_probe\n")
execute_process(COMMAND ${concord} run --date 2021-11-01 ${SAMPLE}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
file(REMOVE "${probe}")
if(code EQUAL 0)
  message(FATAL_ERROR "a broken ruleset in ${rulesets} went unnoticed: the installed tool did "
                      "not load the installed rulesets")
endif()
string(FIND "${err}" "${rulesets}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "the error does not name the installed rulesets folder ${rulesets}:\n${err}")
endif()
