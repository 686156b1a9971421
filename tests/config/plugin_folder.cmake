# A fresh work folder WORK with a plugins/ folder holding copies of PLUGINS, folder and files
# mode 0755 (the loader refuses anything writable by others). Included by the scripts here.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/plugins")
set(mode OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
file(CHMOD "${WORK}/plugins" PERMISSIONS ${mode})
foreach(plugin ${PLUGINS})
  file(COPY "${plugin}" DESTINATION "${WORK}/plugins" FILE_PERMISSIONS ${mode})
endforeach()
