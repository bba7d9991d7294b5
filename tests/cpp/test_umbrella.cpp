#include "mentorcore/mentorcore.hpp"

#include <catch2/catch.hpp>

#include <string>

TEST_CASE("the umbrella header exposes the API and the version", "[umbrella]") {
  CHECK(std::string(mentorcore::version) == MENTORCORE_VERSION_STRING);
  CHECK(mentorcore::easter_sunday(2024) == mentorcore::date(2024, 3, 31));
  // The journal (mentorcore::io) is part of the umbrella too.
  CHECK(mentorcore::to_string(mentorcore::journal_fault::busy) == "busy");
}
