#pragma once
/// \file detail/calendar_impl.hpp
/// Definitions of the calendar functions declared in calendar.hpp.
///
/// Included by the concept header, inline, in the header-only model; compiled once into
/// mentorcore::io by src/model_course.cpp (MENTORCORE_DECL, detail/decl.hpp).

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gsl/assert>

#include "mentorcore/calendar.hpp"
#include "mentorcore/detail/decl.hpp"

namespace mentorcore {
namespace detail {

using boost::gregorian::days;

MENTORCORE_DECL const date& first_calendar_day() {
  static const date first(first_calendar_year, boost::gregorian::Jan, 1);
  return first;
}

MENTORCORE_DECL const date& last_calendar_day() {
  static const date last(last_calendar_year, boost::gregorian::Dec, 31);
  return last;
}

MENTORCORE_DECL std::string supported_range_text() {
  return "outside the supported calendar " + std::to_string(first_calendar_year) + "-" +
         std::to_string(last_calendar_year);
}

MENTORCORE_DECL void check_year(int year) {
  if (year < first_calendar_year || year > last_calendar_year) {
    throw out_of_range_error("year", std::to_string(year), supported_range_text());
  }
}

MENTORCORE_DECL date compute_easter_sunday(int year) {
  // Anonymous Gregorian computus (Meeus/Jones/Butcher).
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return {static_cast<unsigned short>(year), static_cast<unsigned short>(month),
          static_cast<unsigned short>(day)};
}

// Great Prayer Day (store bededag) was abolished by law from 2024.
inline constexpr int last_great_prayer_day_year = 2023;

MENTORCORE_DECL std::vector<holiday> compute_holidays(int year) {
  const date easter = compute_easter_sunday(year);
  const auto y = static_cast<unsigned short>(year);
  std::vector<holiday> result = {
      {date(y, 1, 1), holiday_kind::new_years_day},
      {easter - days(3), holiday_kind::maundy_thursday},
      {easter - days(2), holiday_kind::good_friday},
      {easter, holiday_kind::easter_sunday},
      {easter + days(1), holiday_kind::easter_monday},
  };
  if (year <= last_great_prayer_day_year) {
    result.push_back({easter + days(26), holiday_kind::great_prayer_day});
  }
  result.push_back({easter + days(39), holiday_kind::ascension_day});
  result.push_back({easter + days(49), holiday_kind::whit_sunday});
  result.push_back({easter + days(50), holiday_kind::whit_monday});
  result.push_back({date(y, 12, 25), holiday_kind::christmas_day});
  result.push_back({date(y, 12, 26), holiday_kind::boxing_day});
  Ensures(std::is_sorted(result.begin(), result.end(),
                         [](const holiday& x, const holiday& y2) { return x.date < y2.date; }));
  return result;
}

// One byte per day of 1900-2200: 0 for no named holiday, else holiday_kind + 1. Built once;
// a lookup is then an index, which the analytics over millions of contacts rely on.
class holiday_table {
 public:
  holiday_table() {
    const auto size =
        static_cast<std::size_t>((last_calendar_day() - first_calendar_day()).days() + 1);
    codes_.assign(size, 0);
    for (int year = first_calendar_year; year <= last_calendar_year; ++year) {
      for (const auto& h : compute_holidays(year)) {
        codes_[index(h.date)] = static_cast<std::uint8_t>(static_cast<unsigned>(h.kind) + 1U);
      }
    }
  }

  [[nodiscard]] std::optional<holiday_kind> at(const date& day) const {
    const auto code = codes_[index(day)];
    if (code == 0) return std::nullopt;
    return static_cast<holiday_kind>(code - 1U);
  }

