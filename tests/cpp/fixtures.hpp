#pragma once
// Small builders for the course tests: one realistic course, event by event.

#include "mentorcore/course.hpp"

namespace fixtures {

using namespace mentorcore;

inline date d(int y, int m, int day) {
  return {static_cast<unsigned short>(y), static_cast<unsigned short>(m),
          static_cast<unsigned short>(day)};
}

inline const staff_id& caseworker() {
  static const staff_id id("cw-17");
  return id;
}
inline const staff_id& mentor() {
  static const staff_id id("mentor-4");
  return id;
}

inline event order(const date& on, const std::string& id = "K-1") {
  course_ordered o;
  o.course = course_id(id);
  o.citizen = citizen_key("P-8d2f");
  o.municipality = municipality_code(101);
  o.target_group = "kontanthjaelp_aktivitetsparat";
  o.assessment_category = "aktivitetsparat";
  o.caseworker = caseworker();
  return {on, caseworker(), o};
}

inline event grant(const date& on, const std::string& id, const date& start, const date& end,
                   double hours = 2.0, std::optional<std::string> predecessor = std::nullopt) {
  grant_made g;
  g.grant = grant_id(id);
  g.goal = "Stabil hverdag og afklaring af jobmål";
  g.mentor = mentor();
  g.mentor_contact = "mentor-4 via udbyderens hovednummer";
  g.tasks = "Ugentlige samtaler, følge til aftaler";
  g.hours_per_week = hours;
  g.start = start;
  g.end = end;
  g.legal_basis = "LAB-167";
  if (predecessor) g.predecessor = grant_id(*predecessor);
  return {on, caseworker(), g};
}

inline event to_phase(const date& on, phase to, std::string reason = "plan") {
  return {on, mentor(), phase_changed{to, std::move(reason)}};
}

inline event contact(const date& on, location where, attendance attended = attendance::attended,
                     int minutes = 60) {
  contact_logged c;
  c.mentor = mentor();
  c.where = where;
  c.attended = attended;
  c.planned_minutes = 60;
  c.actual_minutes = attended == attendance::attended ? minutes : 0;
  c.billable = attended == attendance::attended;
  if (!c.billable) c.non_billable = non_billable_reason::citizen_absent;
  return {on, mentor(), c};
}

inline event job_start(const date& on, start_type type = start_type::ordinary_job) {
  return {on, mentor(), start_recorded{type, "Bageriet A/S", 25}};
}

inline event pause(const date& on, pause_reason why = pause_reason::illness) {
  return {on, mentor(), course_paused{why}};
}
inline event resume(const date& on) {
  return {on, mentor(), course_resumed{}};
}
inline event close(const date& on, closure_reason why = closure_reason::job) {
  return {on, caseworker(), course_closed{why, ""}};
}
inline event reopen(const date& on) {
  return {on, caseworker(), course_reopened{"job ended in trial period"}};
}

// A course through every phase: ordered 2024-01-08, started 15 Jan, work trial in April, job
// start 3 June and retention until closure on 2 December 2024.
inline std::vector<event> full_history() {
  return {
      order(d(2024, 1, 8)),
      grant(d(2024, 1, 10), "G1", d(2024, 1, 15), d(2024, 7, 14)),
      to_phase(d(2024, 1, 15), phase::pre_employment, "first meeting at home"),
      contact(d(2024, 1, 15), location::home),
      contact(d(2024, 1, 22), location::home),
      contact(d(2024, 1, 29), location::home, attendance::no_show),
      contact(d(2024, 2, 5), location::provider_office),
      contact(d(2024, 2, 19), location::provider_office),
      pause(d(2024, 2, 20), pause_reason::admission),
      resume(d(2024, 3, 1)),
      to_phase(d(2024, 3, 4), phase::clarification, "ready to look at work"),
      contact(d(2024, 3, 4), location::provider_office, attendance::attended, 90),
      to_phase(d(2024, 4, 2), phase::work_trial, "work trial at a bakery"),
      contact(d(2024, 4, 8), location::workplace),
      job_start(d(2024, 6, 3)),
      to_phase(d(2024, 6, 3), phase::retention, "hired 25 hours a week"),
      grant(d(2024, 7, 1), "G2", d(2024, 7, 15), d(2025, 1, 14), 1.0, "G1"),
      contact(d(2024, 7, 16), location::workplace, attendance::attended, 30),
      close(d(2024, 12, 2), closure_reason::job),
  };
}

}  // namespace fixtures
