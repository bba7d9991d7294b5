#pragma once
/// \file event/lifecycle.hpp
/// The events of a course's lifecycle: the order, grants, phases, the start in work or
/// education and its end, clarification, contacts, milestones, pauses, closing and reopening,
/// and the citizen's status after closure. Each payload
/// is followed by its field table (see field_table.hpp for the naming rule).

#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "mentorcore/contact.hpp"
#include "mentorcore/date.hpp"
#include "mentorcore/field_table.hpp"
#include "mentorcore/ids.hpp"
#include "mentorcore/phase.hpp"

namespace mentorcore {

/// The municipality orders a course for a citizen. Always the first event of a course.
struct course_ordered {
  course_id course;
  citizen_key citizen;
  municipality_code municipality;
  std::string target_group;                        ///< reference data: target_group
  std::optional<std::string> assessment_category;  ///< reference data: assessment_category
  staff_id caseworker;
  int retention_min_months = 3;  ///< planned retention window, in Danish months
  int retention_max_months = 6;
  friend bool operator==(const course_ordered&, const course_ordered&) = default;
};

template <>
struct payload_traits<course_ordered> {
  static constexpr std::string_view name = "course_ordered";
  static constexpr auto fields = std::make_tuple(
      required_field("course", &course_ordered::course),
      required_field("citizen", &course_ordered::citizen),
      required_field("municipality", &course_ordered::municipality),
      required_field("target_group", &course_ordered::target_group),
      optional_field("assessment_category", &course_ordered::assessment_category),
      required_field("caseworker", &course_ordered::caseworker),
      optional_field("retention_min_months", &course_ordered::retention_min_months),
      optional_field("retention_max_months", &course_ordered::retention_max_months));
};

/// A grant (bevilling): the citizen's plan with the five required fields (goal, mentor and
/// contact, tasks, duration, hours). An extension names its predecessor.
struct grant_made {
  grant_id grant;
  std::string goal;
  staff_id mentor;
  std::string mentor_contact;
  std::string tasks;
  double hours_per_week = 0;
  boost::gregorian::date start;
  boost::gregorian::date end;  ///< inclusive
  std::string legal_basis;     ///< reference data: legal_basis
  std::optional<grant_id> predecessor;
  /// The provider (leverandør) delivering the course under this grant: an organisation id.
  /// Optional, so that logs written before providers were recorded still read.
  std::optional<provider_id> provider;
  friend bool operator==(const grant_made&, const grant_made&) = default;
};

template <>
struct payload_traits<grant_made> {
  static constexpr std::string_view name = "grant_made";
  static constexpr auto fields = std::make_tuple(
      required_field("grant", &grant_made::grant), required_field("goal", &grant_made::goal),
      required_field("mentor", &grant_made::mentor),
      required_field("mentor_contact", &grant_made::mentor_contact),
      required_field("tasks", &grant_made::tasks),
      required_field("hours_per_week", &grant_made::hours_per_week),
      required_field("start", &grant_made::start), required_field("end", &grant_made::end),
      required_field("legal_basis", &grant_made::legal_basis),
      optional_field("predecessor", &grant_made::predecessor),
      optional_field("provider", &grant_made::provider));
};

/// The course moves to another active phase.
struct phase_changed {
  phase to = phase::pre_employment;
  std::string reason;
  friend bool operator==(const phase_changed&, const phase_changed&) = default;
};

template <>
struct payload_traits<phase_changed> {
  static constexpr std::string_view name = "phase_changed";
  static constexpr auto fields = std::make_tuple(required_field("to", &phase_changed::to),
                                                 required_field("reason", &phase_changed::reason));
};

/// The citizen starts work or education (the event's date is the start date).
struct start_recorded {
  start_type type = start_type::ordinary_job;
  std::string employer_or_institution;
  double hours_per_week = 0;
  friend bool operator==(const start_recorded&, const start_recorded&) = default;
};

template <>
struct payload_traits<start_recorded> {
  static constexpr std::string_view name = "start_recorded";
  static constexpr auto fields = std::make_tuple(
      required_field("start_type", &start_recorded::type),
      required_field("employer_or_institution", &start_recorded::employer_or_institution),
      required_field("hours_per_week", &start_recorded::hours_per_week));
};

/// A clarification concluded on a realistic goal.
struct clarification_concluded {
  clarification_outcome outcome = clarification_outcome::job;
  std::string note;
  friend bool operator==(const clarification_concluded&, const clarification_concluded&) = default;
};

template <>
struct payload_traits<clarification_concluded> {
  static constexpr std::string_view name = "clarification_concluded";
  static constexpr auto fields =
      std::make_tuple(required_field("outcome", &clarification_concluded::outcome),
                      optional_field("note", &clarification_concluded::note));
};

/// A contact between mentor and citizen (the event's date is the contact's date).
struct contact_logged {
  staff_id mentor;
  location where = location::home;
  attendance attended = attendance::attended;
  int planned_minutes = 0;
  int actual_minutes = 0;
  bool billable = true;
  std::optional<non_billable_reason> non_billable;
  friend bool operator==(const contact_logged&, const contact_logged&) = default;
};

template <>
struct payload_traits<contact_logged> {
  static constexpr std::string_view name = "contact_logged";
  static constexpr auto fields =
      std::make_tuple(required_field("mentor", &contact_logged::mentor),
                      required_field("location", &contact_logged::where),
                      required_field("attendance", &contact_logged::attended),
                      required_field("planned_minutes", &contact_logged::planned_minutes),
                      required_field("actual_minutes", &contact_logged::actual_minutes),
                      required_field("billable", &contact_logged::billable),
                      optional_field("non_billable_reason", &contact_logged::non_billable));
};

/// An independence milestone recorded by hand (others are derived from contacts and phases).
struct milestone_recorded {
  milestone reached = milestone::first_office_visit;
  friend bool operator==(const milestone_recorded&, const milestone_recorded&) = default;
};

template <>
struct payload_traits<milestone_recorded> {
  static constexpr std::string_view name = "milestone_recorded";
  static constexpr auto fields =
      std::make_tuple(required_field("milestone", &milestone_recorded::reached));
};

/// The course is paused (illness, admission, holiday): the clock stops for durations.
struct course_paused {
  pause_reason reason = pause_reason::other;
  friend bool operator==(const course_paused&, const course_paused&) = default;
};

template <>
struct payload_traits<course_paused> {
  static constexpr std::string_view name = "paused";
  static constexpr auto fields = std::make_tuple(required_field("reason", &course_paused::reason));
};

/// The pause ends.
struct course_resumed {
  friend bool operator==(const course_resumed&, const course_resumed&) = default;
};

template <>
struct payload_traits<course_resumed> {
  static constexpr std::string_view name = "resumed";
  static constexpr auto fields = std::tuple<>();
};

/// The course is closed with a reason. Only an explicit reopen follows.
struct course_closed {
  closure_reason reason = closure_reason::other;
  std::string note;
  friend bool operator==(const course_closed&, const course_closed&) = default;
};

template <>
struct payload_traits<course_closed> {
  static constexpr std::string_view name = "closed";
  static constexpr auto fields = std::make_tuple(required_field("reason", &course_closed::reason),
                                                 optional_field("note", &course_closed::note));
};

/// A closed course is reopened, returning to the phase it was closed in.
struct course_reopened {
  std::string reason;
  friend bool operator==(const course_reopened&, const course_reopened&) = default;
};

template <>
struct payload_traits<course_reopened> {
  static constexpr std::string_view name = "reopened";
  static constexpr auto fields =
      std::make_tuple(required_field("reason", &course_reopened::reason));
};

/// A start in work or education (start_recorded) ended: the event's date is its last day. It ends
/// the latest start that is still ongoing. It may be recorded while the course is open and, after
/// closure, within the follow-up (course_follow_up_months), so that retention can be measured past
/// the end of the course.
struct start_ended {
  start_end_cause cause = start_end_cause::other;
  std::string note;
  friend bool operator==(const start_ended&, const start_ended&) = default;
};

template <>
struct payload_traits<start_ended> {
  static constexpr std::string_view name = "start_ended";
  static constexpr auto fields = std::make_tuple(required_field("cause", &start_ended::cause),
                                                 optional_field("note", &start_ended::note));
};

/// The citizen's status on the event's date, after the course closed: the Jobindsats measure's
/// categories, with where the information came from. Recorded only on a closed course, within the
/// follow-up (course_follow_up_months after closure); it does not reopen the course.
struct status_recorded {
  followup_status status = followup_status::other;
  status_source source = status_source::register_data;
  friend bool operator==(const status_recorded&, const status_recorded&) = default;
};

template <>
struct payload_traits<status_recorded> {
  static constexpr std::string_view name = "status_recorded";
  static constexpr auto fields =
      std::make_tuple(required_field("status", &status_recorded::status),
                      required_field("source", &status_recorded::source));
};

}  // namespace mentorcore
