#pragma once
/// \file analytics/detail/survival_impl.hpp
/// Definitions of the survival estimators (analytics/survival.hpp); the checks of their input
/// are in analytics/detail/survival_checks_impl.hpp.
///
/// Included by the concept header, inline, in the header-only model; compiled once into
/// mentorcore::io by src/model_analytics.cpp (MENTORCORE_DECL, detail/decl.hpp).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <numbers>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "mentorcore/analytics/detail/survival_checks_impl.hpp"
#include "mentorcore/analytics/detail/whole_day_block.hpp"
#include "mentorcore/analytics/survival.hpp"
#include "mentorcore/detail/decl.hpp"
#include "mentorcore/detail/parts_on_threads.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore {
namespace detail {

// Fewer subjects than this are counted on one thread whatever `threads` says: starting a thread
// costs more than counting them.
inline constexpr std::size_t min_subjects_per_counting_thread = std::size_t{1} << 18;
// Subjects checked at a time before they are counted (whole_day_block.hpp): their cells fit in
// 4 KiB, which stays in the first-level cache between the check and the count.
inline constexpr std::size_t whole_day_block_size = 1024;
// count_whole_days_in_one_pass without a largest outcome: aalen_johansen's `outcomes = 0`, the
// largest given (at least 1), found by the count itself rather than by a pass of its own.
inline constexpr std::int32_t largest_outcome_not_given = -1;

// One range's tally for count_whole_days_in_one_pass: subjects by cell (day << outcome_bits |
// outcome, whole_day_cell); a day's row is 2^outcome_bits cells.
struct whole_day_tally {
  std::vector<std::uint32_t> cells;
  std::size_t days = 0;
  int outcome_bits = 0;
  bool usable = true;

