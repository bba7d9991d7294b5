#pragma once
/// \file calendar.hpp
/// The Danish working-day calendar: public holidays 1900-2200, working days under a deadline
/// policy, Danish month arithmetic and ISO weeks.
///
/// Holidays follow the Danish rules: New Year's Day; Maundy Thursday, Good Friday, Easter Sunday
/// and Easter Monday (Easter by the Gregorian computus); Great Prayer Day (Easter + 26) up to and
/// including 2023, abolished from 2024; Ascension Day (+39); Whit Sunday (+49) and Whit Monday
/// (+50); Christmas Day and Boxing Day; and every Sunday. A date outside 1900-2200 is an
/// out_of_range_error, never a guess.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "mentorcore/date.hpp"
#include "mentorcore/enum.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore {

/// First year the holiday calendar covers.
inline constexpr int first_calendar_year = 1900;
/// Last year the holiday calendar covers.
inline constexpr int last_calendar_year = 2200;

/// The named Danish public holidays (Sundays are holidays too, but not named ones).
enum class holiday_kind : std::uint8_t {
  new_years_day,
  maundy_thursday,
  good_friday,
  easter_sunday,
  easter_monday,
  great_prayer_day,
  ascension_day,
  whit_sunday,
  whit_monday,
  christmas_day,
  boxing_day,
};

template <>
struct enum_traits<holiday_kind> {
  static constexpr std::string_view type_name = "holiday_kind";
  static constexpr std::array<std::string_view, 11> names = {
      "new_years_day", "maundy_thursday",  "good_friday",   "easter_sunday",
      "easter_monday", "great_prayer_day", "ascension_day", "whit_sunday",
      "whit_monday",   "christmas_day",    "boxing_day"};
};

/// The Danish name of a holiday, e.g. "Skærtorsdag" (UTF-8).
[[nodiscard]] std::string_view danish_name(holiday_kind kind);

/// One named public holiday.
struct holiday {
  boost::gregorian::date date;
  holiday_kind kind = holiday_kind::new_years_day;

  /// The Danish name, e.g. "Store bededag".
  [[nodiscard]] std::string_view name() const { return danish_name(kind); }
  friend bool operator==(const holiday&, const holiday&) = default;
};

/// Throws out_of_range_error naming `field` unless `day` lies in 1900-2200 (and
/// invalid_value_error if it is not a real date); returns it unchanged otherwise.
const date& require_calendar_day(const date& day, std::string_view field);

/// Easter Sunday of `year` (Gregorian computus). Throws out_of_range_error outside 1900-2200.
[[nodiscard]] date easter_sunday(int year);

/// The named public holidays of `year` in date order (11 up to 2023, 10 from 2024).
/// Throws out_of_range_error outside 1900-2200.
[[nodiscard]] std::vector<holiday> holidays(int year);

/// The named holiday falling on `day`, if any. Throws out_of_range_error outside 1900-2200.
[[nodiscard]] std::optional<holiday_kind> holiday_on(date day);

/// Whether `day` is a Danish public holiday (helligdag): a named holiday or a Sunday.
/// Throws out_of_range_error outside 1900-2200.
[[nodiscard]] bool is_holiday(date day);

/// Which days besides weekends and public holidays count as closed when a deadline is counted
/// in working days.
///
/// The default is the common Danish deadline rule: Constitution Day (5 June), Christmas Eve and
/// New Year's Eve are closed. A municipality can add its own closing days (for example the
/// Friday after Ascension Day).
class deadline_policy {
 public:
  /// The common rule: 5 June, 24 December and 31 December closed, no extra closing days.
  deadline_policy() = default;

  /// Only weekends and public holidays are closed.
  [[nodiscard]] static deadline_policy public_holidays_only() {
    return deadline_policy{}
        .with_constitution_day_closed(false)
        .with_christmas_eve_closed(false)
        .with_new_years_eve_closed(false);
  }

