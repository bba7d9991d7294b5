#pragma once
/// \file instrument.hpp
/// Rating instruments as data, and their scoring.
///
/// Relationship and outcome scales used with mentees (FIT's outcome and session scales, the
/// WAI-SR, the Outcomes Star) are licensed: mentorcore ships none of them and no item wording.
/// A licensed user defines an instrument from numbers alone (item bounds, subscales, cut-offs,
/// the reliable-change index, which direction is better, alert rules) and mentorcore scores it.
/// See docs/measures.md.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mentorcore/enum.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore {

/// How item answers combine into the total and the subscales.
enum class aggregation : std::uint8_t { sum, mean };

template <>
struct enum_traits<aggregation> {
  static constexpr std::string_view type_name = "aggregation";
  static constexpr std::array<std::string_view, 2> names = {"sum", "mean"};
};

/// Who gave a rating. The citizen's own rating matters: mentors report benefit far more often
/// than citizens do (81% against 37%, VIVE 2015).
enum class rater : std::uint8_t { citizen, mentor, caseworker, other };

template <>
struct enum_traits<rater> {
  static constexpr std::string_view type_name = "rater";
  static constexpr std::array<std::string_view, 4> names = {"citizen", "mentor", "caseworker",
                                                            "other"};
};

/// Kinds of alert an instrument can raise.
enum class alert_rule_kind : std::uint8_t {
  below_cutoff,             ///< a rating on the problem side of the cut-off
  drop_from_previous,       ///< the total fell by at least `points` since the previous rating
  no_reliable_improvement,  ///< `sessions` ratings in, no reliable improvement on the first
};

template <>
struct enum_traits<alert_rule_kind> {
  static constexpr std::string_view type_name = "alert_rule";
  static constexpr std::array<std::string_view, 3> names = {"below_cutoff", "drop_from_previous",
                                                            "no_reliable_improvement"};
};

/// One alert rule of an instrument.
struct alert_rule {
  alert_rule_kind kind = alert_rule_kind::below_cutoff;
  double points = 1;  ///< drop_from_previous: the smallest drop that alerts
  int sessions = 3;   ///< no_reliable_improvement: after this many ratings
  friend bool operator==(const alert_rule&, const alert_rule&) = default;
};

/// The bounds of one item's answer.
struct item_bounds {
  double min = 0;
  double max = 10;
  friend bool operator==(const item_bounds&, const item_bounds&) = default;
};

/// A named group of items (1-based item numbers, as on the form).
struct subscale {
  std::string name;
  std::vector<int> items;
  friend bool operator==(const subscale&, const subscale&) = default;
};

/// A clinical cut-off for one age band (e.g. "adult" 25, "adolescent" 28, "child" 32).
struct cutoff {
  std::string age_band;
  double value = 0;
  friend bool operator==(const cutoff&, const cutoff&) = default;
};

/// A scored rating.
struct rating_score {
  double total = 0;
  std::vector<double> subscales;     ///< in the instrument's subscale order
  std::optional<double> cutoff;      ///< the cut-off that applied, if any
  std::optional<bool> below_cutoff;  ///< total < cut-off (literally)
  std::optional<bool> clinical;      ///< on the problem side of the cut-off, given the direction
};

/// Change between two ratings of one instrument.
struct rating_change {
  double change = 0;               ///< current total - earlier total
  bool reliably_improved = false;  ///< improved by at least the reliable-change index
  bool reliably_deteriorated = false;
  /// reliably improved and moved from the clinical to the non-clinical side of the cut-off
  bool recovered = false;
};

/// A user-defined rating instrument.
class instrument {
 public:
  instrument() = default;
  /// Validates the definition; throws invalid_value_error naming the field.
  instrument(std::string name, std::string version, std::vector<item_bounds> items,
             std::vector<subscale> subscales, std::vector<cutoff> cutoffs, double reliable_change,
             bool higher_is_better, std::vector<alert_rule> alerts = {},
             aggregation combine = aggregation::sum);

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const std::string& version() const noexcept { return version_; }
  [[nodiscard]] const std::vector<item_bounds>& items() const noexcept { return items_; }
  [[nodiscard]] const std::vector<subscale>& subscales() const noexcept { return subscales_; }
  [[nodiscard]] const std::vector<cutoff>& cutoffs() const noexcept { return cutoffs_; }
  [[nodiscard]] double reliable_change() const noexcept { return reliable_change_; }
  [[nodiscard]] bool higher_is_better() const noexcept { return higher_is_better_; }
  [[nodiscard]] const std::vector<alert_rule>& alerts() const noexcept { return alerts_; }
  [[nodiscard]] aggregation combine() const noexcept { return combine_; }
  /// The lowest and highest possible total.
  [[nodiscard]] std::pair<double, double> total_range() const;

  /// The cut-off for `age_band`; with no band, the only cut-off if there is exactly one.
  /// Throws invalid_value_error naming "age_band" for a band the instrument does not define.
  [[nodiscard]] std::optional<double> cutoff_for(const std::optional<std::string>& age_band) const;

  /// Checks the answers (count, each within its item's bounds); throws invalid_value_error
  /// naming "answers" or "answers[i]".
  void check_answers(std::span<const double> answers) const;

  /// Scores one rating.
  [[nodiscard]] rating_score score(std::span<const double> answers,
                                   const std::optional<std::string>& age_band = std::nullopt) const;

  /// The change from `earlier` to `current`, judged by the reliable-change index and cut-off.
  [[nodiscard]] rating_change change(const rating_score& earlier,
                                     const rating_score& current) const;

  friend bool operator==(const instrument&, const instrument&) = default;

 private:
  std::string name_;
  std::string version_;
  std::vector<item_bounds> items_;
  std::vector<subscale> subscales_;
  std::vector<cutoff> cutoffs_;
  double reliable_change_ = 0;
  bool higher_is_better_ = true;
  std::vector<alert_rule> alerts_;
  aggregation combine_ = aggregation::sum;
};

}  // namespace mentorcore

// The definitions: inline in the header-only model, compiled once into mentorcore::io
// (detail/decl.hpp).
#ifndef MENTORCORE_SEPARATE_COMPILATION
#include "mentorcore/detail/instrument_impl.hpp"
#endif
