// What a code or code system must look like, so that a mistyped code is an error at load time
// rather than a check that silently never matches.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace concord::dsl {

// Why `code` is not a SNOMED CT concept id (digits only, 6 to 18 long, a concept partition,
// a valid Verhoeff check digit), or nothing when it is one.
std::optional<std::string> sctid_problem(std::string_view code);

// The short token records use for a well-known code system URI ("http://snomed.info/sct" ->
// "snomed"), or nothing when the URI is not one of them.
std::optional<std::string_view> token_for_uri(std::string_view uri);

}  // namespace concord::dsl
