// `concord::cds`: an HL7 CDS Hooks 2.0 service over HTTP/1.1 (Boost.Beast). It answers
// discovery, evaluates the prefetched (or fetched) record with the current Program and returns
// one card for the person's review, records feedback, and serves health, metrics and the
// review page. It never sees ruleset text: the caller hands it a function that loads Programs.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "concord/cds/jwt.hpp"
#include "concord/runtime/date.hpp"
#include "concord/runtime/program.hpp"

namespace concord::cds {

struct ServiceOptions {
  std::string listen_address = "127.0.0.1";
  unsigned short port = 8080;  // 0: any free port (see Service::port)
  // The base URL the EHR calls (and the audience its tokens name, with the endpoint's path),
  // e.g. "https://cds.example.org". Empty: http://<listen_address>:<port>.
  std::string public_url;
  unsigned threads = 0;  // 0: one per core
  std::size_t body_limit = 4u << 20;
  std::chrono::milliseconds time_limit{5000};  // per request, reading to response
  std::vector<Issuer> issuers;                 // EHRs whose tokens are accepted
  std::filesystem::path feedback_file = "concord-feedback.jsonl";  // empty: not stored
  bool insecure_dev = false;              // accept calls without a token (development only)
  std::vector<std::string> cors_origins;  // allowed browser origins; "*" allows any
  std::string admin_token;                // also allows /admin/reload from other hosts
  // CA certificates (PEM) trusted for https FHIR servers besides the system's, e.g. a site's
  // own CA. Empty: the system's only. Checked at create(): it must be readable.
  std::filesystem::path fhir_ca_file;
  std::string locale = "en-GB";                  // of the review page
  std::optional<runtime::Date> evaluation_date;  // a fixed date (demos, tests); default today
  // The reviews behind the cards, kept for the page each card links to (a few kilobytes each):
  // the newest this many, for this long. A link whose review is gone shows a page that says so.
  std::size_t review_cache_entries = 10000;
  std::chrono::seconds review_cache_ttl{3600};
  bool handle_signals = false;  // SIGHUP reloads, SIGINT and SIGTERM stop (the command line)
  // Where log lines go (one call per line, no patient data); default standard error.
  std::function<void(const std::string&)> log;
};

// What a Program loader gives back: the Program, or why it could not be built.
struct LoadedProgram {
  std::shared_ptr<const runtime::Program> program;
  std::string error;
};
using ProgramLoader = std::function<LoadedProgram()>;

class Service {
 public:
  // Loads the first Program, the issuers' keys and the feedback file, and binds the listening
  // socket. On failure returns null and sets `error` (what, and what to do).
  static std::unique_ptr<Service> create(ServiceOptions options, ProgramLoader loader,
                                         std::string& error);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  void start();  // runs the worker threads; returns at once
  void stop();   // stops accepting and ends the threads
  void wait();   // blocks until stopped (by stop() or a signal)

  unsigned short port() const;
  const std::string& base_url() const;

  // Loads the rulesets again; the Program in service keeps serving when it fails. Returns
  // the error, or an empty string on success.
  std::string reload();

  struct Impl;  // the implementation (service.cpp)

 private:
  Service();
  std::unique_ptr<Impl> impl_;
};

}  // namespace concord::cds
