// Survival estimators against cases worked by hand: the counts, Kaplan-Meier with Greenwood and
// the log(-log) interval, the two percentile rules, late entry, weights, Aalen-Johansen, and the
// errors. Agreement with lifelines, statsmodels and scikit-survival on random data is tested in
// tests/python/test_survival.py.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "mentorcore/analytics/detail/whole_day_block.hpp"
#include "mentorcore/analytics/survival.hpp"
#include "mentorcore/error.hpp"

using namespace mentorcore;

namespace {

struct survival_case {
  std::vector<double> durations;
  std::vector<std::int32_t> outcomes;
  std::vector<double> entry{};
  std::vector<double> weights{};
  [[nodiscard]] survival_input input() const { return {durations, outcomes, entry, weights}; }
};

// The log(-log) interval of S with Greenwood sum V, at 95%, written out.
std::pair<double, double> log_log_interval(double s, double v) {
  const double z = 1.959963984540054;
  const double theta = z * std::sqrt(v) / std::fabs(std::log(s));
  return {std::pow(s, std::exp(theta)), std::pow(s, std::exp(-theta))};
}

}  // namespace

TEST_CASE("the normal quantile is exact to double precision", "[survival]") {
  CHECK(normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-15));
  CHECK(normal_quantile(0.5) == Approx(0.0).margin(1e-16));
  CHECK(normal_quantile(0.995) == Approx(2.5758293035489004).epsilon(1e-15));
  CHECK(normal_quantile(1e-10) == Approx(-6.361340902404056).epsilon(1e-14));
  CHECK_THROWS_AS(normal_quantile(1.0), invalid_value_error);
}

TEST_CASE("the normal quantile is exact down to the smallest subnormal p", "[survival]") {
  // Below about 1e-308 the step on erfc was NaN (exp(x^2 / 2) overflowed). The expected values
  // are solved from log Phi to 60 digits (the Mills ratio's continued fraction, Python Decimal).
  CHECK(normal_quantile(1e-300) == Approx(-37.0470962993612).epsilon(1e-14));
  CHECK(normal_quantile(2.2250738585072014e-308) == Approx(-37.5193793471445).epsilon(1e-14));
  CHECK(normal_quantile(1e-310) == Approx(-37.663060331949524).epsilon(1e-14));
  CHECK(normal_quantile(1e-320) == Approx(-38.26912534303265).epsilon(1e-14));
  CHECK(normal_quantile(std::numeric_limits<double>::denorm_min()) ==
        Approx(-38.467405617144344).epsilon(1e-14));
  // Either side of where the far tail's step takes over, the two steps agree.
  CHECK(normal_quantile(0.99e-300) == Approx(normal_quantile(1.01e-300)).epsilon(1e-4));
  for (const double p : {0.0, -1e-300, 1.0, std::nan(""), std::numeric_limits<double>::infinity()})
    CHECK_THROWS_WITH(normal_quantile(p), Catch::Contains("expected a probability in (0, 1)"));
}

TEST_CASE("Kaplan-Meier of four events: S, Greenwood, interval and both median rules",
          "[survival]") {
  const survival_case data{{1, 2, 3, 4}, {1, 1, 1, 1}};
  const auto km = kaplan_meier(data.input());
  CHECK(km.counts.time == std::vector<double>{1, 2, 3, 4});
  CHECK(km.counts.at_risk == std::vector<std::int64_t>{4, 3, 2, 1});
  CHECK(km.survival == std::vector<double>{0.75, 0.5, 0.25, 0.0});
  // d / (n (n - d)): 1/12, + 1/6, + 1/2, and nothing where n == d.
  CHECK(km.greenwood[0] == Approx(1.0 / 12));
  CHECK(km.greenwood[1] == Approx(0.25));
  CHECK(km.greenwood[3] == Approx(0.75));
  CHECK(km.std_err[0] == Approx(0.21650635094610965).epsilon(1e-14));
  const auto [lower, upper] = log_log_interval(0.75, 1.0 / 12);
  CHECK(km.ci_lower[0] == Approx(lower).epsilon(1e-13));
  CHECK(km.ci_upper[0] == Approx(upper).epsilon(1e-13));
  CHECK(km.ci_lower[0] == Approx(0.1279469175951458).epsilon(1e-13));
  CHECK(km.ci_lower[3] == 0.0);
  CHECK(km.ci_upper[3] == 0.0);
  // S reaches 0.5 exactly at 2: lifelines takes 2 (S <= 0.5), statsmodels 3 (S < 0.5).
  CHECK(km.median().time == 2.0);
  CHECK(km.median(percentile_rule::statsmodels).time == 3.0);
  CHECK(km.percentile(0.25).time == 1.0);
  // The median's interval: where the interval's curves fall to 0.5.
  CHECK(km.median().lower == 1.0);
  CHECK(km.median().upper == 4.0);  // the upper curve is 0.665 at 3 and 0 at 4
  CHECK(km.at(std::vector<double>{0.5, 1, 2.5, 10}) == std::vector<double>{1, 0.75, 0.5, 0});
}

