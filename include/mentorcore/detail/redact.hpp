#pragma once
/// \file detail/redact.hpp
/// Removes anything that could be a CPR number from text that leaves the library (error
/// messages above all), so a person's CPR number can never be echoed back.

#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>

namespace mentorcore::detail {

inline constexpr std::string_view redacted_cpr = "[redacted: possible CPR number]";

/// `text` with every run of ten or more digits, and every "DDMMYY-SSSS", replaced by
/// redacted_cpr. Deliberately over-eager: a false positive costs a less helpful message, a
/// false negative would leak personal data.
inline std::string redact_personal_numbers(std::string_view text) {
  const auto is_digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  const auto digit_run = [&](std::size_t from) {
    std::size_t end = from;
    while (end < text.size() && is_digit(text[end])) ++end;
    return end - from;
  };
  std::string result;
  result.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_digit(text[i])) {
      result += text[i++];
      continue;
    }
    const std::size_t run = digit_run(i);
    std::size_t length = run;
    if (run == 6 && i + 7 < text.size() && (text[i + 6] == '-' || text[i + 6] == ' ') &&
        digit_run(i + 7) == 4) {
      length = 11;
    }
    if (length >= 10) {
      result += redacted_cpr;
    } else {
      result.append(text.substr(i, length));
    }
    i += length;
  }
  return result;
}

}  // namespace mentorcore::detail
