// `concord serve`: the CDS Hooks service. The rulesets are loaded here, with the language
// front end, and handed to the service as Programs; the service itself never sees their text.
#include <fstream>
#include <iostream>
#include <sstream>

#include "concord/cds/service.hpp"
#include "concord/config/config.hpp"
#include "concord/dsl/library.hpp"
#include "options.hpp"
#include "settings.hpp"

namespace concord::tools {
namespace {

constexpr const char* kSynopsis =
    "concord serve [--config FILE] [--rulesets DIR] [--listen ADDR:PORT] [--public-url URL]\n"
    "              [--issuer ISS=JWKS_FILE]... [--cors-origin ORIGIN]... [--feedback-file FILE]\n"
    "              [--threads N] [--body-limit BYTES] [--time-limit-ms MS] [--date YYYY-MM-DD]\n"
    "              [--locale TAG] [--admin-token-file FILE] [--fhir-ca-file FILE]\n"
    "              [--insecure-dev]";

int usage_error(const std::string& message) {
  std::cerr << "concord serve: " << message << "\nusage: " << kSynopsis << "\n";
  return kExitUsage;
}

// "ADDR:PORT", "[v6]:PORT" or ":PORT".
bool parse_listen(const std::string& text, cds::ServiceOptions& options) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  try {
    std::size_t used = 0;
    const int port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1 || port < 0 || port > 65535) return false;
    options.port = static_cast<unsigned short>(port);
  } catch (const std::exception&) {
    return false;
  }
  options.listen_address = host.empty() ? "0.0.0.0" : host;
  return true;
}

}  // namespace

