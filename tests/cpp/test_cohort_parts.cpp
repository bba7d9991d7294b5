// assemble_cohort (mentorcore/analytics/cohort_parts.hpp): a cohort made of its parts equals the
// cohort they came from, and every fault a file or a caller can put in the parts is refused by
// name.
#include "mentorcore/analytics/cohort_parts.hpp"

#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "fixtures.hpp"
#include "mentorcore/synthetic.hpp"

using namespace mentorcore;

namespace {

// A small cohort with rows in every table: synthetic courses and the fixture that has every
// event type.
const cohort& parts_test_cohort() {
  static const cohort built = [] {
    synthetic_options options;
    options.courses = 40;
    options.seed = 11;
    options.threads = 1;
    std::vector<course> courses = generate_courses(options);
    courses.push_back(fixtures::every_event_type_course());
    return cohort::from_courses(courses);
  }();
  return built;
}

cohort_parts parts_of(const cohort& c) {
  cohort_parts parts;
  for (std::size_t k = 0; k < dictionary_kind_count; ++k)
    parts.dictionaries[k] = strings_of(c.dictionary(static_cast<dictionary_kind>(k)));
  parts.tables = c;
  return parts;
}

// Calls `change(table)` on the table of type Table in `parts`.
template <class Table, class Change>
void change_part(cohort_parts& parts, Change change) {
  parts.tables.for_each_table([&](auto& table) {
    if constexpr (std::is_same_v<std::decay_t<decltype(table)>, Table>) change(table);
  });
}

// The field of the invalid_value_error that assembling `parts` throws ("" if none).
std::string refused_field(cohort_parts parts) {
  try {
    static_cast<void>(assemble_cohort(std::move(parts)));
  } catch (const invalid_value_error& e) {
    return e.field();
  }
  return "";
}

}  // namespace

TEST_CASE("a cohort assembled from its parts equals the cohort", "[cohort][parts]") {
  const cohort& c = parts_test_cohort();
  REQUIRE(c.contacts().date.size() > 100);
  REQUIRE(!c.ratings().date.empty());
  REQUIRE(!c.handovers().date.empty());
  CHECK(assemble_cohort(parts_of(c)) == c);
  CHECK(assemble_cohort(parts_of(cohort())) == cohort());
}

TEST_CASE("ratings.alert is compared and checked like every flag", "[cohort][parts]") {
  const cohort& c = parts_test_cohort();
  REQUIRE(row_count(c.ratings()) == c.ratings().alert.size());
  auto flipped = parts_of(c);
  change_part<rating_rows>(flipped, [](rating_rows& t) { t.alert[0] ^= 1U; });
  CHECK_FALSE(assemble_cohort(std::move(flipped)) == c);
  auto two = parts_of(c);
  change_part<rating_rows>(two, [](rating_rows& t) { t.alert[0] = 2; });
  CHECK(refused_field(std::move(two)) == "ratings.alert");
  auto short_column = parts_of(c);
  change_part<rating_rows>(short_column, [](rating_rows& t) { t.alert.pop_back(); });
  CHECK(refused_field(std::move(short_column)) == "ratings.alert");
}

