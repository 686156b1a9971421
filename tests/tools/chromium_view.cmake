# Renders the review view and the letter of one record with `concord run`, loads them in
# headless Chromium, checks the rendered DOM for what the reader relies on, runs the form's
# Bundle builder, and keeps screenshots as test artefacts.
#   -DCONCORD=exe -DRULESETS=dir -DRECORD=file -DDATE=YYYY-MM-DD -DWORK=dir
# Fails (never skips) when Chromium is missing or cannot run.
find_program(CHROMIUM NAMES chromium chromium-browser)
if(NOT CHROMIUM)
  message(FATAL_ERROR "Chromium is not installed, so the review view cannot be checked in a "
          "browser. Install it with: apt-get install -y chromium (scripts/setup.sh does).")
endif()
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

function(render format locale out)
  execute_process(COMMAND ${CONCORD} run --rulesets ${RULESETS} --date ${DATE}
                          --format ${format} --locale ${locale} ${RECORD}
                  OUTPUT_FILE "${out}" ERROR_VARIABLE err RESULT_VARIABLE code)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "concord run --format ${format} failed (${code}): ${err}")
  endif()
endfunction()

# Chromium with no network, no profile and nothing in the background.
set(flags --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
          --disable-background-networking --disable-component-update --disable-sync)
function(chromium out)
  string(RANDOM LENGTH 8 tag)
  set(profile "${WORK}/profile-${tag}")
  execute_process(COMMAND ${CHROMIUM} ${flags} --user-data-dir=${profile} ${ARGN}
                  OUTPUT_VARIABLE dom ERROR_VARIABLE err RESULT_VARIABLE code
                  TIMEOUT 90)
  file(REMOVE_RECURSE "${profile}")
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "Chromium could not run (exit ${code}): ${err}")
  endif()
  set(${out} "${dom}" PARENT_SCOPE)
endfunction()

function(expect dom what)
  foreach(needle IN LISTS ARGN)
    string(FIND "${dom}" "${needle}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "the rendered ${what} lacks: ${needle}")
    endif()
  endforeach()
endfunction()

render(html en-GB "${WORK}/review.html")
render(letter en-GB "${WORK}/letter.html")
render(letter cy "${WORK}/letter-cy.html")

chromium(dom --dump-dom "file://${WORK}/review.html")
expect("${dom}" "review view"
  "<html lang=\"en-GB\">"
  "<h1>Long-term conditions review</h1>"
  "<li>Diabetes <span class=\"muted\">(since 31 December 2010)</span></li>"
  "<li>Hypertension <span class=\"muted\">(since 31 December 2010)</span></li>"
  "<h3>Blood, urine and health checks</h3>"
  "<time datetime=\"2021-11-01\">1 November 2021</time>"
  "<time datetime=\"2021-11-22\">22 November 2021</time>, 30 minutes"
  "What matters most to you about your health at the moment?"
  "<label for=\"goal-1\">Goal 1</label>"
  "<textarea id=\"goal-1\" name=\"goal\""
  "<textarea id=\"action-plan\" name=\"action_plan\""
  "<button type=\"submit\">Make the FHIR Bundle</button>")

chromium(dom --dump-dom "file://${WORK}/letter.html")
expect("${dom}" "letter"
  "<h1>Your results and questions</h1>"
  "Your HbA1c (average blood sugar) was 37.5 mmol/mol on 25 December 2020. Your target is 58 or below."
  "This is within your target."
  "What matters most to you about your health at the moment?"
  "class=\"write\"")

chromium(dom --dump-dom "file://${WORK}/letter-cy.html")
expect("${dom}" "Welsh letter" "<html lang=\"cy\">" "ar 25 Rhagfyr 2020"
  "Beth sydd bwysicaf i chi am eich iechyd ar hyn o bryd?")

# The form's Bundle builder, run in the browser: fill in two goals and a plan, submit, read
# the Bundle from the page and check its references.
file(READ "${WORK}/review.html" page)
string(REPLACE "</body>" "<script>
document.getElementById('goal-1').value = 'Walk to the shop and back';
document.getElementById('goal-3').value = 'Sleep better';
document.getElementById('action-plan').value = 'Walk 10 minutes after lunch\\nNurse to ring in 2 weeks';
document.getElementById('goals-form').requestSubmit();
</script></body>" page "${page}")
file(WRITE "${WORK}/review-filled.html" "${page}")
chromium(dom --dump-dom "file://${WORK}/review-filled.html")
string(REGEX MATCH "<textarea id=\"bundle\"[^>]*>([^<]*)</textarea>" found "${dom}")
if(NOT found OR CMAKE_MATCH_1 STREQUAL "")
  message(FATAL_ERROR "the form made no FHIR Bundle in the browser")
endif()
set(bundle "${CMAKE_MATCH_1}")
string(FIND "${dom}" "<div id=\"bundle-area\" hidden" still_hidden)
if(NOT still_hidden EQUAL -1)
  message(FATAL_ERROR "the Bundle was made but its area was not shown")
endif()
string(REPLACE "&quot;" "\"" bundle "${bundle}")
string(REPLACE "&lt;" "<" bundle "${bundle}")
string(REPLACE "&gt;" ">" bundle "${bundle}")
string(REPLACE "&amp;" "&" bundle "${bundle}")
file(WRITE "${WORK}/bundle.json" "${bundle}")
string(JSON type GET "${bundle}" type)
string(JSON entries LENGTH "${bundle}" entry)
string(JSON goal0 GET "${bundle}" entry 0 fullUrl)
string(JSON plan_goal0 GET "${bundle}" entry 2 resource goal 0 reference)
string(JSON plan_kind GET "${bundle}" entry 2 resource resourceType)
string(JSON step GET "${bundle}" entry 2 resource activity 1 detail description)
string(JSON addresses GET "${bundle}" entry 2 resource addresses 0 reference)
if(NOT type STREQUAL "transaction" OR NOT entries EQUAL 3 OR NOT plan_kind STREQUAL "CarePlan"
   OR NOT goal0 MATCHES "^urn:uuid:[0-9a-f-]+$" OR NOT plan_goal0 STREQUAL goal0
   OR NOT step STREQUAL "Nurse to ring in 2 weeks" OR NOT addresses MATCHES "^Condition/")
  message(FATAL_ERROR "the Bundle made in the browser is not as expected:\n${bundle}")
endif()

# Screenshots, kept as artefacts for a person to look at.
foreach(name review letter letter-cy)
  chromium(ignored --screenshot=${WORK}/${name}.png --window-size=1200,1800
           "file://${WORK}/${name}.html")
  if(NOT EXISTS "${WORK}/${name}.png")
    message(FATAL_ERROR "Chromium made no screenshot of ${name}.html")
  endif()
endforeach()
message(STATUS "screenshots and pages in ${WORK}")
