// Evaluation per record, excluding parsing: the runtime's hot path.
#include <benchmark/benchmark.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "concord/dsl/library.hpp"
#include "concord/fhir/read.hpp"
#include "concord/runtime/evaluate.hpp"
#include "concord/runtime/view.hpp"

namespace {

using namespace concord;

const runtime::Program& shipped() {
  static const dsl::LoadResult library = dsl::load_library({CONCORD_SOURCE_RULESETS});
  if (!library.ok()) throw std::runtime_error("the shipped rulesets do not compile");
  return *library.program;
}

const std::string kSample =
    std::string(CONCORD_TEST_DATA) + "/synthea/cd9e9826-aea1-4682-adc0-c1d97633bf31.json";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const runtime::Record& synthea_record() {
  static const runtime::Record record = fhir::read_json(slurp(kSample), "sample").records.at(0);
  return record;
}

// A multimorbid person: five diagnoses (two on the shipped register, three that are not)
// and `observations` coded entries spread over ten years, most of them codes no ruleset
// knows (as in a real record), some of them the care processes.
runtime::Record synthetic(int observations) {
  using runtime::Code;
  runtime::Record r;
  r.id = "synthetic";
  const char* dx[] = {"44054006", "38341003", "195967001", "49436004", "13645005"};
  for (const char* code : dx) {
    runtime::Diagnosis d;
    d.id = code;
    d.codes = {Code(runtime::code_system::snomed, code)};
    d.onset = runtime::RecordedDate{*runtime::Date::from_ymd(2012, 3, 1)};
    r.diagnoses.push_back(d);
  }
  const char* known[] = {"999791000000106", "271649006", "1005671000000105", "60621009"};
  const auto start = runtime::Date::from_ymd(2016, 1, 1)->days();
  for (int i = 0; i < observations; ++i) {
    runtime::Event e;
    e.id = "obs" + std::to_string(i);
    const bool care_process = i % 5 == 0;
    e.codes = {care_process
                   ? Code(runtime::code_system::snomed, known[i % 4])
                   : Code(runtime::code_system::loinc, std::to_string(10000 + i % 300) + "-1")};
    e.date = runtime::RecordedDate{runtime::Date::from_days(start + (i * 3650) / observations)};
    e.quantity = runtime::Quantity{5.0 + i % 7, "mmol/L"};
    r.events.push_back(std::move(e));
  }
  return r;
}

void evaluate_record(benchmark::State& state, const runtime::Record& record) {
  const runtime::Program& program = shipped();
  const auto date = *runtime::Date::parse_iso("2021-11-01");
  for (auto _ : state) {
    runtime::Evaluation e = runtime::evaluate(program, record, date);
    benchmark::DoNotOptimize(e);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["facts"] = static_cast<double>(record.events.size() + record.diagnoses.size() +
                                                record.medications.size());
}

void BM_EvaluateSyntheaRecord(benchmark::State& state) {
  evaluate_record(state, synthea_record());
}
BENCHMARK(BM_EvaluateSyntheaRecord);

void BM_EvaluateTypicalMultimorbid200(benchmark::State& state) {
  static const runtime::Record record = synthetic(200);
  evaluate_record(state, record);
}
BENCHMARK(BM_EvaluateTypicalMultimorbid200);

void BM_EvaluateLarge2000(benchmark::State& state) {
  static const runtime::Record record = synthetic(2000);
  evaluate_record(state, record);
}
BENCHMARK(BM_EvaluateLarge2000);

// The language front end: read, parse, check and compile the whole shipped library.
void BM_LoadShippedLibrary(benchmark::State& state) {
  for (auto _ : state) {
    auto library = dsl::load_library({CONCORD_SOURCE_RULESETS});
    if (!library.ok()) state.SkipWithError("the shipped rulesets do not compile");
    benchmark::DoNotOptimize(library);
  }
}
BENCHMARK(BM_LoadShippedLibrary)->Unit(benchmark::kMillisecond);

// The review view of the sample record, as the CDS Hooks service renders it for a card's link.
void BM_RenderReviewHtml(benchmark::State& state) {
  const runtime::Program& program = shipped();
  const runtime::Record& record = synthea_record();
  const runtime::Evaluation evaluation =
      runtime::evaluate(program, record, *runtime::Date::parse_iso("2021-11-01"));
  if (!evaluation.review) state.SkipWithError("the sample record has no review on 2021-11-01");
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string html = runtime::render_review_html(program, record, evaluation, {});
    bytes = html.size();
    benchmark::DoNotOptimize(html);
  }
  state.counters["html_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderReviewHtml)->Unit(benchmark::kMicrosecond);

// For comparison: reading the same Synthea bundle from JSON text.
void BM_ReadSyntheaFhirJson(benchmark::State& state) {
  const std::string text = slurp(kSample);
  for (auto _ : state) {
    auto result = fhir::read_json(text, "sample");
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_ReadSyntheaFhirJson);

}  // namespace
