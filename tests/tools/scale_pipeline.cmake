# The local form of the distributed run in docs/scale.md: an NDJSON stream split into two
# shards by person with awk, two `concord batch -` run in parallel, their outputs joined. The
# sharded output must hold the same lines as one run over the whole stream (sorted, since
# shards finish in any order), and stderr, not a terminal here, must carry no progress line.
#   cmake -DCONCORD=exe -DPEOPLE=people.ndjson -DWORK=dir -P scale_pipeline.cmake
foreach(var CONCORD PEOPLE WORK)
  if(NOT ${var})
    message(FATAL_ERROR "scale_pipeline.cmake: -D${var}= is required")
  endif()
endforeach()
find_program(SH sh REQUIRED)
find_program(AWK awk REQUIRED)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

# Ten copies of the fixture's people under new ids make a population of 30. The fixture's
# malformed line is left out: its warning names a line number, which differs in a shard.
file(STRINGS "${PEOPLE}" lines)
set(people "")
foreach(line IN LISTS lines)
  string(JSON type ERROR_VARIABLE bad GET "${line}" resourceType)
  if(NOT bad)
    string(APPEND people "${line}\n")
  endif()
endforeach()
set(stream "")
foreach(copy RANGE 1 10)
  string(REPLACE "\"p" "\"s${copy}p" renamed "${people}")
  string(REPLACE "Patient/p" "Patient/s${copy}p" renamed "${renamed}")
  string(APPEND stream "${renamed}")
endforeach()
file(WRITE "${WORK}/all.ndjson" "${stream}")

# The pipeline exactly as docs/scale.md gives it.
file(WRITE "${WORK}/pipeline.sh" [=[
set -eu
concord=$1
awk '/"resourceType" *: *"Patient"/ { n++ } { print > ("shard" (n % 2) ".ndjson") }' all.ndjson
"$concord" batch --date 2026-01-01 - < shard0.ndjson > out0.jsonl 2> err0.txt &
first=$!
"$concord" batch --date 2026-01-01 - < shard1.ndjson > out1.jsonl 2> err1.txt &
second=$!
wait $first
wait $second
cat out0.jsonl out1.jsonl > sharded.jsonl
"$concord" batch --date 2026-01-01 - < all.ndjson > single.jsonl 2> err.txt
]=])
execute_process(COMMAND ${SH} pipeline.sh "${CONCORD}" WORKING_DIRECTORY "${WORK}"
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "the pipeline failed (${code}):\n${out}${err}")
endif()

function(sorted_lines file out_var)
  file(STRINGS "${WORK}/${file}" lines)
  list(SORT lines)
  set(${out_var} "${lines}" PARENT_SCOPE)
endfunction()
sorted_lines(single.jsonl single)
sorted_lines(sharded.jsonl sharded)
list(LENGTH single people_out)
if(NOT people_out EQUAL 30)
  message(FATAL_ERROR "one run over the stream gave ${people_out} lines, expected 30")
endif()
file(STRINGS "${WORK}/shard0.ndjson" shard0)
file(STRINGS "${WORK}/shard1.ndjson" shard1)
if(NOT shard0 OR NOT shard1)
  message(FATAL_ERROR "awk did not split the stream into two shards")
endif()
if(NOT single STREQUAL sharded)
  message(FATAL_ERROR "the two shards' output differs from one run's (see ${WORK})")
endif()
foreach(err err.txt err0.txt err1.txt)
  file(READ "${WORK}/${err}" text)
  if(NOT text STREQUAL "")
    message(FATAL_ERROR "stderr not empty when it is not a terminal (${err}):\n${text}")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK}")
