#include "fhir_fetch.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <type_traits>

namespace concord::cds::detail {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// How long a finished https read waits for the server's close_notify. The answer is complete
// by then, so a slow or missing close costs no more than this and is not an error.
constexpr std::chrono::milliseconds kShutdownGrace{250};

struct Url {
  bool tls = false;
  std::string host;       // without IPv6 brackets: what is resolved and verified
  std::string port;       // 80 or 443 unless given
  std::string authority;  // host[:port] as written: the Host header
  std::string target = "/";
  std::string where() const {
    return host.find(':') != std::string::npos ? "[" + host + "]:" + port : host + ":" + port;
  }
};

std::optional<Url> parse_url(const std::string& url, std::string& error) {
  Url out;
  std::string_view rest;
  if (url.starts_with("https://")) {
    out.tls = true;
    out.port = "443";
    rest = std::string_view(url).substr(8);
  } else if (url.starts_with("http://")) {
    out.port = "80";
    rest = std::string_view(url).substr(7);
  } else {
    error = "fhirServer must be an https:// (or http://) URL";
    return std::nullopt;
  }
  const auto slash = rest.find('/');
  out.authority = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) out.target = std::string(rest.substr(slash));
  std::string_view authority = out.authority;
  if (authority.empty() || authority.find('@') != std::string_view::npos) {
    error = "fhirServer must name a host (no user information)";
    return std::nullopt;
  }
  std::string_view port;
  if (authority.front() == '[') {  // an IPv6 literal: [::1] or [::1]:8443
    const auto close = authority.find(']');
    if (close == std::string_view::npos ||
        (close + 1 < authority.size() && authority[close + 1] != ':')) {
      error = "fhirServer's host is not a valid [IPv6] address";
      return std::nullopt;
    }
    out.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size()) port = authority.substr(close + 2);
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    out.host = std::string(authority.substr(0, colon));
    port = authority.substr(colon + 1);
  } else {
    out.host = std::string(authority);
  }
  if (!port.empty()) {
    unsigned number = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (ec != std::errc() || end != port.data() + port.size() || number == 0 || number > 65535) {
      error = "fhirServer's port is not a number from 1 to 65535";
      return std::nullopt;
    }
    out.port = std::string(port);
  }
  if (out.host.empty()) {
    error = "fhirServer must name a host";
    return std::nullopt;
  }
  return out;
}

// Where one GET got to, for the error message when it stops there.
enum class Step { resolve, connect, handshake, write, read, done };

// One GET's request, response and outcome, shared by the coroutine and the caller.
struct Exchange {
  Url url;
  http::request<http::empty_body> request;
  http::response_parser<http::string_body> parser;
  beast::flat_buffer buffer;
  Step step = Step::resolve;
  boost::system::error_code failure;
  std::string certificate_problem;  // why the server's certificate was refused
  std::string exception;            // what an unexpected exception said
  bool finished = false;
};

