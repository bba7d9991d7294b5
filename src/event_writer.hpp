#pragma once
// The event-log writer: one JSON object per event, appended to a string. Written by hand rather
// than through a JSON DOM because writing the synthetic national data set (about 15 GB) is
// dominated by it; docs/benchmarks.md has the figures.

#include <cstddef>
#include <string>

#include "mentorcore/event.hpp"
#include "mentorcore/ids.hpp"

namespace mentorcore::detail {

/// Appends the event's line (without the newline): the envelope (schema, course, type, date,
/// recorded_by) and then the payload's fields in their table order. Throws invalid_value_error
/// naming the field if a text is not valid UTF-8; `out` may then hold part of the line.
void append_event_json(std::string& out, const course_id& course, const event& e);

/// Throws invalid_value_error naming the course and the event (its 0-based index) if its line
/// of `length` bytes is longer than max_event_line_bytes, which a reader would refuse.
void check_event_line_length(std::size_t length, const course_id& course, std::size_t index,
                             const event& e);

}  // namespace mentorcore::detail
