# The installed configuration file passes `concord config check` as shipped, and the plugins
# installed in the plugin folder load from it (a plugin that needs settings, such as the
# terminology one, may be refused for lacking them; the clinical scores need none).
#   -DCONCORD=installed concord -DCONF=installed concord.conf -DPLUGINDIR=installed plugin folder
#   -DWORK=scratch folder
execute_process(COMMAND ${CONCORD} config check ${CONF}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "the shipped ${CONF} fails `concord config check` (exit ${code}):\n${out}${err}")
endif()
file(WRITE "${WORK}/plugins.conf" "[plugins]\nfolder = ${PLUGINDIR}\n")
execute_process(COMMAND ${CONCORD} plugins list --config ${WORK}/plugins.conf
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
foreach(plugin clinical fhir_careplan)
  if(NOT out MATCHES "(^|\n)loaded   ${plugin} ")
    message(FATAL_ERROR "the installed plugin '${plugin}' did not load from ${PLUGINDIR}:\n${out}${err}")
  endif()
endforeach()
