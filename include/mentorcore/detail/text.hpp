#pragma once
/// \file detail/text.hpp
/// The one limit on free text in events (goals, steps, successes, knowledge, handover texts).

#include <cstddef>
#include <string>

namespace mentorcore::detail {

/// The longest free text an event may carry, in bytes (UTF-8). One limit for every text, so a
/// case system can size its columns once.
inline constexpr std::size_t max_text_length = 4000;

/// Whether `text` is a required free text: non-empty and at most max_text_length bytes.
[[nodiscard]] inline bool text_ok(const std::string& text) noexcept {
  return !text.empty() && text.size() <= max_text_length;
}

/// "1-4000", for messages that state the allowed length.
[[nodiscard]] inline std::string text_length_range() {
  return "1-" + std::to_string(max_text_length);
}

}  // namespace mentorcore::detail
