#include "mentorcore/analytics/summary.hpp"

#include <catch2/catch.hpp>

#include <numeric>
#include <string>
#include <type_traits>
#include <vector>

#include "fixtures.hpp"
#include "mentorcore/analytics/cohort_parts.hpp"
#include "mentorcore/calendar.hpp"
#include "mentorcore/synthetic.hpp"

using namespace mentorcore;
using namespace fixtures;

namespace {

day_number summary_day(int y, int m, int dd) {
  return to_day_number(d(y, m, dd));
}

// The cell `name` of table `table` for group `g`.
std::int64_t summary_cell_of(const summary_counts& counts, summary_table table,
                             std::string_view name, std::size_t g = 0) {
  const auto cells = summary_cells(table);
  const auto at = std::find(cells.begin(), cells.end(), name);
  REQUIRE(at != cells.end());
  return counts[table].at(g, static_cast<std::size_t>(at - cells.begin()));
}

summary_counts summary_of(const cohort& c, day_number as_of, std::vector<std::int32_t> groups,
                          std::size_t group_count, unsigned threads = 1) {
  summary_options options;
  options.as_of = as_of;
  options.groups = groups;
  options.group_count = group_count;
  options.threads = threads;
  return count_summary(c, options);
}

std::vector<course> courses_for_summary(std::size_t n) {
  synthetic_options options;
  options.courses = n;
  options.seed = 11;
  options.threads = 1;
  return generate_courses(options);
}

}  // namespace

TEST_CASE("add_months_to_day is mentorcore::add_months on day numbers", "[summary][calendar]") {
  // Every day of 1999-2001 and 2023-2025 (leap years, month ends), months across year ends.
  for (const int start_year : {1999, 2023}) {
    for (day_number day = summary_day(start_year, 1, 1); day <= summary_day(start_year + 2, 12, 31);
         ++day) {
      const date on = *from_day_number(day);
      for (const int months : {-13, -1, 1, 3, 6, 12, 25}) {
        INFO(to_iso(on) << " + " << months << " months");
        REQUIRE(add_months_to_day(day, months) == to_day_number(add_months(on, months)));
      }
    }
  }
  CHECK(add_months_to_day(summary_day(2024, 2, 29), 1) == summary_day(2024, 3, 31));
  CHECK(add_months_to_day(summary_day(2024, 1, 30), 1) == summary_day(2024, 2, 29));
}

TEST_CASE("the fixed tables name their cells as docs/kpis.md does", "[summary]") {
  CHECK(summary_cells(summary_table::exits).size() == 3 + 11);
  CHECK(summary_cells(summary_table::statuses).front() == "1m:eligible");
  CHECK(summary_cells(summary_table::statuses).back() == "12m:none");
  CHECK(summary_cells(summary_table::contacts)[0] == "home:contacts");
  CHECK(summary_cells(summary_table::contacts)[2] == "home:no_show");
  CHECK(summary_cells(summary_table::home_visits)[1] == "home:01");
  CHECK(summary_cells(summary_table::home_visits).size() == 2 * 24 + 2);
  CHECK(summary_cells(summary_table::home_visits)[48] == "attended:outside");
  CHECK(summary_cells(summary_table::home_visits).back() == "home:outside");
  CHECK(summary_cells(summary_table::utilisation).back() == "150");
  CHECK(summary_cells(summary_table::milestones)[1] == "first_office_visit:reached");
}

