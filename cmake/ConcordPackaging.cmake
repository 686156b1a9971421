# The Debian package `concord` (CPack DEB): everything ConcordInstall.cmake installs, in one
# package, with the maintainer scripts and conffile list from packaging/debian/. Build it from
# the `package` preset (prefix /usr):
#   cmake --preset package && cmake --build --preset package && cpack --config build/package/CPackConfig.cmake
# packaging/test-package.sh builds, installs, upgrades and purges it.

if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(STATUS "Concord: CMAKE_INSTALL_PREFIX is ${CMAKE_INSTALL_PREFIX}; the Debian "
                 "package is meant to be built with the prefix /usr (cmake --preset package)")
endif()

set(concord_debian "${PROJECT_BINARY_DIR}/packaging/debian")
foreach(script postinst postrm conffiles)
  configure_file("${PROJECT_SOURCE_DIR}/packaging/debian/${script}.in"
                 "${concord_debian}/${script}" @ONLY)
endforeach()
configure_file("${PROJECT_SOURCE_DIR}/packaging/debian/prerm" "${concord_debian}/prerm" COPYONLY)
file(CHMOD "${concord_debian}/postinst" "${concord_debian}/prerm" "${concord_debian}/postrm"
     FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                      WORLD_READ WORLD_EXECUTE)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "concord")
set(CPACK_PACKAGE_VENDOR "Concord")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "one person-centred review in place of many single-condition reminders")
# A release sets the real maintainer address: -DCPACK_PACKAGE_CONTACT="Name <address>".
set(CPACK_PACKAGE_CONTACT "Concord maintainers <maintainers@concord.invalid>" CACHE STRING
    "The package's Maintainer field")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")

set(CPACK_DEBIAN_PACKAGE_NAME "concord")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE "1" CACHE STRING "The Debian revision of the package")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# CPack puts the summary above this as the Description's first line.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Concord turns the single-condition reminders a GP record system raises for a
person with several long-term conditions into one person-centred review: the
tests booked once, a results-and-questions letter, and one conversation that
starts from what matters to the person.
.
This package holds the concord command line (check, run, explain, batch and the
CDS Hooks service), the runtime library libconcord.so.1 with its C header and
CMake package for record systems, the shipped clinical rulesets, the systemd
unit concord.service and its configuration /etc/concord/concord.conf.")
# Shared-library dependencies (Boost 1.81, pugixml, ICU, libstdc++) are computed from the
# binaries by dpkg-shlibdeps; the maintainer scripts need useradd/groupadd (passwd).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${concord_debian}/postinst" "${concord_debian}/prerm" "${concord_debian}/postrm"
    "${concord_debian}/conffiles")
# libconcord.so.1 is a public library: tell dpkg-shlibdeps of other packages about it.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")

include(CPack)
