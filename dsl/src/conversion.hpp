// Unit conversions are arithmetic over `value`; the runtime applies them as value * scale +
// offset, so the checker and the compiler both need the arithmetic reduced to that form.
#pragma once

#include <string>

#include "concord/dsl/ast.hpp"

namespace concord::dsl {

// `(value - 2.15) * 10.929` is value * 10.929 + (-23.49735). When the arithmetic is not of
// that form (value * value, 2 / value, no value at all, a division by zero), `code` and
// `problem` say why and `at` is where the expression starts.
struct LinearForm {
  double scale = 0;
  double offset = 0;
  std::string code;     // "" when linear; "nonlinear-conversion" or "bad-number"
  std::string problem;  // a sentence for the diagnostic
  ast::Located at;
  bool ok() const { return code.empty(); }
};

LinearForm linear_form(const ast::ArithSum& sum);

}  // namespace concord::dsl
