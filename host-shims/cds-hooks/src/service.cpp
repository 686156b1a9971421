#include "concord/cds/service.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include <array>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#if defined(__GLIBC__)  // defined by the headers above
#include <malloc.h>
#endif

#include "concord/cds/card.hpp"
#include "concord/fhir/read.hpp"
#include "concord/runtime/evaluate.hpp"
#include "concord/runtime/today.hpp"
#include "concord/runtime/view.hpp"
#include "feedback_log.hpp"
#include "hooks.hpp"
#include "metrics.hpp"
#include "review_cache.hpp"
#include "review_page.hpp"

namespace concord::cds {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace json = boost::json;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using Request = http::request<http::string_body>;

// What a route answers, before the HTTP framing and CORS headers are added.
struct Reply {
  http::status status = http::status::ok;
  std::string content_type = "application/json";
  std::string body;
  std::string route = "other";  // the pattern, for metrics
  std::size_t cards = 0;
  std::vector<std::pair<http::field, std::string>> headers;
};

Reply json_reply(http::status status, const json::value& value) {
  Reply reply;
  reply.status = status;
  reply.body = json::serialize(value);
  return reply;
}

// Errors are JSON objects with a message that says what to do.
Reply error_reply(http::status status, const std::string& message) {
  return json_reply(status, json::object{{"error", message}});
}

std::string random_uuid() {
  thread_local boost::uuids::random_generator generator;
  return boost::uuids::to_string(generator());
}

bool is_loopback(const net::ip::address& address) {
  if (address.is_loopback()) return true;
  return address.is_v6() && address.to_v6().is_v4_mapped() &&
         net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6()).is_loopback();
}

}  // namespace

struct Service::Impl {
  ServiceOptions options;
  ProgramLoader loader;
  std::string base_url;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::unique_ptr<TokenVerifier> verifier;
  std::unique_ptr<detail::FhirClient> fhir_client;  // reads what the prefetch lacks
  detail::Metrics metrics;
  detail::FeedbackLog feedback;
  detail::ReviewCache reviews;
  std::optional<net::signal_set> signals;

  std::mutex program_mutex;
  std::shared_ptr<const runtime::Program> program;

  std::mutex stop_mutex;
  std::condition_variable stopped_cv;
  bool stopped = false;

  Impl(ServiceOptions o, ProgramLoader l)
      : options(std::move(o)),
        loader(std::move(l)),
        reviews(options.review_cache_entries, options.review_cache_ttl) {}

  void log(const std::string& line) {
    if (options.log) {
      options.log(line);
    } else {
      // One write per line: standard error is unbuffered, so `line << '\n'` made two.
      const std::string text = line + '\n';
      static std::mutex mutex;
      std::lock_guard lock(mutex);
      std::cerr << text;
    }
  }

  std::shared_ptr<const runtime::Program> current_program() {
    std::lock_guard lock(program_mutex);
    return program;
  }

  std::string reload() {
    LoadedProgram loaded;
    try {
      loaded = loader();
    } catch (const std::exception& e) {
      loaded.error = std::string("the ruleset loader failed: ") + e.what();
    }
    if (!loaded.program) {
      metrics.reload(false);
      const std::string error = loaded.error.empty() ? "the rulesets did not load" : loaded.error;
      log("concord serve: reload failed, the rulesets in service stay: " + error);
      return error;
    }
    metrics.rulesets(loaded.program->rulesets);
    {
      std::lock_guard lock(program_mutex);
      program.swap(loaded.program);
    }
    loaded.program.reset();  // the old Program, unless calls or kept reviews still use it
    metrics.reload(true);
    release_free_memory();
    return {};
  }

  // A reload frees megabytes of small blocks (a Program) in arenas where the calls go on
  // allocating, so the freed pages would stay resident as holes between live blocks; glibc
  // gives them back to the system only when asked. Once per reload, after the last swap.
  static void release_free_memory() {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
  }

