// `concord batch` in-process: CSV quoting, NDJSON on stdin, input order with several jobs,
// summary totals, an unreadable input in the middle, and a closed output.
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "batch.hpp"
#include "concord/dsl/library.hpp"
#include "concord/fhir/read.hpp"
#include "concord/hosts/read.hpp"

namespace concord::tools::batch {
namespace {

const std::string kData = std::string(CONCORD_TEST_DATA) + "/batch/";

const runtime::Program& shipped() {
  static const dsl::LoadResult library = dsl::load_library({CONCORD_SOURCE_RULESETS});
  EXPECT_TRUE(library.ok()) << dsl::format_text(library.diagnostics, library.sources);
  return *library.program;
}

struct Ran {
  Outcome outcome;
  std::string out, err;
  Summary summary;
};

Ran run_batch(std::vector<std::string> inputs, unsigned jobs, Format format = Format::jsonl,
              const std::string& stdin_text = "") {
  Options options;
  options.inputs = std::move(inputs);
  options.date = *runtime::Date::parse_iso("2021-11-01");
  options.jobs = jobs;
  options.format = format;
  std::istringstream in(stdin_text);
  std::ostringstream err;
  Ran ran;
  std::FILE* out = std::tmpfile();
  ran.outcome = run(shipped(), options, in, out, err, ran.summary);
  std::fflush(out);
  std::rewind(out);
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, out)) > 0;)
    ran.out.append(buffer, n);
  std::fclose(out);
  ran.err = err.str();
  return ran;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(BatchCsvTest, QuotesPerRfc4180) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
}

TEST(BatchCsvTest, HeaderAndOneRowPerPerson) {
  const Ran ran = run_batch({kData + "quoted-id.json", kData + "people.ndjson"}, 2, Format::csv);
  const auto lines = lines_of(ran.out);
  ASSERT_EQ(lines.size(), 5u) << ran.out;
  EXPECT_EQ(lines[0],
            "record_id,source,conditions,review_kind,due_date,checks,replaces,suppressed,overdue");
  EXPECT_EQ(lines[1],
            "\"p,\"\"4\"\"\",quoted-id.json,diabetes,single,2021-11-22,hba1c;bp;lipids;renal;"
            "urine_acr;foot_check;weight_bmi;smoking_status;flu_vaccine;retinal_screening;"
            "medication_review,11,0,11");
  EXPECT_EQ(lines[2].substr(0, 56), "p1,people.ndjson,diabetes;hypertension,merged,2021-11-22");
  EXPECT_EQ(lines[3],
            "p2,people.ndjson,hypertension,single,2021-11-22,bp;smoking_status;"
            "medication_review,3,0,3");
  EXPECT_EQ(lines[4], "p3,people.ndjson,,none,,,0,0,0");
}