 private:
  static std::size_t index(const date& day) {
    const auto offset = (day - first_calendar_day()).days();
    Expects(offset >= 0);
    return static_cast<std::size_t>(offset);
  }
  std::vector<std::uint8_t> codes_;
};

MENTORCORE_DECL const holiday_table& holiday_codes() {
  static const holiday_table instance;
  return instance;
}

// A named holiday says more than the weekday it falls on (Saturday 26 December 2026 is
// "2. juledag"), so it comes first.
MENTORCORE_DECL std::optional<std::string_view> weekday_or_holiday_reason(const date& day) {
  if (const auto kind = holiday_codes().at(day)) return danish_name(*kind);
  switch (day.day_of_week().as_enum()) {
    case boost::date_time::Saturday: return "Lørdag";
    case boost::date_time::Sunday: return "Søndag";
    default: return std::nullopt;
  }
}

MENTORCORE_DECL date step_to_working_day(date day, int direction, const deadline_policy& policy,
                                         std::string_view field) {
  do {
    day += days(direction);
    if (day < first_calendar_day() || day > last_calendar_day()) {
      throw out_of_range_error(std::string(field), to_iso(day - days(direction)),
                               "the next working day would fall " + supported_range_text());
    }
  } while (weekday_or_holiday_reason(day) || policy.closing_reason(day));
  return day;
}

}  // namespace detail

MENTORCORE_DECL const date& require_calendar_day(const date& day, std::string_view field) {
  require_real_date(day, field);
  if (day < detail::first_calendar_day() || day > detail::last_calendar_day()) {
    throw out_of_range_error(std::string(field), to_iso(day), detail::supported_range_text());
  }
  return day;
}

MENTORCORE_DECL std::string_view danish_name(holiday_kind kind) {
  switch (kind) {
    case holiday_kind::new_years_day: return "Nytårsdag";
    case holiday_kind::maundy_thursday: return "Skærtorsdag";
    case holiday_kind::good_friday: return "Langfredag";
    case holiday_kind::easter_sunday: return "Påskedag";
    case holiday_kind::easter_monday: return "2. påskedag";
    case holiday_kind::great_prayer_day: return "Store bededag";
    case holiday_kind::ascension_day: return "Kristi himmelfartsdag";
    case holiday_kind::whit_sunday: return "Pinsedag";
    case holiday_kind::whit_monday: return "2. pinsedag";
    case holiday_kind::christmas_day: return "Juledag";
    case holiday_kind::boxing_day: return "2. juledag";
  }
  Expects(false);
  return {};
}

MENTORCORE_DECL date easter_sunday(int year) {
  detail::check_year(year);
  return detail::compute_easter_sunday(year);
}

MENTORCORE_DECL std::vector<holiday> holidays(int year) {
  detail::check_year(year);
  return detail::compute_holidays(year);
}

MENTORCORE_DECL std::optional<holiday_kind> holiday_on(date day) {
  require_calendar_day(day, "day");
  return detail::holiday_codes().at(day);
}

MENTORCORE_DECL bool is_holiday(date day) {
  require_calendar_day(day, "day");
  return day.day_of_week() == boost::date_time::Sunday ||
         detail::holiday_codes().at(day).has_value();
}

MENTORCORE_DECL deadline_policy
deadline_policy::with_closing_days(std::span<const date> added) const {
  for (const auto& day : added) require_calendar_day(day, "closing_days");
  auto copy = *this;
  copy.closing_days_.insert(copy.closing_days_.end(), added.begin(), added.end());
  std::sort(copy.closing_days_.begin(), copy.closing_days_.end());
  copy.closing_days_.erase(std::unique(copy.closing_days_.begin(), copy.closing_days_.end()),
                           copy.closing_days_.end());
  return copy;
}

MENTORCORE_DECL std::optional<std::string_view> deadline_policy::closing_reason(date day) const {
  require_real_date(day, "day");
  const auto month = day.month().as_number();
  const auto day_of_month = day.day().as_number();
  if (constitution_day_closed_ && month == 6 && day_of_month == 5) return "Grundlovsdag";
  if (christmas_eve_closed_ && month == 12 && day_of_month == 24) return "Juleaftensdag";
  if (new_years_eve_closed_ && month == 12 && day_of_month == 31) return "Nytårsaftensdag";
  if (std::binary_search(closing_days_.begin(), closing_days_.end(), day)) return "Lukkedag";
  return std::nullopt;
}

MENTORCORE_DECL std::optional<std::string_view> non_working_reason(date day,
                                                                   const deadline_policy& policy) {
  require_calendar_day(day, "day");
  if (auto reason = detail::weekday_or_holiday_reason(day)) return reason;
  return policy.closing_reason(day);
}

MENTORCORE_DECL date next_working_day(date day, const deadline_policy& policy) {
  require_calendar_day(day, "day");
  return detail::step_to_working_day(day, +1, policy, "day");
}

MENTORCORE_DECL date previous_working_day(date day, const deadline_policy& policy) {
  require_calendar_day(day, "day");
  return detail::step_to_working_day(day, -1, policy, "day");
}

MENTORCORE_DECL date roll_forward(date day, const deadline_policy& policy) {
  return is_working_day(day, policy) ? day : next_working_day(day, policy);
}

MENTORCORE_DECL date add_working_days(date day, int count, const deadline_policy& policy) {
  require_calendar_day(day, "day");
  const int direction = count < 0 ? -1 : 1;
  // Widen before negating: -INT_MIN overflows an int.
  for (long long remaining = std::llabs(static_cast<long long>(count)); remaining > 0;
       --remaining) {
    try {
      day = detail::step_to_working_day(day, direction, policy, "day");
    } catch (const out_of_range_error&) {
      throw out_of_range_error("days", std::to_string(count),
                               "counting that many working days leaves the supported calendar " +
                                   std::to_string(first_calendar_year) + "-" +
                                   std::to_string(last_calendar_year));
    }
  }
  return day;
}

MENTORCORE_DECL int working_days_between(date from, date to, const deadline_policy& policy) {
  require_calendar_day(from, "start");
  require_calendar_day(to, "end");
  const bool backwards = to < from;
  date low = backwards ? to : from;
  const date high = backwards ? from : to;
  int count = 0;
  while (low < high) {
    low += boost::gregorian::days(1);
    if (!detail::weekday_or_holiday_reason(low) && !policy.closing_reason(low)) ++count;
  }
  return backwards ? -count : count;
}

MENTORCORE_DECL date add_months(date day, int months) {
  require_real_date(day, "day");
  const auto leaves_the_dates = [&] {
    return out_of_range_error(
        "months", std::to_string(months),
        "adding it to " + to_iso(day) + " leaves the representable dates 1400-9999");
  };
  // More months than lie between the representable years always leave them; Boost keeps the
  // year in 16 bits, so 786,432 months would wrap round to the same day instead of failing.
  constexpr int most_months = (9999 - 1400 + 1) * 12;
  if (months > most_months || months < -most_months) throw leaves_the_dates();
  try {
    // Boost's month iterator implements the Danish rule: same day of month, clamped to the
    // month's last day, and an end-of-month date stays at the end of the month.
    return day + boost::gregorian::months(months);
  } catch (const std::out_of_range&) {
    throw leaves_the_dates();
  }
}

MENTORCORE_DECL iso_week_date iso_week(date day) {
  require_real_date(day, "day");
  const int week = day.week_number();
  int year = day.year();
  const auto month = day.month().as_number();
  if (week >= 52 && month == 1) --year;
  if (week == 1 && month == 12) ++year;
  const int weekday = day.day_of_week().as_number() == 0 ? 7 : day.day_of_week().as_number();
  return {year, week, weekday};
}

}  // namespace mentorcore