TEST_CASE("Kaplan-Meier with tied events and censorings", "[survival]") {
  // At 2 one event and one censoring (both at risk at 2), at 5 two events of three at risk.
  const survival_case data{{2, 2, 3, 5, 5, 7}, {1, 0, 1, 1, 1, 0}};
  const auto km = kaplan_meier(data.input());
  CHECK(km.counts.time == std::vector<double>{2, 3, 5, 7});
  CHECK(km.counts.at_risk == std::vector<std::int64_t>{6, 4, 3, 1});
  CHECK(km.counts.events == std::vector<std::int64_t>{1, 1, 2, 0});
  CHECK(km.counts.censored == std::vector<std::int64_t>{1, 0, 0, 1});
  CHECK(km.survival[0] == Approx(5.0 / 6));
  CHECK(km.survival[1] == Approx(5.0 / 6 * 3 / 4));
  CHECK(km.survival[2] == Approx(5.0 / 6 * 3 / 4 / 3));
  CHECK(km.survival[3] == km.survival[2]);
  CHECK(km.greenwood[2] == Approx(1.0 / 30 + 1.0 / 12 + 2.0 / 3));
  CHECK_FALSE(km.percentile(0.9).time);  // S never falls to 0.1
  CHECK(km.median().time == 5.0);
}

TEST_CASE("late entry: at risk when entry < t <= duration", "[survival]") {
  const survival_case data{{3, 5, 6}, {1, 1, 0}, {0, 4, 2}};
  const auto km = kaplan_meier(data.input());
  CHECK(km.counts.time == std::vector<double>{0, 2, 3, 4, 5, 6});
  CHECK(km.counts.entered == std::vector<std::int64_t>{1, 1, 0, 1, 0, 0});
  // Nobody is at risk at 0 (entering at 0 is not being at risk at 0).
  CHECK(km.counts.at_risk == std::vector<std::int64_t>{0, 1, 2, 1, 2, 1});
  CHECK(km.survival == std::vector<double>{1, 1, 0.5, 0.5, 0.25, 0.25});
  CHECK(km.counts.initial == 0);
}

TEST_CASE("frequency weights count like repeated subjects; float times are sorted", "[survival]") {
  const survival_case weighted{{2, 3, 5}, {1, 0, 1}, {}, {2, 1, 3}};
  const survival_case repeated{{2, 2, 3, 5, 5, 5}, {1, 1, 0, 1, 1, 1}};
  const auto a = kaplan_meier(weighted.input());
  const auto b = kaplan_meier(repeated.input());
  CHECK(a.counts.at_risk == b.counts.at_risk);
  CHECK(a.survival == b.survival);
  CHECK(a.ci_lower == b.ci_lower);
  // The same times as fractions of a day take the sorting path and give the same curve.
  const survival_case halves{{1.0, 1.5, 2.5}, {1, 0, 1}, {}, {2, 1, 3}};
  const auto c = kaplan_meier(halves.input());
  CHECK(c.counts.time == std::vector<double>{1.0, 1.5, 2.5});
  CHECK(c.survival == a.survival);
  // A subject of weight 0 counts nowhere.
  const survival_case with_zero{{2, 3, 5, 9}, {1, 0, 1, 1}, {}, {2, 1, 3, 0}};
  CHECK(kaplan_meier(with_zero.input()).survival == a.survival);
}

