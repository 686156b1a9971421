# `concord plugins list --config FILE` on a fresh plugin folder: two plugins load, one built
# for another ABI version is refused with the reason, and the exit status is 1; then the same
# folder with SHA-256 digests pinned in the configuration.
#   -DCONCORD=exe -DWORK=folder -DPLUGINS=file;file;...
include("${CMAKE_CURRENT_LIST_DIR}/plugin_folder.cmake")
file(WRITE "${WORK}/concord.conf" "[plugins]\nfolder = plugins\n")
execute_process(COMMAND ${CONCORD} plugins list --config "${WORK}/concord.conf"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 1)
  message(FATAL_ERROR "exit status ${code}, expected 1\n${out}${err}")
endif()
foreach(expected
    "loaded   clinical 1.0.0 \\(functions: cha2ds2_vasc, efi\\)  [^\n]*/plugins/libconcord_clinical.so\n"
    "loaded   fhir_careplan 1.0.0 \\(renderer: fhir\\)  [^\n]*/libconcord_fhir_careplan.so\n"
    "refused  [^\n]*/libtest_wrong_abi.so\n         [^\n]*built for plugin ABI version 2"
    "\n2 loaded, 1 refused\n$")
  if(NOT out MATCHES "${expected}")
    message(FATAL_ERROR "output does not match '${expected}':\n${out}")
  endif()
endforeach()

# With a digest pinned for one file, that file loads only if it matches, and every other file
# must be listed too; a file listed that no folder holds is reported as missing.
file(SHA256 "${WORK}/plugins/libconcord_clinical.so" clinical_digest)
file(WRITE "${WORK}/pinned.conf"
     "[plugins]\nfolder = plugins\n[plugins.sha256]\nlibconcord_clinical.so = ${clinical_digest}\n"
     "libconcord_fhir_careplan.so = ${clinical_digest}\n"
     "libconcord_terminology.so = ${clinical_digest}\n")
execute_process(COMMAND ${CONCORD} plugins list --config "${WORK}/pinned.conf"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 1)
  message(FATAL_ERROR "pinned: exit status ${code}, expected 1\n${out}${err}")
endif()
foreach(expected
    "loaded   clinical 1.0.0"
    "refused  [^\n]*/libconcord_fhir_careplan.so\n         [^\n]*has SHA-256 [0-9a-f]+ but the configuration expects ${clinical_digest}"
    "refused  [^\n]*/libtest_wrong_abi.so\n         [^\n]*has no SHA-256 digest in the configuration"
    "missing  \\[plugins.sha256\\] lists libconcord_terminology.so, but it is in none of the plugin folders [^\n]*; install it there, or remove it from the configuration if it is not used\n"
    "\n1 loaded, 2 refused, 1 missing\n$")
  if(NOT out MATCHES "${expected}")
    message(FATAL_ERROR "pinned: output does not match '${expected}':\n${out}")
  endif()
endforeach()
