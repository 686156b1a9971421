# Warning and sanitizer flags for Concord's own targets only (never global flags, so
# third-party headers and code are not held to them).

add_library(concord_build_flags INTERFACE)
target_compile_options(concord_build_flags INTERFACE -Wall -Wextra -Werror)
if(CONCORD_SANITIZE)
  target_compile_options(concord_build_flags INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(concord_build_flags INTERFACE -fsanitize=address,undefined)
endif()
if(CONCORD_FUZZ)
  # Coverage instrumentation for every library a fuzz target reaches (the targets add the
  # libFuzzer driver themselves).
  target_compile_options(concord_build_flags INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  target_link_options(concord_build_flags INTERFACE -fsanitize=address,undefined)
endif()
if(CONCORD_SANITIZE_THREAD)
  target_compile_options(concord_build_flags INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(concord_build_flags INTERFACE -fsanitize=thread)
endif()
# Boost.Spirit and Boost.JSON headers are system headers; keep their warnings out of -Werror.
target_compile_definitions(concord_build_flags INTERFACE BOOST_ALL_NO_LIB)
