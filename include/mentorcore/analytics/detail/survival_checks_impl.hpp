#pragma once
/// \file analytics/detail/survival_checks_impl.hpp
/// The checks of what the survival estimators are given (analytics/survival.hpp): the subjects
/// of a survival_input, and a survival_counts table handed in whole. Every count is a sum of
/// weights in 64 bits, so the checks also keep each sum inside them.
///
/// Included by detail/survival_impl.hpp, inline, in the header-only model; compiled once into
/// mentorcore::io by src/model_analytics.cpp (MENTORCORE_DECL, detail/decl.hpp).

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "mentorcore/analytics/survival.hpp"
#include "mentorcore/detail/decl.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore::detail {

// A number as error messages show it (the shortest form that reads back: "17", "0.5", "nan").
MENTORCORE_DECL std::string shown_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15)
    return std::to_string(static_cast<std::int64_t>(value));
  // The shortest text that reads back as the value: 1.5, 1e-20 (std::to_string wrote "0.").
  std::array<char, 32> buffer{};
  const auto written = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return {buffer.data(), written.ptr};
}

[[noreturn]] inline void bad_survival_value(const char* argument, std::size_t index, double value,
                                            std::string_view reason) {
  throw invalid_value_error(std::string(argument) + "[" + std::to_string(index) + "]",
                            shown_number(value), reason);
}

// The largest weight that is still an exact whole number in a double.
inline constexpr double max_survival_weight = 9007199254740992.0;  // 2^53
// What a count that holds more subjects than a 64-bit count can is refused with (in powers of
// two: a run of ten digits or more reads as a CPR number, and errors redact it).
inline constexpr std::string_view too_many_to_count =
    "more than 2^63 - 1 subjects, the most a count holds";
// Whole-day times spanning at most this many days are counted in an array, without sorting.
inline constexpr double max_counted_day_span = 16777216.0;  // 2^24

MENTORCORE_DECL void check_survival_input(const survival_input& input, std::int32_t max_outcome) {
  const std::size_t n = input.durations.size();
  const auto check_length = [&](const char* argument, std::size_t size, bool may_be_empty) {
    if (size == n || (may_be_empty && size == 0)) return;
    throw invalid_value_error(argument, std::to_string(size) + " values",
                              "expected one per duration (" + std::to_string(n) + ")");
  };
  const std::string outcomes(input.outcomes_name);
  check_length(outcomes.c_str(), input.outcomes.size(), false);
  check_length("entry", input.entry.size(), true);
  check_length("weights", input.weights.size(), true);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = input.durations[i];
    if (!std::isfinite(t)) bad_survival_value("durations", i, t, "expected a finite time");
    if (t < 0) bad_survival_value("durations", i, t, "a time may not be negative");
  }
  for (std::size_t i = 0; i < n; ++i) {
    const std::int32_t outcome = input.outcomes[i];
    if (outcome < 0) {
      throw invalid_value_error(outcomes + "[" + std::to_string(i) + "]", std::to_string(outcome),
                                "expected 0 (censored) or an outcome numbered from 1");
    }
    if (outcome > max_outcome) {
      throw invalid_value_error(outcomes + "[" + std::to_string(i) + "]", std::to_string(outcome),
                                max_outcome == 1 ? "expected 0 (censored) or 1 (observed)"
                                                 : "expected 0 (censored) or an outcome 1.." +
                                                       std::to_string(max_outcome));
    }
  }
  for (std::size_t i = 0; i < input.entry.size(); ++i) {
    const double e = input.entry[i];
    if (!std::isfinite(e)) bad_survival_value("entry", i, e, "expected a finite time");
    if (e < 0) bad_survival_value("entry", i, e, "a time may not be negative");
    if (e >= input.durations[i]) {
      bad_survival_value("entry", i, e,
                         "entry must come before the duration (" +
                             shown_number(input.durations[i]) +
                             "): a subject is at risk when entry < t <= duration");
    }
  }
  // Every count is a sum of weights in 64 bits, the largest their total: each weight may be
  // up to 2^53, and 1024 of those overflowed it (undefined behaviour in the count).
  std::int64_t total = 0;
  for (std::size_t i = 0; i < input.weights.size(); ++i) {
    const double w = input.weights[i];
    if (!std::isfinite(w) || w < 0 || w > max_survival_weight) {
      bad_survival_value("weights", i, w, "expected a whole number of subjects, 0 or more");
    }
    if (w != std::floor(w)) {
      bad_survival_value("weights", i, w,
                         "weights are frequencies (whole numbers); a fractional weight would "
                         "need a variance that no reference library agrees on");
    }
    if (__builtin_add_overflow(total, static_cast<std::int64_t>(w), &total)) {
      bad_survival_value("weights", i, w,
                         "the weights up to it add up to " + std::string(too_many_to_count));
    }
  }
}