TEST_CASE("the one-pass count of whole days equals the general count, table for table",
          "[survival]") {
  // Unweighted whole days take the one-pass path; the same subjects with weights of 1 the general
  // one. Days from 0 to past the first growth of the table, ties everywhere, and outcomes that
  // fill their bits of a cell (3), leave some unused (2, 5) or take one bit (1).
  for (const std::int32_t max_outcome : {1, 2, 3, 5}) {
    CAPTURE(max_outcome);
    survival_case plain;
    for (int i = 0; i < 5000; ++i) {
      plain.durations.push_back(static_cast<double>((i * 7919) % 1201));
      plain.outcomes.push_back((i * 31) % (max_outcome + 1));
    }
    survival_case weighted = plain;
    weighted.weights.assign(plain.durations.size(), 1.0);
    const auto fast = count_survival(plain.input(), max_outcome);
    const auto general = count_survival(weighted.input(), max_outcome);
    CHECK(fast.time == general.time);
    CHECK(fast.at_risk == general.at_risk);
    CHECK(fast.entered == general.entered);
    CHECK(fast.events == general.events);
    CHECK(fast.censored == general.censored);
    CHECK(fast.events_by_outcome == general.events_by_outcome);
    CHECK(fast.initial == general.initial);
    // A day past the one-pass table, or a fraction, takes the general path with the same result.
    plain.durations.back() = 70000.0;
    weighted.durations.back() = 70000.0;
    CHECK(count_survival(plain.input(), max_outcome).time ==
          count_survival(weighted.input(), max_outcome).time);
  }
}

TEST_CASE("a count of more outcomes than max_outcomes is refused before its table is sized",
          "[survival]") {
  // 2^15 outcomes would need 16 bits beside the day, past the one-pass count; they are past
  // max_outcomes first, so neither path sizes a table for them.
  const std::int32_t max_outcome = std::int32_t{1} << 15;
  survival_case plain;
  for (int i = 0; i < 40; ++i) {
    plain.durations.push_back(static_cast<double>(i % 7));
    plain.outcomes.push_back(i % 3 == 0 ? max_outcome : i % 2);
  }
  CHECK_THROWS_WITH(count_survival(plain.input(), max_outcome),
                    Catch::Contains("max_outcome = 32768: expected 1 to 1000"));
  CHECK_THROWS_WITH(aalen_johansen(plain.input()),
                    Catch::Contains("outcomes[0] = 32768: expected 0 (censored) or an outcome "
                                    "1..1000"));
}

TEST_CASE("counting on threads gives one thread's table, and the same first bad value",
          "[survival]") {
  // Three parts of 2^18 subjects, the last with the longest days (its tally is the largest, so
  // merging grows the first part's), three outcomes.
  survival_case many;
  const std::size_t n = 3 * (std::size_t{1} << 18);
  for (std::size_t i = 0; i < n; ++i) {
    const auto day = static_cast<double>((i * 7919) % 1201 + (i >= 2 * n / 3 ? 400 : 0));
    many.durations.push_back(day);
    many.outcomes.push_back(static_cast<std::int32_t>((i * 31) % 4));
  }
  survival_input one = many.input();
  survival_input three = many.input();
  three.threads = 3;
  const auto counted_once = count_survival(one, 3);
  const auto counted_in_parts = count_survival(three, 3);
  CHECK(counted_in_parts.time == counted_once.time);
  CHECK(counted_in_parts.at_risk == counted_once.at_risk);
  CHECK(counted_in_parts.events == counted_once.events);
  CHECK(counted_in_parts.censored == counted_once.censored);
  CHECK(counted_in_parts.events_by_outcome == counted_once.events_by_outcome);
  CHECK(counted_once.time.back() == 1600.0);
  // So many subjects that each block asks for the next one's from memory (whole_day_prefetch):
  // the same table as the general count's, which the weights choose.
  REQUIRE(n >= detail::min_subjects_to_prefetch);
  survival_case weighted = many;
  weighted.weights.assign(n, 1.0);
  const auto general = count_survival(weighted.input(), 3);
  CHECK(counted_once.time == general.time);
  CHECK(counted_once.at_risk == general.at_risk);
  CHECK(counted_once.censored == general.censored);
  CHECK(counted_once.events_by_outcome == general.events_by_outcome);
  // A bad value in the last part: the error of one thread, naming the first bad index.
  many.durations[n - 5] = std::nan("");
  many.durations[n - 2] = -1.0;
  three = many.input();
  three.threads = 3;
  CHECK_THROWS_WITH(count_survival(three, 3),
                    Catch::Contains("durations[" + std::to_string(n - 5) + "] = nan"));
}

