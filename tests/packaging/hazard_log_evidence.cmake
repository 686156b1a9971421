# Lists the ctest names of this build, then checks the hazard log's citations against them and
# the source tree.   -DCTEST=ctest -DBUILD=build dir -DPYTHON -DSCRIPT -DSOURCE -DLOG -DWORK
execute_process(COMMAND ${CTEST} --test-dir ${BUILD} -N OUTPUT_FILE ${WORK}/ctest-names.txt
                RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "ctest -N failed (${code})")
endif()
execute_process(COMMAND ${PYTHON} ${SCRIPT} ${SOURCE} ${LOG} ${WORK}/ctest-names.txt
                OUTPUT_VARIABLE out RESULT_VARIABLE code)
message("${out}")
if(NOT code EQUAL 0)
  message(FATAL_ERROR "the hazard log cites tests that do not exist")
endif()