  // Every call that reads or returns patient data needs a valid token for its endpoint.
  std::optional<Reply> authorize(const Request& request, std::string_view path) {
    if (options.insecure_dev) return std::nullopt;
    const std::string audience = base_url + std::string(path);
    const auto problem = verifier->verify(request[http::field::authorization], audience,
                                          std::chrono::system_clock::now());
    if (!problem) return std::nullopt;
    Reply reply = error_reply(http::status::unauthorized, problem->message);
    reply.headers.emplace_back(http::field::www_authenticate, "Bearer error=\"invalid_token\"");
    return reply;
  }

  Reply discovery() {
    return json_reply(http::status::ok, detail::discovery_document());
  }

  Reply call_service(const Request& request, const detail::ServiceDef& service,
                     std::string_view path, Clock::time_point deadline) {
    if (auto denied = authorize(request, path)) return *denied;
    // The body's JSON, and the Bundle gathered from it, live in one arena released at once
    // when the call ends: a prefetch is tens of thousands of values, and allocating and
    // freeing each one cost more than parsing, reading and evaluating the record together.
    json::monotonic_resource arena(request.body().size() * 2);
    boost::system::error_code ec;
    std::size_t consumed = 0;
    std::optional<json::value> body = detail::parse_body(request.body(), &arena, consumed, ec);
    if (!body) {
      return error_reply(http::status::bad_request,
                         "malformed JSON in the request body at " +
                             fhir::line_col(request.body(), consumed) + ": " + ec.message() +
                             "; send one JSON object as CDS Hooks 2.0 describes");
    }
    detail::HookRequest hook;
    if (auto error = detail::read_hook_request(*body, service, hook)) {
      return error_reply(static_cast<http::status>(error->status), error->message);
    }
    auto record = std::make_unique<runtime::Record>();
    if (auto error =
            detail::gather_record(hook, *fhir_client, deadline, options.body_limit, *record)) {
      return error_reply(static_cast<http::status>(error->status), error->message);
    }
    if (Clock::now() > deadline) {
      return error_reply(http::status::service_unavailable,
                         "the time limit for this request was reached before evaluation");
    }
    const auto program = current_program();
    const runtime::Date date = options.evaluation_date.value_or(runtime::today_utc());
    const runtime::Evaluation evaluation = runtime::evaluate(*program, *record, date);
    json::array cards;
    if (evaluation.review) {
      CardIds ids;
      ids.card_uuid = random_uuid();
      ids.suggestion_uuid = random_uuid();
      ids.patient_id = hook.patient_id;
      ids.review_url = base_url + "/review/" + ids.card_uuid;
      cards.push_back(render_card(*program, *record, evaluation, ids));
      auto cached = std::make_shared<detail::CachedReview>();
      cached->program = program;
      cached->view = std::make_unique<const runtime::ViewSnapshot>(*record, evaluation);
      reviews.put(ids.card_uuid, std::move(cached), Clock::now());
    }
    Reply reply = json_reply(http::status::ok, json::object{{"cards", std::move(cards)}});
    reply.cards = evaluation.review ? 1 : 0;
    return reply;
  }

