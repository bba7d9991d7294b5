#include "mentorcore/phase.hpp"

#include <catch2/catch.hpp>

#include "mentorcore/contact.hpp"

using namespace mentorcore;

TEST_CASE("phase changes: skips and moves back between active phases", "[phase]") {
  CHECK(phase_change_allowed(phase::referred, phase::retention));
  CHECK(phase_change_allowed(phase::pre_employment, phase::work_trial));
  CHECK(phase_change_allowed(phase::work_trial, phase::clarification));
  CHECK(phase_change_allowed(phase::retention, phase::pre_employment));
  CHECK_FALSE(phase_change_allowed(phase::clarification, phase::referred));
  CHECK_FALSE(phase_change_allowed(phase::clarification, phase::clarification));
  CHECK_FALSE(phase_change_allowed(phase::clarification, phase::closed));
  CHECK_FALSE(phase_change_allowed(phase::closed, phase::clarification));
}

TEST_CASE("lifecycle and contact enums have stable names", "[phase][contact]") {
  CHECK(to_string(phase::pre_employment) == "pre_employment");
  CHECK(from_string<closure_reason>("grant_expired") == closure_reason::grant_expired);
  CHECK(from_string<location>("escort_to_appointment") == location::escort_to_appointment);
  CHECK(to_string(attendance::cancelled_by_citizen_late) == "cancelled_by_citizen_late");
  CHECK_THROWS_AS(from_string<milestone>("first_job"), invalid_value_error);
  CHECK(in_person(location::home));
  CHECK_FALSE(in_person(location::video));
}