  [[nodiscard]] deadline_policy with_constitution_day_closed(bool closed) const {
    auto copy = *this;
    copy.constitution_day_closed_ = closed;
    return copy;
  }
  [[nodiscard]] deadline_policy with_christmas_eve_closed(bool closed) const {
    auto copy = *this;
    copy.christmas_eve_closed_ = closed;
    return copy;
  }
  [[nodiscard]] deadline_policy with_new_years_eve_closed(bool closed) const {
    auto copy = *this;
    copy.new_years_eve_closed_ = closed;
    return copy;
  }
  /// A copy with the dates in `added` among the municipality's own closing days. Throws
  /// invalid_value_error naming "closing_days" for a date that is not a real date or lies
  /// outside 1900-2200; the policy is left unchanged.
  [[nodiscard]] deadline_policy with_closing_days(std::span<const date> added) const;

  [[nodiscard]] bool constitution_day_closed() const noexcept { return constitution_day_closed_; }
  [[nodiscard]] bool christmas_eve_closed() const noexcept { return christmas_eve_closed_; }
  [[nodiscard]] bool new_years_eve_closed() const noexcept { return new_years_eve_closed_; }
  /// The municipality's own closing days, sorted and without duplicates.
  [[nodiscard]] const std::vector<date>& closing_days() const noexcept { return closing_days_; }

  /// Why `day` is closed under this policy alone (weekends and holidays aside): "Grundlovsdag",
  /// "Juleaftensdag", "Nytårsaftensdag" or "Lukkedag" (a municipality closing day).
  [[nodiscard]] std::optional<std::string_view> closing_reason(date day) const;

  friend bool operator==(const deadline_policy&, const deadline_policy&) = default;

 private:
  bool constitution_day_closed_ = true;
  bool christmas_eve_closed_ = true;
  bool new_years_eve_closed_ = true;
  std::vector<date> closing_days_;
};

/// Why `day` is not a working day: "Lørdag", "Søndag", a holiday's Danish name or a policy
/// closing reason; nothing if it is a working day. Throws out_of_range_error outside 1900-2200.
[[nodiscard]] std::optional<std::string_view> non_working_reason(
    date day, const deadline_policy& policy = {});

/// Whether `day` is a working day: Monday to Friday, not a public holiday, not closed by `policy`.
[[nodiscard]] inline bool is_working_day(date day, const deadline_policy& policy = {}) {
  return !non_working_reason(day, policy).has_value();
}

/// The first working day strictly after `day`.
[[nodiscard]] date next_working_day(date day, const deadline_policy& policy = {});

/// The last working day strictly before `day`.
[[nodiscard]] date previous_working_day(date day, const deadline_policy& policy = {});

/// `day` itself if it is a working day, else the next one: the usual rule for a deadline that
/// falls on a closed day.
[[nodiscard]] date roll_forward(date day, const deadline_policy& policy = {});

/// The `count`-th working day after `day` (before it for a negative count); `day` itself for 0.
/// `day` need not be a working day. For a working day d, add_working_days(add_working_days(d, n),
/// -n) == d. Throws out_of_range_error if the result would leave 1900-2200.
[[nodiscard]] date add_working_days(date day, int count, const deadline_policy& policy = {});

/// The number of working days after `from` up to and including `to`; negative, with the same
/// magnitude as working_days_between(to, from), when `to` is before `from`. So
/// working_days_between(d, add_working_days(d, n)) == n for n >= 0.
[[nodiscard]] int working_days_between(date from, date to, const deadline_policy& policy = {});

/// Danish month arithmetic: `months` calendar months after `day` (before, if negative), keeping
/// the day of month, clamped to the last day of a shorter month, and keeping a month-end date at
/// month end (2024-01-31 + 1 = 2024-02-29; 2024-02-29 + 1 = 2024-03-31). Throws
/// out_of_range_error if the result leaves Boost.Date_Time's range (1400-9999).
[[nodiscard]] date add_months(date day, int months);

/// An ISO 8601 week date.
struct iso_week_date {
  int year;     ///< ISO week-numbering year (differs from the calendar year around New Year)
  int week;     ///< 1-53
  int weekday;  ///< 1 = Monday ... 7 = Sunday

  friend bool operator==(const iso_week_date&, const iso_week_date&) = default;
};

/// The ISO 8601 week date of `day`.
[[nodiscard]] iso_week_date iso_week(date day);

}  // namespace mentorcore

// The definitions: inline in the header-only model, compiled once into mentorcore::io
// (detail/decl.hpp).
#ifndef MENTORCORE_SEPARATE_COMPILATION
#include "mentorcore/detail/calendar_impl.hpp"
#endif