int command_serve(const std::vector<std::string>& args) {
  po::options_description described("serve options");
  described.add_options()("help,h", "show this help")(
      "config", po::value<std::string>(),
      "configuration file (see docs/configuration.md); options given here override it")(
      "rulesets", po::value<std::string>(), "rulesets folder (default: the shipped rulesets)")(
      "listen", po::value<std::string>(), "address and port (default 127.0.0.1:8080)")(
      "public-url", po::value<std::string>(),
      "the base URL EHRs call (tokens' aud); default http://ADDR:PORT")(
      "issuer", po::value<std::vector<std::string>>(),
      "an EHR allowed to call: ISS=JWKS_FILE (its issuer and its public keys); repeatable")(
      "cors-origin", po::value<std::vector<std::string>>(),
      "a browser origin allowed to call (e.g. https://sandbox.cds-hooks.org), or *; repeatable")(
      "feedback-file", po::value<std::string>(),
      "append-only file of card feedback (default concord-feedback.jsonl)")(
      "threads", po::value<unsigned>(), "worker threads (default: one per core)")(
      "body-limit", po::value<std::size_t>(), "largest request body, bytes (default 4 MiB)")(
      "time-limit-ms", po::value<unsigned>(), "time limit per request (default 5000)")(
      "date", po::value<std::string>(), "evaluate as of this date (default: today)")(
      "locale", po::value<std::string>(), "language of the review page (default en-GB)")(
      "admin-token-file", po::value<std::string>(),
      "a file holding the token that allows POST /admin/reload from other hosts")(
      "fhir-ca-file", po::value<std::string>(),
      "PEM file of CA certificates trusted for https FHIR servers, besides the system's")(
      "insecure-dev", "accept calls without a token (local development only)");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(described).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return usage_error(e.what());
  }
  if (vm.count("help")) {
    std::cout << "usage: " << kSynopsis << "\n\n" << described;
    return kExitOk;
  }
  cds::ServiceOptions options;
  std::vector<std::filesystem::path> rulesets;
  dsl::Extensions extensions;
  // The configuration file first; options on the command line override it.
  if (vm.count("config")) {
    const config::LoadResult loaded = config::load(vm["config"].as<std::string>());
    if (!loaded.config) {
      std::cerr << config::format_problems(loaded.problems);
      return kExitUsage;
    }
    const config::Config& c = *loaded.config;
    rulesets = c.ruleset_folders;
    options.listen_address = c.service.listen_host;
    options.port = c.service.listen_port;
    options.threads = c.service.threads;
    options.body_limit = c.service.body_limit;
    options.time_limit = c.service.time_limit;
    options.review_cache_entries = c.service.review_links;
    options.review_cache_ttl = c.service.review_link_time;
    // No feedback_log: feedback is counted in the metrics but not stored.
    options.feedback_file = c.service.feedback_log.value_or(std::filesystem::path());
    options.fhir_ca_file = c.service.fhir_ca_file.value_or(std::filesystem::path());
    for (const auto& [iss, jwks] : c.auth.jwks)
      options.issuers.push_back({iss, jwks});
    options.public_url = c.auth.audience;
    options.locale = c.locale;
    // Plugins are loaded once, at start; a reload reads the rulesets again with the same ones.
    extensions = config::extensions_from(load_plugins_warning("serve", c),
                                         runtime::plugins::stderr_reporter());
  }
  if (vm.count("listen") && !parse_listen(vm["listen"].as<std::string>(), options)) {
    return usage_error("--listen '" + vm["listen"].as<std::string>() +
                       "' is not ADDR:PORT (e.g. 127.0.0.1:8080)");
  }
  if (vm.count("public-url")) options.public_url = vm["public-url"].as<std::string>();
  if (vm.count("issuer")) {
    for (const auto& item : vm["issuer"].as<std::vector<std::string>>()) {
      const auto eq = item.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == item.size()) {
        return usage_error("--issuer '" + item + "' is not ISS=JWKS_FILE");
      }
      options.issuers.push_back({item.substr(0, eq), item.substr(eq + 1)});
    }
  }
  if (vm.count("cors-origin"))
    options.cors_origins = vm["cors-origin"].as<std::vector<std::string>>();
  if (vm.count("feedback-file")) options.feedback_file = vm["feedback-file"].as<std::string>();
  if (vm.count("fhir-ca-file")) options.fhir_ca_file = vm["fhir-ca-file"].as<std::string>();
  if (vm.count("threads")) options.threads = vm["threads"].as<unsigned>();
  if (vm.count("body-limit")) options.body_limit = vm["body-limit"].as<std::size_t>();
  if (vm.count("time-limit-ms")) {
    options.time_limit = std::chrono::milliseconds(vm["time-limit-ms"].as<unsigned>());
  }
  options.insecure_dev = vm.count("insecure-dev") > 0;
  options.handle_signals = true;
  if (vm.count("date")) {
    options.evaluation_date = runtime::Date::parse_iso(vm["date"].as<std::string>());
    if (!options.evaluation_date) return usage_error("--date is not YYYY-MM-DD");
  }
  if (vm.count("admin-token-file")) {
    std::ifstream in(vm["admin-token-file"].as<std::string>());
    if (!in || !std::getline(in, options.admin_token) || options.admin_token.size() < 16) {
      return usage_error("--admin-token-file: cannot read a token of at least 16 characters from " +
                         vm["admin-token-file"].as<std::string>());
    }
  }
  if (vm.count("locale")) options.locale = vm["locale"].as<std::string>();
  if (vm.count("rulesets")) rulesets = {vm["rulesets"].as<std::string>()};
  if (rulesets.empty()) rulesets = {shipped_rulesets()};
  // Called at start and on every reload; a failed load keeps the Program in service.
  cds::ProgramLoader loader = [rulesets, extensions] {
    cds::LoadedProgram loaded;
    dsl::LoadResult library = dsl::load_library(rulesets, extensions);
    if (!library.ok()) {
      loaded.error = "the rulesets in " + rulesets.front().string() + " have errors:\n" +
                     dsl::format_text(library.diagnostics, library.sources) +
                     "(concord check shows them all)";
      return loaded;
    }
    loaded.program = std::move(library.program);
    return loaded;
  };

  std::string error;
  auto service = cds::Service::create(std::move(options), std::move(loader), error);
  if (!service) {
    std::cerr << "concord serve: " << error << "\n";
    return kExitUsage;
  }
  service->start();
  service->wait();
  std::cerr << "concord serve: stopped\n";
  return kExitOk;
}

}  // namespace concord::tools
