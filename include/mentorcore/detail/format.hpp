#pragma once
/// \file detail/format.hpp
/// Number formatting for messages.

#include <string>

namespace mentorcore::detail {

/// `value` without trailing zeros: 25 -> "25", 2.5 -> "2.5".
inline std::string number_text(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

}  // namespace mentorcore::detail
