# packaging/test-host, configured against the staged install with find_package(Concord),
# built, and run on a sample record with the installed rulesets: it must print a review; then
# again through concord_open_config, with a configuration naming the installed plugin folder
# (the terminology plugin given its refset file) and no rulesets folder, so the library finds
# the shipped rulesets itself.
#   -DPREFIX -DSOURCE -DWORK -DGENERATOR -DC_COMPILER -DSAMPLE -DPLUGINDIR -DREFSETS
file(REMOVE_RECURSE "${WORK}")
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE} -B ${WORK} -G ${GENERATOR}
                        -DCMAKE_C_COMPILER=${C_COMPILER} -DCMAKE_PREFIX_PATH=${PREFIX}
                        -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "configuring the host project failed:\n${out}\n${err}")
endif()
if(NOT out MATCHES "rulesets: ${PREFIX}/")
  message(FATAL_ERROR "find_package(Concord) did not find the staged install:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "building the host project failed:\n${out}\n${err}")
endif()
execute_process(COMMAND ${WORK}/concord_test_host ${SAMPLE} 2021-11-01
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 0 OR NOT out MATCHES "\"kind\":\"merged\"")
  message(FATAL_ERROR "the host (exit ${code}) printed no merged review:\n${out}\n${err}")
endif()
set(merged "${out}")

file(WRITE "${WORK}/concord.conf"
     "[plugins]\nfolder = ${PLUGINDIR}\n\n[plugin.terminology]\nrefsets = ${REFSETS}\n")
execute_process(COMMAND ${WORK}/concord_test_host ${SAMPLE} 2021-11-01 ${WORK}/concord.conf
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 0 OR NOT out STREQUAL merged)
  message(FATAL_ERROR "through concord_open_config the host (exit ${code}) printed another "
                      "result:\n${out}\n${err}\nexpected:\n${merged}")
endif()