  Reply call_feedback(const Request& request, const detail::ServiceDef& service,
                      std::string_view path) {
    if (auto denied = authorize(request, path)) return *denied;
    boost::system::error_code ec;
    const json::value body = json::parse(request.body(), ec);
    if (ec)
      return error_reply(http::status::bad_request,
                         "malformed JSON in the feedback: " + ec.message());
    const json::value* list =
        body.is_object() ? body.get_object().if_contains("feedback") : nullptr;
    if (list == nullptr || !list->is_array()) {
      return error_reply(http::status::bad_request,
                         "/feedback: required (an array of card outcomes)");
    }
    std::vector<detail::FeedbackEntry> entries;
    std::size_t index = 0;
    for (const json::value& item : list->get_array()) {
      const std::string where = "/feedback/" + std::to_string(index++);
      const json::object* o = item.if_object();
      const auto text = [&](std::string_view name) -> std::string {
        const json::value* v = o != nullptr ? o->if_contains(name) : nullptr;
        return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
      };
      detail::FeedbackEntry entry;
      entry.service = service.id;
      entry.card = text("card");
      entry.outcome = text("outcome");
      entry.outcome_timestamp = text("outcomeTimestamp");
      if (entry.card.empty() || entry.card.size() > 64) {
        return error_reply(http::status::bad_request, where + "/card: required, the card's uuid");
      }
      if (entry.outcome != "accepted" && entry.outcome != "overridden") {
        return error_reply(http::status::bad_request,
                           where + "/outcome: must be \"accepted\" or \"overridden\"");
      }
      if (entry.outcome_timestamp.empty() || entry.outcome_timestamp.size() > 40) {
        return error_reply(http::status::bad_request,
                           where + "/outcomeTimestamp: required, an ISO 8601 instant");
      }
      if (const json::value* accepted = o->if_contains("acceptedSuggestions");
          accepted != nullptr && accepted->is_array()) {
        entry.accepted_suggestions = accepted->get_array().size();
      }
      if (const json::value* reason = o->if_contains("overrideReason");
          reason != nullptr && reason->is_object()) {
        const json::value* coding = reason->get_object().if_contains("reason");
        const json::value* code = coding != nullptr && coding->is_object()
                                      ? coding->get_object().if_contains("code")
                                      : nullptr;
        // Only the codes the card offered are kept: a code is never free text.
        if (code != nullptr && code->is_string()) {
          entry.override_reason = is_offered_override_reason(code->get_string())
                                      ? std::string(code->get_string())
                                      : "other";
        }
      }
      entries.push_back(std::move(entry));
    }
    for (const auto& entry : entries) {
      if (!feedback.append(entry)) {
        return error_reply(http::status::service_unavailable,
                           "the feedback could not be stored; try again");
      }
      metrics.feedback(entry.outcome, entry.override_reason);
    }
    Reply reply;
    reply.body = "{}";
    return reply;
  }

  Reply review_page(std::string_view uuid) {
    const auto cached = reviews.get(std::string(uuid), Clock::now());
    Reply reply;
    reply.content_type = "text/html; charset=utf-8";
    reply.headers.emplace_back(http::field::cache_control, "no-store");
    if (!cached) {
      reply.status = http::status::not_found;
      reply.body = detail::message_page_html(
          "Review not found",
          "This review has expired or was never made here. Open the patient's "
          "record again to see the current review.");
      return reply;
    }
    runtime::ViewOptions view;
    view.locale = options.locale;
    reply.body = runtime::render_review_html(*cached->program, cached->view->record(),
                                             cached->view->evaluation(), view);
    return reply;
  }

  Reply admin_reload(const Request& request, const net::ip::address& peer) {
    const bool token_ok = !options.admin_token.empty() &&
                          request[http::field::authorization] == "Bearer " + options.admin_token;
    if (!is_loopback(peer) && !token_ok) {
      return error_reply(http::status::forbidden,
                         "reload is allowed from this host only, or with the admin token");
    }
    const std::string error = reload();
    if (!error.empty()) {
      return json_reply(http::status::internal_server_error,
                        json::object{{"reloaded", false}, {"error", error}});
    }
    json::array loaded;
    for (const auto& r : current_program()->rulesets) {
      loaded.push_back(json::object{{"name", r.name}, {"version", r.version}});
    }
    return json_reply(http::status::ok,
                      json::object{{"reloaded", true}, {"rulesets", std::move(loaded)}});
  }

