// Bulk Data NDJSON: lines are parsed one at a time and gathered per person into a Bundle,
// which the shared document walk reads as any other Bundle.
#include "concord/fhir/ndjson.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>

#include "document.hpp"

namespace concord::fhir {

namespace {

namespace json = boost::json;

// The people already read, to warn when a person's lines come back later in an input that
// should be grouped by patient, in constant memory however many people pass: a Bloom filter
// of 8 MiB with 7 probes. A person never read is taken for one read already (a false warning)
// about once in 10 million people at 1 million read, about once in 20 at 10 million; a person
// read already is always found.
class SeenPeople {
 public:
  // calloc: the operating system gives zeroed pages as they are first touched, so a small
  // input does not pay for clearing 8 MiB.
  SeenPeople() : bits_(static_cast<std::uint64_t*>(std::calloc(kBits / 64, 8))) {
    if (!bits_) throw std::bad_alloc();
  }

  // Whether the id was (probably) added before; then adds it.
  bool check_and_add(std::string_view id) {
    const std::uint64_t h1 = std::hash<std::string_view>{}(id);
    const std::uint64_t h2 = mix(h1) | 1;  // odd: the probes visit distinct bits
    bool seen = true;
    for (std::uint64_t i = 0; i < kProbes; ++i) {
      const std::uint64_t bit = (h1 + i * h2) % kBits;
      std::uint64_t& word = bits_.get()[bit / 64];
      const std::uint64_t mask = std::uint64_t{1} << (bit % 64);
      seen = seen && (word & mask) != 0;
      word |= mask;
    }
    return seen;
  }

 private:
  static constexpr std::uint64_t kBits = std::uint64_t{8} * 1024 * 1024 * 8;
  static constexpr std::uint64_t kProbes = 7;
  static std::uint64_t mix(std::uint64_t x) {  // SplitMix64's finaliser
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }
  struct Free {
    void operator()(std::uint64_t* p) const { std::free(p); }
  };
  std::unique_ptr<std::uint64_t[], Free> bits_;
};

constexpr std::string_view kNdjsonHint =
    "each line must be one FHIR resource as a JSON object with a resourceType";

// The id of the Patient a resource belongs to: its own id for a Patient, else the id in
// subject/patient ("Patient/<id>", an absolute URL ending so, or "urn:uuid:<id>").
std::string patient_key(const json::object& resource) {
  const json::value* type = resource.if_contains("resourceType");
  if (type != nullptr && type->is_string() && type->get_string() == "Patient") {
    const json::value* id = resource.if_contains("id");
    return id != nullptr && id->is_string() ? std::string(id->get_string()) : std::string();
  }
  for (const char* key : {"subject", "patient"}) {
    const json::value* subject = resource.if_contains(key);
    const json::value* reference = subject != nullptr && subject->is_object()
                                       ? subject->get_object().if_contains("reference")
                                       : nullptr;
    if (reference == nullptr || !reference->is_string()) continue;
    std::string_view text(reference->get_string());
    if (text.starts_with("urn:uuid:")) return std::string(text.substr(9));
    if (const auto history = text.find("/_history/"); history != std::string_view::npos)
      text = text.substr(0, history);
    const auto slash = text.rfind('/');
    return std::string(slash == std::string_view::npos ? text : text.substr(slash + 1));
  }
  return {};
}

bool is_medication(const json::object& resource) {
  const json::value* type = resource.if_contains("resourceType");
  return type != nullptr && type->is_string() && type->get_string() == "Medication";
}

// Where an entry came from, for issues.
struct Origin {
  std::size_t source;  // index into Grouper::sources_
  std::size_t line;
};

class Grouper {
 public:
  Grouper(NdjsonOrder order, const std::function<void(runtime::Record&&)>& on_record,
          std::vector<ReadIssue>& issues)
      : order_(order), on_record_(on_record), issues_(issues) {}

  std::size_t add_source(std::string name) {
    sources_.push_back(std::move(name));
    return sources_.size() - 1;
  }

