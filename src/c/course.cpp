// The course handle of the C interface: its id, phase, events, and its event-log lines.

#include <memory>
#include <span>
#include <string>

#include "c_state.hpp"
#include "handles.hpp"
#include "mentorcore/c/mentorcore.h"
#include "mentorcore/course.hpp"
#include "mentorcore/enum.hpp"
#include "mentorcore/interchange.hpp"
#include "mentorcore/phase.hpp"

extern "C" {

void mc_course_free(mc_course* course) {
  const std::unique_ptr<mc_course> owned(course);
}

mc_status mc_course_id(const mc_course* course, const char** out) {
  return mentorcore::c_api::guarded([&] {
    const mc_course& c = *mentorcore::c_api::require(course, "course");
    mentorcore::c_api::require(out, "out");
    *out = c.course.id().str().c_str();
  });
}

mc_status mc_course_phase(const mc_course* course, const char** out) {
  return mentorcore::c_api::guarded([&] {
    const mc_course& c = *mentorcore::c_api::require(course, "course");
    mentorcore::c_api::require(out, "out");
    // The names are string literals (enum_traits<phase>::names), so NUL-terminated and static.
    *out = mentorcore::to_string(c.course.current_phase()).data();
  });
}

mc_status mc_course_event_count(const mc_course* course, size_t* out) {
  return mentorcore::c_api::guarded([&] {
    const mc_course& c = *mentorcore::c_api::require(course, "course");
    mentorcore::c_api::require(out, "out");
    *out = c.course.events().size();
  });
}

mc_status mc_course_events_json(const mc_course* course, char** out, size_t* len) {
  return mentorcore::c_api::guarded([&] {
    const mc_course& c = *mentorcore::c_api::require(course, "course");
    mentorcore::c_api::require(out, "out");
    const std::string lines =
        mentorcore::write_events(std::span<const mentorcore::course>(&c.course, 1));
    mentorcore::c_api::hand_over(lines, out, len);
  });
}

}  // extern "C"
