# Install rules for what IT teams and host projects use, and the CMake package config that
# gives a host project `find_package(Concord)` -> the imported target Concord::concord (the C
# library and its include folder). Destinations and components: ConcordInstallDirs.cmake.

# libconcord.so.1 (with its libconcord.so.X.Y.Z file and the libconcord.so link for linkers).
set_target_properties(concord_shared PROPERTIES EXPORT_NAME concord)
install(TARGETS concord_shared EXPORT ConcordTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          COMPONENT ${CONCORD_RUNTIME_COMPONENT}
          NAMELINK_COMPONENT ${CONCORD_DEVELOPMENT_COMPONENT}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT ${CONCORD_RUNTIME_COMPONENT}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# The public C headers are the *.h directly in runtime/include/concord/ (concord.h, and any
# further C header for hosts or plugins placed beside it); the C++ headers in its subfolders
# are the project's own and are not installed.
file(GLOB concord_public_headers CONFIGURE_DEPENDS
     "${PROJECT_SOURCE_DIR}/runtime/include/concord/*.h")
install(FILES ${concord_public_headers}
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/concord
        COMPONENT ${CONCORD_DEVELOPMENT_COMPONENT})

install(TARGETS concord RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        COMPONENT ${CONCORD_TOOLS_COMPONENT})

# The shipped rulesets, without their tests (rulesets/tests) and the folder's build files.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/rulesets/"
        DESTINATION ${CONCORD_INSTALL_RULESETSDIR}
        COMPONENT ${CONCORD_RULESETS_COMPONENT}
        FILES_MATCHING PATTERN "*.concord" PATTERN "*.md"
        PATTERN "tests" EXCLUDE)

# The plugins folder exists even before any plugin is installed, so the service's default
# configuration names a folder that is there.
install(DIRECTORY DESTINATION ${CONCORD_INSTALL_PLUGINDIR}
        COMPONENT ${CONCORD_PLUGINS_COMPONENT})

# concord(1), compressed as Debian policy asks (gzip -n: no timestamp, reproducible).
set(concord_man_source "${PROJECT_SOURCE_DIR}/docs/man/concord.1")
set(concord_man_gz "${PROJECT_BINARY_DIR}/docs/man/concord.1.gz")
find_program(CONCORD_GZIP gzip REQUIRED)
add_custom_command(OUTPUT "${concord_man_gz}"
  COMMAND ${CMAKE_COMMAND} -E make_directory "${PROJECT_BINARY_DIR}/docs/man"
  COMMAND ${CONCORD_GZIP} -9nc "${concord_man_source}" > "${concord_man_gz}"
  DEPENDS "${concord_man_source}"
  COMMENT "Compressing the concord(1) man page"
  VERBATIM)
add_custom_target(concord_man ALL DEPENDS "${concord_man_gz}")
install(FILES "${concord_man_gz}" DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
        COMPONENT ${CONCORD_DOCUMENTATION_COMPONENT})
install(FILES "${PROJECT_SOURCE_DIR}/README.md"
        DESTINATION ${CMAKE_INSTALL_DOCDIR}
        COMPONENT ${CONCORD_DOCUMENTATION_COMPONENT})
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/"
        DESTINATION ${CMAKE_INSTALL_DOCDIR}
        COMPONENT ${CONCORD_DOCUMENTATION_COMPONENT}
        FILES_MATCHING PATTERN "*.md" PATTERN "man" EXCLUDE)
install(FILES "${PROJECT_SOURCE_DIR}/runtime/abi/README.md"
        DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME c-abi.md
        COMPONENT ${CONCORD_DOCUMENTATION_COMPONENT})

# The service: a systemd unit for `concord serve` and its example configuration (a Debian
# conffile). The unit names the installed paths, so it is generated for this prefix.
configure_file("${PROJECT_SOURCE_DIR}/packaging/concord.service.in"
               "${PROJECT_BINARY_DIR}/packaging/concord.service" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/packaging/concord.service"
        DESTINATION ${CONCORD_INSTALL_SYSTEMD_UNITDIR}
        COMPONENT ${CONCORD_SERVICE_COMPONENT})
configure_file("${PROJECT_SOURCE_DIR}/packaging/concord.conf.in"
               "${PROJECT_BINARY_DIR}/packaging/concord.conf" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/packaging/concord.conf"
        DESTINATION ${CONCORD_INSTALL_CONFDIR}
        COMPONENT ${CONCORD_SERVICE_COMPONENT})

# find_package(Concord): the targets, a config that also tells hosts where the shipped
# rulesets and plugins are, and a version file. Concord::concord's ABI only grows within a
# major version (SONAME libconcord.so.1), so any 0.x/1.x of the same major is compatible.
install(EXPORT ConcordTargets NAMESPACE Concord::
        DESTINATION ${CONCORD_INSTALL_CMAKEDIR}
        COMPONENT ${CONCORD_DEVELOPMENT_COMPONENT})
file(STRINGS "${PROJECT_SOURCE_DIR}/runtime/include/concord/concord.h" concord_abi_line
     REGEX "^#define CONCORD_ABI_VERSION [0-9]+$")
string(REGEX REPLACE "^#define CONCORD_ABI_VERSION " "" CONCORD_ABI_VERSION "${concord_abi_line}")
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/ConcordConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/cmake/ConcordConfig.cmake"
  INSTALL_DESTINATION ${CONCORD_INSTALL_CMAKEDIR}
  PATH_VARS CONCORD_INSTALL_RULESETSDIR CONCORD_INSTALL_PLUGINDIR CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/cmake/ConcordConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/cmake/ConcordConfig.cmake"
              "${PROJECT_BINARY_DIR}/cmake/ConcordConfigVersion.cmake"
        DESTINATION ${CONCORD_INSTALL_CMAKEDIR}
        COMPONENT ${CONCORD_DEVELOPMENT_COMPONENT})
