// Step three of parse -> check -> compile: a checked library into the immutable Program the
// runtime evaluates. It cannot fail: every error was reported by the checker.
#pragma once

#include "concord/dsl/check.hpp"
#include "concord/runtime/program.hpp"

namespace concord::dsl {

runtime::Program compile(const CheckedLibrary& library);

}  // namespace concord::dsl
