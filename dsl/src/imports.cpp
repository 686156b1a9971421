#include "imports.hpp"

#include <map>

#include "concord/dsl/parse.hpp"

namespace concord::dsl {
namespace fs = std::filesystem;

std::string imported_name(const std::string& importer_shown, const std::string& import_path) {
  return (fs::path(importer_shown).parent_path() / fs::path(import_path))
      .lexically_normal()
      .generic_string();
}

namespace {

struct Edge {
  std::size_t to = 0;
  int line = 0;  // of the import
  int column = 0;
};

// Depth-first search for the imports that close a cycle: each is reported once, at the import
// itself, with the files of the cycle in order.
class CycleFinder {
 public:
  CycleFinder(const std::vector<std::vector<Edge>>& edges, const std::vector<SourceFile>& sources,
              std::vector<Diagnostic>& out)
      : edges_(edges), sources_(sources), out_(out), state_(edges.size(), State::unseen) {}

  void run() {
    for (std::size_t i = 0; i < edges_.size(); ++i) {
      if (state_[i] == State::unseen) visit(i);
    }
  }

 private:
  enum class State { unseen, open, done };

  // Iterative, so that a long chain of imports cannot exhaust the stack.
  void visit(std::size_t root) {
    struct Frame {
      std::size_t file;
      std::size_t next = 0;
    };
    std::vector<Frame> stack{{root}};
    state_[root] = State::open;
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.next == edges_[top.file].size()) {
        state_[top.file] = State::done;
        stack.pop_back();
        continue;
      }
      const Edge& edge = edges_[top.file][top.next++];
      if (state_[edge.to] == State::open) {
        report(stack, top.file, edge);
      } else if (state_[edge.to] == State::unseen) {
        state_[edge.to] = State::open;
        stack.push_back({edge.to});
      }
    }
  }

  template <typename Stack>
  void report(const Stack& stack, std::size_t from, const Edge& edge) {
    std::string cycle;
    bool in_cycle = false;
    for (const auto& frame : stack) {
      in_cycle = in_cycle || frame.file == edge.to;
      if (in_cycle) cycle += sources_[frame.file].path + " -> ";
    }
    cycle += sources_[edge.to].path;
    out_.push_back({sources_[from].path, edge.line, edge.column, Severity::error, "import-cycle",
                    "this import closes a cycle: " + cycle,
                    "files in one library share their names, so one of them need not import the "
                    "other: remove this import or move what both need into a third file"});
  }

  const std::vector<std::vector<Edge>>& edges_;
  const std::vector<SourceFile>& sources_;
  std::vector<Diagnostic>& out_;
  std::vector<State> state_;
};

}  // namespace

std::vector<ast::RulesetFile> parse_with_imports(std::vector<SourceFile>& sources,
                                                 std::vector<std::string>& identities,
                                                 const ImportFinder& find,
                                                 std::vector<Diagnostic>& out) {
  std::map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < identities.size(); ++i)
    index_of.emplace(identities[i], i);
  std::vector<std::optional<ast::RulesetFile>> parsed;
  std::vector<std::vector<Edge>> edges;
  // Not a range loop: sources grows as imports are found.
  for (std::size_t i = 0; i < sources.size(); ++i) {
    parsed.push_back(parse(sources[i], out));
    edges.emplace_back();
    if (!parsed[i]) continue;
    for (const ast::ImportDecl& import : parsed[i]->imports) {
      ImportedFile found = find(i, import.path);
      if (!found.text) {
        out.push_back({sources[i].path, import.line, import.column, Severity::error, "unreadable",
                       "cannot import " + found.shown + ": " + found.problem, found.hint});
        continue;
      }
      const auto [it, added] = index_of.emplace(found.identity, sources.size());
      if (added) {
        sources.push_back({found.shown, std::move(*found.text)});
        identities.push_back(found.identity);
      }
      edges[i].push_back({it->second, import.line, import.column});
    }
  }
  CycleFinder(edges, sources, out).run();
  std::vector<ast::RulesetFile> files;
  for (auto& file : parsed) {
    if (file) files.push_back(std::move(*file));
  }
  return files;
}

}  // namespace concord::dsl
