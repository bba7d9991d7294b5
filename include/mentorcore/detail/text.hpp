#pragma once
/// \file detail/text.hpp
/// The one rule for the texts an event carries (goals, steps, successes, knowledge, reasons,
/// notes, handover texts, and the codes too): one length limit, and CPR-shaped numbers replaced
/// on the way in. Every path in (the C++ API through course, the Python API's Event, the event
/// log's reader) passes each text through accept_free_text, via accept_free_texts in
/// detail/free_text.hpp.

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

#include "mentorcore/detail/redact.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore::detail {

/// The longest text an event may carry, in bytes (UTF-8). One limit for every text, so a case
/// system can size its columns once.
inline constexpr std::size_t max_text_length = 4000;

/// Whether `text` is a required free text: non-empty and at most max_text_length bytes.
[[nodiscard]] inline bool text_ok(const std::string& text) noexcept {
  return !text.empty() && text.size() <= max_text_length;
}

/// "1-4000", for messages that state the allowed length.
[[nodiscard]] inline std::string text_length_range() {
  return "1-" + std::to_string(max_text_length);
}

/// The one gate for a text an event carries. Throws invalid_value_error naming `field` if
/// `text` is longer than max_text_length bytes; otherwise replaces every CPR-shaped number in it
/// by redacted_cpr (redact.hpp) and returns whether it did. Replacing rather than refusing keeps
/// the rest of what a mentor wrote, and the reader counts the replacements, so none is silent.
/// Idempotent: the marker holds no digits.
///
/// `field` may also be a function that makes the name (`field()`): it is then called only for
/// the error, so a valid text, as nearly every one is, costs no name (a nested one, such as
/// "actions[2].task", is built by concatenation).
template <class Name>
requires std::is_invocable_v<const Name&>
inline bool accept_free_text(std::string& text, const Name& field) {
  if (text.size() > max_text_length) {
    throw invalid_value_error(std::string(field()), redacted_excerpt(text, 40),
                              "longer than " + std::to_string(max_text_length) +
                                  " bytes, the limit of every text in an event");
  }
  if (!contains_personal_number(text)) return false;
  text = redact_personal_numbers(text);
  return true;
}
inline bool accept_free_text(std::string& text, std::string_view field) {
  return accept_free_text(text, [field] { return field; });
}

}  // namespace mentorcore::detail