  // Room for `to_days` days of rows of 2^to_bits cells (neither fewer than now), the counts kept.
  void widen(std::size_t to_days, int to_bits) {
    if (to_bits == outcome_bits) {
      cells.resize(to_days << outcome_bits, 0);
    } else {
      std::vector<std::uint32_t> wider(to_days << to_bits, 0);
      const std::size_t row = std::size_t{1} << outcome_bits;
      for (std::size_t day = 0; day < days; ++day) {
        const auto from = cells.begin() + static_cast<std::ptrdiff_t>(day << outcome_bits);
        std::copy(from, from + static_cast<std::ptrdiff_t>(row),
                  wider.begin() + static_cast<std::ptrdiff_t>(day << to_bits));
      }
      cells = std::move(wider);
      outcome_bits = to_bits;
    }
    days = to_days;
  }
};

// Counts subjects [begin, end) a block at a time: each block is checked whole first and its
// cells computed beside the check (check_whole_day_block), so the count that follows is one
// increment a subject. A subject that does not fit the case (a negative, NaN or fractional time,
// an outcome out of range) marks the tally unusable and ends it: the caller then checks and
// counts the general way, which names the value. Without a largest outcome the rows start at
// two cells and widen when a block holds a larger outcome.
MENTORCORE_DECL whole_day_tally tally_whole_days(const survival_input& input,
                                                 std::int32_t max_outcome, std::size_t begin,
                                                 std::size_t end) {
  const bool given = max_outcome != largest_outcome_not_given;
  const whole_day_path path = fastest_whole_day_path();
  whole_day_tally tally;
  tally.outcome_bits = given ? outcome_bits_for(max_outcome) : 1;
  const bool prefetch = input.durations.size() >= min_subjects_to_prefetch;
  const auto check_block = [&](std::size_t first, std::span<std::int32_t> cells) {
    const std::int32_t highest = given ? max_outcome : (1 << tally.outcome_bits) - 1;
    whole_day_prefetch ahead;
    if (const std::size_t next = first + cells.size(); prefetch && next + cells.size() <= end) {
      ahead = {input.durations.subspan(next, cells.size()),
               input.outcomes.subspan(next, cells.size())};
    }
    return check_whole_day_block(input.durations.subspan(first, cells.size()),
                                 input.outcomes.subspan(first, cells.size()), cells, highest,
                                 tally.outcome_bits, path, ahead);
  };
  std::array<std::int32_t, whole_day_block_size> cell_of{};
  for (std::size_t first = begin; first < end; first += whole_day_block_size) {
    const auto cells = std::span(cell_of).first(std::min(whole_day_block_size, end - first));
    whole_day_block block = check_block(first, cells);
    if (!block.fits && !given) {
      // Perhaps an outcome above those so far: rows wide enough for it, and the block again.
      const int bits =
          outcome_bits_for(largest_outcome(input.outcomes.subspan(first, cells.size())));
      if (bits > tally.outcome_bits && bits <= max_outcome_bits) {
        tally.widen(tally.days, bits);
        block = check_block(first, cells);
      }
    }
    if (!block.fits) {
      tally.usable = false;
      return tally;
    }
    if (const auto last = static_cast<std::size_t>(block.last_day); last >= tally.days) {
      tally.widen(std::max(last + 1, 2 * tally.days), tally.outcome_bits);
    }
    const std::span<std::uint32_t> counts(tally.cells);
    for (const std::int32_t cell : cells) ++counts[static_cast<std::size_t>(cell)];
  }
  return tally;
}

// The largest outcome a tally counted, at least 1 (as aalen_johansen's `outcomes = 0` reads).
MENTORCORE_DECL std::int32_t largest_outcome_counted(const whole_day_tally& tally) {
  std::int32_t largest = 1;
  // A cell's outcome is its low outcome_bits: a mask, not a division (`%` by a row width the
  // compiler cannot see is a power of two divides, for each of the table's cells).
  const std::size_t outcome_mask = (std::size_t{1} << tally.outcome_bits) - 1;
  for (std::size_t cell = 0; cell < tally.cells.size(); ++cell) {
    if (tally.cells[cell] != 0) {
      largest = std::max(largest, static_cast<std::int32_t>(cell & outcome_mask));
    }
  }
  return largest;
}

// What mentor data nearly always is: whole days below max_one_pass_day, no late entry, no
// weights, and at most 2^max_outcome_bits outcomes. Counted in one pass that checks as it goes
// (tally_whole_days), on up to input.threads threads, each over its own range of subjects with
// its own tally; the tallies add up to the same counts whatever the split. A subject that does
// not fit makes the caller check and count the general way, which names the first bad value.
// Nothing otherwise. `max_outcome` may be largest_outcome_not_given.
MENTORCORE_DECL std::optional<survival_counts> count_whole_days_in_one_pass(
    const survival_input& input, std::int32_t max_outcome) {
  const std::size_t n = input.durations.size();
  if (!input.entry.empty() || !input.weights.empty() || input.outcomes.size() != n ||
      n >= std::numeric_limits<std::uint32_t>::max() ||
      (max_outcome != largest_outcome_not_given &&
       outcome_bits_for(max_outcome) > max_outcome_bits)) {
    return std::nullopt;
  }
  const std::size_t wanted =
      input.threads != 0 ? input.threads : std::max(1U, std::thread::hardware_concurrency());
  const std::size_t threads =
      std::clamp<std::size_t>(n / min_subjects_per_counting_thread, 1, wanted);
  std::vector<whole_day_tally> parts(threads);
  const auto count_part = [&](std::size_t k) {
    parts[k] = tally_whole_days(input, max_outcome, n * k / threads, n * (k + 1) / threads);
  };
  detail::run_parts_on_threads(threads, count_part);
  whole_day_tally& tally = parts.front();
  for (std::size_t k = 1; k < threads; ++k) {
    whole_day_tally& part = parts[k];
    tally.usable = tally.usable && part.usable;
    const int bits = std::max(tally.outcome_bits, part.outcome_bits);
    tally.widen(std::max(tally.days, part.days), bits);
    part.widen(part.days, bits);
    std::transform(part.cells.begin(), part.cells.end(), tally.cells.begin(), tally.cells.begin(),
                   std::plus<>());
  }
  if (!tally.usable) return std::nullopt;
  if (max_outcome == largest_outcome_not_given) max_outcome = largest_outcome_counted(tally);
  const auto width = static_cast<std::size_t>(max_outcome) + 1;
  survival_counts counts;
  counts.events_by_outcome.resize(static_cast<std::size_t>(max_outcome));
  counts.initial = static_cast<std::int64_t>(n);
  // One row a day that has a subject: the columns are sized once, not grown by doubling.
  const auto row_of = [&](std::size_t day) {
    return std::span<const std::uint32_t>(tally.cells).subspan(day << tally.outcome_bits, width);
  };
  std::size_t rows = 0;
  for (std::size_t day = 0; day < tally.days; ++day) {
    const auto row = row_of(day);
    if (std::any_of(row.begin(), row.end(), [](std::uint32_t count) { return count != 0; })) ++rows;
  }
  for (auto* column : {&counts.at_risk, &counts.entered, &counts.events, &counts.censored}) {
    column->reserve(rows);
  }
  counts.time.reserve(rows);
  for (auto& column : counts.events_by_outcome) column.reserve(rows);
  std::int64_t at_risk = counts.initial;
  for (std::size_t day = 0; day < tally.days; ++day) {
    const auto row = row_of(day);
    std::int64_t events = 0;
    for (std::size_t k = 1; k < width; ++k) events += row[k];
    if (events == 0 && row[0] == 0) continue;
    counts.time.push_back(static_cast<double>(day));
    counts.at_risk.push_back(at_risk);
    counts.entered.push_back(0);
    counts.events.push_back(events);
    counts.censored.push_back(row[0]);
    for (std::size_t k = 1; k < width; ++k) counts.events_by_outcome[k - 1].push_back(row[k]);
    at_risk -= events + row[0];
  }
  return counts;
}

// count_survival up to the largest outcome given (at least 1): aalen_johansen's `outcomes = 0`.
MENTORCORE_DECL survival_counts count_survival_to_largest_outcome(const survival_input& input) {
  if (auto counted = count_whole_days_in_one_pass(input, largest_outcome_not_given)) {
    if (counted->events_by_outcome.size() <= max_outcomes) return std::move(*counted);
  }
  const std::int32_t largest = std::max(largest_outcome(input.outcomes), 1);
  if (largest > max_outcomes) check_survival_input(input, max_outcomes);  // names the first
  return count_survival(input, largest);
}

}  // namespace detail

