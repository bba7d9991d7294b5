#pragma once
/// \file outcome.hpp
/// One vocabulary of outcomes, and how the model's four outcome vocabularies map onto it.
///
/// A course names what the citizen moves to in four places, each with its own words: the kind of
/// start recorded (start_type), the goal a clarification concluded on (clarification_outcome),
/// the reason the course was closed (closure_reason) and the status after closure
/// (followup_status). `outcome` is the one vocabulary analyses group by; the functions below are
/// the one table that maps the others onto it (docs/data-model.md, "Outcomes"). Python:
/// mentorcore.outcome_of and mentorcore.outcome_table().

#include <array>
#include <cstdint>
#include <string_view>

#include "mentorcore/enum.hpp"
#include "mentorcore/phase.hpp"

namespace mentorcore {

/// Where a citizen goes: the common outcome vocabulary.
enum class outcome : std::uint8_t {
  job,             ///< an ordinary job
  flex_job,        ///< a flex job (fleksjob)
  subsidised_job,  ///< a job with wage subsidy (løntilskud)
  education,       ///< an ordinary education
  other_measure,   ///< another employment measure
  pension,         ///< a pension (førtidspension)
  no_outcome,      ///< none of the above: moved, sick, dropped out, grant expired, deceased, other
};

template <>
struct enum_traits<outcome> {
  static constexpr std::string_view type_name = "outcome";
  static constexpr std::array<std::string_view, 7> names = {
      "job", "flex_job", "subsidised_job", "education", "other_measure", "pension", "no_outcome"};
};

/// Whether an outcome is a start in work or education (the product's main result).
[[nodiscard]] constexpr bool is_work_or_education(outcome o) noexcept {
  return o == outcome::job || o == outcome::flex_job || o == outcome::subsidised_job ||
         o == outcome::education;
}

[[nodiscard]] constexpr outcome outcome_of(start_type type) noexcept {
  switch (type) {
    case start_type::ordinary_job: return outcome::job;
    case start_type::flex_job: return outcome::flex_job;
    case start_type::education: return outcome::education;
    case start_type::wage_subsidy: return outcome::subsidised_job;
  }
  return outcome::no_outcome;
}

[[nodiscard]] constexpr outcome outcome_of(clarification_outcome concluded) noexcept {
  switch (concluded) {
    case clarification_outcome::job: return outcome::job;
    case clarification_outcome::education: return outcome::education;
    case clarification_outcome::flex_job: return outcome::flex_job;
    case clarification_outcome::pension: return outcome::pension;
    case clarification_outcome::other_measure: return outcome::other_measure;
  }
  return outcome::no_outcome;
}

/// A closure for `job` covers every paid job (closure_reason has no word for a subsidised one).
[[nodiscard]] constexpr outcome outcome_of(closure_reason reason) noexcept {
  switch (reason) {
    case closure_reason::job: return outcome::job;
    case closure_reason::flex_job: return outcome::flex_job;
    case closure_reason::education: return outcome::education;
    case closure_reason::other_measure: return outcome::other_measure;
    case closure_reason::pension: return outcome::pension;
    default: return outcome::no_outcome;
  }
}

/// The status after closure that an outcome corresponds to: the Jobindsats category a citizen
/// with that outcome is counted in, while it lasts.
[[nodiscard]] constexpr followup_status followup_status_of(outcome o) noexcept {
  switch (o) {
    case outcome::job:
    case outcome::flex_job:
    case outcome::subsidised_job: return followup_status::in_work;
    case outcome::education: return followup_status::in_education;
    case outcome::other_measure: return followup_status::on_benefit;
    case outcome::pension:
    case outcome::no_outcome: return followup_status::other;
  }
  return followup_status::other;
}

}  // namespace mentorcore
