# Where Concord installs its files, as variables every CMakeLists.txt may use (the install
# rules themselves are in ConcordInstall.cmake, the package in ConcordPackaging.cmake).
#
# Where things go (relative to CMAKE_INSTALL_PREFIX unless absolute; the `package` preset
# uses the prefix /usr, so the conffile lands in /etc and the unit in /lib/systemd/system):
#
#   variable                          default                         component
#   CMAKE_INSTALL_BINDIR              bin            concord          tools
#   CMAKE_INSTALL_LIBDIR              lib[/<arch>]   libconcord.so.1  runtime
#   CMAKE_INSTALL_INCLUDEDIR          include        concord/*.h      development
#   CONCORD_INSTALL_CMAKEDIR          LIBDIR/cmake/Concord            development
#   CONCORD_INSTALL_RULESETSDIR       share/concord/rulesets          rulesets
#   CONCORD_INSTALL_PLUGINDIR         LIBDIR/concord/plugins          plugins
#   CMAKE_INSTALL_MANDIR, DOCDIR      share/man, share/doc/concord    documentation
#   CONCORD_INSTALL_CONFDIR           SYSCONFDIR/concord (/etc/concord)  service
#   CONCORD_INSTALL_SYSTEMD_UNITDIR   /lib/systemd/system (prefix /usr)  service
#
# Loadable plugins install themselves (concord_add_plugin in plugins/CMakeLists.txt) with
#   install(TARGETS my_plugin LIBRARY DESTINATION ${CONCORD_INSTALL_PLUGINDIR}
#           COMPONENT ${CONCORD_PLUGINS_COMPONENT})
# and find the folder at run time from CONCORD_INSTALL_PLUGINDIR_FROM_BINDIR (the path from
# the installed executable's folder, so a relocated prefix still works) or
# CONCORD_INSTALL_FULL_PLUGINDIR (absolute, for the default in the shipped conffile).

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(CONCORD_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/Concord" CACHE STRING
    "Where the CMake package config (ConcordConfig.cmake) is installed")
set(CONCORD_INSTALL_RULESETSDIR "${CMAKE_INSTALL_DATADIR}/concord/rulesets" CACHE STRING
    "Where the shipped rulesets are installed")
set(CONCORD_INSTALL_PLUGINDIR "${CMAKE_INSTALL_LIBDIR}/concord/plugins" CACHE STRING
    "Where loadable plugins are installed")
set(CONCORD_INSTALL_CONFDIR "${CMAKE_INSTALL_FULL_SYSCONFDIR}/concord" CACHE STRING
    "Where the service's configuration file (concord.conf) is installed")
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(concord_default_unitdir "/lib/systemd/system")  # Debian 12's place for packaged units
else()
  set(concord_default_unitdir "lib/systemd/system")   # e.g. /usr/local/lib/systemd/system
endif()
set(CONCORD_INSTALL_SYSTEMD_UNITDIR "${concord_default_unitdir}" CACHE STRING
    "Where the systemd unit concord.service is installed")
set(CONCORD_STATE_DIR "/var/lib/concord" CACHE STRING
    "The service's writable state folder (card feedback)")
set(CONCORD_LOG_DIR "/var/log/concord" CACHE STRING
    "The service's log folder (made by systemd's LogsDirectory=; the journal holds the log)")

set(CONCORD_RUNTIME_COMPONENT runtime)
set(CONCORD_DEVELOPMENT_COMPONENT development)
set(CONCORD_TOOLS_COMPONENT tools)
set(CONCORD_RULESETS_COMPONENT rulesets)
set(CONCORD_PLUGINS_COMPONENT plugins)
set(CONCORD_DOCUMENTATION_COMPONENT documentation)
set(CONCORD_SERVICE_COMPONENT service)

# Absolute forms, and the paths from the installed executable's folder and from the installed
# library's folder, for code that must find installed files at run time.
foreach(dir RULESETSDIR PLUGINDIR)
  if(IS_ABSOLUTE "${CONCORD_INSTALL_${dir}}")
    set(CONCORD_INSTALL_FULL_${dir} "${CONCORD_INSTALL_${dir}}")
  else()
    set(CONCORD_INSTALL_FULL_${dir} "${CMAKE_INSTALL_PREFIX}/${CONCORD_INSTALL_${dir}}")
  endif()
  file(RELATIVE_PATH CONCORD_INSTALL_${dir}_FROM_BINDIR
       "${CMAKE_INSTALL_FULL_BINDIR}" "${CONCORD_INSTALL_FULL_${dir}}")
  file(RELATIVE_PATH CONCORD_INSTALL_${dir}_FROM_LIBDIR
       "${CMAKE_INSTALL_FULL_LIBDIR}" "${CONCORD_INSTALL_FULL_${dir}}")
endforeach()
