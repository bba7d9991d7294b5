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

/// A pass over a column's bytes: what a loop that reads only this column costs at the least.
/// The bytes are summed as integers (scan_bytes), not the values as doubles: a sum of doubles
/// waits on the previous addition at every value (floating-point addition is not reassociated),
/// which would make the "bandwidth limit" a latency limit, several times slower than memory.
template <class T>
[[nodiscard]] std::uint64_t scan_column(std::span<const T> column) noexcept {
  const std::span<const std::byte> bytes = std::as_bytes(column);
  return scan_bytes({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

}  // namespace mentorcore::micro
