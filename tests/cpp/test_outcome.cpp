#include "mentorcore/outcome.hpp"

#include <catch2/catch.hpp>

using namespace mentorcore;

TEST_CASE("every outcome vocabulary maps onto the one outcome vocabulary", "[outcome]") {
  // The table of docs/data-model.md, "Outcomes", entry by entry.
  CHECK(outcome_of(start_type::ordinary_job) == outcome::job);
  CHECK(outcome_of(start_type::flex_job) == outcome::flex_job);
  CHECK(outcome_of(start_type::wage_subsidy) == outcome::subsidised_job);
  CHECK(outcome_of(start_type::education) == outcome::education);
  CHECK(outcome_of(clarification_outcome::job) == outcome::job);
  CHECK(outcome_of(clarification_outcome::pension) == outcome::pension);
  CHECK(outcome_of(clarification_outcome::other_measure) == outcome::other_measure);
  CHECK(outcome_of(closure_reason::job) == outcome::job);
  CHECK(outcome_of(closure_reason::education) == outcome::education);
  for (const auto reason :
       {closure_reason::moved, closure_reason::sick, closure_reason::dropped_out,
        closure_reason::grant_expired, closure_reason::deceased, closure_reason::other}) {
    CHECK(outcome_of(reason) == outcome::no_outcome);
  }
  CHECK(followup_status_of(outcome::subsidised_job) == followup_status::in_work);
  CHECK(followup_status_of(outcome::education) == followup_status::in_education);
  CHECK(followup_status_of(outcome::other_measure) == followup_status::on_benefit);
  CHECK(followup_status_of(outcome::no_outcome) == followup_status::other);
  CHECK(is_work_or_education(outcome::flex_job));
  CHECK_FALSE(is_work_or_education(outcome::pension));
}

TEST_CASE("every start type and closure reason has an outcome of the same name where one exists",
          "[outcome]") {
  // A closure, a clarification and a start that share a word share the outcome.
  for (const auto reason : all_values<closure_reason>()) {
    const auto name = to_string(reason);
    for (const auto o : all_values<outcome>()) {
      if (to_string(o) == name) CHECK(outcome_of(reason) == o);
    }
  }
  for (const auto concluded : all_values<clarification_outcome>()) {
    CHECK(to_string(outcome_of(concluded)) == to_string(concluded));
  }
}