  Reply route(const Request& request, const net::ip::address& peer, Clock::time_point deadline) {
    std::string_view target = request.target();
    const std::string_view path = target.substr(0, target.find('?'));
    const auto method = request.method();
    constexpr std::string_view kServices = "/cds-services";
    constexpr std::string_view kReview = "/review/";
    Reply reply;
    if (path == kServices || path == "/cds-services/") {
      reply = method == http::verb::get ? discovery() : method_not_allowed("GET");
      reply.route = "/cds-services";
    } else if (path.starts_with("/cds-services/")) {
      std::string_view rest = path.substr(kServices.size() + 1);
      const bool is_feedback = rest.ends_with("/feedback");
      if (is_feedback) rest.remove_suffix(std::string_view("/feedback").size());
      reply.route = is_feedback ? "/cds-services/{id}/feedback" : "/cds-services/{id}";
      const detail::ServiceDef* service = detail::find_service(rest);
      if (service == nullptr) {
        reply = error_reply(http::status::not_found, "no CDS service '" + std::string(rest) +
                                                         "'; GET /cds-services lists them");
      } else if (method != http::verb::post) {
        reply = method_not_allowed("POST");
      } else {
        reply = is_feedback ? call_feedback(request, *service, path)
                            : call_service(request, *service, path, deadline);
      }
      reply.route = is_feedback ? "/cds-services/{id}/feedback" : "/cds-services/{id}";
    } else if (path.starts_with(kReview)) {
      reply = method == http::verb::get ? review_page(path.substr(kReview.size()))
                                        : method_not_allowed("GET");
      reply.route = "/review/{uuid}";
    } else if (path == "/healthz") {
      reply = method == http::verb::get
                  ? json_reply(http::status::ok, json::object{{"status", "ok"}})
                  : method_not_allowed("GET");
      reply.route = "/healthz";
    } else if (path == "/metrics") {
      if (method == http::verb::get) {
        reply.body = metrics.render(reviews.size(), reviews.evicted(), reviews.programs());
        reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
      } else {
        reply = method_not_allowed("GET");
      }
      reply.route = "/metrics";
    } else if (path == "/admin/reload") {
      reply = method == http::verb::post ? admin_reload(request, peer) : method_not_allowed("POST");
      reply.route = "/admin/reload";
    } else {
      reply = error_reply(http::status::not_found,
                          "no such endpoint; GET /cds-services lists the services");
    }
    return reply;
  }

  static Reply method_not_allowed(const char* allowed) {
    Reply reply = error_reply(http::status::method_not_allowed,
                              std::string("this endpoint takes ") + allowed);
    reply.headers.emplace_back(http::field::allow, allowed);
    return reply;
  }

  // The origin to echo in Access-Control-Allow-Origin, or empty when it is not allowed.
  std::string allowed_origin(std::string_view origin) const {
    if (origin.empty()) return {};
    for (const auto& allowed : options.cors_origins) {
      if (allowed == "*") return "*";
      if (allowed == origin) return std::string(origin);
    }
    return {};
  }

  http::response<http::string_body> respond(const Request& request, const net::ip::address& peer,
                                            Clock::time_point started, std::size_t& cards,
                                            std::string& route) {
    Reply reply;
    if (request.method() == http::verb::options) {
      reply.status = http::status::no_content;
      reply.content_type.clear();
      reply.route = "preflight";
    } else {
      try {
        reply = route_request(request, peer, started);
      } catch (const std::exception& e) {
        log(std::string("concord serve: internal error: ") + e.what());
        reply =
            error_reply(http::status::internal_server_error, "internal error; see the service log");
      }
    }
    http::response<http::string_body> response{reply.status, request.version()};
    response.set(http::field::server, "concord");
    if (!reply.content_type.empty()) response.set(http::field::content_type, reply.content_type);
    for (const auto& [field, value] : reply.headers)
      response.set(field, value);
    if (const std::string origin = allowed_origin(request[http::field::origin]); !origin.empty()) {
      response.set(http::field::access_control_allow_origin, origin);
      if (origin != "*") response.set(http::field::vary, "Origin");
      if (request.method() == http::verb::options) {
        response.set(http::field::access_control_allow_methods, "GET, POST, OPTIONS");
        response.set(http::field::access_control_allow_headers, "Authorization, Content-Type");
        response.set(http::field::access_control_max_age, "600");
      }
    }
    response.keep_alive(request.keep_alive());
    response.body() = std::move(reply.body);
    response.prepare_payload();
    cards = reply.cards;
    route = reply.route;
    return response;
  }

  Reply route_request(const Request& request, const net::ip::address& peer,
                      Clock::time_point started) {
    return route(request, peer, started + options.time_limit);
  }

  // One line per request: method, route, status, latency, cards. Never a body or patient id.
  void finish(std::string_view method, const std::string& route, int status,
              Clock::time_point started, std::size_t cards) {
    const std::chrono::duration<double> latency = Clock::now() - started;
    metrics.request(route, status, latency);
    if (cards > 0) metrics.cards(cards);
    char line[256];
    std::snprintf(line, sizeof line, "%.*s %s %d %.2fms cards=%zu%s",
                  static_cast<int>(method.size()), method.data(), route.c_str(), status,
                  latency.count() * 1000, cards,
                  options.insecure_dev ? " [INSECURE: token checks are off]" : "");
    log(line);
  }

