#include "mentorcore/motivation.hpp"

#include <catch2/catch.hpp>

#include <array>

using namespace mentorcore;

namespace {
// Fills the 32 answers: `pc`, `c`, `a`, `m` for the items of each subscale (form order), and
// 5 for the four unscored items (4, 9, 20, 31), which must not matter.
std::array<int, 32> answers(const std::array<int, 7>& pc, const std::array<int, 7>& c,
                            const std::array<int, 7>& a, const std::array<int, 7>& m) {
  std::array<int, 32> result{};
  result.fill(5);
  for (std::size_t i = 0; i < 7; ++i) {
    result[static_cast<std::size_t>(urica_precontemplation_items[i] - 1)] = pc[i];
    result[static_cast<std::size_t>(urica_contemplation_items[i] - 1)] = c[i];
    result[static_cast<std::size_t>(urica_action_items[i] - 1)] = a[i];
    result[static_cast<std::size_t>(urica_maintenance_items[i] - 1)] = m[i];
  }
  return result;
}
}  // namespace

TEST_CASE("URICA: subscale means, readiness and nearest-mean stage, computed by hand",
          "[motivation][urica]") {
  // PC all 2, C all 4, A all 4, M all 3: readiness 4 + 4 + 3 - 2 = 9, nearest 9.3
  // (precontemplation).
  const auto first = urica_score(answers({2, 2, 2, 2, 2, 2, 2}, {4, 4, 4, 4, 4, 4, 4},
                                         {4, 4, 4, 4, 4, 4, 4}, {3, 3, 3, 3, 3, 3, 3}));
  CHECK(first.precontemplation == Approx(2.0));
  CHECK(first.contemplation == Approx(4.0));
  CHECK(first.action == Approx(4.0));
  CHECK(first.maintenance == Approx(3.0));
  CHECK(first.readiness == Approx(9.0));
  CHECK(first.nearest_stage == stage::precontemplation);

  // PC 9/7, C 32/7, A 30/7, M 23/7: readiness 76/7 = 10.857, nearest 11.0 (contemplation).
  const auto second = urica_score(answers({1, 1, 1, 1, 1, 2, 2}, {5, 5, 4, 4, 4, 5, 5},
                                          {4, 4, 4, 5, 5, 4, 4}, {3, 3, 3, 4, 4, 3, 3}));
  CHECK(second.precontemplation == Approx(9.0 / 7));
  CHECK(second.contemplation == Approx(32.0 / 7));
  CHECK(second.readiness == Approx(76.0 / 7));
  CHECK(second.nearest_stage == stage::contemplation);

  // PC all 1, C, A all 5, M all 4: readiness 5 + 5 + 4 - 1 = 13, nearest 12.6 (action).
  const auto third = urica_score(answers({1, 1, 1, 1, 1, 1, 1}, {5, 5, 5, 5, 5, 5, 5},
                                         {5, 5, 5, 5, 5, 5, 5}, {4, 4, 4, 4, 4, 4, 4}));
  CHECK(third.readiness == Approx(13.0));
  CHECK(third.nearest_stage == stage::action);

  // The range is -2 to 14.
  const auto lowest = urica_score(answers({5, 5, 5, 5, 5, 5, 5}, {1, 1, 1, 1, 1, 1, 1},
                                          {1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 1}));
  CHECK(lowest.readiness == Approx(-2.0));
}

TEST_CASE("URICA staging means are configurable; ties go to the earlier stage",
          "[motivation][urica]") {
  const auto nine = answers({2, 2, 2, 2, 2, 2, 2}, {4, 4, 4, 4, 4, 4, 4}, {4, 4, 4, 4, 4, 4, 4},
                            {3, 3, 3, 3, 3, 3, 3});
  urica_staging local;
  local.group_means = {{stage::contemplation, 8.0}, {stage::preparation, 10.0}};
  CHECK(urica_score(nine, local).nearest_stage == stage::contemplation);  // 9 is 1 from both
  local.group_means = {{stage::preparation, 9.5}};
  CHECK(urica_score(nine, local).nearest_stage == stage::preparation);
  CHECK_THROWS_AS(urica_score(nine, urica_staging{{}}), invalid_value_error);
}

TEST_CASE("URICA rejects the wrong number of answers and answers outside 1-5",
          "[motivation][urica]") {
  const std::array<int, 31> short_form{};
  CHECK_THROWS_WITH(urica_score(short_form), "answers = 31 answers: the URICA-32 has 32 items");
  auto bad = answers({2, 2, 2, 2, 2, 2, 2}, {4, 4, 4, 4, 4, 4, 4}, {4, 4, 4, 4, 4, 4, 4},
                     {3, 3, 3, 3, 3, 3, 3});
  bad[6] = 6;
  CHECK_THROWS_WITH(urica_score(bad), "answers[6] = 6: URICA answers are 1-5");
}

TEST_CASE("stage names", "[motivation]") {
  CHECK(to_string(stage::preparation) == "preparation");
  CHECK(from_string<assessment_method>("urica_24") == assessment_method::urica_24);
}
