#pragma once
/// \file phase.hpp
/// The course lifecycle: phases, the moves between them, and the reasons that go with pauses,
/// starts in work or education, clarification outcomes, closures and independence milestones.

#include <array>
#include <cstdint>
#include <string_view>

#include "mentorcore/enum.hpp"

namespace mentorcore {

/// The phase a course is in. Paths are not linear: skips and moves back are allowed.
enum class phase : std::uint8_t {
  referred,        ///< henvist/bestilt: ordered, not started
  pre_employment,  ///< før-beskæftigelsesrettet indsats: everyday life, relationship, motivation
  clarification,   ///< afklaring: working out the realistic goal
  work_trial,      ///< praktik / arbejdsprøvning
  retention,       ///< fastholdelse: after a start in job or education (or a clarification outcome)
  closed,          ///< afsluttet, with a closure reason
};

template <>
struct enum_traits<phase> {
  static constexpr std::string_view type_name = "phase";
  static constexpr std::array<std::string_view, 6> names = {
      "referred", "pre_employment", "clarification", "work_trial", "retention", "closed"};
};

/// Whether a phase_changed event may move a course from `from` to `to`. Every move between the
/// active phases (pre_employment, clarification, work_trial, retention) is allowed, forward, back
/// or skipping; from referred a course may enter any active phase. Nothing moves back to
/// referred, and closing and reopening are events of their own.
[[nodiscard]] constexpr bool phase_change_allowed(phase from, phase to) noexcept {
  if (from == to || from == phase::closed) return false;
  return to != phase::referred && to != phase::closed;
}

/// Why a course is paused: the pause stops the clock for durations.
enum class pause_reason : std::uint8_t { illness, admission, holiday, other };

template <>
struct enum_traits<pause_reason> {
  static constexpr std::string_view type_name = "pause_reason";
  static constexpr std::array<std::string_view, 4> names = {"illness", "admission", "holiday",
                                                            "other"};
};

/// The kind of start in work or education that opens retention.
enum class start_type : std::uint8_t { ordinary_job, flex_job, education, wage_subsidy };

template <>
struct enum_traits<start_type> {
  static constexpr std::string_view type_name = "start_type";
  static constexpr std::array<std::string_view, 4> names = {"ordinary_job", "flex_job", "education",
                                                            "wage_subsidy"};
};

/// The realistic goal a clarification concluded on.
enum class clarification_outcome : std::uint8_t {
  job,
  education,
  flex_job,
  pension,
  other_measure
};

template <>
struct enum_traits<clarification_outcome> {
  static constexpr std::string_view type_name = "clarification_outcome";
  static constexpr std::array<std::string_view, 5> names = {"job", "education", "flex_job",
                                                            "pension", "other_measure"};
};

/// Why a course was closed.
enum class closure_reason : std::uint8_t {
  job,
  flex_job,
  education,
  other_measure,
  pension,
  moved,
  sick,
  dropped_out,
  grant_expired,
  deceased,
  other,
};

template <>
struct enum_traits<closure_reason> {
  static constexpr std::string_view type_name = "closure_reason";
  static constexpr std::array<std::string_view, 11> names = {
      "job",  "flex_job",    "education",     "other_measure", "pension", "moved",
      "sick", "dropped_out", "grant_expired", "deceased",      "other"};
};

/// Why a start in work or education ended (start_ended).
enum class start_end_cause : std::uint8_t {
  dismissed,            ///< the employer ended the job
  quit,                 ///< the citizen left the job
  contract_ended,       ///< a fixed-term job or subsidised position ran out
  trial_period_failed,  ///< ended within the trial period
  education_dropped,    ///< the citizen left the education without finishing it
  completed,            ///< the education (or a fixed course of work) was finished
  other,
};

template <>
struct enum_traits<start_end_cause> {
  static constexpr std::string_view type_name = "start_end_cause";
  static constexpr std::array<std::string_view, 7> names = {
      "dismissed",         "quit",      "contract_ended", "trial_period_failed",
      "education_dropped", "completed", "other"};
};

/// The citizen's status on a date after the course closed (status_recorded): the categories of
/// the Jobindsats measure "arbejdsmarkedsstatus efter afsluttet forløb" (docs/data-model.md).
enum class followup_status : std::uint8_t {
  in_work,          ///< ordinary job, flex job or subsidised job
  in_education,     ///< ordinary education
  on_benefit,       ///< receiving a public benefit (kontanthjælp, sygedagpenge, ...)
  self_supporting,  ///< neither working nor on benefit, and supporting themselves
  other,            ///< pension, moved, deceased, or anything else
};

template <>
struct enum_traits<followup_status> {
  static constexpr std::string_view type_name = "followup_status";
  static constexpr std::array<std::string_view, 5> names = {"in_work", "in_education", "on_benefit",
                                                            "self_supporting", "other"};
};

/// Where a status after closure comes from.
enum class status_source : std::uint8_t {
  register_data,    ///< "register": a public register (eIndkomst, DREAM, the benefit system)
  citizen_contact,  ///< the citizen said so
  employer,         ///< the employer or the place of education said so
};

template <>
struct enum_traits<status_source> {
  static constexpr std::string_view type_name = "status_source";
  static constexpr std::array<std::string_view, 3> names = {"register", "citizen_contact",
                                                            "employer"};
};

/// Steps on the independence ladder (help to self-help).
enum class milestone : std::uint8_t {
  first_office_visit,           ///< meets at the provider's office instead of at home
  first_own_appointment_alone,  ///< attends an own appointment (doctor, treatment) alone
  work_trial_start,             ///< starts an internship or work trial
  job_or_education_start,       ///< starts work or education
};

template <>
struct enum_traits<milestone> {
  static constexpr std::string_view type_name = "milestone";
  static constexpr std::array<std::string_view, 4> names = {
      "first_office_visit", "first_own_appointment_alone", "work_trial_start",
      "job_or_education_start"};
};

}  // namespace mentorcore
