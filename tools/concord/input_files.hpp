// Expanding command-line paths into the files a command works on: files as given, folders
// searched recursively for one extension, in path order so runs are reproducible.
#pragma once

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace concord::tools {

// Prints what is wrong (naming the command and the path) and returns nullopt when a path
// does not exist, or when a folder holds no file with the extension.
inline std::optional<std::vector<std::filesystem::path>> files_with_extension(
    const std::vector<std::string>& args, std::string_view extension, std::string_view command) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto& arg : args) {
    const fs::path path(arg);
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> found;
      for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == extension && it->is_regular_file(ec)) {
          found.push_back(it->path());
        }
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) {
        std::cerr << "concord " << command << ": " << arg << ": no *" << extension
                  << " files in this folder\n";
        return std::nullopt;
      }
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, ec)) {
      files.push_back(path);
    } else {
      std::cerr << "concord " << command << ": " << arg << ": no such file or folder; pass *"
                << extension << " files or folders of them\n";
      return std::nullopt;
    }
  }
  return files;
}

}  // namespace concord::tools
