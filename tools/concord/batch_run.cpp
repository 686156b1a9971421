// The batch pipeline: one reader (the calling thread) turns inputs into work items, N workers
// read documents and evaluate people, one writer puts the results out in input order.
//
// Memory is bounded by a window: the reader may run at most `window` items ahead of the
// writer, so the queue, the items being worked on and the reorder buffer together never
// hold more than `window` people (or documents). NDJSON is streamed person by person.
#include <boost/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <streambuf>
#include <system_error>
#include <thread>
#include <utility>

#include "batch.hpp"
#include "concord/fhir/ndjson.hpp"
#include "concord/hosts/read.hpp"

namespace concord::tools::batch {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kStdinName = "stdin";

// One unit of work, in input order.
struct Work {
  std::uint64_t seq = 0;
  std::string input;                      // the input as given, for messages
  fs::path document;                      // when set: a file a worker reads whole
  std::optional<runtime::Record> record;  // otherwise: one person already read
  std::size_t index = 0;                  // the person's place in its input, from 0
  std::vector<runtime::OutputNote> notes;
  // Problems met while reading, reported when this item is written (in order).
  std::string messages;
  std::vector<Failure> failures;
  std::size_t warnings = 0;
  bool unreadable = false;
};

struct Result {
  std::string text;  // output lines
  std::string messages;
  std::vector<PersonStats> people;
  std::vector<Failure> failures;
  std::size_t warnings = 0;
  bool unreadable = false;
  bool counts_input = false;  // a whole input read (for the progress line's total)
};

std::string issue_line(const fhir::ReadIssue& issue, std::string_view severity) {
  std::string line = issue.source;
  if (!issue.where.empty()) line.append(":").append(issue.where);
  line.append(": ").append(severity).append(": ").append(issue.message).append("\n");
  if (!issue.hint.empty()) line.append("  hint: ").append(issue.hint).append("\n");
  return line;
}

// As `concord run` does: the output names the file only, never the machine's path to it.
runtime::OutputNote note_for(const fhir::ReadIssue& issue, const std::string& file_name) {
  return {"warning", issue.where.empty() ? file_name : file_name + ":" + issue.where,
          issue.message};
}

void evaluate_into(const runtime::Program& program, const runtime::Record& record,
                   runtime::Date date, const std::vector<runtime::OutputNote>& notes, Format format,
                   const std::string& input, std::size_t index, Result& result) {
  try {
    const runtime::Evaluation evaluation = runtime::evaluate(program, record, date);
    result.text.append(render_person(program, record, evaluation, notes, format));
    result.people.push_back(person_stats(evaluation));
  } catch (const std::exception& e) {
    const std::string where = "person " + std::to_string(index + 1);
    result.messages.append(input + ":" + where + ": error: could not evaluate: " + e.what() + "\n");
    result.failures.push_back({input, where, std::string("could not evaluate: ") + e.what()});
  }
}

// The worker's step; a pure function of the item, so the serial and parallel runs agree.
Result process(const runtime::Program& program, const Options& options, Work& work) {
  Result result;
  result.messages = std::move(work.messages);
  result.failures = std::move(work.failures);
  result.warnings = work.warnings;
  result.unreadable = work.unreadable;
  if (work.record) {
    evaluate_into(program, *work.record, options.date, work.notes, options.format, work.input,
                  work.index, result);
    return result;
  }
  if (work.document.empty()) return result;
  result.counts_input = true;
  // Exactly what `concord run` does with a record file.
  const fhir::ReadResult read = hosts::read_record_file(work.document);
  if (read.error) {
    result.messages.append(issue_line(*read.error, "error"));
    result.failures.push_back({work.input, read.error->where, read.error->message});
    result.unreadable = true;
    return result;
  }
  const std::string file_name = work.document.filename().string();
  std::vector<runtime::OutputNote> notes;
  for (const auto& w : read.warnings)
    notes.push_back(note_for(w, file_name));
  result.warnings += read.warnings.size();
  for (std::size_t i = 0; i < read.records.size(); ++i) {
    evaluate_into(program, read.records[i], options.date, notes, options.format, work.input, i,
                  result);
  }
  return result;
}

// Where the writer's output goes, and what it has seen.
// The progress line: rewritten in place with '\r' at most 4 times a second, cleared before
// any other message and at the end. Only the writer (one thread at a time) calls it.
class Progress {
 public:
  Progress(std::ostream& err, bool enabled, std::optional<std::uint64_t> total_inputs)
      : err_(err), enabled_(enabled), total_(total_inputs) {}

  void clear() {
    if (!shown_) return;
    err_ << "\r\033[K" << std::flush;
    shown_ = false;
  }

