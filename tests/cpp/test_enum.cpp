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

TEST_CASE("a cast that no enumerator has is found and refused by field and number", "[enum]") {
  // static_cast makes any value of the underlying type; to_string of it would index past the
  // names (Expects), so what a caller built is checked first.
  const auto past_the_last = static_cast<holiday_kind>(enum_traits<holiday_kind>::names.size());
  CHECK(is_enumerator(holiday_kind::new_years_day));
  CHECK_FALSE(is_enumerator(past_the_last));
  CHECK_NOTHROW(require_enumerator(holiday_kind::easter_sunday, "kind"));
  try {
    require_enumerator(past_the_last, "kind");
    FAIL("expected invalid_value_error");
  } catch (const invalid_value_error& e) {
    CHECK(e.field() == "kind");
    CHECK(e.value() == std::to_string(enum_traits<holiday_kind>::names.size()));
    CHECK_THAT(e.reason(), Catch::StartsWith("not a holiday_kind; expected one of: ") &&
                               Catch::Contains("easter_sunday"));
  }
}
