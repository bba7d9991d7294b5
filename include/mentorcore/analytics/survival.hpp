#pragma once
/// \file analytics/survival.hpp
/// Survival estimators for times with incomplete follow-up: Kaplan-Meier (with the Greenwood
/// variance and the log(-log) interval) and Aalen-Johansen cumulative incidence for competing
/// outcomes (with the delta-method or the Aalen variance), both with late entry and frequency
/// weights, as lifelines, statsmodels and scikit-survival compute them (docs/kpis.md gives the
/// formulas and where the references differ).
///
/// Every estimate is a function of one table, survival_counts: for each distinct time, how many
/// entered, had each outcome and were censored then. Whole-day durations (what mentor data has)
/// are counted straight into it, without sorting; other times are sorted once.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "mentorcore/enum.hpp"

namespace mentorcore {

/// What the estimators are given: one entry per subject.
struct survival_input {
  /// When each subject had its outcome or was censored: finite, not negative.
  std::span<const double> durations;
  /// 0 = censored, 1..k = the outcome (Kaplan-Meier: 0 or 1).
  std::span<const std::int32_t> outcomes;
  /// Late entry: a subject is at risk at time t when entry < t <= duration. Empty: from the
  /// start. Otherwise finite and less than the duration.
  std::span<const double> entry = {};
  /// Frequency weights: how many subjects each entry stands for, a whole number >= 0. Empty:
  /// one each.
  std::span<const double> weights = {};
  /// What errors call `outcomes` (the caller's name for it: "observed", "causes").
  std::string_view outcomes_name = "outcomes";
  /// Threads that count (0: one per core). Whole-day times are counted in parts on up to this
  /// many threads, from 2^18 subjects a thread; the counts do not depend on it.
  unsigned threads = 1;
};

/// The sufficient statistic: per distinct time (ascending), the subjects at risk, entering,
/// having each outcome and censored then. Counts are whole numbers, so tables from parts of the
/// data add up exactly.
struct survival_counts {
  std::vector<double> time;
  std::vector<std::int64_t> at_risk;  ///< entry < time <= duration
  std::vector<std::int64_t> entered;  ///< entry == time (at risk from the next time on)
  std::vector<std::int64_t> events;   ///< all outcomes
  std::vector<std::int64_t> censored;
  /// events_by_outcome[k - 1][j]: outcome k at time j.
  std::vector<std::vector<std::int64_t>> events_by_outcome;
  /// Subjects at risk from the start (no entry given).
  std::int64_t initial = 0;
};

/// Counts `input`, checking it: arrays of different lengths, NaN, infinite or negative times,
/// entry not before the duration, an outcome outside 0..`max_outcome`, a weight that is negative
/// or not whole: invalid_value_error naming the argument and the first bad index
/// ("durations[17] = nan: ..."). Whole-day times in a range of up to 2^24 days are counted in
/// one pass; other times are sorted.
[[nodiscard]] survival_counts count_survival(const survival_input& input, std::int32_t max_outcome);

/// Which rule finds a percentile on a step curve.
enum class percentile_rule : std::uint8_t {
  lifelines,    ///< the first time with S <= 1 - p (lifelines, scikit-survival)
  statsmodels,  ///< the first time with S < 1 - p (statsmodels)
};

template <>
struct enum_traits<percentile_rule> {
  static constexpr std::string_view type_name = "percentile_rule";
  static constexpr std::array<std::string_view, 2> names = {"lifelines", "statsmodels"};
};

/// A percentile of a survival curve and its interval from the interval's curves (lifelines'
/// method). Nothing where the curve never reaches it.
struct survival_percentile {
  std::optional<double> time;
  std::optional<double> lower;
  std::optional<double> upper;
};

/// The Kaplan-Meier estimate, one row per distinct time of the counts.
struct kaplan_meier_result {
  survival_counts counts;
  std::vector<double> survival;
  /// Greenwood's sum of d / (n (n - d)) up to each time (0 added where n == d, as lifelines and
  /// scikit-survival do).
  std::vector<double> greenwood;
  std::vector<double> std_err;  ///< S * sqrt(greenwood): statsmodels' surv_prob_se
  std::vector<double> ci_lower;
  std::vector<double> ci_upper;
  double alpha = 0.05;

