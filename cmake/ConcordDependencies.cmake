# Finds every third-party dependency. Each comes from a Debian 12 package; when one is
# missing, the error names the package to install (scripts/setup.sh installs them all).

function(concord_missing what package)
  message(FATAL_ERROR
    "Concord needs ${what}, which was not found.\n"
    "On Debian 12 install it with:  sudo apt-get install -y ${package}\n"
    "(or run scripts/setup.sh, which installs everything the build needs)")
endfunction()

find_package(Boost 1.81.0 EXACT QUIET CONFIG COMPONENTS json program_options filesystem)
if(NOT Boost_FOUND)
  concord_missing("Boost 1.81 (Spirit X3, JSON, Program Options, Filesystem)"
                  "libboost1.81-all-dev libboost-json1.81-dev")
endif()

# Boost.DLL (plugin loading) is header-only: it needs libdl (CMAKE_DL_LIBS), and runs on
# std::filesystem (BOOST_DLL_USE_STD_FS), so no Boost component is added for it.

# OpenSSL 3: libcrypto for CDS Hooks token signatures and the SHA-256 of plugin files that the
# configuration can pin; libssl for the CDS Hooks service's reads from https FHIR servers.
find_package(OpenSSL 3 QUIET COMPONENTS Crypto SSL)
if(NOT OpenSSL_FOUND)
  concord_missing(
    "OpenSSL 3 (libcrypto: token signatures, plugin digests; libssl: https FHIR reads)"
    "libssl-dev")
endif()

find_package(ICU QUIET COMPONENTS uc i18n)
if(NOT ICU_FOUND)
  concord_missing("ICU" "libicu-dev")
endif()

find_package(pugixml QUIET)
if(NOT pugixml_FOUND)
  concord_missing("pugixml" "libpugixml-dev")
endif()

if(CONCORD_BUILD_TESTS)
  find_package(GTest QUIET)
  if(NOT GTest_FOUND)
    concord_missing("GoogleTest" "libgtest-dev libgmock-dev")
  endif()
endif()

find_package(Threads REQUIRED)
