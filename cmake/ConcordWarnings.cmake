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

# For targets that include Boost.Asio (the CDS Hooks service, its tests, the load generator).
# Asio's handler completions use std::atomic_thread_fence, which ThreadSanitizer does not
# model; GCC 12 says so with -Wtsan, an error under -Werror. The fence only duplicates the
# ordering that Asio's queues already get from their mutexes (which ThreadSanitizer does
# see), and clang's ThreadSanitizer passes over fences in the same way without a word, so
# for GCC the warning is turned off in these targets only: Concord's own code uses no fences,
# and anywhere else a new one would still be reported.
add_library(concord_asio_flags INTERFACE)
if(CONCORD_SANITIZE_THREAD AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(concord_asio_flags INTERFACE -Wno-tsan)
endif()
# Boost.Spirit and Boost.JSON headers are system headers; keep their warnings out of -Werror.
target_compile_definitions(concord_build_flags INTERFACE BOOST_ALL_NO_LIB)
