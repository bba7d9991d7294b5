#pragma once
// gzip (de)compression with zlib, shared by the event-log reader and writers.

#include <string>
#include <string_view>

namespace mentorcore::detail {

/// One gzip member with no name and mtime 0, so the same input always gives the same bytes.
/// Concatenated members are one gzip stream, which lets blocks be compressed in parallel.
[[nodiscard]] std::string gzip(std::string_view data);

}  // namespace mentorcore::detail
