#pragma once
/// \file detail/free_text.hpp
/// Passes every text of an event payload through accept_free_text (text.hpp): the one length
/// limit and the replacement of CPR-shaped numbers, for each field the payload's field table
/// lists, inside records and lists too.

#include <cstddef>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "mentorcore/detail/text.hpp"
#include "mentorcore/event.hpp"
#include "mentorcore/field_table.hpp"

namespace mentorcore::detail {

template <class T>
concept free_text_record = requires {
  payload_traits<T>::fields;
};

/// A list of texts or of records (handover actions, contingencies, appointments).
template <class T>
inline constexpr bool free_text_list = false;
template <class T>
requires std::is_same_v<T, std::string> || free_text_record<T>
inline constexpr bool free_text_list<std::vector<T>> = true;

/// The texts in `value` (the field named by `field`) checked and redacted; returns how many
/// were redacted. Fields that hold no text (numbers, dates, enums, ids) are left alone: an id
/// shaped like a CPR number is refused when it is made (ids.hpp).
template <class T, class Name>
std::size_t accept_free_texts_in(T& value, const Name& field) {
  if constexpr (std::is_same_v<T, std::string>) {
    return accept_free_text(value, field) ? 1 : 0;
  } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
    return value && accept_free_text(*value, field) ? 1 : 0;
  } else if constexpr (free_text_list<T>) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < value.size(); ++i) {
      count +=
          accept_free_texts_in(value[i], [&] { return field() + "[" + std::to_string(i) + "]"; });
    }
    return count;
  } else if constexpr (free_text_record<T>) {
    std::size_t count = 0;
    for_each_field(value, [&](std::string_view name, auto& member, bool) {
      count += accept_free_texts_in(member, [&] { return field() + "." + std::string(name); });
    });
    return count;
  } else {
    return 0;
  }
}

/// Every text of `data` through accept_free_text: throws invalid_value_error naming the field
/// ("summary_note", "actions[2].task") for a text over the limit, and returns how many texts had
/// a CPR-shaped number replaced.
inline std::size_t accept_free_texts(event_payload& data) {
  return visit(
      [](auto& payload) {
        std::size_t count = 0;
        for_each_field(payload, [&](std::string_view name, auto& member, bool) {
          count += accept_free_texts_in(member, [&] { return std::string(name); });
        });
        return count;
      },
      data);
}

}  // namespace mentorcore::detail
