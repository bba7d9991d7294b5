#pragma once
/// \file detail/enum_fields.hpp
/// Checks that every enum an event payload holds is one of its enumerators (enum.hpp,
/// is_enumerator), for each field the payload's field table lists, inside optionals, lists and
/// records too. A caller can cast any number to an enum (static_cast<location>(40)); stored, such
/// a value would index past every table of its enum (a contact's location in
/// attendance_by_location, its name in the event log). The event log's reader and the Python
/// API make enums from their names, so only a C++ caller's payload can hold one; course::validate
/// checks every event with this, as it checks the reference codes.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorcore/enum.hpp"
#include "mentorcore/event.hpp"
#include "mentorcore/field_table.hpp"

namespace mentorcore::detail {

template <class T>
inline constexpr bool enum_field_optional = false;
template <class T>
inline constexpr bool enum_field_optional<std::optional<T>> = true;

template <class T>
inline constexpr bool enum_field_list = false;
template <class T>
inline constexpr bool enum_field_list<std::vector<T>> = true;

/// Throws invalid_value_error naming the field ("location", "data_categories[1]") if `value`
/// holds an enum that is not one of its enumerators. `field()` makes the name, only for the
/// error (as in free_text.hpp). Fields that hold no enum are left alone.
template <class T, class Name>
void check_enum_fields_in(const T& value, const Name& field) {
  if constexpr (named_enum<T>) {
    if (!is_enumerator(value)) require_enumerator(value, field());
  } else if constexpr (enum_field_optional<T>) {
    if (value) check_enum_fields_in(*value, field);
  } else if constexpr (enum_field_list<T>) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      check_enum_fields_in(value[i], [&] { return field() + "[" + std::to_string(i) + "]"; });
    }
  } else if constexpr (requires { payload_traits<T>::fields; }) {
    for_each_field(value, [&](std::string_view name, const auto& member, bool) {
      check_enum_fields_in(member, [&] { return field() + "." + std::string(name); });
    });
  }
}

/// Every enum of `data` checked: throws invalid_value_error naming the first field, with its
/// wire name, that holds a value no enumerator has.
inline void check_enum_fields(const event_payload& data) {
  visit(
      [](const auto& payload) {
        for_each_field(payload, [&](std::string_view name, const auto& member, bool) {
          check_enum_fields_in(member, [&] { return std::string(name); });
        });
      },
      data);
}

}  // namespace mentorcore::detail