TEST_CASE("one course counted by hand, in the middle of its course and after it", "[summary]") {
  const std::vector<course> courses = {course::replay(full_history())};
  const cohort all = cohort::from_courses(courses);

  SECTION("on 20 February 2024: open, five contacts, no grant ended yet") {
    const auto counts = summary_of(all, summary_day(2024, 2, 20), {0}, 1);
    CHECK(summary_cell_of(counts, summary_table::exits, "courses") == 1);
    CHECK(summary_cell_of(counts, summary_table::exits, "open") == 1);
    CHECK(summary_cell_of(counts, summary_table::exits, "closed") == 0);
    CHECK(summary_cell_of(counts, summary_table::statuses, "1m:eligible") == 0);
    // Home: two attended and the no-show of 29 January; the office: 5 and 19 February.
    CHECK(summary_cell_of(counts, summary_table::contacts, "home:contacts") == 3);
    CHECK(summary_cell_of(counts, summary_table::contacts, "home:attended") == 2);
    CHECK(summary_cell_of(counts, summary_table::contacts, "home:no_show") == 1);
    CHECK(summary_cell_of(counts, summary_table::contacts, "provider_office:attended") == 2);
    CHECK(summary_cell_of(counts, summary_table::contacts, "workplace:contacts") == 0);
    CHECK(summary_cell_of(counts, summary_table::intensity, "courses") == 1);
    CHECK(summary_cell_of(counts, summary_table::intensity, "course_days") ==
          36);  // 15 Jan - 20 Feb
    CHECK(summary_cell_of(counts, summary_table::intensity, "attended") == 4);
    CHECK(summary_cell_of(counts, summary_table::intensity, "minutes") == 240);
    // Days 0, 7 and 21 of the course (two at home) in month 1, day 35 in month 2.
    CHECK(summary_cell_of(counts, summary_table::home_visits, "attended:01") == 3);
    CHECK(summary_cell_of(counts, summary_table::home_visits, "home:01") == 2);
    CHECK(summary_cell_of(counts, summary_table::home_visits, "attended:02") == 1);
    CHECK(summary_cell_of(counts, summary_table::home_visits, "home:02") == 0);
    CHECK(summary_cell_of(counts, summary_table::grants, "grants") == 0);
    // No handover: the first attended contact on day 0, and the no-show of day 14 within the 30
    // days that had passed by 14 February.
    CHECK(summary_cell_of(counts, summary_table::continuity, "without_handover") == 1);
    CHECK(summary_cell_of(counts, summary_table::continuity, "with_handover") == 0);
    CHECK(summary_cell_of(counts, summary_table::continuity, "without_first_contact_known") == 1);
    CHECK(summary_cell_of(counts, summary_table::continuity, "without_days_to_first_contact") == 0);
    CHECK(summary_cell_of(counts, summary_table::continuity, "without_followed_30d") == 1);
    CHECK(summary_cell_of(counts, summary_table::continuity, "without_no_shows_30d") == 1);
  }

  SECTION("on 1 June 2025: closed to a job, the 1- and 3-month statuses due, not the 6-month") {
    course c = course::replay(full_history());
    c.append(status(d(2024, 12, 20), followup_status::in_work, status_source::employer));
    c.append(status(d(2025, 2, 28), followup_status::on_benefit));
    const std::vector<course> followed = {c};
    const cohort one = cohort::from_courses(followed);
    const auto counts = summary_of(one, summary_day(2025, 6, 1), {0}, 1);
    CHECK(summary_cell_of(counts, summary_table::exits, "closed") == 1);
    CHECK(summary_cell_of(counts, summary_table::exits, "job") == 1);
    CHECK(summary_cell_of(counts, summary_table::statuses, "1m:eligible") == 1);
    CHECK(summary_cell_of(counts, summary_table::statuses, "1m:in_work") == 1);
    CHECK(summary_cell_of(counts, summary_table::statuses, "3m:eligible") == 1);
    CHECK(summary_cell_of(counts, summary_table::statuses, "3m:on_benefit") == 1);
    CHECK(summary_cell_of(counts, summary_table::statuses, "6m:eligible") == 0);  // due 2 June
    CHECK(summary_cell_of(counts, summary_table::intensity, "course_days") ==
          summary_day(2024, 12, 2) - summary_day(2024, 1, 15));
    CHECK(summary_cell_of(counts, summary_table::intensity, "minutes") == 60 * 5 + 90 + 30);
    // Both grants ended; hours in hundredths as the grants table rounds them.
    const auto& grants = one.grants();
    CHECK(summary_cell_of(counts, summary_table::grants, "grants") == 2);
    CHECK(summary_cell_of(counts, summary_table::grants, "hours_granted_cents") ==
          std::llround(grants.hours_granted[0] * 100.0) +
              std::llround(grants.hours_granted[1] * 100.0));
  }

  SECTION("a course not ordered by then, or in no group, counts nowhere") {
    const auto counts = summary_of(all, summary_day(2024, 2, 20), {-1}, 1);
    CHECK(summary_cell_of(counts, summary_table::exits, "courses") == 0);
    CHECK(summary_cell_of(counts, summary_table::contacts, "home:contacts") == 0);
  }
}

