// A CDS Hooks service call's body, from the bytes on the wire to the card: the JSON parse with
// the service's depth limit, the request's fields, the record gathered from prefetch, the
// evaluation by the shipped rulesets and the card. Every input must end in an error reply
// (an HTTP status and a message) or in a card whose summary keeps to 140 characters; never in
// a crash, a hang or a leak. The FHIR server is never called: a request that names one is
// answered from its prefetch alone.
#include <boost/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "concord/cds/card.hpp"
#include "concord/dsl/library.hpp"
#include "concord/runtime/evaluate.hpp"
#include "hooks.hpp"

namespace {

using namespace concord;
namespace json = boost::json;

const runtime::Program& shipped() {
  static const dsl::LoadResult library = dsl::load_library({CONCORD_SOURCE_RULESETS});
  if (!library.program) __builtin_trap();  // the shipped rulesets must load
  return *library.program;
}

const cds::detail::FhirClient& client() {
  static const std::unique_ptr<cds::detail::FhirClient> made = [] {
    std::string error;
    return cds::detail::FhirClient::create({}, error);
  }();
  if (!made) __builtin_trap();
  return *made;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const runtime::Program& program = shipped();
  // As the service parses a body: into an arena that lives as long as the call.
  json::monotonic_resource arena;
  boost::system::error_code ec;
  std::size_t consumed = 0;
  std::optional<json::value> body = cds::detail::parse_body(
      std::string_view(reinterpret_cast<const char*>(data), size), &arena, consumed, ec);
  if (!body) return 0;  // answered 400 with the position of the error

  // Every service reads the same fields; the first byte chooses which one is called.
  const auto& services = cds::detail::service_defs();
  const auto& service = services[size == 0 ? 0 : data[0] % services.size()];
  cds::detail::HookRequest request;
  if (auto error = cds::detail::read_hook_request(*body, service, request)) {
    if (error->status < 400 || error->status > 599 || error->message.empty()) __builtin_trap();
    return 0;
  }
  request.fhir_server.clear();  // no network in a fuzz run: prefetch only
  request.access_token.clear();
  runtime::Record record;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  if (auto error = cds::detail::gather_record(request, client(), deadline, 4 << 20, record)) {
    if (error->status < 400 || error->status > 599 || error->message.empty()) __builtin_trap();
    return 0;
  }
  const runtime::Evaluation evaluation =
      runtime::evaluate(program, record, *runtime::Date::parse_iso("2021-11-01"));
  if (!evaluation.review) return 0;  // no card
  cds::CardIds ids{"card", "suggestion", request.patient_id, "http://127.0.0.1/review/card"};
  const json::object card = cds::render_card(program, record, evaluation, ids);
  const json::value* summary = card.if_contains("summary");
  if (summary == nullptr || !summary->is_string() ||
      cds::utf8_length(summary->get_string()) >= 140) {
    __builtin_trap();
  }
  (void)json::serialize(card);
  return 0;
}
