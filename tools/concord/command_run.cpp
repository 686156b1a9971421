#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>

#include "concord/dsl/library.hpp"
#include "concord/fhir/read.hpp"
#include "concord/hosts/read.hpp"
#include "concord/runtime/evaluate.hpp"
#include "concord/runtime/render.hpp"
#include "concord/runtime/today.hpp"
#include "concord/runtime/view.hpp"
#include "options.hpp"
#include "settings.hpp"

namespace concord::tools {
namespace {

// `run` prints the review (text or JSON, optionally with explanations); `explain` prints
// why each decision was made. Both read the same options and records.
enum class Mode { run, explain };

// A file name for one record's document: its id with anything but letters, digits, '.', '-'
// and '_' replaced, so that no id can name a path outside the output folder.
std::string document_name(const runtime::Record& record, const std::string& file_name,
                          std::size_t index, const std::string& format) {
  std::string stem = record.id.empty() ? std::filesystem::path(file_name).stem().string() + "-" +
                                             std::to_string(index + 1)
                                       : record.id;
  for (char& c : stem) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) c = '_';
  }
  if (stem.empty() || stem.front() == '.') stem.insert(0, "record");
  return stem + (format == "letter" ? "-letter.html" : ".html");
}

bool is_locale_tag(const std::string& tag) {
  if (tag.empty() || tag.size() > 35) return false;
  for (char c : tag) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return runtime::language_of(tag).size() >= 2 && runtime::language_of(tag).size() <= 3;
}

