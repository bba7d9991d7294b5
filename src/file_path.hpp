#pragma once
/// \file file_path.hpp
/// The one check of a file name that io makes before any system call sees it.

#include <string>

#include "mentorcore/error.hpp"

namespace mentorcore::detail {

/// Throws invalid_value_error naming `field` if `path` is empty or holds a NUL byte. The system's
/// calls take a file name as a C string: they would act on the part before the NUL, another file
/// than the one named (`log.jsonl\0.gz` would write `log.jsonl`, and uncompressed).
inline void check_file_path(const std::string& path, const std::string& field = "path") {
  // An empty name is no file: SQLite would open a private temporary database for it, and the
  // error would come later, about something else.
  if (path.empty()) throw invalid_value_error(field, "", "empty: a file name is needed");
  if (path.find('\0') != std::string::npos)
    throw invalid_value_error(field, path, "holds a NUL byte, which no file name can hold");
}

}  // namespace mentorcore::detail
