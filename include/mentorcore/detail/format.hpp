#pragma once
/// \file detail/format.hpp
/// Number formatting for messages and rendered text: the one number formatter of the C++ code.

#include <array>
#include <cstdio>
#include <string>

namespace mentorcore::detail {

/// `value` rounded to `decimals` places, without trailing zeros: 25 -> "25", 2.5 -> "2.5"
/// (and with decimals = 1, 2.25 -> "2.2", 7.04 -> "7"). The default of 6 places is what
/// std::to_string shows.
inline std::string number_text(double value, int decimals = 6) {
  // Enough for any double in %f with up to 17 decimals (DBL_MAX has 309 integer digits).
  std::array<char, 400> buffer{};
  const int length = std::snprintf(buffer.data(), buffer.size(), "%.*f", decimals, value);
  std::string text(buffer.data(), length > 0 ? static_cast<std::size_t>(length) : 0);
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

}  // namespace mentorcore::detail
