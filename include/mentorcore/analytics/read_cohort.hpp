#pragma once
/// \file analytics/read_cohort.hpp
/// Reading a cohort straight from event-log files, without keeping `course` objects: each course
/// is validated exactly as read_events validates it, turned into rows as soon as its last line
/// has been read, and dropped. Several files, or one large file (a gzip one in pieces of its
/// text as it is inflated), are read on several threads; the result is the same, row for row, as
/// with one thread, and the same as cohort::from_courses over what read_events gives for the same
/// files. Compiled in mentorcore::io (docs/cohort.md, "Reading a cohort from event logs").

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "mentorcore/analytics/cohort.hpp"
#include "mentorcore/interchange.hpp"

namespace mentorcore {

/// How to read a cohort: read_events' options, and how to use the machine.
struct cohort_read_options : read_options {
  /// Threads to read with; 0: one per core.
  unsigned threads = 0;
  /// Called now and then with the bytes read so far and the bytes to read (every file is read
  /// twice, so both count each file's size twice; a pipe's bytes count once, when read), from
  /// the calling thread only, and once more at the end. It may throw to stop the read (for
  /// example on a keyboard interrupt): the threads stop and its exception propagates.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
  /// The smallest part a large plain file is split into for reading on several threads, and the
  /// size of the pieces (at most 2 MiB) a gzip file's text is handed to the threads in, as it
  /// is inflated (tuning and tests; the default keeps the cost of a part negligible).
  std::uint64_t min_part_bytes = std::uint64_t{8} << 20;
};

/// A line that was not loaded, the file it is in, and why.
struct cohort_rejected_line {
  std::string file;
  std::size_t line = 0;
  std::string course;  ///< the course it belongs to, when known
  std::string message;
  friend bool operator==(const cohort_rejected_line&, const cohort_rejected_line&) = default;
};

/// What reading a cohort produced.
struct cohort_read_result {
  mentorcore::cohort cohort;  ///< the courses whose every line was valid, in order of first line
  std::vector<cohort_rejected_line> rejected;  ///< file by file, in line order
  /// As read_result::redacted_texts, summed over the files.
  std::size_t redacted_texts = 0;
};

/// Reads event-log files (plain or gzip; a pipe such as /dev/fd/N too) into a cohort: the same
/// courses, rejected lines, errors and messages as read_events_file on each file in turn followed
/// by cohort::from_courses, without keeping the courses. Without collect_errors the first bad
/// line (of the first file that has one) throws parse_error and nothing is returned. Throws
/// parse_error naming the path (line 0) if a path does not exist or is a directory, before
/// reading anything, and parse_error naming the field "course" if a course's lines are in two
/// files (in both modes: the files do not make one log).
[[nodiscard]] cohort_read_result read_cohort(std::span<const std::string> paths,
                                             const cohort_read_options& options = {});
/// The same, for one file.
[[nodiscard]] cohort_read_result read_cohort(const std::string& path,
                                             const cohort_read_options& options = {});

}  // namespace mentorcore
