#pragma once
/// \file detail/format.hpp
/// Number formatting for messages and rendered text: the one number formatter of the C++ code.

#include <array>
#include <charconv>
#include <string>
#include <system_error>

namespace mentorcore::detail {

/// `value` rounded to `decimals` places, without trailing zeros: 25 -> "25", 2.5 -> "2.5"
/// (and with decimals = 1, 2.25 -> "2.2", 7.04 -> "7"). The default of 6 places is what
/// std::to_string shows.
inline std::string number_text(double value, int decimals = 6) {
  // std::to_chars writes what printf's "%.*f" writes (the same exact rounding, "nan", "inf"), but
  // always with a '.', whatever locale a notebook has set. Enough for any double with up to 17
  // decimals (DBL_MAX has 309 integer digits); a text that would not fit gives "".
  std::array<char, 400> buffer{};
  const auto written = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                     std::chars_format::fixed, decimals);
  std::string text(buffer.data(), written.ec == std::errc{} ? written.ptr : buffer.data());
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

}  // namespace mentorcore::detail
