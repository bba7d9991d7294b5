#pragma once
/// \file enum.hpp
/// to_string / from_string for mentorcore's enum classes.
///
/// An enum takes part by specialising enum_traits with its type name and the names of its
/// enumerators, which must run 0, 1, 2, ... in declaration order. The names are the stable
/// spelling used in files and in Python.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

#include <gsl/assert>

#include "mentorcore/detail/short_text.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore {

/// Specialise for each enum: `static constexpr std::string_view type_name` and
/// `static constexpr std::array<std::string_view, N> names`.
template <class Enum>
struct enum_traits;

/// An enum class that has names registered through enum_traits.
template <class Enum>
concept named_enum = std::is_enum_v<Enum> && requires {
  enum_traits<Enum>::type_name;
  enum_traits<Enum>::names;
};

/// Whether `value` is one of Enum's enumerators. A cast makes any value of the underlying type
/// (static_cast<location>(40)), which has no name and indexes past every table of the enum.
template <named_enum Enum>
[[nodiscard]] constexpr bool is_enumerator(Enum value) noexcept {
  return static_cast<std::size_t>(value) < enum_traits<Enum>::names.size();
}

/// The stable name of an enumerator, e.g. to_string(holiday_kind::easter_sunday) ==
/// "easter_sunday". Where the value may come from a caller's cast, check it first
/// (require_enumerator).
template <named_enum Enum>
[[nodiscard]] constexpr std::string_view to_string(Enum value) {
  Expects(is_enumerator(value));
  return enum_traits<Enum>::names[static_cast<std::size_t>(value)];
}

namespace detail {

/// "a, b, c": the names of Enum's enumerators, as errors list what is accepted.
template <named_enum Enum>
[[nodiscard]] std::string enumerator_names() {
  std::string names;
  for (const auto name : enum_traits<Enum>::names) {
    if (!names.empty()) names += ", ";
    names += name;
  }
  return names;
}

}  // namespace detail

/// Throws invalid_value_error naming `field`, the number and the enumerators unless `value` is
/// one of Enum's enumerators ("location = 40: not a location; expected one of: ...").
template <named_enum Enum>
void require_enumerator(Enum value, std::string_view field) {
  if (is_enumerator(value)) return;
  throw invalid_value_error(std::string(field),
                            std::to_string(+static_cast<std::underlying_type_t<Enum>>(value)),
                            "not a " + std::string(enum_traits<Enum>::type_name) +
                                "; expected one of: " + detail::enumerator_names<Enum>());
}

/// The enumerator named `text`; throws invalid_value_error naming the enum, the text and the
/// accepted names if there is none.
template <named_enum Enum>
[[nodiscard]] Enum from_string(std::string_view text) {
  const auto& names = enum_traits<Enum>::names;
  // Compared in line (detail/short_text.hpp): the reader looks up enumerators on every line.
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (detail::short_text_equals(names[i], text)) return static_cast<Enum>(i);
  }
  throw invalid_value_error(std::string(enum_traits<Enum>::type_name),
                            "\"" + std::string(text) + "\"",
                            "unknown value; expected one of: " + detail::enumerator_names<Enum>());
}

/// All enumerators of a named enum, in declaration order.
template <named_enum Enum>
[[nodiscard]] constexpr auto all_values() {
  constexpr auto count = enum_traits<Enum>::names.size();
  std::array<Enum, count> values{};
  for (std::size_t i = 0; i < count; ++i) values[i] = static_cast<Enum>(i);
  return values;
}

}  // namespace mentorcore