TEST_CASE("attended contacts outside the months of course are counted outside them", "[summary]") {
  // A course logs contacts only once it has started, but a cohort from a file or from frames can
  // date one before the start, or have no start: made so here from two started courses.
  const auto history = [](const std::string& id) {
    return std::vector<event>{
        order(d(2024, 1, 8), id), to_phase(d(2024, 1, 15), phase::pre_employment),
        contact(d(2024, 1, 15), location::home), contact(d(2024, 1, 16), location::provider_office),
        contact(d(2024, 1, 17), location::home, attendance::no_show)};
  };
  const std::vector<course> courses = {course::replay(history("K-1")),
                                       course::replay(history("K-2"))};
  const cohort started = cohort::from_courses(courses);
  REQUIRE(started.contacts().date[0] == summary_day(2024, 1, 15));
  cohort_parts parts;
  for (std::size_t k = 0; k < dictionary_kind_count; ++k) {
    parts.dictionaries[k] = strings_of(started.dictionary(static_cast<dictionary_kind>(k)));
  }
  parts.tables = started;
  parts.tables.for_each_table([](auto& table) {
    using table_type = std::decay_t<decltype(table)>;
    // K-1's contact at home on 12 January, three days before its start; K-2 not started.
    if constexpr (std::is_same_v<table_type, contact_rows>)
      table.date[0] = summary_day(2024, 1, 12);
    if constexpr (std::is_same_v<table_type, course_rows>) table.started[1] = missing_day;
  });
  const cohort both = assemble_cohort(std::move(parts));
  const auto counts = summary_of(both, summary_day(2024, 3, 1), {0, 1}, 2);
  const auto cell = [&](summary_table table, std::string_view name, std::size_t g) {
    return summary_cell_of(counts, table, name, g);
  };
  CHECK(cell(summary_table::home_visits, "attended:outside", 0) == 1);
  CHECK(cell(summary_table::home_visits, "home:outside", 0) == 1);
  CHECK(cell(summary_table::home_visits, "attended:01", 0) == 1);
  CHECK(cell(summary_table::home_visits, "home:01", 0) == 0);
  CHECK(cell(summary_table::home_visits, "attended:outside", 1) == 2);
  CHECK(cell(summary_table::home_visits, "home:outside", 1) == 1);
  CHECK(cell(summary_table::home_visits, "attended:01", 1) == 0);
  // The relations the publishable summary declares: the table adds up to the attended contacts
  // of the intensity table and to the contacts table's attended contacts at home.
  const auto cells = summary_cells(summary_table::home_visits);
  for (std::size_t g = 0; g < 2; ++g) {
    std::int64_t attended = 0;
    std::int64_t at_home = 0;
    for (std::size_t j = 0; j < cells.size(); ++j) {
      (cells[j].starts_with("attended:") ? attended : at_home) +=
          counts[summary_table::home_visits].at(g, j);
    }
    CHECK(attended == cell(summary_table::intensity, "attended", g));
    CHECK(at_home == cell(summary_table::contacts, "home:attended", g));
  }
  CHECK(cell(summary_table::intensity, "attended", 0) == 2);
  CHECK(cell(summary_table::intensity, "attended", 1) == 2);
}

