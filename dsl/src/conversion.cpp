#include "conversion.hpp"

#include <cmath>

namespace concord::dsl {
namespace {

namespace x3 = boost::spirit::x3;

// value * scale + offset, reduced bottom-up; the first problem found is the one reported.
class Reducer {
 public:
  explicit Reducer(LinearForm& result) : result_(result) {}

  void sum(const ast::ArithSum& expr, double& scale, double& offset) {
    product(expr.first, scale, offset);
    for (const ast::ArithTerm& term : expr.rest) {
      double s = 0, o = 0;
      product(term.product, s, o);
      const double sign = term.op == '-' ? -1 : 1;
      scale += sign * s;
      offset += sign * o;
    }
  }

 private:
  void product(const ast::ArithProduct& expr, double& scale, double& offset) {
    operand(expr.first, scale, offset);
    for (const ast::ArithStep& step : expr.rest) {
      double s = 0, o = 0;
      operand(step.operand, s, o);
      if (step.op == '*') {
        if (scale != 0 && s != 0)
          fail("nonlinear-conversion", "this conversion multiplies 'value' by itself");
        const double new_scale = scale * o + s * offset;
        offset *= o;
        scale = new_scale;
      } else {
        if (s != 0) {
          fail("nonlinear-conversion", "this conversion divides by 'value'");
        } else if (o == 0) {
          fail("bad-number", "this conversion divides by zero");
        } else {
          scale /= o;
          offset /= o;
        }
      }
    }
  }

  void operand(const ast::ArithOperand& expr, double& scale, double& offset) {
    if (const auto* number = boost::get<double>(&expr.get())) {
      scale = 0;
      offset = *number;
    } else if (boost::get<ast::ValueWord>(&expr.get()) != nullptr) {
      scale = 1;
      offset = 0;
    } else {
      sum(boost::get<x3::forward_ast<ast::ArithSum>>(expr.get()).get(), scale, offset);
    }
  }

  void fail(const char* code, const char* problem) {
    if (!result_.code.empty()) return;
    result_.code = code;
    result_.problem = problem;
  }

  LinearForm& result_;
};

}  // namespace

LinearForm linear_form(const ast::ArithSum& sum) {
  LinearForm result;
  result.at = sum;
  Reducer(result).sum(sum, result.scale, result.offset);
  if (!result.ok()) return result;
  if (!std::isfinite(result.scale) || !std::isfinite(result.offset)) {
    result.code = "bad-number";
    result.problem = "this conversion's numbers are too large";
  } else if (result.scale == 0) {
    result.code = "nonlinear-conversion";
    result.problem = "this conversion does not depend on 'value'";
  }
  return result;
}

}  // namespace concord::dsl
