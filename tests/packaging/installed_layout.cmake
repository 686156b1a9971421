# The staged install holds what hosts and IT teams need, where the docs say it is.
#   -DPREFIX -DLIBDIR -DINCLUDEDIR -DCMAKEDIR -DPLUGINDIR -DMANDIR -DRULESETSDIR -DVERSION
set(problems "")
function(expect what)  # expect(WHAT CONDITION...): note WHAT when the condition is false
  cmake_language(EVAL CODE "if(NOT (${ARGN}))\nset(failed TRUE)\nendif()")
  if(failed)
    set(problems "${problems}  ${what}\n" PARENT_SCOPE)
  endif()
endfunction()

set(lib "${PREFIX}/${LIBDIR}")
expect("${LIBDIR}/libconcord.so.${VERSION}, the library file"
       EXISTS "${lib}/libconcord.so.${VERSION}" AND NOT IS_SYMLINK "${lib}/libconcord.so.${VERSION}")
file(READ_SYMLINK "${lib}/libconcord.so.1" soname_link)
expect("${LIBDIR}/libconcord.so.1 -> libconcord.so.${VERSION} (found '${soname_link}')"
       "${soname_link}" STREQUAL "libconcord.so.${VERSION}")
file(READ_SYMLINK "${lib}/libconcord.so" namelink)
expect("${LIBDIR}/libconcord.so -> libconcord.so.1 (found '${namelink}')"
       "${namelink}" STREQUAL "libconcord.so.1")
expect("${INCLUDEDIR}/concord/concord.h" EXISTS "${PREFIX}/${INCLUDEDIR}/concord/concord.h")
file(GLOB_RECURSE cxx_headers "${PREFIX}/${INCLUDEDIR}/concord/*.hpp")
list(LENGTH cxx_headers cxx_header_count)
expect("no C++ headers (found: ${cxx_headers})" cxx_header_count EQUAL 0)
foreach(f ConcordConfig.cmake ConcordConfigVersion.cmake ConcordTargets.cmake)
  expect("${CMAKEDIR}/${f}" EXISTS "${PREFIX}/${CMAKEDIR}/${f}")
endforeach()
expect("${PLUGINDIR}/, the plugins folder" IS_DIRECTORY "${PREFIX}/${PLUGINDIR}")
expect("${MANDIR}/man1/concord.1.gz" EXISTS "${PREFIX}/${MANDIR}/man1/concord.1.gz")
expect("${RULESETSDIR}/reviews/ltc.concord" EXISTS "${PREFIX}/${RULESETSDIR}/reviews/ltc.concord")
expect("no ruleset tests in ${RULESETSDIR}" NOT EXISTS "${PREFIX}/${RULESETSDIR}/tests")
if(problems)
  message(FATAL_ERROR "the staged install under ${PREFIX} does not match; expected:\n${problems}")
endif()
