#include "mentorcore/knowledge.hpp"

#include <catch2/catch.hpp>

using namespace mentorcore;

TEST_CASE("knowledge categories: standard ones and user-defined ones", "[knowledge]") {
  CHECK(is_standard_knowledge_category("thought_pattern"));
  CHECK_FALSE(is_standard_knowledge_category("music"));
  CHECK_NOTHROW(check_knowledge_category("what_works"));
  CHECK_NOTHROW(check_knowledge_category("music_2"));
  CHECK_THROWS_WITH(check_knowledge_category("Music"), Catch::StartsWith("category = \"Music\""));
  CHECK_THROWS_AS(check_knowledge_category(""), invalid_value_error);
  CHECK_THROWS_AS(check_knowledge_category("2fast"), invalid_value_error);
}

TEST_CASE("data categories, sharing bases, goal statuses and step doers have stable names",
          "[knowledge]") {
  CHECK(to_string(data_category::serious_social_problems) == "serious_social_problems");
  CHECK(from_string<sharing_basis>("necessary_for_task") == sharing_basis::necessary_for_task);
  CHECK(to_string(goal_status::abandoned) == "abandoned");
  CHECK(from_string<step_doer>("mentor_on_behalf") == step_doer::mentor_on_behalf);
}
