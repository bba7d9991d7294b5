#include "mentorcore/phase.hpp"

#include <catch2/catch.hpp>

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

TEST_CASE("lifecycle enums have stable names", "[phase]") {
  CHECK(to_string(phase::pre_employment) == "pre_employment");
  CHECK(from_string<closure_reason>("grant_expired") == closure_reason::grant_expired);
  CHECK(to_string(start_type::wage_subsidy) == "wage_subsidy");
  CHECK(from_string<clarification_outcome>("pension") == clarification_outcome::pension);
  CHECK_THROWS_AS(from_string<milestone>("first_job"), invalid_value_error);
}