template <class Stream>
net::awaitable<void> get(Stream& stream, tcp::resolver& resolver, Exchange& x,
                         Clock::time_point deadline) {
  constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;
  beast::tcp_stream& tcp_layer = beast::get_lowest_layer(stream);
  boost::system::error_code& ec = x.failure;
  // One deadline for every step; the resolver has none of its own (the caller stops waiting).
  tcp_layer.expires_at(deadline);
  const auto found = co_await resolver.async_resolve(x.url.host, x.url.port,
                                                     net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return;
  x.step = Step::connect;
  co_await tcp_layer.async_connect(found, net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return;
  if constexpr (kTls) {
    x.step = Step::handshake;
    co_await stream.async_handshake(ssl::stream_base::client,
                                    net::redirect_error(net::use_awaitable, ec));
    if (ec) co_return;
  }
  x.step = Step::write;
  co_await http::async_write(stream, x.request, net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return;
  x.step = Step::read;
  co_await http::async_read(stream, x.buffer, x.parser,
                            net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return;
  x.step = Step::done;
  if constexpr (kTls) {
    // Close TLS as the protocol asks. The answer is already complete, so whatever happens
    // here (a server that drops the connection without close_notify gives stream_truncated,
    // one that never answers times out) changes nothing.
    tcp_layer.expires_at(std::min(deadline, Clock::now() + kShutdownGrace));
    boost::system::error_code ignored;
    co_await stream.async_shutdown(net::redirect_error(net::use_awaitable, ignored));
  }
}

// Refuses a certificate that does not chain to a trusted CA or is not for the host, keeping
// the reason so that the error can say what failed.
void verify_certificate(beast::ssl_stream<beast::tcp_stream>& stream, Exchange& x) {
  stream.set_verify_callback([&x, matches_host = ssl::host_name_verification(x.url.host)](
                                 bool preverified, ssl::verify_context& context) {
    if (!preverified) {
      X509_STORE_CTX* store = context.native_handle();
      const int error = X509_STORE_CTX_get_error(store);
      const std::string reason = X509_verify_cert_error_string(error);
      switch (error) {
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
          x.certificate_problem =
              "the server's certificate is not signed by a CA this service trusts (" + reason +
              "); if the server uses a site's own CA, give that CA's certificate as "
              "fhir_ca_file (--fhir-ca-file)";
          break;
        default:
          x.certificate_problem = "the server's certificate was refused (" + reason + ")";
      }
      return false;
    }
    if (!matches_host(preverified, context)) {
      x.certificate_problem = "the server's certificate is not issued for the host name '" +
                              x.url.host + "' (a certificate for another host)";
      return false;
    }
    return true;
  });
}

// Runs one GET on its own io_context, no longer than the deadline.
template <class Stream>
void run(Stream& stream, tcp::resolver& resolver, net::io_context& ioc, Exchange& x,
         Clock::time_point deadline) {
  net::co_spawn(ioc, get(stream, resolver, x, deadline), [&x](std::exception_ptr thrown) {
    x.finished = true;
    if (!thrown) return;
    try {
      std::rethrow_exception(thrown);
    } catch (const std::exception& e) {
      x.exception = e.what();
    } catch (...) {
      x.exception = "an unknown error";
    }
  });
  // The resolver has no deadline of its own: run no longer than the time that is left.
  ioc.run_until(deadline + std::chrono::milliseconds(50));
}

std::string describe_failure(const Exchange& x) {
  const std::string where = x.url.where();
  if (!x.exception.empty())
    return "reading from the FHIR server " + where + " failed: " + x.exception;
  switch (x.step) {
    case Step::resolve:
      return "cannot resolve the FHIR server's host name '" + x.url.host +
             "': " + x.failure.message();
    case Step::connect:
      return "cannot connect to the FHIR server " + where + ": " + x.failure.message();
    case Step::handshake:
      if (!x.certificate_problem.empty()) {
        return "TLS with the FHIR server " + where + " failed: " + x.certificate_problem;
      }
      return "the TLS handshake with the FHIR server " + where + " failed (" + x.failure.message() +
             "); check that it serves https on that port";
    case Step::write:
    case Step::read:
    case Step::done:
      break;
  }
  return "could not read from the FHIR server " + where + ": " + x.failure.message();
}

}  // namespace

FhirClient::FhirClient() = default;
FhirClient::~FhirClient() = default;

std::unique_ptr<FhirClient> FhirClient::create(const std::filesystem::path& extra_ca_file,
                                               std::string& error) {
  std::unique_ptr<FhirClient> client(new FhirClient());
  client->tls_ = std::make_unique<ssl::context>(ssl::context::tls_client);
  ssl::context& tls = *client->tls_;
  tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
  tls.set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  tls.set_default_verify_paths(ec);
  if (ec) {
    error = "cannot load the system's CA certificates for https FHIR servers: " + ec.message();
    return nullptr;
  }
  if (!extra_ca_file.empty()) {
    std::error_code fs_error;
    if (!std::filesystem::is_regular_file(extra_ca_file, fs_error) ||
        !std::ifstream(extra_ca_file)) {
      error = "fhir_ca_file (--fhir-ca-file) '" + extra_ca_file.string() +
              "' cannot be read; give a readable PEM file of CA certificates";
      return nullptr;
    }
    tls.load_verify_file(extra_ca_file.string(), ec);
    if (ec) {
      error = "fhir_ca_file (--fhir-ca-file) '" + extra_ca_file.string() +
              "' holds no CA certificate OpenSSL can read (" + ec.message() +
              "); give PEM certificates (-----BEGIN CERTIFICATE-----)";
      return nullptr;
    }
  }
  return client;
}

FetchResult FhirClient::get_json(const std::string& url, const std::string& bearer,
                                 Clock::time_point deadline, std::size_t body_limit,
                                 boost::json::storage_ptr storage) const {
  FetchResult result;
  auto parsed = parse_url(url, result.error);
  if (!parsed) return result;

  net::io_context ioc;
  tcp::resolver resolver(ioc);
  Exchange x;
  x.url = std::move(*parsed);
  x.request.method(http::verb::get);
  x.request.target(x.url.target);
  x.request.version(11);
  x.request.set(http::field::host, x.url.authority);
  x.request.set(http::field::accept, "application/fhir+json");
  x.request.set(http::field::user_agent, "concord-cds");
  if (!bearer.empty()) x.request.set(http::field::authorization, "Bearer " + bearer);
  x.parser.body_limit(body_limit);

  if (x.url.tls) {
    beast::ssl_stream<beast::tcp_stream> stream(ioc, *tls_);
    // SNI names the host; an IP address is not sent (RFC 6066), but is still verified.
    boost::system::error_code not_ip;
    net::ip::make_address(x.url.host, not_ip);
    if (not_ip && !SSL_set_tlsext_host_name(stream.native_handle(), x.url.host.c_str())) {
      result.error = "cannot name the host '" + x.url.host + "' in the TLS handshake (SNI)";
      return result;
    }
    verify_certificate(stream, x);
    run(stream, resolver, ioc, x, deadline);
  } else {
    beast::tcp_stream stream(ioc);
    run(stream, resolver, ioc, x, deadline);
  }

  // A complete answer counts even when closing TLS afterwards did not finish.
  if (x.step != Step::done && (!x.finished || x.failure == beast::error::timeout)) {
    result.timed_out = true;
    result.error = "the FHIR server " + x.url.where() + " did not answer in time";
    return result;
  }
  if (x.step != Step::done) {
    result.error = describe_failure(x);
    return result;
  }
  const auto& response = x.parser.get();
  result.http_status = static_cast<int>(response.result_int());
  if (result.http_status != 200) {
    result.error = "the FHIR server answered " + std::to_string(result.http_status);
    return result;
  }
  boost::system::error_code ec;
  // The same depth as a hook call's body allows (FHIR nests deeper than Boost.JSON's 32).
  boost::json::parse_options options;
  options.max_depth = 64;
  boost::json::value document =
      boost::json::parse(response.body(), ec, std::move(storage), options);
  if (ec) {
    result.error = "the FHIR server's answer is not JSON: " + ec.message();
    return result;
  }
  result.document = std::move(document);
  return result;
}

}  // namespace concord::cds::detail
