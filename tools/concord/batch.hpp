// `concord batch`: population runs. Reads people from files, folders and stdin (NDJSON
// streamed person by person), evaluates them on N worker threads sharing one immutable
// Program, and writes one JSON line (or CSV row) per person, with a summary. Nothing is
// shared between people, so a batch is also the map step of a distributed engine (Spark's
// RDD.pipe, Hadoop streaming): each shard is just another `concord batch -`.
//
// Behaviour:
// - Output is in input order whatever --jobs is (sequence numbers and a reorder buffer), so
//   runs are reproducible and diffable; a JSON line is exactly `concord run --format json`'s.
// - Memory is bounded: the reader runs at most 4 x jobs items ahead of the writer.
// - INPUT: a file (any format `run` reads; *.ndjson and *.jsonl are streamed, others read
//   whole, up to 256 MiB, by a worker), a folder (every file in it and below, sorted by path,
//   hidden ones left out; a folder holding Patient.ndjson is a Bulk Data export and is read
//   whole, as `run` reads it), or `-`: stdin, NDJSON streamed (first line a whole JSON
//   object and another object after it) or else one document. Empty stdin is no one (exit 0).
// - Streamed NDJSON expects each person's lines together; a person carries, as diagnostics,
//   the warnings raised while their lines were read. A line skipped outright (malformed, not
//   a resource) is also reported on stderr and counted as failed.
// - Progress (Options::progress, set by the command only when stderr is a terminal): one
//   line on stderr, rewritten with '\r' at most 4 times a second: people written, people per
//   second and, when every input is a plain (not NDJSON) file so the total is known, the
//   inputs done of the total and an ETA. Cleared before any message and at the end.
// - An input that cannot be read at all: "file[:where]: error: message" on stderr, the batch
//   goes on, exit 2. A closed stdout (`| head`) ends the batch quietly (SIGPIPE ignored).
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <istream>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "concord/runtime/evaluate.hpp"
#include "concord/runtime/render.hpp"

namespace concord::tools::batch {

enum class Format { jsonl, csv };

// What one person contributes to the summary (no identifiers).
struct PersonStats {
  std::vector<runtime::ConditionIndex> conditions;
  enum class Review : std::uint8_t { none, merged, single } review = Review::none;
  int replaces = 0;       // single reminders the review stands for
  int review_checks = 0;  // checks the review gathers (deduplicated)
  int overdue = 0;        // reminders overdue
  int suppressed = 0;     // reminders suppressed
};

PersonStats person_stats(const runtime::Evaluation& evaluation);

// One person's output: exactly runtime::render_json's object (what `concord run --format
// json` prints for the same record and notes), or one CSV row; each ends in '\n'.
std::string render_person(const runtime::Program& program, const runtime::Record& record,
                          const runtime::Evaluation& evaluation,
                          const std::vector<runtime::OutputNote>& notes, Format format);

// RFC 4180 quoting: a field holding a comma, a double quote, CR or LF is enclosed in double
// quotes, with its double quotes doubled; any other field is written as is.
std::string csv_field(std::string_view text);
// record_id,source,conditions,review_kind,due_date,checks,replaces,suppressed,overdue
std::string csv_header();

// An input that could not be read, a line that was skipped or a person that failed.
struct Failure {
  std::string file;  // the input as given ("stdin" for -)
  std::string where;
  std::string message;
};

// The totals of a batch: counts only, never a patient identifier.
class Summary {
 public:
  void add(const PersonStats& person);
  void add_failure(Failure failure);
  void add_warnings(std::size_t count) { warnings_ += count; }
  void add_input() { ++inputs_; }
  std::uint64_t records() const { return records_; }
  std::uint64_t failed() const { return failed_; }
  // The summary as one indented JSON object, with elapsed time and rate. At most
  // kMaxListedFailures failures are listed (records_failed counts them all).
  std::string to_json(const runtime::Program& program, runtime::Date date, unsigned jobs,
                      double elapsed_seconds) const;

  static constexpr std::size_t kMaxListedFailures = 100;

 private:
  std::uint64_t inputs_ = 0, records_ = 0, failed_ = 0, warnings_ = 0;
  std::uint64_t merged_ = 0, single_ = 0, replaces_ = 0, review_checks_ = 0;
  std::uint64_t overdue_ = 0, suppressed_ = 0;
  std::map<runtime::ConditionIndex, std::uint64_t> conditions_;
  std::vector<Failure> failures_;  // the first kMaxListedFailures
};

struct Options {
  std::vector<std::string> inputs;  // files, folders, "-" for stdin
  runtime::Date date;
  Format format = Format::jsonl;
  unsigned jobs = 1;
  bool progress = false;  // the progress line on `err` (for a terminal only)
};

// The outcome of a batch: whether every input could be read, and whether the output was
// cut short (the reader of stdout went away: quiet, not an error).
struct Outcome {
  bool unreadable_input = false;
  bool output_closed = false;
  std::string write_error;  // a write failure other than a closed pipe
};

// Runs the batch: people from `options.inputs` (stdin is `in`) to `out`, problems to `err`
// as "file:where: error|warning: message" lines, totals into `summary`.
Outcome run(const runtime::Program& program, const Options& options, std::istream& in,
            std::FILE* out, std::ostream& err, Summary& summary);

}  // namespace concord::tools::batch
