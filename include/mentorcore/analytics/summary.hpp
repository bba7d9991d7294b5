#pragma once
/// \file analytics/summary.hpp
/// The additive counts behind every KPI of a cohort, per group of courses, as they stood on a day
/// (`as_of`): one pass over the courses and their rows, in parallel over ranges of courses. Every
/// count is a whole number (minutes, hundredths of an hour or of a score point, days), so the
/// counts of parts of a cohort add up to the counts of the whole exactly; the Python layer
/// (mentorcore.CohortSummary) turns them into the KPIs. docs/kpis.md defines every table, every
/// cell and what is known on `as_of`.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mentorcore/analytics/cohort.hpp"
#include "mentorcore/enum.hpp"

namespace mentorcore {

/// The count tables whose cells are the same for every cohort.
enum class summary_table : std::uint8_t {
  exits,        ///< courses, open, closed, then each closure reason among the closed
  statuses,     ///< per horizon (1, 3, 6, 12 months): eligible, each status, none
  contacts,     ///< per location: contacts, then each attendance
  intensity,    ///< started courses, their days of course, attended contacts, minutes
  home_visits,  ///< per month of course (01-24), then outside them: attended, of them at home
  milestones,   ///< started courses, then per milestone: reached, days from the start
  grants,       ///< ended grants, hours granted and delivered (hundredths), under 80% used
  utilisation,  ///< ended grants per 10 percentage points used (000-150)
  handovers,    ///< handovers, acknowledged, content, first contact, no-shows
  continuity,   ///< started courses, mentor changes, and the courses without a handover
};

template <>
struct enum_traits<summary_table> {
  static constexpr std::string_view type_name = "summary_table";
  static constexpr std::array<std::string_view, 10> names = {
      "exits",      "statuses", "contacts",    "intensity", "home_visits",
      "milestones", "grants",   "utilisation", "handovers", "continuity"};
};

/// Months of course in the home-visit table: month m holds days 30(m-1) to 30m - 1 of the
/// course, and the last month everything later. The attended contacts before the start, or of a
/// course without a start, are its cells "attended:outside" and "home:outside": with them the
/// table adds up to the intensity table's attended contacts and the contacts table's
/// "home:attended".
inline constexpr int summary_home_visit_months = 24;
/// Bins of the utilisation histogram: 10 percentage points each, the last "150 and more".
inline constexpr int summary_utilisation_bins = 16;
/// Days after a handover (or a course's start) in which no-shows are counted.
inline constexpr int summary_no_show_days = 30;
/// The measures of the ratings table, per instrument.
inline constexpr std::array<std::string_view, 5> summary_rating_measures = {
    "ratings", "alerts", "followed", "change_cents", "reliably_improved"};

/// The cells of a fixed table, in order ("closed", "1m:eligible", "home:attended", ...).
[[nodiscard]] std::vector<std::string> summary_cells(summary_table table);

/// A table of counts: one row per group, one column per cell, row-major.
struct count_table {
  std::size_t groups = 0;
  std::size_t cells = 0;
  std::vector<std::int64_t> counts;  ///< groups * cells

  count_table() = default;
  count_table(std::size_t group_count, std::size_t cell_count)
      : groups(group_count), cells(cell_count), counts(group_count * cell_count, 0) {}
  [[nodiscard]] std::span<std::int64_t> row(std::size_t group) noexcept {
    return std::span<std::int64_t>(counts).subspan(group * cells, cells);
  }
  [[nodiscard]] std::int64_t at(std::size_t group, std::size_t cell) const noexcept {
    return counts[group * cells + cell];
  }
  friend bool operator==(const count_table&, const count_table&) = default;
};

/// A transition between two consecutive stage assessments of one behaviour in one course.
struct stage_transition {
  std::int32_t behaviour;  ///< code (behaviour dictionary)
  std::int8_t from;        ///< stage
  std::int8_t to;          ///< stage
  friend bool operator==(const stage_transition&, const stage_transition&) = default;
};

/// What count_summary counts.
struct summary_counts {
  /// Indexed by summary_table; columns as summary_cells gives them.
  std::array<count_table, enum_traits<summary_table>::names.size()> fixed;
  /// The transitions that occur (ordered by behaviour code, then stages), one column each.
  std::vector<stage_transition> transitions;
  count_table stages;
  /// The instruments rated (ascending codes), with summary_rating_measures.size() columns each:
  /// ratings, ratings with an alert, and of each course's last rating with a baseline: the
  /// courses, the sum of the change in hundredths of a point, and how many improved reliably.
  std::vector<std::int32_t> instruments;
  count_table ratings;

  [[nodiscard]] const count_table& operator[](summary_table table) const noexcept {
    return fixed[static_cast<std::size_t>(table)];
  }
  friend bool operator==(const summary_counts&, const summary_counts&) = default;
};

/// Which courses count, in which group, and on which day.
struct summary_options {
  /// The day the data was drawn: nothing dated after it counts.
  day_number as_of = 0;
  /// One entry per course of the cohort: its group (0 .. group_count - 1), or -1 for a course
  /// that counts nowhere (not ordered by as_of, for instance).
  std::span<const std::int32_t> groups;
  std::size_t group_count = 0;
  /// Threads to count with (0: every core). The counts do not depend on it.
  unsigned threads = 1;
};

/// The counts of `c` per group. Throws invalid_value_error if `groups` does not have one entry per
/// course, or names a group outside 0 .. group_count - 1 other than -1, or as_of is missing_day.
[[nodiscard]] summary_counts count_summary(const cohort& c, const summary_options& options);

/// `day` plus `months` calendar months by the Danish rule of mentorcore::add_months (the day of
/// month kept, clamped to a shorter month's last day, a month's last day kept at month end), on
/// day numbers and without leaving them: the status horizons of a million courses are computed
/// in one pass. Equal to to_day_number(add_months(*from_day_number(day), months)).
[[nodiscard]] day_number add_months_to_day(day_number day, int months) noexcept;

namespace detail {
/// Per status horizon, the last closure day whose status is due by `as_of` (count_summary's
/// horizons; declared here for the tests, which check it against add_months_to_day).
using status_due_days = std::array<day_number, status_horizons_months.size()>;
[[nodiscard]] status_due_days status_due_by(day_number as_of) noexcept;
}  // namespace detail

}  // namespace mentorcore

// The definitions: inline in the header-only model, compiled once into mentorcore::io
// (detail/decl.hpp).
#ifndef MENTORCORE_SEPARATE_COMPILATION
#include "mentorcore/analytics/detail/summary_impl.hpp"
#endif
