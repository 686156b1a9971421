# GP2GP extracts often carry a SNOMED CT description id where the concept id belongs, so their
# problems match no register until the terminology plugin knows the descriptions. With the
# descriptions named in the same people's GP Connect records, each of the 11 NHS test patients
# must be on the same registers from their GP2GP extract as from their GP Connect record; and
# without them, the GP2GP extracts must put at least one person on fewer, or the test proves
# nothing.
#   -DCONCORD=exe -DWORK=folder -DSHIPPED=rulesets -DTERMINOLOGY=fixture folder
#   -DSHARED=shared data folder -DPLUGINS=terminology plugin
include("${CMAKE_CURRENT_LIST_DIR}/plugin_folder.cmake")

file(WRITE "${WORK}/concord.conf"
     "[rulesets]\nfolder = ${SHIPPED}\n\n[plugins]\nfolder = ${WORK}/plugins\n\n"
     "[plugin.terminology]\ndescriptions = "
     "${TERMINOLOGY}/sct2_Description_Snapshot-en_TEST_20210602.txt\n")

# The register ids in a contract JSON output, e.g. "asthma,hypertension".
function(registers config record out_var)
  execute_process(COMMAND ${CONCORD} run ${config} --date 2021-06-02 --format json "${record}"
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "concord run ${config} ${record}: exit status ${code}\n${err}")
  endif()
  string(REGEX MATCH "\"conditions\":\\[[^]]*\\]" conditions "${out}")
  string(REGEX MATCHALL "{\"id\":\"[a-z_0-9]+\"" ids "${conditions}")
  list(TRANSFORM ids REPLACE "{\"id\":\"([a-z_0-9]+)\"" "\\1")
  list(SORT ids)
  string(JOIN "," joined ${ids})
  set(${out_var} "${joined}" PARENT_SCOPE)
endfunction()

file(GLOB extracts "${SHARED}/gp2gp/*.xml")
list(LENGTH extracts people)
if(NOT people EQUAL 11)
  message(FATAL_ERROR "expected the 11 NHS test patients' extracts in ${SHARED}/gp2gp, found ${people}")
endif()
set(failures "")
set(on_registers 0)
set(fewer_without 0)
foreach(extract ${extracts})
  get_filename_component(person "${extract}" NAME_WE)
  registers("--config;${WORK}/concord.conf" "${extract}" from_gp2gp)
  registers("--config;${WORK}/concord.conf" "${SHARED}/gpconnect/${person}.json" from_gpconnect)
  registers("--rulesets;${SHIPPED}" "${extract}" without_descriptions)
  message(STATUS "${person}: GP2GP [${from_gp2gp}] GP Connect [${from_gpconnect}] "
                 "GP2GP without descriptions [${without_descriptions}]")
  if(NOT from_gp2gp STREQUAL from_gpconnect)
    string(APPEND failures "\n  ${person}: GP2GP [${from_gp2gp}], GP Connect [${from_gpconnect}]")
  endif()
  if(NOT from_gp2gp STREQUAL "")
    math(EXPR on_registers "${on_registers} + 1")
  endif()
  if(NOT without_descriptions STREQUAL from_gp2gp)
    math(EXPR fewer_without "${fewer_without} + 1")
  endif()
endforeach()
if(failures)
  message(FATAL_ERROR "the registers differ between the two records of:${failures}")
endif()
if(on_registers EQUAL 0 OR fewer_without EQUAL 0)
  message(FATAL_ERROR "no person is on a register (${on_registers}), or the descriptions change "
                      "no one's registers (${fewer_without}): the test checks nothing")
endif()
