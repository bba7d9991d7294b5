#include "mentorcore/calendar.hpp"

#include <catch2/catch.hpp>

#include "dates.hpp"

#include <algorithm>
#include <climits>
#include <limits>
#include <vector>

using namespace mentorcore;

using fixtures::d;

TEST_CASE("Easter Sunday matches published dates", "[calendar][holidays]") {
  CHECK(easter_sunday(1900) == d(1900, 4, 15));
  CHECK(easter_sunday(1961) == d(1961, 4, 2));
  CHECK(easter_sunday(2000) == d(2000, 4, 23));
  CHECK(easter_sunday(2008) == d(2008, 3, 23));
  CHECK(easter_sunday(2011) == d(2011, 4, 24));
  CHECK(easter_sunday(2024) == d(2024, 3, 31));
  CHECK(easter_sunday(2025) == d(2025, 4, 20));
  CHECK(easter_sunday(2038) == d(2038, 4, 25));
  CHECK(easter_sunday(2200) == d(2200, 4, 6));
}

TEST_CASE("Holidays of 2023 include Great Prayer Day on 5 May", "[calendar][holidays]") {
  const auto list = holidays(2023);
  REQUIRE(list.size() == 11);
  const auto prayer = std::find_if(list.begin(), list.end(), [](const holiday& h) {
    return h.kind == holiday_kind::great_prayer_day;
  });
  REQUIRE(prayer != list.end());
  CHECK(prayer->date == d(2023, 5, 5));
  CHECK(prayer->name() == "Store bededag");
  CHECK(holiday_on(d(2023, 5, 5)) == holiday_kind::great_prayer_day);
  CHECK_FALSE(is_working_day(d(2023, 5, 5)));
}

TEST_CASE("Great Prayer Day does not exist from 2024", "[calendar][holidays]") {
  const auto list = holidays(2024);
  CHECK(list.size() == 10);
  CHECK(std::none_of(list.begin(), list.end(),
                     [](const holiday& h) { return h.kind == holiday_kind::great_prayer_day; }));
  // Easter 2024 + 26 days = Friday 26 April 2024, an ordinary working day.
  CHECK_FALSE(holiday_on(d(2024, 4, 26)).has_value());
  CHECK(is_working_day(d(2024, 4, 26)));
}

TEST_CASE("The holidays of 2024 with their Danish names", "[calendar][holidays]") {
  const std::vector<holiday> expected = {
      {d(2024, 1, 1), holiday_kind::new_years_day},
      {d(2024, 3, 28), holiday_kind::maundy_thursday},
      {d(2024, 3, 29), holiday_kind::good_friday},
      {d(2024, 3, 31), holiday_kind::easter_sunday},
      {d(2024, 4, 1), holiday_kind::easter_monday},
      {d(2024, 5, 9), holiday_kind::ascension_day},
      {d(2024, 5, 19), holiday_kind::whit_sunday},
      {d(2024, 5, 20), holiday_kind::whit_monday},
      {d(2024, 12, 25), holiday_kind::christmas_day},
      {d(2024, 12, 26), holiday_kind::boxing_day},
  };
  CHECK(holidays(2024) == expected);
  CHECK(danish_name(holiday_kind::maundy_thursday) == "Skærtorsdag");
  CHECK(danish_name(holiday_kind::whit_monday) == "2. pinsedag");
}

TEST_CASE("Every year 1900-2200 has its holidays in order and on the right weekdays",
          "[calendar][holidays][property]") {
  for (int year = first_calendar_year; year <= last_calendar_year; ++year) {
    const auto list = holidays(year);
    CHECK(list.size() == (year <= 2023 ? 11U : 10U));
    CHECK(std::is_sorted(list.begin(), list.end(),
                         [](const holiday& a, const holiday& b) { return a.date < b.date; }));
    for (const auto& h : list) {
      CHECK(holiday_on(h.date) == h.kind);
      CHECK(is_holiday(h.date));
      CHECK_FALSE(is_working_day(h.date));
      if (h.kind == holiday_kind::easter_sunday || h.kind == holiday_kind::whit_sunday) {
        CHECK(h.date.day_of_week() == boost::date_time::Sunday);
      }
      if (h.kind == holiday_kind::ascension_day || h.kind == holiday_kind::maundy_thursday) {
        CHECK(h.date.day_of_week() == boost::date_time::Thursday);
      }
    }
  }
}

TEST_CASE("Sundays are holidays; Saturdays are not holidays but not working days", "[calendar]") {
  CHECK(is_holiday(d(2024, 6, 2)));  // a Sunday
  CHECK_FALSE(holiday_on(d(2024, 6, 2)).has_value());
  CHECK_FALSE(is_holiday(d(2024, 6, 1)));  // a Saturday
  CHECK_FALSE(is_working_day(d(2024, 6, 1)));
  CHECK(non_working_reason(d(2024, 6, 1)) == "Lørdag");
  CHECK(non_working_reason(d(2024, 6, 2)) == "Søndag");
  CHECK(non_working_reason(d(2024, 3, 31)) == "Påskedag");
  CHECK(non_working_reason(d(2026, 12, 26)) == "2. juledag");  // a Saturday, named as the holiday
  CHECK_FALSE(non_working_reason(d(2024, 6, 3)).has_value());
}