TEST_CASE("Aalen-Johansen finds the largest outcome while it counts, on one thread or three",
          "[survival]") {
  // Outcomes 0..1 at first, 2 from a third of the way, 5 in the last block only: the count's rows
  // widen twice, and on three threads each part ends with its own width before they are added.
  survival_case many;
  const std::size_t n = 3 * (std::size_t{1} << 18);
  for (std::size_t i = 0; i < n; ++i) {
    many.durations.push_back(static_cast<double>((i * 7919) % 1201));
    const auto early = static_cast<std::int32_t>(i % 2);
    many.outcomes.push_back(i < n / 3 ? early : static_cast<std::int32_t>((i * 31) % 3));
  }
  many.outcomes[n - 3] = 5;
  for (const unsigned threads : {1U, 3U}) {
    CAPTURE(threads);
    survival_input input = many.input();
    input.threads = threads;
    const auto found = aalen_johansen(input);
    const auto given = aalen_johansen(input, 0.05, incidence_variance::delta, 5);
    CHECK(found.counts.events_by_outcome.size() == 5);
    CHECK(found.counts.events_by_outcome == given.counts.events_by_outcome);
    CHECK(found.counts.censored == given.counts.censored);
    CHECK(found.incidence == given.incidence);
    CHECK(found.std_err == given.std_err);
  }
  // Everyone censored: one (empty) outcome, as when outcomes = 1 is given.
  const survival_case censored{{3, 1, 2}, {0, 0, 0}};
  CHECK(aalen_johansen(censored.input()).incidence.size() == 1);
  // A negative outcome beside a larger one is still the general count's error.
  CHECK_THROWS_WITH(aalen_johansen(survival_case{{1, 2, 3}, {3, -1, 1}}.input()),
                    Catch::Contains("outcomes[1] = -1"));
}

TEST_CASE("on random data the one-pass count and the general one agree, errors included",
          "[survival]") {
  // The general count (weights of 1) is the oracle: the same table, or the same error, whether
  // Aalen-Johansen finds the largest outcome or is given it; with a fraction, a negative or NaN
  // time, a negative outcome, a day past the one-pass table, or a larger outcome late.
  std::mt19937_64 random(2026);
  const auto below = [&](std::uint64_t n) { return random() % n; };
  for (int round = 0; round < 300; ++round) {
    CAPTURE(round);
    const std::size_t n = below(3000);
    const auto largest = static_cast<std::int32_t>(1 + below(6));
    const auto days = 1 + below(2000);
    survival_case plain;
    for (std::size_t i = 0; i < n; ++i) {
      plain.durations.push_back(static_cast<double>(below(days)));
      plain.outcomes.push_back(
          static_cast<std::int32_t>(below(static_cast<std::uint64_t>(largest) + 1)));
    }
    if (n > 0) {
      const std::size_t at = below(n);
      switch (below(8)) {
        case 0: plain.durations[at] = 0.5; break;
        case 1: plain.durations[at] = -1.0; break;
        case 2: plain.durations[at] = std::nan(""); break;
        case 3: plain.outcomes[at] = -1; break;
        case 4: plain.durations[at] = 70000.0; break;
        case 5: plain.outcomes[at] = largest + 1 + static_cast<std::int32_t>(below(40)); break;
        default: break;
      }
    }
    survival_case weighted = plain;
    weighted.weights.assign(n, 1.0);
    std::string fast_error;
    std::string general_error;
    aalen_johansen_result fast;
    aalen_johansen_result general;
    try {
      fast = aalen_johansen(plain.input());
    } catch (const error& e) {
      fast_error = e.what();
    }
    try {
      general = aalen_johansen(weighted.input());
    } catch (const error& e) {
      general_error = e.what();
    }
    CHECK(fast_error == general_error);
    if (!fast_error.empty()) continue;
    CHECK(fast.counts.time == general.counts.time);
    CHECK(fast.counts.at_risk == general.counts.at_risk);
    CHECK(fast.counts.censored == general.counts.censored);
    CHECK(fast.counts.events_by_outcome == general.counts.events_by_outcome);
    CHECK(fast.incidence == general.incidence);
    const auto outcomes = static_cast<std::int32_t>(fast.counts.events_by_outcome.size());
    CHECK(aalen_johansen(plain.input(), 0.05, incidence_variance::delta, outcomes).incidence ==
          fast.incidence);
  }
}

