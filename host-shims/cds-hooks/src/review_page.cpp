#include "review_page.hpp"

#include "concord/runtime/view.hpp"

namespace concord::cds::detail {

std::string message_page_html(const std::string& title, const std::string& message) {
  const std::string t = runtime::html_escape(title);
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>" +
         t +
         "</title><style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem "
         "auto;padding:0 1rem}</style></head><body>\n<h1>" +
         t + "</h1>\n<p>" + runtime::html_escape(message) + "</p>\n</body></html>\n";
}

}  // namespace concord::cds::detail