  void done(std::uint64_t people, std::uint64_t items) {
    if (!enabled_) return;
    people_ += people;
    items_ += items;
    const auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(people_) / seconds : 0;
    char line[160];
    int n = std::snprintf(line, sizeof line, "\r%llu people, %.0f/s",
                          static_cast<unsigned long long>(people_), rate);
    if (total_ && *total_ > 0 && items_ > 0 && n > 0 && n < static_cast<int>(sizeof line)) {
      const double left = seconds / static_cast<double>(items_) *
                          static_cast<double>(*total_ > items_ ? *total_ - items_ : 0);
      std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n),
                    ", %llu/%llu inputs, ETA %llum%02llus", static_cast<unsigned long long>(items_),
                    static_cast<unsigned long long>(*total_),
                    static_cast<unsigned long long>(left) / 60,
                    static_cast<unsigned long long>(left) % 60);
    }
    err_ << line << "\033[K" << std::flush;
    shown_ = true;
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& err_;
  bool enabled_;
  std::optional<std::uint64_t> total_;
  std::uint64_t people_ = 0, items_ = 0;
  Clock::time_point start_ = Clock::now(), last_ = start_;
  bool shown_ = false;
};

class Writer {
 public:
  Writer(std::FILE* out, std::ostream& err, Summary& summary, Outcome& outcome, Progress& progress)
      : out_(out), err_(err), summary_(summary), outcome_(outcome), progress_(progress) {}

  // False when the output can take no more (the batch should stop).
  bool write(const std::string& text) {
    if (text.empty()) return true;
    if (std::fwrite(text.data(), 1, text.size(), out_) == text.size()) return true;
    failed();
    return false;
  }

  bool put(Result& result) {
    if (!result.messages.empty()) {
      progress_.clear();
      err_ << result.messages << std::flush;
    }
    for (auto& failure : result.failures)
      summary_.add_failure(std::move(failure));
    for (const auto& person : result.people)
      summary_.add(person);
    summary_.add_warnings(result.warnings);
    if (result.unreadable) outcome_.unreadable_input = true;
    const bool ok = write(result.text);
    progress_.done(result.people.size(), result.counts_input ? 1 : 0);
    return ok;
  }

  bool flush() {
    if (std::fflush(out_) == 0) return true;
    failed();
    return false;
  }

 private:
  void failed() {
    if (errno == EPIPE) {
      outcome_.output_closed = true;  // the reader went away (`| head`): stop quietly
    } else {
      outcome_.write_error = std::strerror(errno);
    }
  }

  std::FILE* out_;
  std::ostream& err_;
  Summary& summary_;
  Outcome& outcome_;
  Progress& progress_;
};

// Takes work items from the reader: either processes and writes each at once (one job), or
// queues it for the workers and the writer thread.
class Pipeline {
 public:
  Pipeline(const runtime::Program& program, const Options& options, Writer& writer)
      : program_(program), options_(options), writer_(writer) {
    if (options.jobs <= 1) return;
    window_ = 4 * static_cast<std::uint64_t>(options.jobs);
    for (unsigned i = 0; i < options.jobs; ++i)
      workers_.emplace_back([this] { work(); });
    writer_thread_ = std::thread([this] { write_all(); });
  }

  ~Pipeline() { finish(); }
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // False once the output is closed: the reader should stop.
  bool submit(Work work) {
    if (workers_.empty()) {
      if (stopped_) return false;
      Result result = process(program_, options_, work);
      if (!writer_.put(result)) stopped_ = true;
      return !stopped_;
    }
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return stopped_ || next_seq_ - written_ < window_; });
    if (stopped_) return false;
    work.seq = next_seq_++;
    queue_.push_back(std::move(work));
    work_ready_.notify_one();
    return true;
  }

  // Waits for every item to be written.
  void finish() {
    if (workers_.empty() || finished_) return;
    finished_ = true;
    {
      std::lock_guard lock(mutex_);
      input_done_ = true;
    }
    work_ready_.notify_all();
    result_ready_.notify_all();
    for (auto& worker : workers_)
      worker.join();
    writer_thread_.join();
  }

 private:
  void work() {
    while (true) {
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [&] { return stopped_ || input_done_ || !queue_.empty(); });
      if (stopped_ || queue_.empty()) return;
      Work work = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      Result result = process(program_, options_, work);
      lock.lock();
      done_.emplace(work.seq, std::move(result));
      result_ready_.notify_all();
    }
  }

  void write_all() {
    while (true) {
      std::unique_lock lock(mutex_);
      result_ready_.wait(
          lock, [&] { return done_.contains(written_) || (input_done_ && written_ == next_seq_); });
      const auto found = done_.find(written_);
      if (found == done_.end()) return;  // everything written
      Result result = std::move(found->second);
      done_.erase(found);
      lock.unlock();
      const bool ok = writer_.put(result);
      lock.lock();
      ++written_;
      if (!ok) {
        stopped_ = true;
        work_ready_.notify_all();
        space_.notify_all();
        return;
      }
      space_.notify_one();
    }
  }

  const runtime::Program& program_;
  const Options& options_;
  Writer& writer_;
  std::uint64_t window_ = 1;
  std::vector<std::thread> workers_;
  std::thread writer_thread_;
  bool finished_ = false;

  std::mutex mutex_;
  std::condition_variable space_, work_ready_, result_ready_;
  std::deque<Work> queue_;
  std::map<std::uint64_t, Result> done_;  // the reorder buffer
  std::uint64_t next_seq_ = 0, written_ = 0;
  bool input_done_ = false, stopped_ = false;
};

