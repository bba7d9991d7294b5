#pragma once
/// \file event/relationship.hpp
/// The events of the working relationship: stages of change, change talk, ratings, goals and
/// steps, successes, and what is known about the person. Each payload is followed by its field
/// table (see field_table.hpp for the naming rule).

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "mentorcore/date.hpp"
#include "mentorcore/field_table.hpp"
#include "mentorcore/ids.hpp"
#include "mentorcore/instrument.hpp"
#include "mentorcore/knowledge.hpp"
#include "mentorcore/motivation.hpp"

namespace mentorcore {

/// The largest |score| of a stage assessment and the top of a ruler scale a course accepts.
inline constexpr int max_stage_score = 1000;
inline constexpr int max_ruler_value = 100;

/// A stage of change assessed for one target behaviour. Rulers store their scale bounds.
struct stage_assessed {
  std::string behaviour;  ///< the target behaviour, e.g. "attends_appointments_alone"
  stage assessed = stage::precontemplation;
  assessment_method method = assessment_method::clinical_judgement;
  staff_id assessor;
  std::optional<double> score;  ///< the method's score, e.g. URICA readiness; |score| <= 1000
  std::optional<double> importance;
  std::optional<double> confidence;
  std::optional<double> readiness;
  int ruler_min = 0;  ///< the rulers' scale: 0-10 by default, some use 1-10; within 0-100
  int ruler_max = 10;
  friend bool operator==(const stage_assessed&, const stage_assessed&) = default;
};

template <>
struct payload_traits<stage_assessed> {
  static constexpr std::string_view name = "stage_assessed";
  static constexpr auto fields =
      std::make_tuple(required_field("behaviour", &stage_assessed::behaviour),
                      required_field("stage", &stage_assessed::assessed),
                      required_field("method", &stage_assessed::method),
                      required_field("assessor", &stage_assessed::assessor),
                      optional_field("score", &stage_assessed::score),
                      optional_field("importance", &stage_assessed::importance),
                      optional_field("confidence", &stage_assessed::confidence),
                      optional_field("readiness", &stage_assessed::readiness),
                      optional_field("ruler_min", &stage_assessed::ruler_min),
                      optional_field("ruler_max", &stage_assessed::ruler_max));
};

/// Motivational-interviewing talk counted in a session: change talk (DARN-CAT) and sustain talk.
struct talk_counted {
  int desire = 0;
  int ability = 0;
  int reasons = 0;
  int need = 0;
  int commitment = 0;
  int activation = 0;
  int taking_steps = 0;
  int sustain = 0;
  [[nodiscard]] int change_talk() const {
    return desire + ability + reasons + need + commitment + activation + taking_steps;
  }
  friend bool operator==(const talk_counted&, const talk_counted&) = default;
};

template <>
struct payload_traits<talk_counted> {
  static constexpr std::string_view name = "talk_counted";
  static constexpr auto fields =
      std::make_tuple(optional_field("desire", &talk_counted::desire),
                      optional_field("ability", &talk_counted::ability),
                      optional_field("reasons", &talk_counted::reasons),
                      optional_field("need", &talk_counted::need),
                      optional_field("commitment", &talk_counted::commitment),
                      optional_field("activation", &talk_counted::activation),
                      optional_field("taking_steps", &talk_counted::taking_steps),
                      optional_field("sustain", &talk_counted::sustain));
};

/// A rating on a user-defined instrument (defined in the course's reference data).
struct rating_recorded {
  std::string instrument;
  std::vector<double> answers;
  rater rated_by = rater::citizen;
  std::optional<std::string> age_band;  ///< which cut-off applies
  friend bool operator==(const rating_recorded&, const rating_recorded&) = default;
};

template <>
struct payload_traits<rating_recorded> {
  static constexpr std::string_view name = "rating_recorded";
  static constexpr auto fields =
      std::make_tuple(required_field("instrument", &rating_recorded::instrument),
                      required_field("answers", &rating_recorded::answers),
                      required_field("rated_by", &rating_recorded::rated_by),
                      optional_field("age_band", &rating_recorded::age_band));
};

/// A goal in the citizen's own words.
struct goal_set {
  goal_id goal;
  std::string text;
  friend bool operator==(const goal_set&, const goal_set&) = default;
};

template <>
struct payload_traits<goal_set> {
  static constexpr std::string_view name = "goal_set";
  static constexpr auto fields = std::make_tuple(required_field("goal", &goal_set::goal),
                                                 required_field("text", &goal_set::text));
};

/// A goal's status changes, or its wording is revised.
struct goal_updated {
  goal_id goal;
  goal_status status = goal_status::active;
  std::optional<std::string> text;
  friend bool operator==(const goal_updated&, const goal_updated&) = default;
};

template <>
struct payload_traits<goal_updated> {
  static constexpr std::string_view name = "goal_updated";
  static constexpr auto fields = std::make_tuple(required_field("goal", &goal_updated::goal),
                                                 required_field("status", &goal_updated::status),
                                                 optional_field("text", &goal_updated::text));
};

/// An action step towards a goal.
struct step_planned {
  step_id step;
  goal_id goal;
  std::string text;
  std::optional<boost::gregorian::date> due;
  friend bool operator==(const step_planned&, const step_planned&) = default;
};

template <>
struct payload_traits<step_planned> {
  static constexpr std::string_view name = "step_planned";
  static constexpr auto fields = std::make_tuple(
      required_field("step", &step_planned::step), required_field("goal", &step_planned::goal),
      required_field("text", &step_planned::text), optional_field("due", &step_planned::due));
};

/// An action step is done, and by whom.
struct step_done {
  step_id step;
  step_doer done_by = step_doer::citizen_alone;
  friend bool operator==(const step_done&, const step_done&) = default;
};

template <>
struct payload_traits<step_done> {
  static constexpr std::string_view name = "step_done";
  static constexpr auto fields = std::make_tuple(required_field("step", &step_done::step),
                                                 required_field("done_by", &step_done::done_by));
};

/// A small success, in a log of its own.
struct success_logged {
  std::string text;
  friend bool operator==(const success_logged&, const success_logged&) = default;
};

template <>
struct payload_traits<success_logged> {
  static constexpr std::string_view name = "success_logged";
  static constexpr auto fields = std::make_tuple(required_field("text", &success_logged::text));
};

/// Something learnt about the person, with its data category and legal basis for sharing.
struct knowledge_recorded {
  knowledge_id item;
  std::string category;  ///< a standard category or a user-defined one
  std::string text;
  data_category data = data_category::ordinary;
  sharing_basis basis = sharing_basis::consent;
  std::string basis_reference;  ///< the consent id, the provision, or the task
  friend bool operator==(const knowledge_recorded&, const knowledge_recorded&) = default;
};

template <>
struct payload_traits<knowledge_recorded> {
  static constexpr std::string_view name = "knowledge_recorded";
  static constexpr auto fields =
      std::make_tuple(required_field("item", &knowledge_recorded::item),
                      required_field("category", &knowledge_recorded::category),
                      required_field("text", &knowledge_recorded::text),
                      required_field("data_category", &knowledge_recorded::data),
                      required_field("sharing_basis", &knowledge_recorded::basis),
                      optional_field("basis_reference", &knowledge_recorded::basis_reference));
};

/// A knowledge item is revised; fields left out keep their value.
struct knowledge_revised {
  knowledge_id item;
  std::optional<std::string> category;
  std::optional<std::string> text;
  std::optional<data_category> data;
  std::optional<sharing_basis> basis;
  std::optional<std::string> basis_reference;
  friend bool operator==(const knowledge_revised&, const knowledge_revised&) = default;
};

template <>
struct payload_traits<knowledge_revised> {
  static constexpr std::string_view name = "knowledge_revised";
  static constexpr auto fields =
      std::make_tuple(required_field("item", &knowledge_revised::item),
                      optional_field("category", &knowledge_revised::category),
                      optional_field("text", &knowledge_revised::text),
                      optional_field("data_category", &knowledge_revised::data),
                      optional_field("sharing_basis", &knowledge_revised::basis),
                      optional_field("basis_reference", &knowledge_revised::basis_reference));
};

/// A knowledge item no longer holds; its history stays.
struct knowledge_retired {
  knowledge_id item;
  std::string reason;
  friend bool operator==(const knowledge_retired&, const knowledge_retired&) = default;
};

template <>
struct payload_traits<knowledge_retired> {
  static constexpr std::string_view name = "knowledge_retired";
  static constexpr auto fields =
      std::make_tuple(required_field("item", &knowledge_retired::item),
                      required_field("reason", &knowledge_retired::reason));
};

}  // namespace mentorcore