MENTORCORE_DECL survival_counts count_survival(const survival_input& input,
                                               std::int32_t max_outcome) {
  if (max_outcome < 1 || max_outcome > max_outcomes) {  // it sizes the table
    throw invalid_value_error("max_outcome", std::to_string(max_outcome),
                              "expected 1 to " + std::to_string(max_outcomes));
  }
  if (auto counted = detail::count_whole_days_in_one_pass(input, max_outcome)) {
    return std::move(*counted);
  }
  detail::check_survival_input(input, max_outcome);
  const std::size_t n = input.durations.size();
  const bool has_entry = !input.entry.empty();
  const auto weight = [&](std::size_t i) -> std::int64_t {
    return input.weights.empty() ? 1 : static_cast<std::int64_t>(input.weights[i]);
  };

  // The distinct times (of subjects that count), and a way from a time to its row.
  double low = std::numeric_limits<double>::infinity();
  double high = -low;
  bool whole_days = true;
  const auto note = [&](double t) {
    low = std::min(low, t);
    high = std::max(high, t);
    whole_days = whole_days && t == std::floor(t);
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (weight(i) == 0) continue;
    note(input.durations[i]);
    if (has_entry) note(input.entry[i]);
  }
  survival_counts counts;
  counts.events_by_outcome.resize(static_cast<std::size_t>(max_outcome));
  std::vector<std::size_t> row_of_day;  // whole days: the row of day (low + k)
  if (low > high) {
    // Nobody counts: an empty table.
  } else if (whole_days && high - low < detail::max_counted_day_span) {
    const auto days = static_cast<std::size_t>(high - low) + 1;
    std::vector<std::uint8_t> present(days, 0);
    for (std::size_t i = 0; i < n; ++i) {
      if (weight(i) == 0) continue;
      present[static_cast<std::size_t>(input.durations[i] - low)] = 1;
      if (has_entry) present[static_cast<std::size_t>(input.entry[i] - low)] = 1;
    }
    row_of_day.assign(days, 0);
    for (std::size_t k = 0; k < days; ++k) {
      if (present[k] == 0) continue;
      row_of_day[k] = counts.time.size();
      counts.time.push_back(low + static_cast<double>(k));
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      if (weight(i) == 0) continue;
      counts.time.push_back(input.durations[i]);
      if (has_entry) counts.time.push_back(input.entry[i]);
    }
    std::sort(counts.time.begin(), counts.time.end());
    counts.time.erase(std::unique(counts.time.begin(), counts.time.end()), counts.time.end());
  }
  const auto row = [&](double t) -> std::size_t {
    if (!row_of_day.empty()) return row_of_day[static_cast<std::size_t>(t - low)];
    return static_cast<std::size_t>(std::lower_bound(counts.time.begin(), counts.time.end(), t) -
                                    counts.time.begin());
  };

  const std::size_t rows = counts.time.size();
  counts.entered.assign(rows, 0);
  counts.events.assign(rows, 0);
  counts.censored.assign(rows, 0);
  for (auto& column : counts.events_by_outcome) column.assign(rows, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t w = weight(i);
    if (w == 0) continue;
    const std::size_t j = row(input.durations[i]);
    if (const std::int32_t outcome = input.outcomes[i]; outcome > 0) {
      counts.events[j] += w;
      counts.events_by_outcome[static_cast<std::size_t>(outcome - 1)][j] += w;
    } else {
      counts.censored[j] += w;
    }
    if (has_entry) {
      counts.entered[row(input.entry[i])] += w;
    } else {
      counts.initial += w;
    }
  }
  counts.at_risk.resize(rows);
  std::int64_t at_risk = counts.initial;
  for (std::size_t j = 0; j < rows; ++j) {
    counts.at_risk[j] = at_risk;
    at_risk += counts.entered[j] - counts.events[j] - counts.censored[j];
  }
  return counts;
}

