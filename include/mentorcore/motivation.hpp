#pragma once
/// \file motivation.hpp
/// Stages of change (the transtheoretical model), how a stage was assessed, and URICA scoring.
///
/// A stage is assessed per target behaviour ("attends appointments alone", "looks for work"), so
/// a person can be in several stages at once. A move back is a relapse: data, not an error.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mentorcore/enum.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore {

/// Stages of change.
enum class stage : std::uint8_t {
  precontemplation,  ///< no intention to change within 6 months
  contemplation,     ///< intends to within 6 months, ambivalent
  preparation,       ///< intends to within 30 days, small steps
  action,            ///< has changed, less than 6 months ago
  maintenance,       ///< changed more than 6 months ago
  termination,       ///< rarely used
};

template <>
struct enum_traits<stage> {
  static constexpr std::string_view type_name = "stage";
  static constexpr std::array<std::string_view, 6> names = {
      "precontemplation", "contemplation", "preparation", "action", "maintenance", "termination"};
};

/// How a stage was assessed.
enum class assessment_method : std::uint8_t {
  clinical_judgement,
  ruler,
  urica_32,
  urica_24,
  other
};

template <>
struct enum_traits<assessment_method> {
  static constexpr std::string_view type_name = "assessment_method";
  static constexpr std::array<std::string_view, 5> names = {"clinical_judgement", "ruler",
                                                            "urica_32", "urica_24", "other"};
};

/// Items of the 32-item URICA in each subscale (1-based, as on the form). Items 4, 9, 20 and 31
/// belong to no subscale.
inline constexpr std::array<int, 7> urica_precontemplation_items = {1, 5, 11, 13, 23, 26, 29};
inline constexpr std::array<int, 7> urica_contemplation_items = {2, 8, 12, 15, 19, 21, 24};
inline constexpr std::array<int, 7> urica_action_items = {3, 7, 10, 14, 17, 25, 30};
inline constexpr std::array<int, 7> urica_maintenance_items = {6, 16, 18, 22, 27, 28, 32};

/// Nearest-group-mean staging for the URICA readiness score. The defaults are the group means of
/// the Mid-Atlantic ATTC scoring sheet (precontemplation 9.3, contemplation 11.0, action 12.6; no
/// mean for maintenance). They are population-specific, so a user may replace them.
struct urica_staging {
  std::vector<std::pair<stage, double>> group_means = {
      {stage::precontemplation, 9.3}, {stage::contemplation, 11.0}, {stage::action, 12.6}};
};

/// A scored URICA-32.
struct urica_result {
  double precontemplation = 0;  ///< mean of the PC items, 1-5
  double contemplation = 0;
  double action = 0;
  double maintenance = 0;
  /// contemplation + action + maintenance - precontemplation, -2 to 14
  double readiness = 0;
  /// the stage whose group mean is nearest the readiness score (the earlier stage on a tie)
  stage nearest_stage = stage::precontemplation;
};

/// Scores the 32 URICA answers (each 1-5, in form order). Throws invalid_value_error naming
/// "answers" (wrong count) or "answers[i]" (out of range), and "group_means" if the staging has
/// none.
[[nodiscard]] inline urica_result urica_score(std::span<const int> answers,
                                              const urica_staging& staging = {}) {
  if (answers.size() != 32) {
    throw invalid_value_error("answers", std::to_string(answers.size()) + " answers",
                              "the URICA-32 has 32 items");
  }
  for (std::size_t i = 0; i < answers.size(); ++i) {
    if (answers[i] < 1 || answers[i] > 5) {
      throw invalid_value_error("answers[" + std::to_string(i) + "]", std::to_string(answers[i]),
                                "URICA answers are 1-5");
    }
  }
  if (staging.group_means.empty())
    throw invalid_value_error("group_means", "[]", "staging needs at least one group mean");
  const auto mean = [&](const std::array<int, 7>& items) {
    double sum = 0;
    for (const int item : items) sum += answers[static_cast<std::size_t>(item - 1)];
    return sum / static_cast<double>(items.size());
  };
  urica_result result;
  result.precontemplation = mean(urica_precontemplation_items);
  result.contemplation = mean(urica_contemplation_items);
  result.action = mean(urica_action_items);
  result.maintenance = mean(urica_maintenance_items);
  result.readiness =
      result.contemplation + result.action + result.maintenance - result.precontemplation;
  double best = 0;
  bool first = true;
  for (const auto& [group, group_mean] : staging.group_means) {
    const double distance = group_mean > result.readiness ? group_mean - result.readiness
                                                          : result.readiness - group_mean;
    if (first || distance < best || (distance == best && group < result.nearest_stage)) {
      best = distance;
      result.nearest_stage = group;
      first = false;
    }
  }
  return result;
}

}  // namespace mentorcore