TEST_CASE("Aalen-Johansen of two outcomes, written out", "[survival]") {
  // t=1: 5 at risk, outcome 1; t=2: 4 at risk, outcome 2 and a censoring; t=3: 2 at risk,
  // outcome 1; t=4: censored.
  const survival_case data{{1, 2, 2, 3, 4}, {1, 2, 0, 1, 0}};
  const auto aj = aalen_johansen(data.input());
  REQUIRE(aj.incidence.size() == 2);
  CHECK(aj.incidence[0][0] == Approx(0.2));
  CHECK(aj.incidence[1][1] == Approx(0.8 / 4));
  CHECK(aj.incidence[0][2] == Approx(0.2 + 0.6 / 2));
  CHECK(aj.survival[2] == Approx(0.3));
  for (std::size_t j = 0; j < 4; ++j)
    CHECK(aj.incidence[0][j] + aj.incidence[1][j] + aj.survival[j] == Approx(1.0));
  // At the first time the delta-method variance is the binomial one: 0.2 * 0.8 / 5.
  CHECK(aj.std_err[0][0] == Approx(std::sqrt(0.032)));
  CHECK(aj.ci_lower[0][0] < 0.2);
  CHECK(aj.ci_upper[0][0] > 0.2);
  CHECK(aj.ci_lower[1][0] == 0.0);  // no outcome 2 yet
  // Aalen's variance: at the first time, S^2 d (n - d) / ((n - 1) n^2) = 4 / 100.
  const auto aalen = aalen_johansen(data.input(), 0.05, incidence_variance::aalen);
  CHECK(aalen.std_err[0][0] == Approx(std::sqrt(0.04)));
  CHECK(aalen.incidence == aj.incidence);
  // Four outcomes asked for: the ones nobody had get curves of zeros.
  const auto four = aalen_johansen(data.input(), 0.05, incidence_variance::delta, 4);
  REQUIRE(four.incidence.size() == 4);
  CHECK(four.incidence[3] == std::vector<double>(4, 0.0));
  CHECK(four.incidence[0] == aj.incidence[0]);
  CHECK_THROWS_WITH(aalen_johansen(data.input(), 0.05, incidence_variance::delta, 1),
                    Catch::Contains("outcomes[1] = 2: expected 0 (censored) or 1 (observed)"));
}

TEST_CASE("bad survival input names the argument and the first bad index", "[survival]") {
  const auto fails = [](const survival_case& data, const char* message) {
    CHECK_THROWS_WITH(kaplan_meier(data.input()), Catch::Contains(message));
  };
  fails({{1, std::nan(""), 3}, {1, 1, 1}}, "durations[1] = nan: expected a finite time");
  fails({{1, -2}, {1, 1}}, "durations[1] = -2: a time may not be negative");
  fails({{1, 2}, {1, 2}}, "outcomes[1] = 2: expected 0 (censored) or 1 (observed)");
  fails({{1, 2}, {1}}, "outcomes = 1 values: expected one per duration (2)");
  fails({{1, 5}, {1, 1}, {0, 5}}, "entry[1] = 5: entry must come before the duration (5)");
  fails({{1, 5}, {1, 1}, {}, {1, 1.5}}, "weights[1] = 1.5: weights are frequencies");
  fails({{1, 5}, {1, 1}, {}, {1, -1}}, "weights[1] = -1: expected a whole number");
  CHECK_THROWS_WITH(kaplan_meier(survival_case{{1}, {1}}.input(), 1.5),
                    Catch::Contains("alpha = 1.5: expected a level in (0, 1)"));
  CHECK_THROWS_WITH(aalen_johansen(survival_case{{1, 2}, {1, -1}}.input()),
                    Catch::Contains("outcomes[1] = -1"));
  // An alpha so small that 1 - alpha/2 is 1 in a double is refused as alpha, not deep inside.
  CHECK_THROWS_WITH(kaplan_meier(survival_case{{1, 2}, {1, 1}}.input(), 1e-20),
                    Catch::Contains("alpha = 1e-20: expected a level in (0, 1), at least 2.3e-16"));
  CHECK_NOTHROW(kaplan_meier(survival_case{{1, 2}, {1, 1}}.input(), 2.3e-16));
  // An outcome number beyond max_outcomes is refused by name before a table is sized by it, on
  // whole days and on fractional times alike; so is asking for more outcomes.
  CHECK_THROWS_WITH(aalen_johansen(survival_case{{1, 2, 3}, {0, 999999999, 2}}.input()),
                    Catch::Contains("outcomes[1] = 999999999: expected 0 (censored) or an "
                                    "outcome 1..1000"));
  CHECK_THROWS_WITH(aalen_johansen(survival_case{{1.5, 2, 3}, {0, 1001, 2}}.input()),
                    Catch::Contains("outcomes[1] = 1001"));
  CHECK_THROWS_WITH(aalen_johansen(survival_case{{1, 2, 3}, {0, 2, 1001}}.input()),
                    Catch::Contains("outcomes[2] = 1001"));
  CHECK(aalen_johansen(survival_case{{1, 2, 3}, {0, 1000, 2}}.input()).incidence.size() == 1000);
  CHECK_THROWS_WITH(count_survival(survival_case{}.input(), -2),
                    Catch::Contains("max_outcome = -2: expected 1 to 1000"));
  CHECK_THROWS_WITH(
      aalen_johansen(survival_case{{1}, {1}}.input(), 0.05, incidence_variance::delta, 1001),
      Catch::Contains("outcomes = 1001: expected the number of outcomes (at most 1000)"));
  // Nobody: an empty table, not an error.
  const auto empty = kaplan_meier(survival_case{}.input());
  CHECK(empty.counts.time.empty());
  CHECK_FALSE(empty.median().time);
}

