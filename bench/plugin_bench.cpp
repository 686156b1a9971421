// The cost of a plugin function call per record: building the plain C record view, and
// CHA2DS2-VASc / eFI computed by the clinical plugin across the plugin boundary.
#include <benchmark/benchmark.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

#include "concord/fhir/read.hpp"
#include "concord/runtime/plugins.hpp"

namespace {

using namespace concord;

const runtime::Record& record() {
  std::ifstream in(
      std::string(CONCORD_TEST_DATA) + "/synthea/cd9e9826-aea1-4682-adc0-c1d97633bf31.json",
      std::ios::binary);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  static const runtime::Record r = fhir::read_json(text, "sample").records.at(0);
  return r;
}

// The clinical plugin from the build's plugins/ folder (it must pass the loader's checks).
const runtime::plugins::PluginFunctions& functions() {
  static const runtime::plugins::PluginFunctions f = [] {
    runtime::plugins::LoadPolicy policy;
    policy.folders = {CONCORD_PLUGIN_DIR};
    auto c = runtime::plugins::Loader(policy).load(std::string(CONCORD_PLUGIN_DIR) +
                                                   "/libconcord_clinical.so");
    if (!c.plugin) throw std::runtime_error(c.refusal);
    return runtime::plugins::PluginFunctions({c.plugin}, runtime::plugins::stderr_reporter());
  }();
  return f;
}

void BM_RecordView(benchmark::State& state) {
  const runtime::Record& r = record();
  std::vector<concord_fact_view> facts;
  std::vector<concord_code_view> codes;
  for (auto _ : state)
    benchmark::DoNotOptimize(runtime::plugins::make_record_view(r, facts, codes));
  state.counters["facts"] = static_cast<double>(facts.size());
}
BENCHMARK(BM_RecordView);

void call(benchmark::State& state, const char* name) {
  const auto& f = functions();
  const std::size_t slot = *f.find(name);
  const runtime::Record& r = record();
  const auto date = *runtime::Date::from_ymd(2021, 11, 1);
  for (auto _ : state)
    benchmark::DoNotOptimize(f.call(slot, r, date));
}
void BM_PluginCha2ds2Vasc(benchmark::State& state) {
  call(state, "cha2ds2_vasc");
}
void BM_PluginEfi(benchmark::State& state) {
  call(state, "efi");
}
BENCHMARK(BM_PluginCha2ds2Vasc);
BENCHMARK(BM_PluginEfi);

}  // namespace
