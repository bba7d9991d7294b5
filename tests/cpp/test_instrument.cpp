#include "mentorcore/instrument.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace mentorcore;

namespace {
// A FIT-style outcome scale defined from numbers alone: 4 items 0-10, total 0-40, cut-offs by
// age band, reliable change 5, higher is better.
instrument outcome_scale() {
  return instrument(
      "outcome", "1", std::vector<item_bounds>(4, item_bounds{0, 10}),
      {{"individual", {1}}, {"interpersonal", {2}}, {"social", {3}}, {"overall", {4}}},
      {{"adult", 25}, {"adolescent", 28}, {"child", 32}}, 5, true,
      {{alert_rule_kind::no_reliable_improvement, 1, 3}});
}

// A FIT-style session (alliance) scale: 4 items 0-10, below 36 or any drop is a signal.
instrument session_scale() {
  return instrument(
      "session", "1", std::vector<item_bounds>(4, item_bounds{0, 10}), {}, {{"all", 36}}, 0, true,
      {{alert_rule_kind::below_cutoff, 1, 3}, {alert_rule_kind::drop_from_previous, 1, 3}});
}

// WAI-SR from numbers: 12 items 1-5; task {1,2,10,12}, bond {3,5,7,9}, goal {4,6,8,11}.
instrument wai_sr() {
  return instrument("wai_sr", "1", std::vector<item_bounds>(12, item_bounds{1, 5}),
                    {{"task", {1, 2, 10, 12}}, {"bond", {3, 5, 7, 9}}, {"goal", {4, 6, 8, 11}}}, {},
                    0, true);
}
}  // namespace

TEST_CASE("a 4-item 0-10 scale scored by hand: totals, cut-off, reliable change, recovered",
          "[instrument]") {
  const auto scale = outcome_scale();
  CHECK(scale.total_range() == std::pair<double, double>{0, 40});
  const std::vector<double> s1 = {4, 5, 5, 4};  // 18
  const std::vector<double> s2 = {5, 5, 6, 5};  // 21
  const std::vector<double> s3 = {7, 7, 7, 6};  // 27
  const std::vector<double> s4 = {6, 6, 5, 5};  // 22
  const auto first = scale.score(s1, std::string("adult"));
  CHECK(first.total == 18);
  CHECK(first.subscales == std::vector<double>{4, 5, 5, 4});
  CHECK(first.cutoff == 25);
  CHECK(first.below_cutoff == true);
  CHECK(first.clinical == true);

  const auto second = scale.score(s2, std::string("adult"));
  const auto small = scale.change(first, second);
  CHECK(small.change == 3);
  CHECK_FALSE(small.reliably_improved);
  CHECK_FALSE(small.recovered);

  const auto third = scale.score(s3, std::string("adult"));
  CHECK(third.clinical == false);
  const auto big = scale.change(first, third);
  CHECK(big.change == 9);
  CHECK(big.reliably_improved);
  CHECK(big.recovered);  // +9 >= 5 and from 18 (< 25) to 27 (>= 25)

  const auto fourth = scale.score(s4, std::string("adult"));
  const auto back = scale.change(third, fourth);
  CHECK(back.change == -5);
  CHECK(back.reliably_deteriorated);
  CHECK_FALSE(scale.change(first, fourth).reliably_improved);  // +4 < 5

  // The adolescent cut-off (28) makes 27 still clinical: improved, but not recovered.
  const auto adolescent_first = scale.score(s1, std::string("adolescent"));
  const auto adolescent_third = scale.score(s3, std::string("adolescent"));
  CHECK(adolescent_third.clinical == true);
  CHECK(scale.change(adolescent_first, adolescent_third).reliably_improved);
  CHECK_FALSE(scale.change(adolescent_first, adolescent_third).recovered);
  // With several bands and none given, no cut-off applies.
  CHECK_FALSE(scale.score(s1).cutoff.has_value());
  CHECK_THROWS_WITH(scale.score(s1, std::string("senior")),
                    Catch::Contains("age_band = \"senior\""));
}

