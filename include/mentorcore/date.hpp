#pragma once
/// \file date.hpp
/// mentorcore's date type: boost::gregorian::date, and the checks every public entry point applies.

#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "mentorcore/error.hpp"

namespace mentorcore {

/// A calendar day. Dates are Boost.Date_Time values throughout; no hand-rolled calendar arithmetic.
using date = boost::gregorian::date;

/// ISO 8601 text ("2024-03-31") for a date; special values spell themselves ("not-a-date-time").
[[nodiscard]] inline std::string to_iso(const date& day) {
  return boost::gregorian::to_iso_extended_string(day);
}

/// Throws invalid_value_error naming `field` if `day` is not a real date (not-a-date-time,
/// +infinity, -infinity); returns it unchanged otherwise.
inline const date& require_real_date(const date& day, std::string_view field) {
  if (day.is_special()) {
    throw invalid_value_error(std::string(field), to_iso(day), "not a calendar date");
  }
  return day;
}

/// Parses a strict ISO 8601 calendar date "YYYY-MM-DD". Throws invalid_value_error naming
/// `field` for anything else, including impossible dates such as 2024-02-30.
[[nodiscard]] inline date parse_iso_date(std::string_view text, std::string_view field) {
  const auto fail = [&](std::string_view reason) {
    return invalid_value_error(std::string(field), "\"" + std::string(text) + "\"", reason);
  };
  const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    throw fail("expected a date as YYYY-MM-DD");
  }
  for (const std::size_t i : {0U, 1U, 2U, 3U, 5U, 6U, 8U, 9U}) {
    if (!digit(i)) throw fail("expected a date as YYYY-MM-DD");
  }
  const auto number = [&](std::size_t from, std::size_t count) {
    unsigned value = 0;
    for (std::size_t i = from; i < from + count; ++i)
      value = value * 10U + static_cast<unsigned>(text[i] - '0');
    return static_cast<unsigned short>(value);
  };
  try {
    return {number(0, 4), number(5, 2), number(8, 2)};
  } catch (const std::out_of_range&) {
    throw fail("not a calendar date");
  }
}

}  // namespace mentorcore