TEST_CASE("Years and dates outside 1900-2200 are errors, not answers", "[calendar][errors]") {
  CHECK_THROWS_AS(holidays(1899), out_of_range_error);
  CHECK_THROWS_AS(holidays(2201), out_of_range_error);
  CHECK_THROWS_AS(easter_sunday(-5), out_of_range_error);
  CHECK_THROWS_AS(is_holiday(d(1899, 12, 31)), out_of_range_error);
  CHECK_THROWS_AS(is_working_day(d(2201, 1, 1)), out_of_range_error);
  CHECK_THROWS_AS(is_holiday(date(boost::gregorian::not_a_date_time)), invalid_value_error);
  try {
    (void)holidays(2201);
    FAIL("expected out_of_range_error");
  } catch (const out_of_range_error& e) {
    CHECK(std::string(e.what()) == "year = 2201: outside the supported calendar 1900-2200");
  }
  CHECK(holidays(1900).size() == 11);
  CHECK(holidays(2200).size() == 10);
}

TEST_CASE("Deadline policy: 5 June, 24 and 31 December closed by default", "[calendar][policy]") {
  const deadline_policy common;
  CHECK_FALSE(is_working_day(d(2024, 6, 5), common));  // Wednesday, Constitution Day
  CHECK_FALSE(is_working_day(d(2024, 12, 24), common));
  CHECK_FALSE(is_working_day(d(2024, 12, 31), common));
  CHECK(non_working_reason(d(2024, 6, 5), common) == "Grundlovsdag");
  CHECK(non_working_reason(d(2024, 12, 24), common) == "Juleaftensdag");
  CHECK(non_working_reason(d(2024, 12, 31), common) == "Nytårsaftensdag");

  const auto open = deadline_policy::public_holidays_only();
  CHECK(is_working_day(d(2024, 6, 5), open));
  CHECK(is_working_day(d(2024, 12, 24), open));
  CHECK(is_working_day(d(2024, 12, 31), open));

  const auto only_christmas_eve_open = common.with_christmas_eve_closed(false);
  CHECK(is_working_day(d(2024, 12, 24), only_christmas_eve_open));
  CHECK_FALSE(is_working_day(d(2024, 12, 31), only_christmas_eve_open));
}

TEST_CASE("Deadline policy: a municipality's own closing days", "[calendar][policy]") {
  // Many municipalities close on the Friday after Ascension Day.
  const std::vector<date> extra = {d(2024, 5, 10), d(2024, 5, 10), d(2025, 5, 30)};
  const auto policy = deadline_policy{}.with_closing_days(extra);
  CHECK(policy.closing_days() == std::vector<date>{d(2024, 5, 10), d(2025, 5, 30)});
  CHECK_FALSE(is_working_day(d(2024, 5, 10), policy));
  CHECK(non_working_reason(d(2024, 5, 10), policy) == "Lukkedag");
  CHECK(is_working_day(d(2024, 5, 10)));
  CHECK(policy != deadline_policy{});

  const std::vector<date> bad = {d(2024, 5, 10), date(boost::gregorian::not_a_date_time)};
  CHECK_THROWS_AS(policy.with_closing_days(bad), invalid_value_error);
  const std::vector<date> too_late = {d(2300, 1, 2)};
  CHECK_THROWS_AS(policy.with_closing_days(too_late), out_of_range_error);
  CHECK(policy.closing_days().size() == 2);  // unchanged by the failed calls
}

TEST_CASE("A worked deadline over Christmas", "[calendar][working-days]") {
  // Friday 18 December 2026 + 10 working days: 21, 22, 23 Dec; 24 (closed), 25-27 (holiday,
  // weekend); 28, 29, 30 Dec; 31 Dec (closed); 1-3 Jan (holiday, weekend); 4, 5, 6, 7 Jan.
  CHECK(add_working_days(d(2026, 12, 18), 10) == d(2027, 1, 7));
  CHECK(add_working_days(d(2026, 12, 18), 10, deadline_policy::public_holidays_only()) ==
        d(2027, 1, 5));
  CHECK(working_days_between(d(2026, 12, 18), d(2027, 1, 7)) == 10);
  CHECK(working_days_between(d(2027, 1, 7), d(2026, 12, 18)) == -10);
  CHECK(add_working_days(d(2027, 1, 7), -10) == d(2026, 12, 18));
}

TEST_CASE("next, previous and roll_forward", "[calendar][working-days]") {
  CHECK(next_working_day(d(2024, 3, 27)) == d(2024, 4, 2));  // over Easter
  CHECK(previous_working_day(d(2024, 4, 2)) == d(2024, 3, 27));
  CHECK(next_working_day(d(2024, 6, 3)) == d(2024, 6, 4));
  CHECK(roll_forward(d(2024, 6, 3)) == d(2024, 6, 3));
  CHECK(roll_forward(d(2024, 6, 1)) == d(2024, 6, 3));
  CHECK(add_working_days(d(2024, 6, 1), 0) == d(2024, 6, 1));
  CHECK(add_working_days(d(2024, 6, 1), 1) == d(2024, 6, 3));
  CHECK(add_working_days(d(2024, 6, 1), -1) == d(2024, 5, 31));
}