namespace detail {

// Below this, the normal quantile is refined on logarithms (normal_quantile_far_tail).
inline constexpr double far_tail_probability = 1e-300;

// Phi^-1(p) for p below far_tail_probability (x below about -37), from a first guess x: there
// Phi(x) and the density are subnormal or zero in a double and exp(x^2 / 2) overflows, so the
// step is Newton's on log Phi(x) = -x^2/2 - log(-x) - log(2 pi)/2 + log S, with S the Mills
// ratio's asymptotic series 1 - 1/x^2 + 3/x^4 - 15/x^6 + ..., whose tenth term is below 1e-22
// beyond |x| = 37. d log Phi / dx = -x / S.
MENTORCORE_DECL double normal_quantile_far_tail(double x, double log_p) {
  for (int step = 0; step < 3; ++step) {
    const double r = 1 / (x * x);
    double series = 0;
    double term = 1;
    for (int k = 1; k <= 10; ++k) {
      series += term;
      term *= -(2 * k - 1) * r;
    }
    const double log_cdf =
        -x * x / 2 - std::log(-x) - 0.5 * std::log(2 * std::numbers::pi) + std::log(series);
    x -= (log_cdf - log_p) * series / -x;
  }
  return x;
}

}  // namespace detail

MENTORCORE_DECL double normal_quantile(double p) {
  if (!(p > 0 && p < 1)) {
    throw invalid_value_error("p", detail::shown_number(p), "expected a probability in (0, 1)");
  }
  // Acklam's rational approximation (relative error below 1.2e-9), then one Halley step on
  // erfc, which brings it to double precision.
  static constexpr std::array<double, 6> a = {-3.969683028665376e+01, 2.209460984245205e+02,
                                              -2.759285104469687e+02, 1.383577518672690e+02,
                                              -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr std::array<double, 5> b = {-5.447609879822406e+01, 1.615858368580409e+02,
                                              -1.556989798598866e+02, 6.680131188771972e+01,
                                              -1.328068155288572e+01};
  static constexpr std::array<double, 6> c = {-7.784894002430293e-03, -3.223964580411365e-01,
                                              -2.400758277161838e+00, -2.549732539343734e+00,
                                              4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr std::array<double, 4> d = {7.784695709041462e-03, 3.224671290700398e-01,
                                              2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double low = 0.02425;
  double x = 0;
  if (p < low) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p < detail::far_tail_probability) return detail::normal_quantile_far_tail(x, std::log(p));
  const double e = 0.5 * std::erfc(-x / std::numbers::sqrt2) - p;
  const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

namespace detail {

MENTORCORE_DECL void check_alpha(double alpha) {
  // Below about 2.2e-16, 1 - alpha/2 is 1 in a double, which has no normal quantile.
  if (!(alpha > 0 && alpha < 1 && 1 - alpha / 2 < 1)) {
    throw invalid_value_error("alpha", shown_number(alpha),
                              "expected a level in (0, 1), at least 2.3e-16");
  }
}

// The ends of the log(-log) interval, F^exp(theta) and F^exp(-theta), given log F: written as
// exp(log F * exp(+-theta)), as std::pow would take the logarithm of F again for each end.
MENTORCORE_DECL std::pair<double, double> log_log_ends(double log_f, double theta) {
  const double widening = std::exp(theta);
  return {std::exp(log_f * widening), std::exp(log_f / widening)};
}

// One row of the Aalen-Johansen estimate, as every outcome's incidence reads it: S just before
// the time, at risk, events of all outcomes, and the variance's weight a (0 where undefined).
struct incidence_row {
  double before = 1;
  double n = 0;
  double d = 0;
  double a = 0;
};

// The first time at which `curve` falls to `level` (<=, or < for statsmodels' rule).
MENTORCORE_DECL std::optional<double> first_time_at_or_below(const std::vector<double>& time,
                                                             const std::vector<double>& curve,
                                                             double level, percentile_rule rule) {
  for (std::size_t j = 0; j < curve.size(); ++j) {
    const bool reached = rule == percentile_rule::lifelines ? curve[j] <= level : curve[j] < level;
    if (reached) return time[j];
  }
  return std::nullopt;
}

}  // namespace detail

MENTORCORE_DECL kaplan_meier_result kaplan_meier(const survival_input& input, double alpha) {
  detail::check_alpha(alpha);
  return kaplan_meier(count_survival(input, 1), alpha);
}

MENTORCORE_DECL kaplan_meier_result kaplan_meier(survival_counts counts, double alpha) {
  detail::check_alpha(alpha);
  detail::check_survival_counts(counts);
  const double z = normal_quantile(1 - alpha / 2);
  kaplan_meier_result result;
  result.alpha = alpha;
  const std::size_t rows = counts.time.size();
  result.survival.resize(rows);
  result.greenwood.resize(rows);
  result.std_err.resize(rows);
  result.ci_lower.resize(rows);
  result.ci_upper.resize(rows);
  double survival = 1;
  double greenwood = 0;
  for (std::size_t j = 0; j < rows; ++j) {
    const auto n = static_cast<double>(counts.at_risk[j]);
    const auto d = static_cast<double>(counts.events[j]);
    if (d > 0) {
      survival *= 1 - d / n;
      if (n > d) greenwood += d / (n * (n - d));
    }
    result.survival[j] = survival;
    result.greenwood[j] = greenwood;
    result.std_err[j] = survival * std::sqrt(greenwood);
    if (survival >= 1) {
      result.ci_lower[j] = result.ci_upper[j] = 1;
    } else if (survival <= 0) {
      result.ci_lower[j] = result.ci_upper[j] = 0;
    } else {
      const double log_s = std::log(survival);
      const double theta = z * std::sqrt(greenwood) / std::fabs(log_s);
      std::tie(result.ci_lower[j], result.ci_upper[j]) = detail::log_log_ends(log_s, theta);
    }
  }
  result.counts = std::move(counts);
  return result;
}

MENTORCORE_DECL std::vector<double> kaplan_meier_result::at(std::span<const double> times) const {
  std::vector<double> values;
  values.reserve(times.size());
  for (std::size_t i = 0; i < times.size(); ++i) {
    const double t = times[i];
    if (std::isnan(t)) detail::bad_survival_value("times", i, t, "expected a time");
    const auto after = std::upper_bound(counts.time.begin(), counts.time.end(), t);
    values.push_back(after == counts.time.begin()
                         ? 1.0
                         : survival[static_cast<std::size_t>(after - counts.time.begin()) - 1]);
  }
  return values;
}

MENTORCORE_DECL survival_percentile kaplan_meier_result::percentile(double p,
                                                                    percentile_rule rule) const {
  if (!(p > 0 && p < 1)) {
    throw invalid_value_error("p", detail::shown_number(p), "expected a share in (0, 1)");
  }
  const double level = 1 - p;
  return {detail::first_time_at_or_below(counts.time, survival, level, rule),
          detail::first_time_at_or_below(counts.time, ci_lower, level, rule),
          detail::first_time_at_or_below(counts.time, ci_upper, level, rule)};
}

MENTORCORE_DECL aalen_johansen_result aalen_johansen(const survival_input& input, double alpha,
                                                     incidence_variance variance,
                                                     std::int32_t outcomes) {
  detail::check_alpha(alpha);
  if (outcomes < 0 || outcomes > max_outcomes) {
    throw invalid_value_error("outcomes", std::to_string(outcomes),
                              "expected the number of outcomes (at most " +
                                  std::to_string(max_outcomes) + "), or 0 for the largest given");
  }
  if (outcomes == 0) {
    return aalen_johansen(detail::count_survival_to_largest_outcome(input), alpha, variance);
  }
  return aalen_johansen(count_survival(input, outcomes), alpha, variance);
}

MENTORCORE_DECL aalen_johansen_result aalen_johansen(survival_counts counts, double alpha,
                                                     incidence_variance variance) {
  detail::check_alpha(alpha);
  detail::check_survival_counts(counts);
  const double z = normal_quantile(1 - alpha / 2);
  aalen_johansen_result result;
  result.alpha = alpha;
  result.variance = variance;
  const std::size_t rows = counts.time.size();
  const std::size_t outcomes = counts.events_by_outcome.size();
  result.survival.resize(rows);
  for (auto* table : {&result.incidence, &result.std_err, &result.ci_lower, &result.ci_upper}) {
    table->assign(outcomes, std::vector<double>(rows, 0.0));
  }
  // What each row gives every outcome, worked out once a row rather than once an outcome: S
  // just before the time (all outcomes together), the row's at-risk and event counts, and the
  // variance's weight a of the row, which does not depend on the outcome.
  std::vector<detail::incidence_row> row_terms(rows);
  const bool aalen = variance == incidence_variance::aalen;
  double survival = 1;
  for (std::size_t j = 0; j < rows; ++j) {
    detail::incidence_row& row = row_terms[j];
    row.before = survival;
    row.n = static_cast<double>(counts.at_risk[j]);
    row.d = static_cast<double>(counts.events[j]);
    const double n = row.n;
    const double d = row.d;
    if (d > 0) survival *= 1 - d / n;
    result.survival[j] = survival;
    if (aalen) {
      if (n > 1 && n > d) row.a = d / ((n - 1) * (n - d));
    } else {
      if (n > d) row.a = d / (n * (n - d));
    }
  }
  for (std::size_t k = 0; k < outcomes; ++k) {
    const auto& events_k = counts.events_by_outcome[k];
    // Var F(t) = sum_j a_j (F(t) - F_j)^2 + C - 2 sum_j b_j (F(t) - F_j), with the squares and
    // products expanded into running sums: O(1) a row.
    double incidence = 0;
    double a0 = 0;
    double a1 = 0;
    double a2 = 0;
    double b0 = 0;
    double b1 = 0;
    double c = 0;
    for (std::size_t j = 0; j < rows; ++j) {
      const auto [s, n, d, a] = row_terms[j];
      const auto dk = static_cast<double>(events_k[j]);
      if (d > 0) {
        incidence += s * dk / n;
        double b = 0;
        double term = 0;
        if (aalen) {
          if (n > 1) term = s * s * dk * (n - dk) / ((n - 1) * n * n);
          if (n > 1 && n > d) b = s * dk * (n - dk) / (n * (n - d) * (n - 1));
        } else {
          term = s * s * dk * (n - dk) / (n * n * n);
          b = s * dk / (n * n);
        }
        a0 += a;
        a1 += a * incidence;
        a2 += a * incidence * incidence;
        b0 += b;
        b1 += b * incidence;
        c += term;
      }
      const double f = incidence;
      const double var = std::max(0.0, f * f * a0 - 2 * f * a1 + a2 + c - 2 * (f * b0 - b1));
      const double se = std::sqrt(var);
      result.incidence[k][j] = f;
      result.std_err[k][j] = se;
      if (f <= 0) {
        result.ci_lower[k][j] = result.ci_upper[k][j] = 0;
      } else if (f >= 1) {
        result.ci_lower[k][j] = result.ci_upper[k][j] = 1;
      } else {
        const double log_f = std::log(f);
        const double x = z * se / (f * std::fabs(log_f));
        std::tie(result.ci_lower[k][j], result.ci_upper[k][j]) = detail::log_log_ends(log_f, x);
      }
    }
  }
  result.counts = std::move(counts);
  return result;
}

}  // namespace mentorcore