TEST_CASE("a session scale: 36 is not below the cut-off of 36, 35 is", "[instrument]") {
  const auto scale = session_scale();
  const std::vector<double> full = {9, 9, 9, 9};
  const std::vector<double> lower = {9, 9, 9, 8};
  CHECK(scale.score(full).below_cutoff == false);
  CHECK(scale.score(lower).below_cutoff == true);
}

TEST_CASE("WAI-SR subscales sum their items", "[instrument]") {
  const auto scale = wai_sr();
  const std::vector<double> answers = {5, 4, 3, 2, 1, 2, 3, 4, 5, 4, 3, 2};
  const auto score = scale.score(answers);
  CHECK(score.total == 38);
  CHECK(score.subscales == std::vector<double>{5 + 4 + 4 + 2, 3 + 1 + 3 + 5, 2 + 2 + 4 + 3});
  CHECK_FALSE(score.cutoff.has_value());
  CHECK_FALSE(score.clinical.has_value());
}

TEST_CASE("a lower-is-better scale: the clinical side is above the cut-off", "[instrument]") {
  const instrument distress("distress", "1", std::vector<item_bounds>(2, item_bounds{0, 4}), {},
                            {{"all", 5}}, 2, false);
  const std::vector<double> high = {4, 3};
  const std::vector<double> low = {1, 1};
  const auto before = distress.score(high);
  const auto after = distress.score(low);
  CHECK(before.clinical == true);
  CHECK(before.below_cutoff == false);
  const auto change = distress.change(before, after);
  CHECK(change.change == -5);
  CHECK(change.reliably_improved);
  CHECK(change.recovered);
}

TEST_CASE("mean aggregation", "[instrument]") {
  const instrument mean_scale("mean", "1", std::vector<item_bounds>(3, item_bounds{1, 5}),
                              {{"ab", {1, 2}}}, {}, 0, true, {}, aggregation::mean);
  const std::vector<double> answers = {1, 2, 4};
  const auto score = mean_scale.score(answers);
  CHECK(score.total == Approx(7.0 / 3));
  CHECK(score.subscales == std::vector<double>{1.5});
  CHECK(mean_scale.total_range() == std::pair<double, double>{1, 5});
}

TEST_CASE("bad definitions and bad answers are refused naming the field", "[instrument][errors]") {
  CHECK_THROWS_WITH(instrument("", "1", {{0, 10}}, {}, {}, 0, true),
                    Catch::StartsWith("name = \"\""));
  CHECK_THROWS_WITH(instrument("x", "1", {{5, 5}}, {}, {}, 0, true),
                    Catch::StartsWith("items[0] = [5, 5]"));
  CHECK_THROWS_WITH(instrument("x", "1", {{0, 10}}, {{"a", {2}}}, {}, 0, true),
                    Catch::StartsWith("subscales[0].items = 2: item numbers run 1-1"));
  CHECK_THROWS_WITH(instrument("x", "1", {{0, 10}}, {}, {{"adult", 11}}, 0, true),
                    Catch::StartsWith("cutoffs.adult = 11: outside the total range 0-10"));
  CHECK_THROWS_WITH(instrument("x", "1", {{0, 10}}, {}, {}, 0, true,
                               {{alert_rule_kind::no_reliable_improvement, 1, 3}}),
                    Catch::Contains("needs a reliable_change above 0"));
  CHECK_THROWS_WITH(
      instrument("x", "1", {{0, 10}}, {}, {}, 0, true, {{alert_rule_kind::below_cutoff, 1, 3}}),
      Catch::Contains("needs at least one cut-off"));
  const auto scale = outcome_scale();
  const std::vector<double> three = {1, 2, 3};
  const std::vector<double> eleven = {1, 2, 11, 3};
  CHECK_THROWS_WITH(scale.score(three), "answers = 3 answers: outcome has 4 items");
  CHECK_THROWS_WITH(scale.score(eleven), "answers[2] = 11: item 3 of outcome runs 0-10");
}