// Counts handed in whole (merged from parts, unpickled, pre-aggregated) must be a table that
// count_survival could have made: one size, times ascending, counts not negative, events the sum
// of the outcomes' events, and at_risk what entries and exits leave. The caller's counts may be
// anything up to 2^63 - 1, so every sum is checked or kept from overflowing: at_risk is never
// negative (exits are at most at_risk), so at_risk - censored cannot overflow, and only an entry
// can carry at_risk past 2^63 - 1.
MENTORCORE_DECL void check_survival_counts(const survival_counts& counts) {
  const std::size_t rows = counts.time.size();
  const auto check_size = [&](const char* field, std::size_t size) {
    if (size != rows) {
      throw invalid_value_error(field, std::to_string(size) + " rows",
                                "expected one per time (" + std::to_string(rows) + ")");
    }
  };
  check_size("at_risk", counts.at_risk.size());
  check_size("entered", counts.entered.size());
  check_size("events", counts.events.size());
  check_size("censored", counts.censored.size());
  for (const auto& column : counts.events_by_outcome)
    check_size("events_by_outcome", column.size());
  if (counts.initial < 0)
    throw invalid_value_error("initial", std::to_string(counts.initial),
                              "a count may not be negative");
  std::int64_t at_risk = counts.initial;
  for (std::size_t j = 0; j < rows; ++j) {
    const auto where = [&](const char* field) {
      return std::string(field) + "[" + std::to_string(j) + "]";
    };
    if (!std::isfinite(counts.time[j]) || (j > 0 && !(counts.time[j] > counts.time[j - 1])))
      bad_survival_value("time", j, counts.time[j], "times must be finite and strictly ascending");
    // The outcomes' events before the totals: the Python binding sums them into `events`
    // modulo 2^64, which is exact wherever they pass here.
    if (!counts.events_by_outcome.empty()) {
      std::int64_t sum = 0;
      for (const auto& column : counts.events_by_outcome) {
        if (column[j] < 0)
          throw invalid_value_error(where("events_by_outcome"), std::to_string(column[j]),
                                    "a count may not be negative");
        if (__builtin_add_overflow(sum, column[j], &sum)) {
          throw invalid_value_error(
              where("events_by_outcome"), std::to_string(column[j]),
              "the outcomes' events at this time add up to " + std::string(too_many_to_count));
        }
      }
      if (sum != counts.events[j]) {
        throw invalid_value_error(
            where("events"), std::to_string(counts.events[j]),
            "expected the sum of the outcomes' events (" + std::to_string(sum) + ")");
      }
    }
    if (counts.entered[j] < 0 || counts.events[j] < 0 || counts.censored[j] < 0)
      throw invalid_value_error(where("counts"), "negative", "a count may not be negative");
    if (counts.at_risk[j] != at_risk) {
      throw invalid_value_error(
          where("at_risk"), std::to_string(counts.at_risk[j]),
          "expected what entries and exits before it leave (" + std::to_string(at_risk) + ")");
    }
    if (counts.events[j] > at_risk - counts.censored[j]) {
      throw invalid_value_error(where("events"), std::to_string(counts.events[j]),
                                "more exits (with " + std::to_string(counts.censored[j]) +
                                    " censored) than subjects at risk (" + std::to_string(at_risk) +
                                    ")");
    }
    at_risk -= counts.events[j] + counts.censored[j];
    if (__builtin_add_overflow(at_risk, counts.entered[j], &at_risk)) {
      throw invalid_value_error(
          where("entered"), std::to_string(counts.entered[j]),
          "the subjects at risk after it would be " + std::string(too_many_to_count));
    }
  }
}

}  // namespace mentorcore::detail