TEST_CASE("hours delivered below zero never reach the grant counts: every grant is in a bin",
          "[summary]") {
  // A course cannot deliver negative hours, and assemble_cohort (every cohort file, frame and
  // Arrow table) refuses them: such a grant would count in under_80 and in no bin, and the
  // relation under_80 = bins 000..070 that publishable() declares would not hold.
  const std::vector<course> courses = {course::replay(full_history())};
  const cohort one = cohort::from_courses(courses);
  REQUIRE(one.grants().hours_delivered.size() == 2);
  cohort_parts parts;
  for (std::size_t k = 0; k < dictionary_kind_count; ++k) {
    parts.dictionaries[k] = strings_of(one.dictionary(static_cast<dictionary_kind>(k)));
  }
  parts.tables = one;
  parts.tables.for_each_table([](auto& table) {
    if constexpr (std::is_same_v<std::decay_t<decltype(table)>, grant_rows>) {
      table.hours_delivered[0] = -5.0F;
    }
  });
  CHECK_THROWS_WITH(assemble_cohort(std::move(parts)),
                    Catch::Contains("grants.hours_delivered = -5: row 0: may not be negative"));
}

TEST_CASE("the counts of groups add up to the counts of all, whatever the thread count",
          "[summary]") {
  const auto courses = courses_for_summary(300);
  const cohort all = cohort::from_courses(courses);
  const day_number as_of = to_day_number(all.date_range()->second);
  const std::vector<std::int32_t> one_group(all.size(), 0);
  const auto whole = summary_of(all, as_of, one_group, 1);
  CHECK(summary_of(all, as_of, one_group, 1, 3) == whole);

  std::vector<std::int32_t> halves(all.size());
  for (std::size_t k = 0; k < halves.size(); ++k) halves[k] = static_cast<std::int32_t>(k % 2);
  const auto split = summary_of(all, as_of, halves, 2, 2);
  for (std::size_t t = 0; t < whole.fixed.size(); ++t) {
    for (std::size_t cell = 0; cell < whole.fixed[t].cells; ++cell) {
      INFO(enum_traits<summary_table>::names[t] << " cell " << cell);
      CHECK(split.fixed[t].at(0, cell) + split.fixed[t].at(1, cell) == whole.fixed[t].at(0, cell));
    }
  }
  CHECK(split.transitions == whole.transitions);
  CHECK(split.instruments == whole.instruments);
  CHECK(!whole.transitions.empty());
  CHECK(!whole.instruments.empty());
  CHECK(summary_cell_of(whole, summary_table::exits, "courses") == 300);
}

TEST_CASE("count_summary names what is wrong with its options", "[summary][errors]") {
  const std::vector<course> courses = {course::replay(full_history())};
  const cohort all = cohort::from_courses(courses);
  CHECK_THROWS_WITH(
      summary_of(all, 19800, {0, 0}, 1),
      Catch::Matchers::Contains("groups") && Catch::Matchers::Contains("one per course (1)"));
  CHECK_THROWS_WITH(summary_of(all, 19800, {1}, 1),
                    Catch::Matchers::Contains("groups[0]") && Catch::Matchers::Contains("below 1"));
  CHECK_THROWS_AS(summary_of(all, missing_day, {0}, 1), invalid_value_error);
}

TEST_CASE("the status horizons: a closure is due by as_of exactly when closed by the bound",
          "[summary][calendar]") {
  for (day_number as_of = summary_day(2023, 1, 1); as_of <= summary_day(2025, 12, 31); ++as_of) {
    const auto due = detail::status_due_by(as_of);
    for (std::size_t h = 0; h < due.size(); ++h) {
      const int months = status_horizons_months[h];
      INFO(to_iso(*from_day_number(as_of)) << ", " << months << " months");
      REQUIRE(add_months_to_day(due[h], months) <= as_of);
      REQUIRE(add_months_to_day(due[h] + 1, months) > as_of);
    }
  }
}