  void accept();

  void wait_for_signal(Service& owner) {
    signals->async_wait([this, &owner](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      if (signal != SIGHUP) return owner.stop();
      if (reload().empty()) log("concord serve: rulesets reloaded (SIGHUP)");
      wait_for_signal(owner);
    });
  }

  unsigned short bound_port = 0;
};

namespace {

// One connection: read a request (with the body limit and time limit), answer, and keep the
// connection open while the client asks for keep-alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Service::Impl& service)
      : stream_(std::move(socket)), service_(service) {
    boost::system::error_code ec;
    const auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) peer_ = endpoint.address();
    // A response is written whole, at once: holding back its last partial segment until the
    // client acknowledges the earlier ones (Nagle) only adds a round trip, or the client's
    // delayed-ACK time, to the call.
    stream_.socket().set_option(tcp::no_delay(true), ec);
  }

  void run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(service_.options.body_limit);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(service_.options.time_limit);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  // Beast reads no more at a time than the buffer has room for (512 bytes at least), so a
  // body is read into a buffer made large enough first: a 136 kB prefetch took 267 reads,
  // each a system call and a trip through the executor, and now takes three. The buffer
  // goes back to its small size once the response is written (see write), so connections
  // waiting for their next request hold no large buffer.
  void on_header(beast::error_code ec) {
    if (ec) return on_read(ec);
    if (!parser_->is_done()) {  // a body follows: its length when known, else chunks
      const std::uint64_t length = parser_->content_length().value_or(kBodyReadSize);
      buffer_.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(length, kBodyReadSize)));
    }
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::eof ||
        ec == net::error::connection_reset) {
      return close();
    }
    const Clock::time_point started = Clock::now();
    if (ec == http::error::body_limit) {
      return send_error(http::status::payload_too_large,
                        "the request body is larger than the limit of " +
                            std::to_string(service_.options.body_limit) + " bytes",
                        started);
    }
    if (ec)
      return send_error(http::status::bad_request, "malformed HTTP request: " + ec.message(),
                        started);
    Request request = parser_->release();
    std::size_t cards = 0;
    std::string route;
    auto response = std::make_shared<http::response<http::string_body>>(
        service_.respond(request, peer_, started, cards, route));
    service_.finish(request.method_string(), route, response->result_int(), started, cards);
    write(std::move(response));
  }

  void send_error(http::status status, const std::string& message, Clock::time_point started) {
    auto response = std::make_shared<http::response<http::string_body>>(status, 11);
    response->set(http::field::content_type, "application/json");
    response->body() = json::serialize(json::object{{"error", message}});
    response->keep_alive(false);
    response->prepare_payload();
    service_.finish("-", "other", response->result_int(), started, 0);
    write(std::move(response));
  }

  void write(std::shared_ptr<http::response<http::string_body>> response) {
    stream_.expires_after(service_.options.time_limit);
    http::async_write(stream_, *response,
                      [self = shared_from_this(), response](beast::error_code ec, std::size_t) {
                        if (ec || response->need_eof()) return self->close();
                        self->buffer_.shrink_to_fit();
                        self->read();
                      });
  }

  // Ends the connection gracefully: stop sending, then read and discard what the client still
  // sends (e.g. the rest of a refused body) for a moment, so that closing does not reset the
  // connection before the client has read the response.
  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds(1));
    drain();
  }

  void drain() {
    stream_.async_read_some(net::buffer(discard_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (!ec) self->drain();
                            });
  }

  static constexpr std::size_t kBodyReadSize = 64 * 1024;  // as much as Beast reads at once

  beast::tcp_stream stream_;
  Service::Impl& service_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  net::ip::address peer_;
  std::array<char, 4096> discard_{};
};

}  // namespace

void Service::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) std::make_shared<Session>(std::move(socket), *this)->run();
    accept();
  });
}

Service::Service() = default;
Service::~Service() {
  stop();
  wait();
}

