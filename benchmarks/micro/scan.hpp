// The bandwidth limit beside each hot loop: a plain pass over the same bytes that sums them, so
// that a loop's bytes per second can be read against what the memory system gives at all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace mentorcore::micro {

/// The sum of `bytes` read as 8-byte words (the tail byte by byte): one load per word, which the
/// compiler vectorises; nothing else is done with the data.
[[nodiscard]] inline std::uint64_t scan_bytes(std::string_view bytes) noexcept {
  std::uint64_t sum = 0;
  std::size_t i = 0;
  for (; i + sizeof(std::uint64_t) <= bytes.size(); i += sizeof(std::uint64_t)) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes.data() + i, sizeof word);
    sum += word;
  }
  for (; i < bytes.size(); ++i) sum += static_cast<unsigned char>(bytes[i]);
  return sum;
}

/// The sum of a column: what a loop that reads only this column costs at the least.
template <class T>
[[nodiscard]] double scan_column(std::span<const T> column) noexcept {
  double sum = 0;
  for (const T value : column) sum += static_cast<double>(value);
  return sum;
}

}  // namespace mentorcore::micro
