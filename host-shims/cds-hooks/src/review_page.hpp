// Internal: small HTML pages for the review link when there is no review to show (expired or
// unknown). The review itself is rendered by runtime::render_review_html.
#pragma once

#include <string>

namespace concord::cds::detail {

std::string message_page_html(const std::string& title, const std::string& message);

}  // namespace concord::cds::detail