TEST_CASE("Stepping off the end of the calendar is an error", "[calendar][errors]") {
  CHECK_THROWS_AS(next_working_day(d(2200, 12, 31)), out_of_range_error);
  CHECK_THROWS_AS(previous_working_day(d(1900, 1, 1)), out_of_range_error);
  CHECK_THROWS_AS(add_working_days(d(2024, 1, 1), INT_MAX), out_of_range_error);
  CHECK_THROWS_AS(add_working_days(d(2024, 1, 1), INT_MIN), out_of_range_error);
  try {
    (void)add_working_days(d(2024, 1, 1), 100000);
    FAIL("expected out_of_range_error");
  } catch (const out_of_range_error& e) {
    CHECK(e.field() == "days");
    CHECK(e.value() == "100000");
  }
}

TEST_CASE("Working-day stepping forward and back returns to the start on working days",
          "[calendar][working-days][property]") {
  const deadline_policy policies[] = {
      deadline_policy{}, deadline_policy::public_holidays_only(),
      deadline_policy{}.with_closing_days(std::vector<date>{d(2021, 5, 14), d(2022, 5, 27)})};
  const int steps[] = {1, 2, 3, 5, 10, 23, 61};
  for (const auto& policy : policies) {
    for (date day = d(2019, 1, 1); day <= d(2026, 12, 31); day += boost::gregorian::days(1)) {
      for (const int n : steps) {
        const date forward = add_working_days(day, n, policy);
        CHECK(is_working_day(forward, policy));
        CHECK(working_days_between(day, forward, policy) == n);
        const date back = add_working_days(day, -n, policy);
        CHECK(is_working_day(back, policy));
        // Counting back, the n working days lie in [back, day): shift both ends by one day.
        CHECK(working_days_between(back - boost::gregorian::days(1),
                                   day - boost::gregorian::days(1), policy) == n);
        if (is_working_day(day, policy)) {
          CHECK(working_days_between(back, day, policy) == n);
          CHECK(add_working_days(forward, -n, policy) == day);
          CHECK(add_working_days(back, n, policy) == day);
        }
      }
      CHECK(working_days_between(day, day, policy) == 0);
    }
  }
}

TEST_CASE("Danish month arithmetic clamps and keeps month ends", "[calendar][months]") {
  CHECK(add_months(d(2024, 1, 15), 1) == d(2024, 2, 15));
  CHECK(add_months(d(2024, 1, 31), 1) == d(2024, 2, 29));
  CHECK(add_months(d(2023, 1, 31), 1) == d(2023, 2, 28));
  CHECK(add_months(d(2024, 1, 30), 1) == d(2024, 2, 29));
  CHECK(add_months(d(2024, 1, 30), 2) == d(2024, 3, 30));
  CHECK(add_months(d(2024, 2, 29), 1) == d(2024, 3, 31));  // month end stays month end
  CHECK(add_months(d(2024, 4, 30), 1) == d(2024, 5, 31));
  CHECK(add_months(d(2024, 8, 31), 6) == d(2025, 2, 28));
  CHECK(add_months(d(2024, 3, 15), 6) == d(2024, 9, 15));  // a 6-month grant
  CHECK(add_months(d(2024, 3, 31), -1) == d(2024, 2, 29));
  CHECK(add_months(d(2024, 3, 15), -14) == d(2023, 1, 15));
  CHECK(add_months(d(2024, 3, 15), 0) == d(2024, 3, 15));
  CHECK_THROWS_AS(add_months(d(2024, 3, 15), 100000), out_of_range_error);
  // Boost keeps the year in 16 bits: 786,432 months (65,536 years) wrapped to the same day.
  CHECK_THROWS_AS(add_months(d(2024, 1, 15), 786432), out_of_range_error);
  CHECK_THROWS_AS(add_months(d(2024, 1, 15), -786432), out_of_range_error);
  CHECK_THROWS_AS(add_months(d(2024, 1, 15), std::numeric_limits<int>::min()), out_of_range_error);
  CHECK_THROWS_AS(add_months(date(boost::gregorian::not_a_date_time), 1), invalid_value_error);
}

TEST_CASE("ISO week and week-year", "[calendar][iso-week]") {
  CHECK(iso_week(d(2021, 1, 3)) == iso_week_date{2020, 53, 7});
  CHECK(iso_week(d(2020, 12, 31)) == iso_week_date{2020, 53, 4});
  CHECK(iso_week(d(2027, 1, 1)) == iso_week_date{2026, 53, 5});
  CHECK(iso_week(d(2024, 12, 30)) == iso_week_date{2025, 1, 1});
  CHECK(iso_week(d(2024, 3, 31)) == iso_week_date{2024, 13, 7});
}
