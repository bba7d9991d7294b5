#include "mentorcore/contact.hpp"

#include <catch2/catch.hpp>

using namespace mentorcore;

TEST_CASE("contact enums have stable names", "[contact]") {
  CHECK(from_string<location>("escort_to_appointment") == location::escort_to_appointment);
  CHECK(to_string(attendance::cancelled_by_citizen_late) == "cancelled_by_citizen_late");
  CHECK(from_string<non_billable_reason>("mentor_sick") == non_billable_reason::mentor_sick);
  CHECK(all_values<location>().size() == 9);
}

TEST_CASE("in-person contacts are those not by phone, video or message", "[contact]") {
  CHECK(in_person(location::home));
  CHECK(in_person(location::escort_to_appointment));
  CHECK_FALSE(in_person(location::phone));
  CHECK_FALSE(in_person(location::video));
  CHECK_FALSE(in_person(location::message));
}
