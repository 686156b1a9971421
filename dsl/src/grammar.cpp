// The one translation unit that instantiates the Spirit X3 grammar (it is slow to compile).
#include "grammar_def.hpp"

namespace concord::dsl::grammar {

BOOST_SPIRIT_INSTANTIATE(ruleset_file_type, iterator_type, context_type)

ruleset_file_type const& ruleset_file() {
  return ruleset_file_rule;
}

bool is_reserved_word(std::string_view word) {
  return reserved_words.find(std::string(word)) != nullptr;
}

}  // namespace concord::dsl::grammar