int evaluate_records(const std::vector<std::string>& args, Mode mode) {
  const std::string command = mode == Mode::run ? "run" : "explain";
  const std::string synopsis =
      mode == Mode::run
          ? "concord run [--config FILE] [--rulesets DIR] [--date YYYY-MM-DD] [--locale TAG] "
            "[--format text|json|html|letter|fhir] [--explain] [--output DIR] RECORD..."
          : "concord explain [--config FILE] [--rulesets DIR] [--date YYYY-MM-DD] RECORD";
  po::options_description options(command + " options");
  add_config_option(options);
  options.add_options()(
      "rulesets", po::value<std::string>(),
      "rulesets folder (default: the configuration's, else the shipped rulesets)")(
      "date", po::value<std::string>(), "evaluation date, YYYY-MM-DD (default: today)");
  if (mode == Mode::run) {
    options.add_options()(
        "format", po::value<std::string>()->default_value("text"),
        "text, json, html (the review view), letter (the letter to the person) or fhir (a FHIR "
        "R4 Bundle, through the fhir_careplan plugin)")(
        "locale", po::value<std::string>()->default_value("en-GB"),
        "the language of html, letter and text output, a BCP 47 tag (en-GB, cy; default: the "
        "configuration's)")(
        "output", po::value<std::string>(),
        "with --format html or letter: write one file per record into this folder")(
        "explain", "with --format json: add why each decision was made (\"explain\")");
  }
  po::variables_map vm;
  if (auto exit = parse_options(command, synopsis, args, options, "RECORD", vm)) return *exit;
  Settings settings;
  if (auto exit = resolve_settings(command, vm, settings)) return *exit;

  const std::string format = mode == Mode::run ? vm["format"].as<std::string>() : "text";
  if (format != "text" && format != "json" && format != "html" && format != "letter" &&
      format != "fhir") {
    std::cerr << "concord run: unknown --format '" << format
              << "' (use text, json, html, letter or fhir)\n";
    return kExitUsage;
  }
  // --format fhir: the contract's JSON output of each record through the renderer plugin
  // whose format is "fhir", loaded from the configured plugin folders.
  std::optional<runtime::plugins::PluginRenderer> renderer;
  if (format == "fhir") {
    for (const auto& plugin : settings.load_plugins(command)) {
      if (plugin->kind() != CONCORD_PLUGIN_RENDERER) continue;
      runtime::plugins::PluginRenderer candidate(plugin);
      if (candidate.format() == "fhir") {
        renderer.emplace(std::move(candidate));
        break;
      }
    }
    if (!renderer) {
      std::cerr << "concord run: --format fhir needs a renderer plugin for fhir and none is "
                   "loaded; looked in: "
                << settings.plugin_folders_text()
                << ". Install the fhir_careplan plugin (libconcord_fhir_careplan.so) into a "
                   "configured plugin folder and check it with 'concord plugins list'\n";
      return kExitUsage;
    }
  }
  const bool document = format == "html" || format == "letter";
  runtime::ViewOptions view;
  if (mode == Mode::run) view.locale = settings.locale;
  if (!is_locale_tag(view.locale)) {
    std::cerr << "concord run: --locale '" << view.locale
              << "' is not a language tag; write it as BCP 47, e.g. en-GB or cy\n";
    return kExitUsage;
  }
  std::optional<std::filesystem::path> output;
  if (mode == Mode::run && vm.count("output")) {
    if (!document) {
      std::cerr << "concord run: --output is for --format html or letter\n";
      return kExitUsage;
    }
    output = vm["output"].as<std::string>();
    std::error_code failure;
    std::filesystem::create_directories(*output, failure);
    if (failure) {
      std::cerr << "concord run: cannot make the output folder " << output->string() << ": "
                << failure.message() << "\n";
      return kExitUsage;
    }
  }
  const bool with_explanations = mode == Mode::explain || vm.count("explain");
  runtime::Date date = runtime::today_local();
  if (vm.count("date")) {
    const auto parsed = runtime::Date::parse_iso(vm["date"].as<std::string>());
    if (!parsed) {
      std::cerr << "concord " << command << ": --date '" << vm["date"].as<std::string>()
                << "' is not a calendar date; write it as YYYY-MM-DD, e.g. 2026-12-01\n";
      return kExitUsage;
    }
    date = *parsed;
  }
  const dsl::LoadResult library =
      dsl::load_library(settings.rulesets, settings.extensions(command));
  if (!library.ok()) {
    std::cerr << dsl::format_text(library.diagnostics, library.sources) << "concord " << command
              << ": the rulesets in " << settings.rulesets_text()
              << " have errors; fix them (concord check shows them all) and run again\n";
    return kExitUsage;
  }
  const runtime::Program& program = *library.program;
  const auto locales = program.messages.locales();
  if (view.locale != runtime::Messages::default_locale &&
      std::none_of(locales.begin(), locales.end(), [&](const std::string& tag) {
        return tag == view.locale || tag == runtime::language_of(view.locale);
      })) {
    std::cerr << "concord " << command << ": warning: the rulesets have no texts for locale '"
              << view.locale << "'; their own texts are shown instead\n";
  }

  int status = kExitOk;
  bool first = true;
  for (const auto& path : vm["RECORD"].as<std::vector<std::string>>()) {
    const fhir::ReadResult read = hosts::read_record_file(path);
    if (read.error) {
      std::cerr << read.error->source << (read.error->where.empty() ? "" : ":") << read.error->where
                << ": error: " << read.error->message << "\n";
      if (!read.error->hint.empty()) std::cerr << "  hint: " << read.error->hint << "\n";
      status = kExitUsage;
      continue;
    }
    // The output names the file only, never the machine's path to it.
    const std::string file_name = std::filesystem::path(path).filename().string();
    std::vector<runtime::OutputNote> notes;
    for (const auto& w : read.warnings) {
      notes.push_back(
          {"warning", w.where.empty() ? file_name : file_name + ":" + w.where, w.message});
    }
    for (std::size_t index = 0; index < read.records.size(); ++index) {
      const runtime::Record& record = read.records[index];
      const runtime::Evaluation evaluation = runtime::evaluate(program, record, date);
      std::vector<runtime::Explanation> explanations;
      if (with_explanations) explanations = runtime::explain(program, record, evaluation);
      if (format == "letter" && evaluation.deceased) {
        // Never a letter to someone who has died.
        std::cerr << "concord run: " << file_name << ": no letter for record "
                  << (record.id.empty() ? "(no id)" : record.id) << ": "
                  << runtime::deceased_text(evaluation) << "\n";
        continue;
      }
      if (document) {
        const std::string html =
            format == "html" ? runtime::render_review_html(program, record, evaluation, view)
                             : runtime::render_letter_html(program, record, evaluation, view);
        if (!output) {
          std::cout << html;
        } else {
          const std::filesystem::path target =
              *output / document_name(record, file_name, index, format);
          std::ofstream file(target, std::ios::binary);
          file << html;
          file.close();
          if (!file) {
            std::cerr << "concord run: cannot write " << target.string() << "\n";
            status = kExitUsage;
          } else {
            std::cout << target.string() << "\n";
          }
        }
      } else if (renderer) {
        std::string error;
        const auto bundle =
            renderer->render(runtime::render_json(program, record, evaluation, notes), error);
        if (!bundle) {
          std::cerr << "concord run: " << file_name << ": the " << renderer->format()
                    << " renderer failed: " << error << "\n";
          status = kExitUsage;
        } else {
          std::cout << *bundle << "\n";
        }
      } else if (format == "json") {
        std::cout << runtime::render_json(program, record, evaluation, notes,
                                          with_explanations ? &explanations : nullptr)
                  << "\n";
      } else {
        std::cout << (first ? "" : "\n")
                  << (mode == Mode::explain
                          ? runtime::render_explain_text(record, evaluation, explanations)
                          : runtime::render_text(program, record, evaluation, view.locale));
      }
      first = false;
    }
  }
  return status;
}

}  // namespace

int command_run(const std::vector<std::string>& args) {
  return evaluate_records(args, Mode::run);
}

int command_explain(const std::vector<std::string>& args) {
  return evaluate_records(args, Mode::explain);
}

}  // namespace concord::tools
