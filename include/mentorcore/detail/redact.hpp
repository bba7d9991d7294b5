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

/// Whether `text` holds anything redact_personal_numbers would remove (without allocating).
inline bool contains_personal_number(std::string_view text) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool digit = text[i] >= '0' && text[i] <= '9';
    run = digit ? run + 1 : 0;
    if (run >= 10) return true;
    // DDMMYY-SSSS or DDMMYY SSSS: six digits, a separator, four digits.
    if (!digit && run == 0 && i >= 6 && i + 4 < text.size() + 0 &&
        (text[i] == '-' || text[i] == ' ')) {
      std::size_t before = 0;
      while (before < i && text[i - 1 - before] >= '0' && text[i - 1 - before] <= '9') ++before;
      std::size_t after = 0;
      while (i + 1 + after < text.size() && text[i + 1 + after] >= '0' &&
             text[i + 1 + after] <= '9')
        ++after;
      if (before == 6 && after == 4) return true;
    }
  }
  return false;
}

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
