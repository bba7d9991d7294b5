// What the event-log reader's tests share (test_interchange.cpp, test_interchange_logs.cpp): a
// reader with the rating scales, the first error it gives, and the line that orders course K-1.
#pragma once

#include <string>

#include "fixtures.hpp"
#include "mentorcore/interchange.hpp"

namespace interchange_lines {

using namespace mentorcore;

inline read_options read_with_scales() {
  read_options options;
  options.reference = fixtures::reference_with_scales();
  return options;
}

inline std::string first_error(const std::string& text,
                               const read_options& options = read_with_scales()) {
  try {
    (void)read_events(text, "events.jsonl", options);
  } catch (const parse_error& e) {
    return e.what();
  }
  return "no error";
}

inline std::string order_line(const std::string& extra = "") {
  return R"({"schema":"mentorcore/1","course":"K-1","type":"course_ordered","date":"2024-01-08","recorded_by":"cw-17",)"
         R"("citizen":"P-8d2f","municipality":101,"target_group":"sygedagpenge","caseworker":"cw-17")" +
         extra + "}\n";
}

}  // namespace interchange_lines