  /// S(t) at each of `times` (1 before the first time; a step function, right-continuous).
  [[nodiscard]] std::vector<double> at(std::span<const double> times) const;
  /// The time by which a share `p` (0 < p < 1) has had the outcome: S <= 1 - p (or < 1 - p).
  [[nodiscard]] survival_percentile percentile(
      double p, percentile_rule rule = percentile_rule::lifelines) const;
  [[nodiscard]] survival_percentile median(
      percentile_rule rule = percentile_rule::lifelines) const {
    return percentile(0.5, rule);
  }
};

/// Kaplan-Meier with the Greenwood variance and the log(-log) interval at level 1 - alpha.
/// Throws invalid_value_error for bad input (count_survival) or alpha outside (0, 1).
[[nodiscard]] kaplan_meier_result kaplan_meier(const survival_input& input, double alpha = 0.05);
/// The same from counts (merged from parts, or pre-aggregated).
[[nodiscard]] kaplan_meier_result kaplan_meier(survival_counts counts, double alpha = 0.05);

/// How the variance of a cumulative incidence is estimated.
enum class incidence_variance : std::uint8_t {
  delta,  ///< the delta method (lifelines, statsmodels; scikit-survival "Dinse_Approx")
  aalen,  ///< Aalen's (scikit-survival's default)
};

template <>
struct enum_traits<incidence_variance> {
  static constexpr std::string_view type_name = "incidence_variance";
  static constexpr std::array<std::string_view, 2> names = {"delta", "aalen"};
};

/// The Aalen-Johansen estimate: per outcome, the cumulative incidence at each distinct time.
struct aalen_johansen_result {
  survival_counts counts;
  std::vector<double> survival;  ///< all outcomes together (Kaplan-Meier)
  /// [k - 1][j] for outcome k
  std::vector<std::vector<double>> incidence;
  std::vector<std::vector<double>> std_err;
  std::vector<std::vector<double>> ci_lower;
  std::vector<std::vector<double>> ci_upper;
  double alpha = 0.05;
  incidence_variance variance = incidence_variance::delta;
};

/// The most outcomes aalen_johansen estimates: each has curves over every distinct time, and a
/// number beyond it in the input is far likelier a code than one of a thousand causes.
inline constexpr std::int32_t max_outcomes = 1000;

/// Aalen-Johansen for outcomes 1..k (0 = censored, k at most max_outcomes); the interval is
/// F^exp(+-z sqrt(Var) / (F |log F|)). `outcomes` is k (0: the largest outcome in the input), so
/// that an outcome nobody had still has its (zero) curve; a larger outcome in the input is an
/// error.
[[nodiscard]] aalen_johansen_result aalen_johansen(
    const survival_input& input, double alpha = 0.05,
    incidence_variance variance = incidence_variance::delta, std::int32_t outcomes = 0);
[[nodiscard]] aalen_johansen_result aalen_johansen(
    survival_counts counts, double alpha = 0.05,
    incidence_variance variance = incidence_variance::delta);

/// The standard normal quantile Phi^-1(p), 0 < p < 1, to double precision, the smallest
/// subnormal p included. Any other p (0, 1, NaN, ...) is an invalid_value_error.
[[nodiscard]] double normal_quantile(double p);

}  // namespace mentorcore

// The definitions: inline in the header-only model, compiled once into mentorcore::io
// (detail/decl.hpp).
#ifndef MENTORCORE_SEPARATE_COMPILATION
#include "mentorcore/analytics/detail/survival_impl.hpp"
#endif
