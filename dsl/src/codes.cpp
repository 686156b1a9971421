#include "codes.hpp"

#include <algorithm>
#include <array>

#include "concord/runtime/record.hpp"

namespace concord::dsl {
namespace {

// The Verhoeff check, as the SNOMED CT identifier specification defines it.
bool verhoeff_valid(std::string_view digits) {
  static constexpr std::array<std::array<int, 10>, 10> multiply{{
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
      {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
      {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
      {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
      {4, 0, 1, 2, 3, 9, 5, 6, 7, 8},
      {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
      {6, 5, 9, 8, 7, 1, 0, 4, 3, 2},
      {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
      {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
      {9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
  }};
  static constexpr std::array<std::array<int, 10>, 8> permute{{
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
      {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
      {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
      {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
      {9, 4, 5, 3, 1, 2, 6, 8, 7, 0},
      {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
      {2, 7, 9, 3, 8, 0, 6, 4, 1, 5},
      {7, 0, 4, 6, 9, 1, 3, 2, 5, 8},
  }};
  int check = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const int digit = digits[digits.size() - 1 - i] - '0';
    check = multiply[check][permute[i % 8][digit]];
  }
  return check == 0;
}

}  // namespace

std::optional<std::string> sctid_problem(std::string_view code) {
  if (code.size() < 6 || code.size() > 18 ||
      !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "SNOMED CT concept ids are 6 to 18 digits";
  }
  if (code.front() == '0') return "SNOMED CT ids never start with 0";
  // The two digits before the check digit say what kind of id this is: 00 and 10 are concepts
  // (01/11 descriptions, 02/12 relationships).
  const std::string_view partition = code.substr(code.size() - 3, 2);
  if (partition != "00" && partition != "10") {
    return "this is a SNOMED CT description or relationship id, not a concept id";
  }
  if (!verhoeff_valid(code)) return "its check digit is wrong: is a digit mistyped?";
  return std::nullopt;
}

std::optional<std::string_view> token_for_uri(std::string_view uri) {
  namespace system = runtime::code_system;
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> known{{
      {"http://snomed.info/sct", system::snomed},
      {"http://loinc.org", system::loinc},
      {"http://read.info/readv2", system::read2},
      {"http://read.info/ctv3", system::ctv3},
      {"http://hl7.org/fhir/sid/icd-10", system::icd10},
      {"http://hl7.org/fhir/sid/cvx", system::cvx},
  }};
  for (const auto& [known_uri, token] : known) {
    if (uri == known_uri) return token;
  }
  return std::nullopt;
}

}  // namespace concord::dsl
