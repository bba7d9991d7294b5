#pragma once
/// \file date.hpp
/// mentorcore's date type: boost::gregorian::date, and the checks every public entry point applies.

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

}  // namespace mentorcore