TEST_CASE("assembling names the table, the column and the row of a bad value", "[cohort][parts]") {
  const cohort& c = parts_test_cohort();
  SECTION("a code outside its dictionary") {
    auto parts = parts_of(c);
    change_part<contact_rows>(parts, [&](contact_rows& t) {
      t.mentor[5] = static_cast<std::int32_t>(c.dictionary(dictionary_kind::staff).size());
    });
    try {
      static_cast<void>(assemble_cohort(std::move(parts)));
      FAIL("no error");
    } catch (const invalid_value_error& e) {
      CHECK(e.field() == "contacts.mentor");
      CHECK_THAT(e.what(), Catch::Contains("row 5") && Catch::Contains("staff dictionary"));
    }
  }
  SECTION("an enum value outside its enum") {
    auto parts = parts_of(c);
    change_part<contact_rows>(parts, [](contact_rows& t) { t.location[2] = 99; });
    CHECK(refused_field(std::move(parts)) == "contacts.location");
  }
  SECTION("a flag that is not 0 or 1") {
    auto parts = parts_of(c);
    change_part<contact_rows>(parts, [](contact_rows& t) { t.billable[0] = 2; });
    CHECK(refused_field(std::move(parts)) == "contacts.billable");
  }
  SECTION("a day outside the calendar") {
    auto parts = parts_of(c);
    change_part<phase_rows>(parts, [](phase_rows& t) { t.start[0] = 200000; });
    CHECK(refused_field(std::move(parts)) == "phases.start");
  }
  SECTION("a number the summary could not count in whole hundredths") {
    // 1e30 hours would not convert to an integer (undefined), 1e15 would overflow a share.
    auto parts = parts_of(c);
    change_part<grant_rows>(parts, [](grant_rows& t) { t.hours_granted[1] = 1e30F; });
    try {
      static_cast<void>(assemble_cohort(std::move(parts)));
      FAIL("no error");
    } catch (const invalid_value_error& e) {
      CHECK(e.field() == "grants.hours_granted");
      CHECK(e.value() == "1e+30");
      CHECK_THAT(e.what(), Catch::Contains("row 1") && Catch::Contains("at most 1e9"));
    }
    auto infinite = parts_of(c);
    change_part<grant_rows>(infinite, [](grant_rows& t) {
      t.hours_delivered[0] = std::numeric_limits<float>::infinity();
    });
    CHECK(refused_field(std::move(infinite)) == "grants.hours_delivered");
    auto missing = parts_of(c);  // NaN is a missing number, as before
    change_part<grant_rows>(missing, [](grant_rows& t) {
      t.hours_delivered[0] = std::numeric_limits<float>::quiet_NaN();
    });
    CHECK_NOTHROW(assemble_cohort(std::move(missing)));
  }
  SECTION("a column shorter than its table") {
    auto parts = parts_of(c);
    change_part<grant_rows>(parts, [](grant_rows& t) { t.hours_granted.pop_back(); });
    CHECK(refused_field(std::move(parts)) == "grants.hours_granted");
  }
  SECTION("offsets that decrease, do not start at 0, or end elsewhere") {
    auto decreasing = parts_of(c);
    change_part<contact_rows>(decreasing,
                              [](contact_rows& t) { std::swap(t.offsets[3], t.offsets[9]); });
    CHECK(refused_field(std::move(decreasing)) == "contacts.offsets");
    auto late_start = parts_of(c);
    change_part<contact_rows>(late_start, [](contact_rows& t) { t.offsets[0] = 1; });
    CHECK(refused_field(std::move(late_start)) == "contacts.offsets");
    auto short_end = parts_of(c);
    change_part<contact_rows>(short_end, [](contact_rows& t) { t.offsets.back() -= 1; });
    CHECK_FALSE(refused_field(std::move(short_end)).empty());
    auto too_few = parts_of(c);
    change_part<pause_rows>(too_few, [](pause_rows& t) { t.offsets.pop_back(); });
    CHECK(refused_field(std::move(too_few)) == "pauses.offsets");
  }
  SECTION("the courses table's course code i at row i") {
    auto parts = parts_of(c);
    change_part<course_rows>(parts, [](course_rows& t) { std::swap(t.course[0], t.course[1]); });
    CHECK(refused_field(std::move(parts)) == "courses.course");
  }
  SECTION("a municipality code that is not one") {
    auto parts = parts_of(c);
    change_part<course_rows>(parts, [](course_rows& t) { t.municipality[3] = 7; });
    CHECK(refused_field(std::move(parts)) == "courses.municipality");
  }
}

TEST_CASE("assembling refuses dictionaries a cohort cannot hold", "[cohort][parts]") {
  const cohort& c = parts_test_cohort();
  const auto staff = static_cast<std::size_t>(dictionary_kind::staff);
  SECTION("a string twice") {
    auto parts = parts_of(c);
    const auto first = std::string(c.dictionary(dictionary_kind::staff)[0]);
    dictionary_strings strings;
    for (std::size_t i = 0; i < parts.dictionaries[staff].size(); ++i)
      strings.push_back(
          i == 1 ? first
                 : std::string(c.dictionary(dictionary_kind::staff)[static_cast<std::int32_t>(i)]));
    parts.dictionaries[staff] = strings;
    try {
      static_cast<void>(assemble_cohort(std::move(parts)));
      FAIL("no error");
    } catch (const invalid_value_error& e) {
      CHECK(e.field() == "dictionaries.staff[1]");
      CHECK_THAT(e.what(), Catch::Contains("the same string as entry 0"));
    }
  }
  SECTION("an id that breaks the id rules, or is shaped like a CPR number") {
    auto parts = parts_of(c);
    parts.dictionaries[staff].push_back("two words");
    CHECK(refused_field(parts) ==
          "dictionaries.staff[" + std::to_string(parts.dictionaries[staff].size() - 1) + "]");
    auto cpr = parts_of(c);
    cpr.dictionaries[staff].push_back("0101901234");
    try {
      static_cast<void>(assemble_cohort(std::move(cpr)));
      FAIL("no error");
    } catch (const invalid_value_error& e) {
      CHECK_THAT(e.what(), !Catch::Contains("0101901234"));
    }
  }
  SECTION("a text that is not UTF-8") {
    auto parts = parts_of(c);
    parts.dictionaries[static_cast<std::size_t>(dictionary_kind::behaviour)].push_back("bad \xff");
    CHECK_THAT(refused_field(std::move(parts)), Catch::StartsWith("dictionaries.behaviour["));
  }
  SECTION("a course dictionary of another size than the courses table") {
    auto parts = parts_of(c);
    parts.dictionaries[static_cast<std::size_t>(dictionary_kind::course)].push_back("K-EXTRA");
    CHECK(refused_field(std::move(parts)) == "dictionaries.course");
  }
  SECTION("offsets past the characters") {
    auto parts = parts_of(c);
    parts.dictionaries[staff].offsets.back() += 1;
    CHECK(refused_field(std::move(parts)) == "dictionaries.staff.offsets");
  }
}