TEST(BatchStdinTest, StreamsNdjsonPersonByPerson) {
  const Ran ran = run_batch({"-"}, 2, Format::jsonl, file_text(kData + "people.ndjson"));
  EXPECT_FALSE(ran.outcome.unreadable_input);
  const auto lines = lines_of(ran.out);
  ASSERT_EQ(lines.size(), 3u) << ran.out;
  EXPECT_NE(lines[0].find(R"("record":{"id":"p1","source":"stdin"})"), std::string::npos);
  EXPECT_NE(lines[1].find(R"("record":{"id":"p2","source":"stdin"})"), std::string::npos);
  // The malformed line lies among p2's lines: it is p2's diagnostic, and on stderr.
  EXPECT_NE(lines[1].find(R"("where":"stdin:line 5")"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find(R"("review":null)"), std::string::npos);
  EXPECT_NE(ran.err.find("stdin:line 5: warning: malformed JSON"), std::string::npos) << ran.err;
}

TEST(BatchStdinTest, ReadsOneJsonDocument) {
  const Ran ran = run_batch({"-"}, 1, Format::csv, file_text(kData + "quoted-id.json"));
  const auto lines = lines_of(ran.out);
  ASSERT_EQ(lines.size(), 2u) << ran.out;
  EXPECT_EQ(lines[1].substr(0, 16), "\"p,\"\"4\"\"\",stdin,");
}

TEST(BatchStdinTest, EmptyInputIsNoOneNotAnError) {
  const Ran ran = run_batch({"-"}, 2, Format::jsonl, "\n  \n");
  EXPECT_FALSE(ran.outcome.unreadable_input);
  EXPECT_EQ(ran.out, "");
  EXPECT_EQ(ran.summary.records(), 0u);
}

TEST(BatchTest, SummaryTotals) {
  Ran ran = run_batch({kData + "people.ndjson", kData + "quoted-id.json"}, 2);
  const std::string json =
      ran.summary.to_json(shipped(), *runtime::Date::parse_iso("2021-11-01"), 2, 1.0);
  EXPECT_NE(json.find(R"("records_read": 4,)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("records_failed": 1,)"), std::string::npos) << json;  // the bad line
  // Registers only: the pseudo-condition that frailty checks name is no one's condition.
  EXPECT_NE(json.find(R"("diabetes": )"), std::string::npos) << json;
  EXPECT_EQ(json.find(R"("frailty")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"({"merged": 1, "single": 2, "total": 3, "none": 1})"), std::string::npos)
      << json;
  // p1 14 + p2 3 + p,"4" 11 single reminders (diabetes asks for flu); 11 + 3 + 11 checks.
  EXPECT_NE(json.find(R"("single_reminders_replaced": 28, "review_checks": 25, "reviews": 3)"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("diabetes": 2,)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("hypertension": 2)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("records_per_second": 4)"), std::string::npos) << json;
  // Counts only: no patient identifier.
  EXPECT_EQ(json.find("p1"), std::string::npos) << json;
  EXPECT_EQ(json.find("p2"), std::string::npos) << json;
}

TEST(BatchTest, UnreadableInputInTheMiddleIsReportedAndTheRestStillRun) {
  for (unsigned jobs : {1u, 3u}) {
    const Ran ran = run_batch({kData + "quoted-id.json", kData + "not-a-record.json",
                               "/nonexistent/record.json", kData + "people.ndjson"},
                              jobs);
    EXPECT_TRUE(ran.outcome.unreadable_input);
    const auto lines = lines_of(ran.out);
    ASSERT_EQ(lines.size(), 4u) << ran.out;
    EXPECT_NE(lines[0].find(R"("id":"p,\"4\"")"), std::string::npos) << lines[0];
    EXPECT_NE(lines[3].find(R"("id":"p3")"), std::string::npos) << lines[3];
    EXPECT_NE(ran.err.find("not-a-record.json: error: the format of this record"),
              std::string::npos)
        << ran.err;
    EXPECT_NE(ran.err.find("/nonexistent/record.json: error:"), std::string::npos) << ran.err;
    EXPECT_EQ(ran.summary.failed(), 3u);  // two inputs and the skipped line
    // stderr names the files; the summary, which is shared beyond the console, does not
    // (record files are often named by the person).
    const std::string json =
        ran.summary.to_json(shipped(), *runtime::Date::parse_iso("2021-11-01"), jobs, 1.0);
    EXPECT_EQ(json.find("not-a-record"), std::string::npos) << json;
    EXPECT_EQ(json.find("nonexistent"), std::string::npos) << json;
  }
}

std::vector<std::string> synthea_files() {
  std::vector<std::string> files;
  const std::filesystem::path folder = std::string(CONCORD_SHARED_DATA) + "/synthea";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
    files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

// The same output `concord run --format json` gives for each file (the CLI test compares
// the binaries too), in input order whatever the number of jobs.
TEST(BatchTest, SyntheaInInputOrderAsRunGivesIt) {
  const auto files = synthea_files();
  if (files.empty()) GTEST_SKIP() << "no shared Synthea data";
  std::string expected;
  const runtime::Date date = *runtime::Date::parse_iso("2021-11-01");
  for (const auto& file : files) {
    const fhir::ReadResult read = hosts::read_record_file(file);
    ASSERT_FALSE(read.error) << file;
    const std::string name = std::filesystem::path(file).filename().string();
    std::vector<runtime::OutputNote> notes;
    for (const auto& w : read.warnings)
      notes.push_back({"warning", w.where.empty() ? name : name + ":" + w.where, w.message});
    for (const auto& record : read.records) {
      expected += runtime::render_json(shipped(), record,
                                       runtime::evaluate(shipped(), record, date), notes) +
                  "\n";
    }
  }
  for (unsigned jobs : {1u, 2u, 5u}) {
    const Ran ran = run_batch({std::string(CONCORD_SHARED_DATA) + "/synthea"}, jobs);
    EXPECT_EQ(lines_of(ran.out).size(), files.size());
    EXPECT_TRUE(ran.out == expected) << "jobs " << jobs;
    EXPECT_FALSE(ran.outcome.unreadable_input);
  }
}

TEST(BatchTest, ClosedOutputStopsQuietly) {
  const auto files = synthea_files();
  if (files.empty()) GTEST_SKIP() << "no shared Synthea data";
  std::signal(SIGPIPE, SIG_IGN);
  for (unsigned jobs : {1u, 2u}) {
    int ends[2];
    ASSERT_EQ(::pipe(ends), 0);
    ::close(ends[0]);  // nobody reads
    std::FILE* out = ::fdopen(ends[1], "w");
    Options options;
    options.inputs = {std::string(CONCORD_SHARED_DATA) + "/synthea"};
    options.date = *runtime::Date::parse_iso("2021-11-01");
    options.jobs = jobs;
    std::istringstream in;
    std::ostringstream err;
    Summary summary;
    const Outcome outcome = run(shipped(), options, in, out, err, summary);
    std::fclose(out);
    EXPECT_TRUE(outcome.output_closed) << "jobs " << jobs;
    EXPECT_TRUE(outcome.write_error.empty()) << outcome.write_error;
    EXPECT_LT(summary.records(), files.size());  // it stopped early
  }
}

}  // namespace
}  // namespace concord::tools::batch