  void read_stream(std::istream& in, std::size_t source) {
    std::string line;
    std::size_t number = 0;
    std::streambuf* buffer = in.rdbuf();
    using traits = std::streambuf::traits_type;
    bool more = buffer != nullptr;
    while (more) {
      line.clear();
      // Read a line with a bound (a runaway line is skipped, not held), straight from the
      // stream buffer: istream::get per character cost half the batch run time.
      bool too_long = false;
      for (;;) {
        const auto c = buffer->sbumpc();
        if (c == traits::eof()) {
          more = false;
          break;
        }
        if (c == '\n') break;
        if (line.size() < max_file_bytes)
          line.push_back(traits::to_char_type(c));
        else
          too_long = true;
      }
      ++number;
      if (too_long) {
        warn(Origin{source, number}, "", "the line is longer than one resource may be; skipped",
             std::string(kNdjsonHint));
        continue;
      }
      add_line(line, Origin{source, number});
    }
  }

  void add_line(std::string_view text, Origin origin) {
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (std::all_of(text.begin(), text.end(),
                    [](char c) { return c == ' ' || c == '\t' || c == '\r'; })) {
      return;
    }
    std::size_t offset = 0;
    boost::system::error_code ec;
    auto parsed = detail::parse_json(text, json::storage_ptr(), offset, ec);
    if (!parsed) {
      warn(origin, "",
           "malformed JSON at column " + line_col(text, offset).substr(2) + ": " + ec.message() +
               "; the line is skipped",
           std::string(kNdjsonHint));
      return;
    }
    json::object* resource = parsed->if_object();
    const json::value* type = resource != nullptr ? resource->if_contains("resourceType") : nullptr;
    if (type == nullptr || !type->is_string()) {
      warn(origin, "", "the line is not a FHIR resource (no resourceType); skipped",
           std::string(kNdjsonHint));
      return;
    }
    if (is_medication(*resource)) {
      medications_.push_back(std::move(*parsed));
      medication_origins_.push_back(origin);
      return;
    }
    if (order_ == NdjsonOrder::grouped_by_patient) {
      std::string key = patient_key(*resource);
      if (!key.empty() && key != current_key_) {
        if (!current_key_.empty() || !entries_.empty()) flush();
        if (seen_.check_and_add(key)) {
          warn(origin, "",
               "Patient '" + key +
                   "' was read already: the input is not grouped by patient, so these lines "
                   "are read as a further Record with the same id",
               "sort the NDJSON by patient, or read the files as a folder (any order)");
        }
        current_key_ = std::move(key);
      }
    }
    entries_.push_back(std::move(*parsed));
    origins_.push_back(origin);
  }

  void finish() { flush(); }

 private:
  void warn(Origin origin, std::string pointer, std::string message, std::string hint) {
    std::string where = "line " + std::to_string(origin.line);
    if (!pointer.empty()) where.append(" ").append(pointer);
    issues_.push_back(
        ReadIssue{sources_[origin.source], std::move(where), std::move(message), std::move(hint)});
  }

  void flush() {
    if (entries_.empty()) {
      current_key_.clear();
      return;
    }
    // The person's resources (and the Medications they may name) as one collection Bundle.
    json::array entry;
    entry.reserve(medications_.size() + entries_.size());
    std::vector<Origin> origins;
    origins.reserve(medications_.size() + entries_.size());
    for (std::size_t i = 0; i < medications_.size(); ++i) {
      entry.push_back(json::object{{"resource", medications_[i]}});
      origins.push_back(medication_origins_[i]);
    }
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      entry.push_back(json::object{{"resource", std::move(entries_[i])}});
      origins.push_back(origins_[i]);
    }
    entries_.clear();
    origins_.clear();
    const json::value bundle = json::object{
        {"resourceType", "Bundle"}, {"type", "collection"}, {"entry", std::move(entry)}};
    ReadResult result;
    const std::string& source = sources_[origins.front().source];
    detail::read_document(bundle, source, "NDJSON", result);
    for (ReadIssue& w : result.warnings)
      relocate(w, origins);
    if (result.error) issues_.push_back(std::move(*result.error));
    for (runtime::Record& record : result.records) {
      if (record.id.empty() && result.records.size() == 1)
        record.id = current_key_;  // facts with no Patient line: the subject names the person
      on_record_(std::move(record));
    }
    current_key_.clear();
  }