// Thrown from the NDJSON reader's callback to stop reading once the output is closed.
struct StopReading {};

// A stream that gives `prefix` (what was read to tell the format) and then the rest of `rest`.
class PrefixedBuffer : public std::streambuf {
 public:
  PrefixedBuffer(std::string prefix, std::streambuf* rest)
      : prefix_(std::move(prefix)), rest_(rest) {
    setg(prefix_.data(), prefix_.data(), prefix_.data() + prefix_.size());
  }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    const std::streamsize n = rest_->sgetn(buffer_, sizeof buffer_);
    if (n <= 0) return traits_type::eof();
    setg(buffer_, buffer_, buffer_ + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::string prefix_;
  std::streambuf* rest_;
  char buffer_[64 * 1024];
};

// Streams one NDJSON input, person by person. Each person carries the warnings raised while
// their lines were read; a line skipped outright is also reported on stderr and counted.
bool stream_ndjson(std::istream& in, const std::string& input, const std::string& file_name,
                   Pipeline& pipeline) {
  std::vector<fhir::ReadIssue> issues;
  std::size_t taken = 0, people = 0;
  const auto take_issues = [&](Work& work) {
    for (; taken < issues.size(); ++taken) {
      const fhir::ReadIssue& issue = issues[taken];
      ++work.warnings;
      const std::string_view where = issue.where;
      const bool whole_line = where.starts_with("line ") && where.size() > 5 &&
                              where.find_first_not_of("0123456789", 5) == std::string_view::npos;
      if (whole_line) {
        work.messages.append(issue_line(issue, "warning"));
        work.failures.push_back({input, issue.where, issue.message});
      }
      if (work.record) work.notes.push_back(note_for(issue, file_name));
    }
    issues.clear();
    taken = 0;
  };
  const std::function<void(runtime::Record &&)> on_record = [&](runtime::Record&& record) {
    Work work;
    work.input = input;
    record.source = file_name;
    work.record = std::move(record);
    work.index = people++;
    take_issues(work);
    if (!pipeline.submit(std::move(work))) throw StopReading{};
  };
  try {
    fhir::read_ndjson(in, input, on_record, issues);
  } catch (const StopReading&) {
    return false;
  }
  if (!issues.empty()) {  // after the last person: lines that held no one
    Work work;
    work.input = input;
    take_issues(work);
    return pipeline.submit(std::move(work));
  }
  return true;
}

// Reads stdin: an NDJSON stream (its first line a whole JSON object, and another object
// after it) is streamed; anything else is read whole as one document.
bool read_stdin(std::istream& in, Pipeline& pipeline) {
  const std::string input(kStdinName);
  std::streambuf* buffer = in.rdbuf();
  using traits = std::streambuf::traits_type;
  std::string prefix;
  const auto peek = [&] { return buffer->sgetc(); };
  const auto take = [&] { prefix.push_back(traits::to_char_type(buffer->sbumpc())); };
  const auto is_space = [](int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  const auto fail = [&](std::string message) {
    Work work;
    work.input = input;
    work.messages = input + ": error: " + message + "\n";
    work.failures.push_back({input, "", std::move(message)});
    work.unreadable = true;
    return pipeline.submit(std::move(work));
  };
  // A byte-order mark is dropped; leading space kept, so line numbers stay true.
  if (peek() == 0xEF) {
    buffer->sbumpc();
    if (buffer->sbumpc() != 0xBB || buffer->sbumpc() != 0xBF)
      return fail("starts with a stray byte-order mark; the input is not a record");
  }
  while (peek() != traits::eof() && is_space(peek()))
    take();
  if (peek() == traits::eof()) return true;  // no one (an empty shard of a distributed run)
  const std::size_t start = prefix.size();
  bool ndjson = false;
  if (peek() == '{') {
    while (peek() != traits::eof() && peek() != '\n' && prefix.size() < fhir::max_file_bytes)
      take();
    const std::size_t end = prefix.size();
    while (peek() != traits::eof() && is_space(peek()))
      take();
    if (peek() == '{') {
      boost::system::error_code ec;
      const auto first =
          boost::json::parse(std::string_view(prefix).substr(start, end - start), ec);
      ndjson = !ec && first.is_object();
    }
  }
  if (ndjson) {
    PrefixedBuffer joined(std::move(prefix), buffer);
    std::istream stream(&joined);
    return stream_ndjson(stream, input, input, pipeline);
  }
  while (peek() != traits::eof() && prefix.size() <= fhir::max_file_bytes)
    take();
  if (prefix.size() > fhir::max_file_bytes) {
    return fail(
        "the document is larger than one record may be (256 MiB); for a population, pipe "
        "NDJSON (one FHIR resource per line), which is streamed");
  }
  if (in.bad()) return fail("could not be read");
  fhir::ReadResult read = hosts::read_record(prefix, input);
  Work first;
  first.input = input;
  if (read.error) {
    first.messages = issue_line(*read.error, "error");
    first.failures.push_back({input, read.error->where, read.error->message});
    first.unreadable = true;
    return pipeline.submit(std::move(first));
  }
  std::vector<runtime::OutputNote> notes;
  for (const auto& w : read.warnings)
    notes.push_back(note_for(w, input));
  first.warnings = read.warnings.size();
  if (read.records.empty()) return pipeline.submit(std::move(first));
  for (std::size_t i = 0; i < read.records.size(); ++i) {
    Work work = i == 0 ? std::move(first) : Work{};
    work.input = input;
    work.index = i;
    work.record = std::move(read.records[i]);
    work.notes = notes;
    if (!pipeline.submit(std::move(work))) return false;
  }
  return true;
}

bool is_ndjson_name(const fs::path& path) {
  const auto extension = path.extension();
  return extension == ".ndjson" || extension == ".jsonl";
}

bool read_file(const fs::path& path, const std::string& input, Pipeline& pipeline) {
  if (!is_ndjson_name(path)) {
    Work work;
    work.input = input;
    work.document = path;
    return pipeline.submit(std::move(work));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const std::string message = std::string("cannot be opened: ") + std::strerror(errno);
    Work work;
    work.input = input;
    work.messages = input + ": error: " + message + "\n";
    work.failures.push_back({input, "", message});
    work.unreadable = true;
    return pipeline.submit(std::move(work));
  }
  return stream_ndjson(in, input, path.filename().string(), pipeline);
}

// A folder: every file in it and below, sorted by path; hidden files and folders are left
// out. A FHIR Bulk Data export (a Patient.ndjson beside one file per resource type) is one
// input, read as `concord run` reads it (whole, grouped by subject).
bool read_folder(const fs::path& folder, Pipeline& pipeline) {
  std::error_code ec;
  if (fs::is_regular_file(folder / "Patient.ndjson", ec)) {
    Work work;
    work.input = folder.string();
    work.document = folder;
    return pipeline.submit(std::move(work));
  }
  std::vector<fs::path> files;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with('.')) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) {
    const std::string message = "the folder cannot be read: " + ec.message();
    Work work;
    work.input = folder.string();
    work.messages = folder.string() + ": error: " + message + "\n";
    work.failures.push_back({folder.string(), "", message});
    work.unreadable = true;
    if (!pipeline.submit(std::move(work))) return false;
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    if (!read_file(file, file.string(), pipeline)) return false;
  }
  return true;
}

}  // namespace

