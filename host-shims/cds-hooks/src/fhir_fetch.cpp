#include "fhir_fetch.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

namespace concord::cds::detail {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct Url {
  std::string host, port = "80", target = "/";
};

std::optional<Url> parse_http_url(const std::string& url, std::string& error) {
  constexpr std::string_view kHttp = "http://";
  if (url.starts_with("https://")) {
    error = "https FHIR servers are not supported by this service yet; give the data as prefetch";
    return std::nullopt;
  }
  if (!url.starts_with(kHttp)) {
    error = "fhirServer must be an http:// URL";
    return std::nullopt;
  }
  Url out;
  const std::string rest = url.substr(kHttp.size());
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) out.target = rest.substr(slash);
  if (authority.find('@') != std::string::npos || authority.empty()) {
    error = "fhirServer must name a host (no user information)";
    return std::nullopt;
  }
  const auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    out.port = authority.substr(colon + 1);
    authority.resize(colon);
  }
  out.host = authority;
  return out;
}

}  // namespace

FetchResult fetch_fhir_json(const std::string& url, const std::string& bearer,
                            std::chrono::steady_clock::time_point deadline,
                            std::size_t body_limit) {
  FetchResult result;
  const auto parsed = parse_http_url(url, result.error);
  if (!parsed) return result;

  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  http::request<http::empty_body> request{http::verb::get, parsed->target, 11};
  request.set(http::field::host, parsed->host);
  request.set(http::field::accept, "application/fhir+json");
  request.set(http::field::user_agent, "concord-cds");
  if (!bearer.empty()) request.set(http::field::authorization, "Bearer " + bearer);
  http::response_parser<http::string_body> parser;
  parser.body_limit(body_limit);
  boost::system::error_code failure;

  stream.expires_at(deadline);
  resolver.async_resolve(
      parsed->host, parsed->port, [&](auto ec, tcp::resolver::results_type found) {
        if (ec) {
          failure = ec;
          return;
        }
        stream.async_connect(found, [&](auto ec2, const auto&) {
          if (ec2) {
            failure = ec2;
            return;
          }
          http::async_write(stream, request, [&](auto ec3, std::size_t) {
            if (ec3) {
              failure = ec3;
              return;
            }
            http::async_read(stream, buffer, parser, [&](auto ec4, std::size_t) { failure = ec4; });
          });
        });
      });
  // The resolver has no deadline of its own: run no longer than the time that is left.
  ioc.run_until(deadline + std::chrono::milliseconds(50));
  if (!ioc.stopped()) {
    result.timed_out = true;
    result.error = "the FHIR server did not answer in time";
    return result;
  }
  if (failure == beast::error::timeout) {
    result.timed_out = true;
    result.error = "the FHIR server did not answer in time";
    return result;
  }
  if (failure) {
    result.error = "could not read from the FHIR server: " + failure.message();
    return result;
  }
  const auto& response = parser.get();
  result.http_status = static_cast<int>(response.result_int());
  if (result.http_status != 200) {
    result.error = "the FHIR server answered " + std::to_string(result.http_status);
    return result;
  }
  boost::system::error_code ec;
  boost::json::value document = boost::json::parse(response.body(), ec);
  if (ec) {
    result.error = "the FHIR server's answer is not JSON: " + ec.message();
    return result;
  }
  result.document = std::move(document);
  return result;
}

}  // namespace concord::cds::detail
