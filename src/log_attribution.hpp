#pragma once
// Collect mode's rule for a rejected line: which course it belongs to, so that the whole course
// is left out rather than kept with an event missing (docs/event-schema.md, "Collect mode").

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mentorcore/detail/redact.hpp"
#include "mentorcore/interchange.hpp"

namespace mentorcore::detail {

// The values of the top-level "course" keys of a line that may not be valid JSON (a number
// simdjson refuses, a line cut short), found by a scan that tolerates anything else in the line:
// it follows strings (with their escapes) and nesting, and takes only a "course" key of the
// outermost object whose value is a string that is a valid course id.
[[nodiscard]] std::vector<std::string> scan_line_for_course_ids(std::string_view raw);

// Collect mode's bookkeeping: the courses with a rejected line, and the lines whose course
// could not be told. Such a line is tied to the courses of the nearest lines around it whose
// course is known (the one before it, and the one after it once that is read): mentorcore's
// writers put a course's lines together, so a line belongs to one of its neighbours' courses.
struct collect_course_attribution {
  std::unordered_map<std::string, std::size_t> failed_at;  // course -> line of its first error
  std::string last_known;                                  // the course of the last known line
  struct unresolved {
    std::size_t rejected;  // its index in read_result::rejected
    std::size_t line;
    std::string before;  // the course of the known line before it, if any
  };
  std::vector<unresolved> pending;  // waiting for the next known line

  void reject(const std::string& course, std::size_t line) {
    if (!course.empty()) failed_at.emplace(course, line);
  }

  // A line whose course is known was read (valid or not): it resolves the lines waiting.
  void known(std::string_view course, read_result& result) {
    if (!pending.empty()) {
      const std::string name(course);
      for (const auto& p : pending) {
        reject(name, p.line);
        finish(result.rejected[p.rejected], p.before, name);
      }
      pending.clear();
    }
    if (course != last_known) last_known = course;
  }

  // A rejected line whose course cannot be told.
  void unknown(std::size_t rejected, std::size_t line) {
    reject(last_known, line);
    pending.push_back({rejected, line, last_known});
  }

  // The end of the log: no known line follows the ones waiting.
  void end(read_result& result) {
    for (const auto& p : pending) finish(result.rejected[p.rejected], p.before, "");
    pending.clear();
  }

  static void finish(rejected_line& rejected, const std::string& before, const std::string& after) {
    std::string courses = before;
    if (!after.empty() && after != before) courses += (courses.empty() ? "" : " and ") + after;
    rejected.message += courses.empty()
                            ? "; its course cannot be told, and no line around it names one"
                            : "; its course cannot be told, so the courses of the lines around "
                              "it are left out: " +
                                  courses;
    rejected.message = detail::redact_personal_numbers(rejected.message);
  }
};

}  // namespace mentorcore::detail
