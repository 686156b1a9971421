// Turns byte offsets into the line and column a person sees, and back into source lines.
// Built once per file so that locating a node costs O(log lines), never a rescan of the line:
// the parser locates every node, and a file may be one very long line.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace concord::dsl {

struct LineColumn {
  int line = 1;
  int column = 1;
};

class SourceMap {
 public:
  explicit SourceMap(std::string_view text);

  // Columns count UTF-8 code points, so a caret lines up under non-ASCII text.
  LineColumn locate(std::size_t offset) const;
  // The text of a 1-based line without its line ending; empty if there is no such line.
  std::string_view line_text(int line) const;

 private:
  // UTF-8 continuation bytes in text_[0, offset), for columns in characters.
  std::size_t continuation_bytes_before(std::size_t offset) const;

  static constexpr std::size_t block_size = 64;
  std::string_view text_;
  std::vector<std::size_t> line_starts_;
  std::vector<std::size_t> continuations_before_block_;  // before each block_size-byte block
};

// Offset of the first byte that is not valid UTF-8, or npos when the text is valid.
std::size_t find_invalid_utf8(std::string_view text);

}  // namespace concord::dsl
