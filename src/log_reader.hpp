#pragma once
// The event-log reader's line loop, shared by read_events (which keeps every course) and
// read_cohort (which hands each course to a cohort as soon as its last line is read): one
// implementation, so both give the same FILE:LINE: messages, rejected lines and courses.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "log_attribution.hpp"
#include "log_lines.hpp"
#include "mentorcore/event.hpp"
#include "mentorcore/interchange.hpp"
#include "mentorcore/reference_data.hpp"

namespace mentorcore::detail {

/// Where the reader puts the events of the courses it reads.
class log_course_sink {
 public:
  log_course_sink() = default;
  log_course_sink(const log_course_sink&) = delete;
  log_course_sink& operator=(const log_course_sink&) = delete;
  log_course_sink(log_course_sink&&) = delete;
  log_course_sink& operator=(log_course_sink&&) = delete;
  virtual ~log_course_sink() = default;

  /// Starts course `id` with `e` (on `reference`) or appends `e` to it. Throws what the course's
  /// constructor or course::append throws, with the course unchanged. The texts of `e` have
  /// passed detail::accept_free_texts (the line loop's), so they may be appended through
  /// detail::accepted_texts_append.
  virtual void add(std::string_view id, event&& e,
                   const std::shared_ptr<const reference_data>& reference) = 0;
  /// Line `line` (not blank) has been dealt with, whatever became of it. `failed` holds the
  /// courses rejected so far (collect mode) with the line of their first rejected line.
  virtual void line_read(std::size_t line, const collect_course_attribution& failed) = 0;
};

/// Where the lines read start in their log.
struct log_part_start {
  /// Whether the first line may be the log's header (the part starts the log).
  bool at_start = true;
  /// For a part that does not start the log: the reference data its header declared (added to
  /// the options' reference data), or null when it has none.
  std::shared_ptr<const reference_data> reference;
};

/// Reads the lines of `lines` one at a time, so memory holds one line and what `sink` keeps;
/// rejected lines and the count of redacted texts go to `result` (its courses are untouched).
/// Returns the courses rejected (collect mode), for the sink's caller to leave out.
collect_course_attribution read_log_lines(log_line_source& lines, std::string_view source,
                                          const read_options& options, log_course_sink& sink,
                                          read_result& result, const log_part_start& start = {});

/// Whether a parsed line is the log's header: an object whose "type" is "header".
[[nodiscard]] bool is_log_header_line(const simdjson::dom::element& root);

/// The reference data a log's header declares, added to `options.reference`. Throws parse_error
/// if the header cannot be read.
[[nodiscard]] std::shared_ptr<const reference_data> read_log_header(
    const simdjson::dom::element& root, const read_options& options, const std::string& source,
    std::size_t line);

/// The course a valid JSON line names (its "course" string, whole), or "".
[[nodiscard]] std::string course_named_in_line(const simdjson::dom::element& root);

}  // namespace mentorcore::detail
