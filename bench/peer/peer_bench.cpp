// concord_peer_bench: the Concord side of the peer benchmark (bench/peer/run.sh). Reads every
// FHIR R4 Bundle first (timing the read), then times runtime::evaluate alone over the records
// in memory, and writes the people each question selects with the timings, in the same shape
// as cql_bench.js:
//
//   concord_peer_bench --date YYYY-MM-DD --out RESULT.json [--rulesets DIR] [--repeat N] INPUT...
//
// INPUT is a Bundle file or a folder of them (*.json, in name order). The evaluation pass is
// run N times (default 5) and the pass with the median wall time is reported; the answers come from
// the first pass and every pass must give the same ones.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "concord/dsl/library.hpp"
#include "concord/fhir/read.hpp"
#include "concord/runtime/evaluate.hpp"
#include "peer_questions.hpp"

namespace {

using namespace concord;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string date;
  std::string out;
  std::string rulesets = CONCORD_PEER_RULESETS;
  int repeat = 5;
  std::vector<std::filesystem::path> inputs;
};

[[noreturn]] void usage(const std::string& message) {
  std::cerr << "concord_peer_bench: " << message << "\n"
            << "usage: concord_peer_bench --date YYYY-MM-DD --out RESULT.json [--rulesets DIR] "
               "[--repeat N] INPUT...\n";
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--date") {
      o.date = value();
    } else if (arg == "--out") {
      o.out = value();
    } else if (arg == "--rulesets") {
      o.rulesets = value();
    } else if (arg == "--repeat") {
      const std::string n = value();
      o.repeat = std::atoi(n.c_str());
      if (o.repeat < 1 || o.repeat > 1000) usage("--repeat takes a number from 1 to 1000");
    } else if (arg.starts_with("--")) {
      usage("unknown option " + arg);
    } else {
      o.inputs.emplace_back(arg);
    }
  }
  if (o.date.empty()) usage("--date YYYY-MM-DD is required");
  if (!runtime::Date::parse_iso(o.date))
    usage("--date '" + o.date + "' is not a date (YYYY-MM-DD)");
  if (o.out.empty()) usage("--out RESULT.json is required");
  if (o.inputs.empty()) usage("give at least one Bundle file or folder");
  return o;
}

std::vector<std::filesystem::path> list_inputs(const std::vector<std::filesystem::path>& inputs) {
  std::vector<std::filesystem::path> files;
  for (const auto& input : inputs) {
    std::error_code ec;
    if (std::filesystem::is_directory(input, ec)) {
      std::vector<std::filesystem::path> found;
      for (const auto& entry : std::filesystem::directory_iterator(input)) {
        if (entry.path().extension() == ".json") found.push_back(entry.path());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (std::filesystem::exists(input, ec)) {
      files.push_back(input);
    } else {
      usage("cannot read " + input.string() + ": no such file or folder");
    }
  }
  return files;
}

// Wall and process CPU time, as cql_bench.js measures them: CPU time is what a busy machine
// disturbs less.
struct Mark {
  Clock::time_point wall = Clock::now();
  std::clock_t cpu = std::clock();
};
struct Seconds {
  double wall = 0;
  double cpu = 0;
  Seconds& operator+=(const Seconds& more) {
    wall += more.wall;
    cpu += more.cpu;
    return *this;
  }
};
Seconds since(const Mark& start) {
  return {std::chrono::duration<double>(Clock::now() - start.wall).count(),
          static_cast<double>(std::clock() - start.cpu) / CLOCKS_PER_SEC};
}

boost::json::array sorted_ids(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  boost::json::array out;
  for (const auto& id : ids)
    out.emplace_back(id);
  return out;
}

int run(const Options& options) {
  const dsl::LoadResult library = dsl::load_library({options.rulesets});
  if (!library.ok()) {
    std::cerr << "concord_peer_bench: the peer library " << options.rulesets
              << " does not compile; run `concord check` on it\n";
    return 2;
  }
  const runtime::Program& program = *library.program;
  const peer::Questions questions = peer::find_questions(program);
  const runtime::Date date = *runtime::Date::parse_iso(options.date);

  // Read everything first: the text is loaded untimed, the FHIR read of it is timed.
  std::vector<runtime::Record> records;
  Seconds parse;
  std::string text;
  for (const auto& file : list_inputs(options.inputs)) {
    if (auto issue = fhir::load_text_file(file, text)) {
      std::cerr << "concord_peer_bench: " << file.string() << ": " << issue->message << "\n";
      return 2;
    }
    const Mark start;
    fhir::ReadResult read = fhir::read_json(text, file.filename().string());
    parse += since(start);
    if (read.error || read.records.size() != 1) {
      std::cerr << "concord_peer_bench: " << file.string() << ": "
                << (read.error ? read.error->message : "expected one person in the Bundle") << "\n";
      return 2;
    }
    records.push_back(std::move(read.records.front()));
  }
  if (records.empty()) usage("no FHIR Bundles (*.json) in the inputs given");

  // Evaluation alone, over the records in memory.
  std::vector<peer::Answer> answers(records.size());
  std::vector<peer::Answer> again(records.size());
  std::vector<Seconds> runs;
  for (int pass = 0; pass < options.repeat; ++pass) {
    auto& out = pass == 0 ? answers : again;
    const Mark start;
    for (std::size_t i = 0; i < records.size(); ++i) {
      out[i] = peer::answer(questions, runtime::evaluate(program, records[i], date));
    }
    runs.push_back(since(start));
    for (std::size_t i = 0; pass > 0 && i < records.size(); ++i) {
      if (again[i].diabetes_hba1c != answers[i].diabetes_hba1c ||
          again[i].hypertension_bp != answers[i].hypertension_bp) {
        std::cerr << "concord_peer_bench: record " << records[i].id
                  << " was answered differently by two evaluation passes\n";
        return 1;
      }
    }
  }
  // The pass with the median wall time, and its CPU time.
  std::vector<Seconds> sorted = runs;
  std::sort(sorted.begin(), sorted.end(),
            [](const Seconds& x, const Seconds& y) { return x.wall < y.wall; });
  const Seconds median = sorted[sorted.size() / 2];

  std::vector<std::string> a, b;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (answers[i].diabetes_hba1c) a.push_back(records[i].id);
    if (answers[i].hypertension_bp) b.push_back(records[i].id);
  }
  boost::json::object result;
  result["engine"] = "concord";
  result["date"] = options.date;
  result["records"] = records.size();
  result["parse_seconds"] = parse.wall;
  result["parse_cpu_seconds"] = parse.cpu;
  result["evaluate_seconds"] = median.wall;
  result["evaluate_cpu_seconds"] = median.cpu;
  boost::json::array all_runs;
  for (const Seconds& r : runs)
    all_runs.emplace_back(r.wall);
  result["evaluate_runs"] = std::move(all_runs);
  result["compiler"] = CONCORD_PEER_COMPILER;
  result["build_type"] = CONCORD_PEER_BUILD_TYPE;
  std::vector<std::string> everyone;
  for (const auto& r : records)
    everyone.push_back(r.id);
  result["ids"] = sorted_ids(std::move(everyone));
  result["selected"] =
      boost::json::object{{"a", sorted_ids(std::move(a))}, {"b", sorted_ids(std::move(b))}};
  std::ofstream out(options.out);
  out << boost::json::serialize(result) << "\n";
  if (!out) {
    std::cerr << "concord_peer_bench: cannot write " << options.out << "\n";
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_options(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "concord_peer_bench: " << e.what() << "\n";
    return 2;
  }
}