Outcome run(const runtime::Program& program, const Options& options, std::istream& in,
            std::FILE* out, std::ostream& err, Summary& summary) {
  Outcome outcome;
  // The total is known when every input is a file read whole (not stdin, NDJSON or a folder).
  std::optional<std::uint64_t> total;
  if (options.progress) {
    total = options.inputs.size();
    for (const auto& input : options.inputs) {
      std::error_code ec;
      if (input == "-" || !fs::is_regular_file(input, ec) || is_ndjson_name(input)) {
        total.reset();
        break;
      }
    }
  }
  Progress progress(err, options.progress, total);
  Writer writer(out, err, summary, outcome, progress);
  if (options.format == Format::csv && !writer.write(csv_header())) return outcome;
  std::size_t inputs = 0;
  {
    Pipeline pipeline(program, options, writer);
    for (const auto& input : options.inputs) {
      ++inputs;
      std::error_code ec;
      bool go_on = true;
      if (input == "-") {
        go_on = read_stdin(in, pipeline);
      } else if (fs::is_directory(input, ec)) {
        go_on = read_folder(input, pipeline);
      } else {
        go_on = read_file(input, input, pipeline);
      }
      if (!go_on) break;
    }
    pipeline.finish();
  }
  progress.clear();
  for (std::size_t i = 0; i < inputs; ++i)
    summary.add_input();
  if (!outcome.output_closed && outcome.write_error.empty()) writer.flush();
  return outcome;
}

}  // namespace concord::tools::batch
