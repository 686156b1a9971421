// The FHIR readers against their parsers alone, on the same text: how much the walk from a
// parsed document to Records costs on top of parsing. The figures are the ratios
// read_json / Boost.JSON parse and read_xml / pugixml parse (bench/README.md), and MB/s.
#include <benchmark/benchmark.h>
#include <pugixml.hpp>

#include <boost/json.hpp>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "concord/fhir/read.hpp"

namespace concord {
namespace {

namespace json = boost::json;

const std::string kSample =
    std::string(CONCORD_TEST_DATA) + "/synthea/cd9e9826-aea1-4682-adc0-c1d97633bf31.json";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// FHIR JSON to FHIR XML, by the rules of the FHIR XML page, enough for a Synthea Bundle: a
// resource is an element named by its resourceType in the FHIR namespace, a primitive is an
// element with a value attribute, an array is the element repeated, an extension's url is an
// attribute; resource-valued fields (entry.resource, contained) wrap the resource element. The
// narrative (text.div, XHTML) is left out, as the reader skips it.
void to_xml(pugi::xml_node parent, std::string_view name, const json::value& value);

void resource_to_xml(pugi::xml_node parent, const json::object& resource) {
  const json::value* type = resource.if_contains("resourceType");
  if (type == nullptr || !type->is_string()) return;
  pugi::xml_node element = parent.append_child(std::string(type->get_string()).c_str());
  element.append_attribute("xmlns") = "http://hl7.org/fhir";
  for (const auto& [key, field] : resource) {
    if (key == "resourceType" || key == "text") continue;
    to_xml(element, key, field);
  }
}

void to_xml(pugi::xml_node parent, std::string_view name, const json::value& value) {
  if (const json::array* array = value.if_array()) {
    for (const json::value& item : *array)
      to_xml(parent, name, item);
    return;
  }
  pugi::xml_node element = parent.append_child(std::string(name).c_str());
  if (const json::object* object = value.if_object()) {
    if (object->contains("resourceType")) {
      resource_to_xml(element, *object);
      return;
    }
    if (const json::value* url = object->if_contains("url"); url && url->is_string())
      element.append_attribute("url") = std::string(url->get_string()).c_str();
    for (const auto& [key, field] : *object) {
      if (key == "url" && name.starts_with("extension")) continue;
      to_xml(element, key, field);
    }
    return;
  }
  std::string text;
  if (const json::string* s = value.if_string()) {
    text = std::string(*s);
  } else {
    text = json::serialize(value);
  }
  element.append_attribute("value") = text.c_str();
}

std::string synthea_xml() {
  const json::value bundle = json::parse(slurp(kSample));
  pugi::xml_document document;
  resource_to_xml(document, bundle.as_object());
  std::ostringstream out;
  document.save(out, "  ", pugi::format_indent | pugi::format_no_declaration);
  return out.str();
}

const std::string& json_text() {
  static const std::string text = slurp(kSample);
  return text;
}

const std::string& xml_text() {
  static const std::string text = [] {
    std::string xml = synthea_xml();
    const fhir::ReadResult check = fhir::read_xml(xml, "sample.xml");
    const fhir::ReadResult from_json = fhir::read_json(json_text(), "sample.json");
    if (check.error || check.records.size() != 1 ||
        check.records[0].events.size() != from_json.records.at(0).events.size()) {
      throw std::runtime_error("the converted XML does not read as the JSON does");
    }
    return xml;
  }();
  return text;
}

// As read_json parses: a stream parser into a monotonic arena, max_depth 64.
json::value parse_json(std::string_view text, json::storage_ptr storage) {
  json::parse_options options;
  options.max_depth = 64;
  json::stream_parser parser(json::storage_ptr(), options);
  parser.reset(std::move(storage));
  parser.write(text.data(), text.size());
  parser.finish();
  return parser.release();
}

// Each benchmark first runs its body once untimed: the first large blocks malloc hands out are
// fresh mmaps (page faults on every run) until a free raises glibc's mmap threshold, which
// would otherwise penalise whichever benchmark runs first.
template <typename Body>
void run(benchmark::State& state, std::size_t bytes, const Body& body) {
  body();
  for (auto _ : state)
    body();
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}

void BM_ParseSyntheaBoostJson(benchmark::State& state) {
  const std::string& text = json_text();
  run(state, text.size(), [&] {
    json::monotonic_resource arena;
    json::value value = parse_json(text, &arena);
    benchmark::DoNotOptimize(value);
  });
}
BENCHMARK(BM_ParseSyntheaBoostJson);

void BM_ReadSyntheaJson(benchmark::State& state) {
  const std::string& text = json_text();
  run(state, text.size(), [&] {
    fhir::ReadResult result = fhir::read_json(text, "sample.json");
    benchmark::DoNotOptimize(result);
  });
}
BENCHMARK(BM_ReadSyntheaJson);

void BM_ParseSyntheaPugixml(benchmark::State& state) {
  const std::string& text = xml_text();
  run(state, text.size(), [&] {
    pugi::xml_document document;
    pugi::xml_parse_result parsed =
        document.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
    benchmark::DoNotOptimize(parsed);
    benchmark::DoNotOptimize(document);
  });
}
BENCHMARK(BM_ParseSyntheaPugixml);

void BM_ReadSyntheaXml(benchmark::State& state) {
  const std::string& text = xml_text();
  run(state, text.size(), [&] {
    fhir::ReadResult result = fhir::read_xml(text, "sample.xml");
    benchmark::DoNotOptimize(result);
  });
}
BENCHMARK(BM_ReadSyntheaXml);

}  // namespace
}  // namespace concord