  // "/entry/3/resource/code" in the gathered Bundle -> "line 17 /code" in its file.
  void relocate(ReadIssue& issue, const std::vector<Origin>& origins) {
    constexpr std::string_view kEntry = "/entry/";
    if (!issue.where.starts_with(kEntry)) {
      issue.where.clear();  // about the whole group (types not read): no line
      issues_.push_back(std::move(issue));
      return;
    }
    const std::string_view rest = std::string_view(issue.where).substr(kEntry.size());
    std::size_t index = 0, digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') {
      index = index * 10 + static_cast<std::size_t>(rest[digits] - '0');
      ++digits;
    }
    std::string_view pointer = rest.substr(digits);
    if (pointer.starts_with("/resource"))
      pointer.remove_prefix(std::string_view("/resource").size());
    if (index < origins.size()) {
      issue.source = sources_[origins[index].source];
      std::string where = "line " + std::to_string(origins[index].line);
      if (!pointer.empty()) where.append(" ").append(pointer);
      issue.where = std::move(where);
    }
    issues_.push_back(std::move(issue));
  }

  NdjsonOrder order_;
  const std::function<void(runtime::Record&&)>& on_record_;
  std::vector<ReadIssue>& issues_;
  std::vector<std::string> sources_;
  std::vector<json::value> entries_, medications_;
  std::vector<Origin> origins_, medication_origins_;
  std::string current_key_;
  SeenPeople seen_;
};

}  // namespace

void read_ndjson(std::istream& in, std::string_view source,
                 const std::function<void(runtime::Record&&)>& on_record,
                 std::vector<ReadIssue>& issues, NdjsonOrder order) {
  Grouper grouper(order, on_record, issues);
  grouper.read_stream(in, grouper.add_source(std::string(source)));
  grouper.finish();
}

ReadResult read_ndjson_text(std::string_view text, std::string_view source_name) {
  ReadResult result;
  result.format = "FHIR NDJSON";
  const std::function<void(runtime::Record &&)> collect = [&](runtime::Record&& record) {
    result.records.push_back(std::move(record));
  };
  Grouper grouper(NdjsonOrder::grouped_by_patient, collect, result.warnings);
  const std::size_t source = grouper.add_source(std::string(source_name));
  std::size_t line = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    grouper.add_line(text.substr(0, end), Origin{source, ++line});
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  grouper.finish();
  return result;
}

ReadResult read_ndjson_path(const std::filesystem::path& path) {
  ReadResult result;
  result.format = "FHIR NDJSON";
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  const bool folder = std::filesystem::is_directory(path, ec);
  if (folder) {
    for (const auto& item : std::filesystem::directory_iterator(path, ec)) {
      if (item.path().extension() == ".ndjson") files.push_back(item.path());
    }
    // Patients first (the Bulk Data file names start with the resource type), then by name.
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
      const bool pa = a.filename().string().starts_with("Patient");
      const bool pb = b.filename().string().starts_with("Patient");
      return pa != pb ? pa : a.filename() < b.filename();
    });
    if (files.empty() && !ec) {
      result.error = detail::make_issue(path.string(), "", "the folder holds no .ndjson files",
                                        "give a FHIR Bulk Data export folder or an .ndjson file");
      return result;
    }
  } else {
    files.push_back(path);
  }
  if (ec) {
    result.error = detail::make_issue(path.string(), "", "cannot read: " + ec.message(),
                                      "check that the path names a readable file or folder");
    return result;
  }
  const std::function<void(runtime::Record &&)> collect = [&](runtime::Record&& record) {
    result.records.push_back(std::move(record));
  };
  Grouper grouper(folder ? NdjsonOrder::any : NdjsonOrder::grouped_by_patient, collect,
                  result.warnings);
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      if (!folder) {
        result.error = detail::make_issue(file.string(), "", "cannot read the file",
                                          "check that the path names a readable NDJSON file");
        return result;
      }
      result.warnings.push_back(detail::make_issue(file.string(), "", "cannot read the file",
                                                   "check the file's permissions"));
      continue;
    }
    grouper.read_stream(in, grouper.add_source(file.string()));
  }
  grouper.finish();
  const std::string name = path.filename().string();
  for (runtime::Record& record : result.records)
    record.source = name;
  return result;
}

}  // namespace concord::fhir
