#pragma once
/// \file knowledge.hpp
/// What relationship work teaches about the person (resources, competences, limits, fears,
/// everyday challenges, thought patterns, what has worked), and how each item may be shared.

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "mentorcore/enum.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore {

/// The categories mentorcore knows. Users may add their own (see check_knowledge_category).
inline constexpr std::array<std::string_view, 9> standard_knowledge_categories = {
    "resource",        "competence", "limitation", "fear",           "everyday_challenge",
    "thought_pattern", "success",    "what_works", "network_contact"};

/// Throws invalid_value_error naming "category" unless `category` is a standard category or a
/// user-defined one: 1-40 characters of a-z, 0-9 and _, starting with a letter.
inline void check_knowledge_category(const std::string& category) {
  const bool ok_length = !category.empty() && category.size() <= 40;
  bool ok_chars = ok_length && category[0] >= 'a' && category[0] <= 'z';
  for (const char c : category)
    ok_chars = ok_chars && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok_chars) {
    throw invalid_value_error(
        "category", "\"" + category + "\"",
        "expected a standard category (resource, competence, limitation, fear, "
        "everyday_challenge, thought_pattern, success, what_works, network_contact) or a "
        "user-defined one of a-z, 0-9 and _");
  }
}

/// Whether `category` is one of the standard categories.
[[nodiscard]] inline bool is_standard_knowledge_category(std::string_view category) {
  return std::ranges::find(standard_knowledge_categories, category) !=
         standard_knowledge_categories.end();
}

/// The data-protection category of an item (GDPR art. 9 for health; art. 10 for criminal).
enum class data_category : std::uint8_t {
  ordinary,
  confidential,
  health,
  criminal,
  serious_social_problems
};

template <>
struct enum_traits<data_category> {
  static constexpr std::string_view type_name = "data_category";
  static constexpr std::array<std::string_view, 5> names = {"ordinary", "confidential", "health",
                                                            "criminal", "serious_social_problems"};
};

/// The legal basis on which an item may be shared with the next person.
enum class sharing_basis : std::uint8_t {
  consent,  ///< only under an active consent that covers it (basis_reference: the consent id)
  law,      ///< a provision allows it (basis_reference: the provision)
  necessary_for_task,  ///< necessary for the public task (basis_reference: the task)
};

template <>
struct enum_traits<sharing_basis> {
  static constexpr std::string_view type_name = "sharing_basis";
  static constexpr std::array<std::string_view, 3> names = {"consent", "law", "necessary_for_task"};
};

/// The status of a goal in the citizen's plan.
enum class goal_status : std::uint8_t { active, achieved, abandoned };

template <>
struct enum_traits<goal_status> {
  static constexpr std::string_view type_name = "goal_status";
  static constexpr std::array<std::string_view, 3> names = {"active", "achieved", "abandoned"};
};

/// Who did an action step: the empowerment measure is the share done by the citizen alone.
enum class step_doer : std::uint8_t { citizen_alone, citizen_with_support, mentor_on_behalf };

template <>
struct enum_traits<step_doer> {
  static constexpr std::string_view type_name = "step_doer";
  static constexpr std::array<std::string_view, 3> names = {"citizen_alone", "citizen_with_support",
                                                            "mentor_on_behalf"};
};

}  // namespace mentorcore
