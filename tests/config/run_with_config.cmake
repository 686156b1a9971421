# The everyday commands with a configuration file, in a fresh work folder:
#   -DCONCORD=exe -DWORK=folder -DCASE=name -DSAMPLE=record -DSHIPPED=rulesets
#   -DBROKEN=rulesets folder with errors [-DPLUGINS=file;file;...]
# CASE is one of:
#   fhir_bundle        run --format fhir through the configured fhir_careplan plugin
#   fhir_missing       run --format fhir with no renderer plugin installed: exit 2, what to do
#   rulesets_from_file the configuration's rulesets folder is used; --rulesets overrides it
#   locale_from_file   the configuration's locale is used; --locale overrides it
#   extensions         a ruleset's refset and score are resolved by the configured terminology
#                      and clinical plugins (-DTERMINOLOGY=fixture folder)
#   extensions_missing the same ruleset with no plugins: check exits 1 and says what to install
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
elseif(CASE STREQUAL "extensions" OR CASE STREQUAL "extensions_missing")
  file(MAKE_DIRECTORY "${WORK}/rulesets")
  file(WRITE "${WORK}/rulesets/site.concord" [=[ruleset site version "1.0.0"
  title "Site rules over the national refsets"
  source "NICE NG196"

codes hyp_dx = refset "HYP_COD"

condition hypertension "Hypertension"
  present when diagnosis in hyp_dx and score cha2ds2_vasc >= 1

condition high_stroke_risk "Stroke risk 9"
  present when diagnosis in hyp_dx and score cha2ds2_vasc >= 9

check bp "Blood pressure" for hypertension, high_stroke_risk stage tests every 12 months
  done by observation in hyp_dx
]=])
  file(WRITE "${WORK}/concord.conf" "[rulesets]\nfolder = ${WORK}/rulesets\n\n[plugins]\nfolder = ${WORK}/plugins\n\n"
       "[plugin.terminology]\nrefsets = ${TERMINOLOGY}/der2_Refset_SimpleFull_TEST_20210401.txt\n"
       "maps = ${TERMINOLOGY}\n")
  if(CASE STREQUAL "extensions")
    run_concord(0 check --config "${WORK}/concord.conf")
    run_concord(0 run --config "${WORK}/concord.conf" --date 2021-11-01 --format json "${SAMPLE}")
    expect("${out}" "\"conditions\":\\[{\"id\":\"hypertension\"")
    if(out MATCHES "high_stroke_risk\"")
      message(FATAL_ERROR "a score of 9 or more was found for the sample:\n${out}")
    endif()
  else()
    run_concord(1 check --config "${WORK}/concord.conf")
    expect("${err}" "site.concord:5:16: error: refset 'HYP_COD' needs a terminology")
    expect("${err}" "site.concord:8:46: error: score 'cha2ds2_vasc' needs a functions plugin")
    run_concord(2 run --config "${WORK}/concord.conf" --date 2021-11-01 "${SAMPLE}")
  endif()
else()
  message(FATAL_ERROR "unknown CASE '${CASE}'")
endif()