std::unique_ptr<Service> Service::create(ServiceOptions options, ProgramLoader loader,
                                         std::string& error) {
  std::unique_ptr<Service> service(new Service());
  service->impl_ = std::make_unique<Impl>(std::move(options), std::move(loader));
  Impl& impl = *service->impl_;
  if (!impl.options.insecure_dev) {
    if (impl.options.issuers.empty()) {
      error =
          "no token issuers are configured: give each EHR's issuer and JWKS file, or "
          "--insecure-dev for local development (never in production)";
      return nullptr;
    }
    impl.verifier = TokenVerifier::load(impl.options.issuers, error);
    if (!impl.verifier) return nullptr;
  }
  impl.fhir_client = detail::FhirClient::create(impl.options.fhir_ca_file, error);
  if (!impl.fhir_client) return nullptr;
  if (std::string problem = impl.feedback.open(impl.options.feedback_file); !problem.empty()) {
    error = problem;
    return nullptr;
  }
  if (std::string problem = impl.reload(); !problem.empty()) {
    error = problem;
    return nullptr;
  }
  boost::system::error_code ec;
  const auto address = net::ip::make_address(impl.options.listen_address, ec);
  if (ec) {
    error = "listen address '" + impl.options.listen_address + "' is not an IP address";
    return nullptr;
  }
  const tcp::endpoint endpoint(address, impl.options.port);
  impl.acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl.acceptor.bind(endpoint, ec);
  if (!ec) impl.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    error = "cannot listen on " + impl.options.listen_address + ":" +
            std::to_string(impl.options.port) + ": " + ec.message();
    return nullptr;
  }
  const unsigned short port = impl.acceptor.local_endpoint().port();
  impl.bound_port = port;
  impl.base_url = impl.options.public_url;
  while (!impl.base_url.empty() && impl.base_url.back() == '/')
    impl.base_url.pop_back();
  if (impl.base_url.empty()) {
    const std::string host =
        address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    impl.base_url = "http://" + host + ":" + std::to_string(port);
  }
  return service;
}

void Service::start() {
  Impl& impl = *impl_;
  if (impl.options.feedback_file.empty()) {
    impl.log(
        "concord serve: no feedback file is configured: card feedback is counted in the "
        "metrics but not stored");
  }
  if (impl.options.insecure_dev) {
    impl.log(
        "concord serve: WARNING: --insecure-dev: calls are accepted WITHOUT checking the "
        "EHR's token. Never use this with real patient data.");
  }
  if (impl.options.handle_signals) {
    impl.signals.emplace(impl.ioc, SIGHUP, SIGINT, SIGTERM);
    impl.wait_for_signal(*this);
  }
  impl.accept();
  unsigned count =
      impl.options.threads != 0 ? impl.options.threads : std::thread::hardware_concurrency();
  if (count == 0) count = 1;
  for (unsigned i = 0; i < count; ++i)
    impl.threads.emplace_back([&impl] { impl.ioc.run(); });
  impl.log("concord serve: listening on " + impl.base_url + " (" + std::to_string(count) +
           " threads); discovery at " + impl.base_url + "/cds-services");
}

void Service::stop() {
  Impl& impl = *impl_;
  net::post(impl.ioc, [&impl] {
    boost::system::error_code ignored;
    impl.acceptor.close(ignored);
    if (impl.signals) impl.signals->cancel(ignored);
  });
  impl.ioc.stop();
  std::lock_guard lock(impl.stop_mutex);
  impl.stopped = true;
  impl.stopped_cv.notify_all();
}

void Service::wait() {
  Impl& impl = *impl_;
  {
    std::unique_lock lock(impl.stop_mutex);
    impl.stopped_cv.wait(lock, [&] { return impl.stopped; });
  }
  for (auto& thread : impl.threads) {
    if (thread.joinable() && thread.get_id() != std::this_thread::get_id()) thread.join();
  }
}

unsigned short Service::port() const {
  return impl_->bound_port;
}

const std::string& Service::base_url() const {
  return impl_->base_url;
}

std::string Service::reload() {
  return impl_->reload();
}

}  // namespace concord::cds