TEST_CASE("weights that add up past a 64-bit count are refused at the first one that does",
          "[survival]") {
  // Each weight may be 2^53, but the counts are their sums in 64 bits: 1024 of them overflowed
  // the total (undefined behaviour) and came out as nonsense.
  constexpr double largest_weight = 9007199254740992.0;  // 2^53
  const std::vector<double> durations(1024, 1.0);
  const std::vector<std::int32_t> observed(1024, 1);
  std::vector<double> weights(1024, largest_weight);
  // (Numbers of ten digits or more read as CPR numbers: errors redact them.)
  CHECK_THROWS_WITH(kaplan_meier(survival_case{durations, observed, {}, weights}.input()),
                    Catch::StartsWith("weights[1023] = ") &&
                        Catch::EndsWith(": the weights up to it add up to more than 2^63 - 1 "
                                        "subjects, the most a count holds"));
  // One less in total is the most a count holds, and is counted.
  weights.back() = largest_weight - 1;
  const auto km = kaplan_meier(survival_case{durations, observed, {}, weights}.input());
  CHECK(km.counts.initial == std::numeric_limits<std::int64_t>::max());
  CHECK(km.survival == std::vector<double>{0.0});
}

TEST_CASE("counts handed in whole are checked without overflowing, up to 2^63 - 1", "[survival]") {
  // A caller's table may hold any 64-bit counts: the check's own sums overflowed on them.
  constexpr auto most = std::numeric_limits<std::int64_t>::max();
  survival_counts all_exit;
  all_exit.time = {1};
  all_exit.initial = most;
  all_exit.at_risk = {most};
  all_exit.entered = {0};
  all_exit.events = {most};
  all_exit.censored = {0};
  CHECK(kaplan_meier(all_exit).survival == std::vector<double>{0.0});

  auto exits = all_exit;  // events + censored is 2^64 - 2
  exits.censored = {most};
  CHECK_THROWS_WITH(kaplan_meier(exits), Catch::StartsWith("events[0] = ") &&
                                             Catch::Contains("censored) than subjects at risk"));
  survival_counts entering;  // nobody leaves, one more enters: at risk 2^63 from time 2
  entering.time = {1, 2};
  entering.initial = most;
  entering.at_risk = {most, most};
  entering.entered = {1, 0};
  entering.events = {0, 0};
  entering.censored = {0, 0};
  CHECK_THROWS_WITH(kaplan_meier(entering),
                    Catch::Contains("entered[0] = 1: the subjects at risk after it would be more "
                                    "than 2^63 - 1 subjects"));
  auto outcomes = all_exit;  // two outcomes whose events add up past 2^63 - 1
  outcomes.events_by_outcome = {{most}, {1}};
  CHECK_THROWS_WITH(aalen_johansen(outcomes),
                    Catch::Contains("events_by_outcome[0] = 1: the outcomes' events at this time "
                                    "add up to more than 2^63 - 1 subjects"));
}
