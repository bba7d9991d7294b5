#pragma once
// Reading a file the tests wrote, whole and byte for byte.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace fixtures {

inline std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace fixtures
