#include "mentorcore/ids.hpp"

#include <catch2/catch.hpp>

#include <unordered_set>

using namespace mentorcore;

TEST_CASE("strong ids hold validated keys", "[ids]") {
  const course_id course("K-2024.001");
  CHECK(course.str() == "K-2024.001");
  CHECK(citizen_key("P:8d2f_a") < citizen_key("P:9"));
  CHECK(staff_id() == staff_id());
  CHECK(staff_id().empty());
  std::unordered_set<grant_id> set{grant_id("G1"), grant_id("G1"), grant_id("G2")};
  CHECK(set.size() == 2);
  static_assert(!std::is_convertible_v<course_id, staff_id>, "ids of different kinds do not mix");
  static_assert(!std::is_convertible_v<std::string, course_id>, "construction is explicit");
}

TEST_CASE("bad ids are refused naming the field", "[ids]") {
  CHECK_THROWS_WITH(course_id(""), "course = \"\": an identifier must not be empty");
  CHECK_THROWS_WITH(staff_id("Anne Hansen", "mentor"),
                    Catch::StartsWith("mentor = \"Anne Hansen\": identifiers use only"));
  CHECK_THROWS_AS(citizen_key(std::string(65, 'a')), invalid_value_error);
}

TEST_CASE("a CPR number is refused as a key and not repeated", "[ids][personal-data]") {
  // Ids may hold ':' and '.': a CPR number written with them is refused too, as is one of eight
  // digits (day and month without their leading zeros), which the fast path must not pass.
  for (const std::string cpr : {"0101901234", "010190-1234", "P-0101901234", "01:01:90:12:34",
                                "0101:90:1234", "1-1-90-1234", "P-1.1.90:1234"}) {
    try {
      citizen_key key(cpr);
      FAIL("accepted a CPR-shaped key");
    } catch (const invalid_value_error& e) {
      CHECK(std::string(e.what()).find("1234") == std::string::npos);
      CHECK_THAT(e.what(), Catch::Contains("looks like a CPR number"));
    }
  }
}

TEST_CASE("municipality codes have three digits", "[ids]") {
  CHECK(municipality_code(101).value() == 101);
  CHECK(municipality_code(860).value() == 860);
  CHECK_THROWS_WITH(municipality_code(42),
                    "municipality = 42: a municipality code has three digits, 101-999");
  CHECK_THROWS_AS(municipality_code(1000), invalid_value_error);
  CHECK(municipality_code().empty());
}
