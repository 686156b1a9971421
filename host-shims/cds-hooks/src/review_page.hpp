// Internal: the review page a card's link opens, as one self-contained HTML document.
#pragma once

#include <string>

#include "concord/runtime/evaluate.hpp"

namespace concord::cds::detail {

std::string review_page_html(const runtime::Program& program, const runtime::Record& record,
                             const runtime::Evaluation& evaluation);

// A small HTML page with a title and a message (errors, expired reviews).
std::string message_page_html(const std::string& title, const std::string& message);

}  // namespace concord::cds::detail
