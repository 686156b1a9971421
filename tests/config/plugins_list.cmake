# `concord plugins list --config FILE` on a fresh plugin folder: two plugins load, one built
# for another ABI version is refused with the reason, and the exit status is 1.
#   -DCONCORD=exe -DWORK=folder -DPLUGINS=file;file;...
include("${CMAKE_CURRENT_LIST_DIR}/plugin_folder.cmake")
file(WRITE "${WORK}/concord.conf" "[plugins]\nfolder = plugins\n")
execute_process(COMMAND ${CONCORD} plugins list --config "${WORK}/concord.conf"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 1)
  message(FATAL_ERROR "exit status ${code}, expected 1\n${out}${err}")
endif()
foreach(expected
    "loaded   clinical 1.0.0 \\(functions\\)  [^\n]*/plugins/libconcord_clinical.so\n"
    "loaded   fhir_careplan 1.0.0 \\(renderer\\)  [^\n]*/libconcord_fhir_careplan.so\n"
    "refused  [^\n]*/libtest_wrong_abi.so\n         [^\n]*built for plugin ABI version 2"
    "\n2 loaded, 1 refused\n$")
  if(NOT out MATCHES "${expected}")
    message(FATAL_ERROR "output does not match '${expected}':\n${out}")
  endif()
endforeach()