TEST_CASE("a row is named as the caller numbers it", "[cohort][parts]") {
  const cohort& c = parts_test_cohort();
  auto parts = parts_of(c);
  change_part<contact_rows>(parts, [](contact_rows& t) { t.billable[1] = 3; });
  parts.source_rows.resize(cohort::table_names().size());
  const auto rows = row_count(c.contacts());
  auto& numbering = parts.source_rows[4];  // contacts
  for (std::size_t r = 0; r < rows; ++r)
    numbering.push_back(static_cast<std::int64_t>(rows - 1 - r));
  try {
    static_cast<void>(assemble_cohort(std::move(parts)));
    FAIL("no error");
  } catch (const invalid_value_error& e) {
    CHECK_THAT(e.what(), Catch::Contains("row " + std::to_string(rows - 2) + ":"));
  }
}

TEST_CASE("every column of a quantity refuses a negative value by table, column, row and value",
          "[cohort][parts]") {
  // Minutes, hours, days and counts are never negative in a course; a file or a caller's parts
  // could hold -500 minutes, which were counted as they stood. Driven by the column tables: each
  // column marked not_negative gets -7 in its last row, the rest of the cohort as built.
  const cohort& c = parts_test_cohort();
  std::vector<std::string> refused;
  for (std::size_t table_index = 0; table_index < cohort::table_names().size(); ++table_index) {
    std::size_t column_index = 0;
    for (bool more = true; more; ++column_index) {
      more = false;
      auto parts = parts_of(c);
      std::string expected;
      std::size_t seen_tables = 0;
      parts.tables.for_each_table([&](auto& table) {
        if (seen_tables++ != table_index) return;
        std::size_t seen_columns = 0;
        for_each_column(table, [&](const auto& info, auto& values) {
          if (seen_columns++ != column_index) return;
          more = true;
          using element = typename std::decay_t<decltype(values)>::value_type;
          if constexpr (std::is_signed_v<element>) {  // flags are unsigned, and never negative
            if (!info.not_negative) return;
            REQUIRE(!values.empty());
            values.back() = static_cast<element>(-7);
            using table_type = std::decay_t<decltype(table)>;
            expected = std::string(table_traits<table_type>::name) + "." + std::string(info.name);
          }
        });
      });
      if (expected.empty()) continue;
      INFO(expected);
      try {
        static_cast<void>(assemble_cohort(std::move(parts)));
        FAIL("no error");
      } catch (const invalid_value_error& e) {
        CHECK(e.field() == expected);
        CHECK(e.value() == "-7");
        CHECK_THAT(e.reason(), Catch::Matches("row [0-9]+: may not be negative"));
        refused.push_back(expected);
      }
    }
  }
  // The quantities no course holds below zero (Cohort.from_frames passes them on to this check).
  CHECK(refused == std::vector<std::string>{
                       "courses.days_paused", "courses.mentor_changes", "grants.hours_per_week",
                       "grants.hours_granted", "grants.hours_delivered", "contacts.planned_minutes",
                       "contacts.actual_minutes", "statuses.days_after_closure",
                       "handovers.carried", "handovers.withheld", "handovers.dropped",
                       "handovers.days_to_first_contact", "handovers.no_shows_within_30_days"});
  // Missing is not negative: NaN hours and no first contact yet (missing_number) pass.
  auto missing = parts_of(c);
  change_part<grant_rows>(missing, [](grant_rows& t) {
    t.hours_granted.back() = std::numeric_limits<float>::quiet_NaN();
  });
  change_part<handover_rows>(
      missing, [](handover_rows& t) { t.days_to_first_contact.back() = missing_number; });
  CHECK_NOTHROW(assemble_cohort(std::move(missing)));
}

TEST_CASE("a contact without its place or attendance is refused by column and row",
          "[cohort][parts]") {
  // Found by adversarial testing: a missing location (-1) was accepted, then counted as attended
  // in the intensity and home-visit tables and in no place of the contacts table, so that the
  // publishable summary's relations failed. Every logged contact has both.
  const cohort& c = parts_test_cohort();
  const auto last = std::to_string(c.contacts().date.size() - 1);
  for (const bool place : {true, false}) {
    auto parts = parts_of(c);
    change_part<contact_rows>(parts, [place](contact_rows& t) {
      (place ? t.location : t.attendance).back() = missing_category;
    });
    try {
      static_cast<void>(assemble_cohort(std::move(parts)));
      FAIL("no error");
    } catch (const invalid_value_error& e) {
      CHECK(e.field() == (place ? "contacts.location" : "contacts.attendance"));
      CHECK(e.value() == "-1");
      CHECK_THAT(e.reason(), Catch::StartsWith("row " + last + ":") &&
                                 Catch::EndsWith("never missing: every row has one"));
    }
  }
}
