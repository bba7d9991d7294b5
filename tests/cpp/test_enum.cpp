#include "mentorcore/enum.hpp"

#include <catch2/catch.hpp>

#include "mentorcore/calendar.hpp"

using namespace mentorcore;

TEST_CASE("to_string and from_string round-trip every enumerator", "[enum]") {
  for (const auto kind : all_values<holiday_kind>()) {
    CHECK(from_string<holiday_kind>(to_string(kind)) == kind);
  }
  CHECK(to_string(holiday_kind::great_prayer_day) == "great_prayer_day");
}

TEST_CASE("from_string rejects unknown text with the enum name, the text and the choices",
          "[enum]") {
  try {
    (void)from_string<holiday_kind>("Easter");
    FAIL("expected invalid_value_error");
  } catch (const invalid_value_error& e) {
    CHECK(e.field() == "holiday_kind");
    CHECK(e.value() == "\"Easter\"");
    CHECK_THAT(e.what(), Catch::Contains("easter_sunday"));
  }
}
