# The everyday commands with a configuration file, in a fresh work folder:
#   -DCONCORD=exe -DWORK=folder -DCASE=name -DSAMPLE=record -DSHIPPED=rulesets
#   -DBROKEN=rulesets folder with errors [-DPLUGINS=file;file;...]
# CASE is one of:
#   fhir_bundle        run --format fhir through the configured fhir_careplan plugin
#   fhir_missing       run --format fhir with no renderer plugin installed: exit 2, what to do
#   rulesets_from_file the configuration's rulesets folder is used; --rulesets overrides it
#   locale_from_file   the configuration's locale is used; --locale overrides it
include("${CMAKE_CURRENT_LIST_DIR}/plugin_folder.cmake")

function(run_concord expect_code)
  execute_process(COMMAND ${CONCORD} ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err
                  RESULT_VARIABLE code)
  if(NOT code EQUAL expect_code)
    message(FATAL_ERROR "concord ${ARGN}: exit status ${code}, expected ${expect_code}\n${out}${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
endfunction()

function(expect text pattern)
  if(NOT text MATCHES "${pattern}")
    message(FATAL_ERROR "output does not match '${pattern}':\n${text}")
  endif()
endfunction()

if(CASE STREQUAL "fhir_bundle" OR CASE STREQUAL "fhir_missing")
  file(WRITE "${WORK}/concord.conf" "[rulesets]\nfolder = ${SHIPPED}\n\n[plugins]\nfolder = plugins\n")
  if(CASE STREQUAL "fhir_bundle")
    run_concord(0 run --config "${WORK}/concord.conf" --date 2021-11-01 --format fhir "${SAMPLE}")
    expect("${out}" "^{\"resourceType\":\"Bundle\"")
    expect("${out}" "\"resource\":{\"resourceType\":\"CarePlan\"")
    expect("${out}" "\"title\":\"Long-term conditions review\"")
  else()
    run_concord(2 run --config "${WORK}/concord.conf" --date 2021-11-01 --format fhir "${SAMPLE}")
    expect("${err}" "Install the fhir_careplan plugin \\(libconcord_fhir_careplan.so\\)")
    expect("${err}" "looked in: the plugin folders [^\n]*/plugins \\(from [^\n]*/concord.conf\\)")
    if(NOT out STREQUAL "")
      message(FATAL_ERROR "expected no output, got:\n${out}")
    endif()
  endif()
elseif(CASE STREQUAL "rulesets_from_file")
  file(WRITE "${WORK}/concord.conf" "[rulesets]\nfolder = ${BROKEN}\n")
  run_concord(2 run --config "${WORK}/concord.conf" --date 2021-11-01 "${SAMPLE}")
  expect("${err}" "the rulesets in [^\n]*rulesets have errors")
  run_concord(1 check --config "${WORK}/concord.conf")
  expect("${err}" "unknown_value_set.concord")
  run_concord(0 run --config "${WORK}/concord.conf" --rulesets "${SHIPPED}" --date 2021-11-01
              "${SAMPLE}")
  expect("${out}" "Long-term conditions review \\(merged\\)")
elseif(CASE STREQUAL "locale_from_file")
  file(WRITE "${WORK}/concord.conf" "[rulesets]\nlocale = cy\n")
  run_concord(0 run --config "${WORK}/concord.conf" --date 2021-11-01 --format letter "${SAMPLE}")
  expect("${out}" "<html lang=\"cy\"")
  run_concord(0 run --config "${WORK}/concord.conf" --locale en-GB --date 2021-11-01
              --format letter "${SAMPLE}")
  expect("${out}" "<html lang=\"en-GB\"")
else()
  message(FATAL_ERROR "unknown CASE '${CASE}'")
endif()
