#pragma once
// gzip compression and decompression with zlib, for the event-log reader and writers.

#include <string>
#include <string_view>

namespace mentorcore::detail {

/// One gzip member with no name and mtime 0, so the same input always gives the same bytes.
/// Concatenated members are one gzip stream, which lets blocks be compressed in parallel.
[[nodiscard]] std::string gzip(std::string_view data);

/// Whether `data` starts with the gzip magic bytes.
[[nodiscard]] bool is_gzip(std::string_view data);

/// Decompresses gzip data, concatenated members included. Throws parse_error naming `source`
/// (line 0) if the data is corrupt or truncated.
[[nodiscard]] std::string gunzip(std::string_view data, std::string_view source);

}  // namespace mentorcore::detail
