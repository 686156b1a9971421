#include "source_map.hpp"

#include <algorithm>

namespace concord::dsl {

namespace {
bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}
}  // namespace

SourceMap::SourceMap(std::string_view text) : text_(text) {
  line_starts_.push_back(0);
  continuations_before_block_.reserve(text.size() / block_size + 1);
  std::size_t continuations = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i % block_size == 0) continuations_before_block_.push_back(continuations);
    if (i == text.size()) break;
    if (text[i] == '\n') line_starts_.push_back(i + 1);
    if (is_continuation(text[i])) ++continuations;
  }
}

std::size_t SourceMap::continuation_bytes_before(std::size_t offset) const {
  const std::size_t block = offset / block_size;
  std::size_t count = continuations_before_block_[block];
  for (std::size_t i = block * block_size; i < offset; ++i) {
    if (is_continuation(text_[i])) ++count;
  }
  return count;
}

LineColumn SourceMap::locate(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  const auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<std::size_t>(after - line_starts_.begin());  // >= 1
  const std::size_t start = line_starts_[line - 1];
  // Characters, not bytes: continuation bytes (10xxxxxx) belong to the character before.
  const std::size_t characters =
      (offset - start) - (continuation_bytes_before(offset) - continuation_bytes_before(start));
  return {static_cast<int>(line), static_cast<int>(characters) + 1};
}

std::string_view SourceMap::line_text(int line) const {
  if (line < 1 || static_cast<std::size_t>(line) > line_starts_.size()) return {};
  const std::size_t begin = line_starts_[line - 1];
  std::size_t end =
      static_cast<std::size_t>(line) < line_starts_.size() ? line_starts_[line] - 1 : text_.size();
  if (end > begin && text_[end - 1] == '\r') --end;
  return text_.substr(begin, end - begin);
}

std::size_t find_invalid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    // The well-formed sequences of Unicode Table 3-7: no overlongs, surrogates or > U+10FFFF.
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return i;
    }
    if (i + length > size) return i;
    if (bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (std::size_t k = 2; k < length; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

}  // namespace concord::dsl
