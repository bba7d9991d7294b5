#pragma once
// Implementation of mentorcore/analytics/summary.hpp. The counting is one function per course
// (count_course), run over ranges of courses by a few threads, each into tables of its own that
// are added up at the end: integer sums, so the result does not depend on the thread count.

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <gsl/gsl>

#include "mentorcore/analytics/summary.hpp"
#include "mentorcore/contact.hpp"
#include "mentorcore/detail/decl.hpp"
#include "mentorcore/detail/parts_on_threads.hpp"
#include "mentorcore/error.hpp"
#include "mentorcore/handover.hpp"
#include "mentorcore/motivation.hpp"
#include "mentorcore/phase.hpp"

namespace mentorcore {
namespace detail {

// Howard Hinnant's algorithms (http://howardhinnant.github.io/date_algorithms.html) between day
// numbers and civil dates, proleptic Gregorian.
struct civil_date {
  std::int64_t year;
  int month;  // 1-12
  int day;    // 1-31
};

constexpr civil_date civil_from_day_number(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<std::int64_t>(z - era * 146097);
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const auto d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const auto m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

constexpr std::int64_t day_number_from_civil(std::int64_t y, int m, int d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = m > 2 ? m - 3 : m + 9;
  const std::int64_t doy = (153 * mp + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

constexpr int last_day_of_month(std::int64_t y, int m) noexcept {
  constexpr std::array<int, 12> lengths = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : lengths[static_cast<std::size_t>(m - 1)];
}

// Floor division, as Python's // (the utilisation percent of the oracle is defined with it).
constexpr std::int64_t floor_divide(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// Hundredths of a float value, rounded half to even as NumPy's rint; NaN counts as 0.
MENTORCORE_DECL std::int64_t hundredths(float value) noexcept {
  if (!std::isfinite(value)) return 0;
  return static_cast<std::int64_t>(std::nearbyint(static_cast<double>(value) * 100.0));
}

template <class Enum>
constexpr std::size_t enum_count = enum_traits<Enum>::names.size();

template <class Enum>
constexpr std::int8_t code_of(Enum value) noexcept {
  return static_cast<std::int8_t>(value);
}

// Cell positions in the fixed tables (the order of summary_cells).
namespace summary_cell {
inline constexpr std::size_t exits_courses = 0, exits_open = 1, exits_closed = 2, exits_reasons = 3;
inline constexpr std::size_t status_block = 2 + enum_count<followup_status>;  // per horizon
inline constexpr std::size_t contact_block = 1 + enum_count<attendance>;      // per location
inline constexpr std::size_t intensity_courses = 0, intensity_days = 1, intensity_attended = 2,
                             intensity_minutes = 3;
// Per month of course: attended, of them at home; then the same for the attended contacts
// outside the months (before the start, or in a course not started).
inline constexpr std::size_t home_outside = 2 * static_cast<std::size_t>(summary_home_visit_months);
inline constexpr std::size_t grants_count = 0, grants_granted = 1, grants_delivered = 2,
                             grants_under_80 = 3;
inline constexpr std::size_t handovers_count = 0, handovers_acknowledged = 1, handovers_carried = 2,
                             handovers_withheld = 3, handovers_dropped = 4,
                             handovers_first_known = 5, handovers_first_days = 6,
                             handovers_followed = 7, handovers_no_shows = 8;
inline constexpr std::size_t continuity_courses = 0, continuity_days = 1,
                             continuity_mentor_changes = 2, continuity_with = 3,
                             continuity_without = 4, continuity_without_first_known = 5,
                             continuity_without_first_days = 6, continuity_without_followed = 7,
                             continuity_without_no_shows = 8;
}  // namespace summary_cell

MENTORCORE_DECL bool dated_by(day_number day, day_number as_of) noexcept {
  return day != missing_day && day <= as_of;
}

// Dynamic columns (stage transitions, instruments): a column of group counts per key, created
// when the key is first seen, so a thread holds only the columns its courses use.
struct keyed_columns {
  std::vector<std::int32_t> column_of_key;  // key -> column, -1 if not seen
  std::vector<std::int64_t> keys;           // column -> key
  std::vector<std::vector<std::int64_t>> columns;
  std::size_t width = 1;  // counts per group in a column (the rating measures)

  std::span<std::int64_t> at(std::size_t key, std::size_t group, std::size_t group_count) {
    if (key >= column_of_key.size()) column_of_key.resize(key + 1, -1);
    auto& column = column_of_key[key];
    if (column < 0) {
      column = static_cast<std::int32_t>(columns.size());
      keys.push_back(static_cast<std::int64_t>(key));
      columns.emplace_back(group_count * width, 0);
    }
    return std::span<std::int64_t>(columns[static_cast<std::size_t>(column)])
        .subspan(group * width, width);
  }
};

// One thread's counts.
struct summary_accumulator {
  std::array<count_table, enum_traits<summary_table>::names.size()> fixed;
  keyed_columns transitions;  // key: (behaviour * stages + from) * stages + to
  keyed_columns instruments;  // key: instrument code; width: the rating measures
  // Scratch reused from course to course.
  std::vector<std::int32_t> order;        // a course's assessments in date order
  std::vector<std::int32_t> rated;        // the instruments a course rated
  std::vector<std::int32_t> last_rating;  // per instrument code: row, or -1

  explicit summary_accumulator(std::size_t group_count) {
    for (std::size_t t = 0; t < fixed.size(); ++t) {
      fixed[t] = count_table(group_count, summary_cells(static_cast<summary_table>(t)).size());
    }
    instruments.width = summary_rating_measures.size();
  }
  std::span<std::int64_t> row(summary_table table, std::size_t group) noexcept {
    return fixed[static_cast<std::size_t>(table)].row(group);
  }
};

template <class Rows>
std::pair<std::size_t, std::size_t> rows_of(const Rows& table, std::size_t course) noexcept {
  return {static_cast<std::size_t>(table.offsets[course]),
          static_cast<std::size_t>(table.offsets[course + 1])};
}

MENTORCORE_DECL std::int64_t course_days(day_number started, day_number closed,
                                         day_number as_of) noexcept {
  if (!dated_by(started, as_of)) return 0;
  const day_number end = dated_by(closed, as_of) ? closed : as_of;
  return std::max<std::int64_t>(std::int64_t{end} - started, 0);
}

// add_months_to_day is non-decreasing in the day, so "due by as_of" is "closed on or before this
// day", found once by bisection instead of a month addition per course and horizon.
MENTORCORE_DECL status_due_days status_due_by(day_number as_of) noexcept {
  status_due_days due{};
  for (std::size_t h = 0; h < due.size(); ++h) {
    const int months = status_horizons_months[h];
    // add_months_to_day(low, months) <= as_of < add_months_to_day(high, months)
    std::int64_t low = std::int64_t{as_of} - std::int64_t{31} * (months + 1);
    std::int64_t high = as_of;
    while (high - low > 1) {
      const std::int64_t middle = low + (high - low) / 2;
      if (add_months_to_day(static_cast<day_number>(middle), months) <= as_of) {
        low = middle;
      } else {
        high = middle;
      }
    }
    due[h] = static_cast<day_number>(low);
  }
  return due;
}

MENTORCORE_DECL void count_course_level(summary_accumulator& acc, const cohort& c, std::size_t k,
                                        std::size_t g, day_number as_of,
                                        const status_due_days& due) {
  namespace cell = summary_cell;
  const auto& courses = c.courses();
  const day_number closed = courses.closed[k];
  const bool is_closed = dated_by(closed, as_of);
  const std::span<std::int64_t> exits = acc.row(summary_table::exits, g);
  ++exits[cell::exits_courses];
  ++exits[is_closed ? cell::exits_closed : cell::exits_open];
  const std::int8_t reason = courses.closure_reason[k];
  if (is_closed && reason >= 0 && static_cast<std::size_t>(reason) < enum_count<closure_reason>) {
    ++exits[cell::exits_reasons + static_cast<std::size_t>(reason)];
  }
  if (is_closed) {
    const std::span<std::int64_t> statuses = acc.row(summary_table::statuses, g);
    const std::array<const std::vector<std::int8_t>*, 4> columns = {
        &courses.status_1m, &courses.status_3m, &courses.status_6m, &courses.status_12m};
    for (std::size_t h = 0; h < status_horizons_months.size(); ++h) {
      if (closed > due[h]) continue;
      const auto block = statuses.subspan(h * cell::status_block, cell::status_block);
      ++block[0];
      const std::int8_t status = (*columns[h])[k];
      if (status < 0) {
        ++block[cell::status_block - 1];
      } else if (static_cast<std::size_t>(status) < enum_count<followup_status>) {
        ++block[1 + static_cast<std::size_t>(status)];
      }
    }
  }
}

// Contacts: the contact, intensity and home-visit tables. The hot loop of the summary (some 50
// contacts a course): written without data-dependent branches, as attendance and location vary
// from contact to contact and a mispredicted branch costs more than the counting.
MENTORCORE_DECL void count_contacts(summary_accumulator& acc, const cohort& c, std::size_t k,
                                    std::size_t g, day_number as_of) {
  namespace cell = summary_cell;
  const auto& contacts = c.contacts();
  const day_number started = c.courses().started[k];
  const bool has_start = started != missing_day;
  const std::span<std::int64_t> table = acc.row(summary_table::contacts, g);
  const std::span<std::int64_t> home = acc.row(summary_table::home_visits, g);
  constexpr auto places = enum_count<location>;
  constexpr auto kinds = enum_count<attendance>;
  constexpr auto attended = static_cast<std::uint8_t>(attendance::attended);
  constexpr auto at_home = static_cast<std::uint8_t>(location::home);
  std::int64_t attended_contacts = 0;
  std::int64_t minutes = 0;
  const auto [begin, end] = rows_of(contacts, k);
  for (std::size_t r = begin; r < end; ++r) {
    const day_number date = contacts.date[r];
    if (!dated_by(date, as_of)) continue;
    // A missing category (-1) becomes 255: unknown, like any value past the last name.
    const auto place = static_cast<std::uint8_t>(contacts.location[r]);
    const auto kind = static_cast<std::uint8_t>(contacts.attendance[r]);
    const bool place_known = place < places;
    const bool kind_known = kind < kinds;
    const auto block =
        table.subspan((place_known ? place : 0U) * cell::contact_block, cell::contact_block);
    block[0] += place_known ? 1 : 0;
    block[1 + (kind_known ? kind : 0U)] += place_known && kind_known ? 1 : 0;
    const bool is_attended = kind == attended;
    attended_contacts += is_attended ? 1 : 0;
    minutes += is_attended ? std::max<std::int64_t>(contacts.actual_minutes[r], 0) : 0;
    // Every attended contact is in one month of course or outside them (before the start, or
    // no start), so that the table adds up to intensity.attended and contacts.home:attended.
    const std::int64_t day = std::int64_t{date} - started;
    const bool in_course = has_start && day >= 0;
    const auto month = static_cast<std::size_t>(
        std::min<std::int64_t>(std::max<std::int64_t>(day, 0) / 30, summary_home_visit_months - 1));
    const std::size_t slot = in_course ? 2 * month : cell::home_outside;
    home[slot] += is_attended ? 1 : 0;
    home[slot + 1] += is_attended && place == at_home ? 1 : 0;
  }
  const std::span<std::int64_t> intensity = acc.row(summary_table::intensity, g);
  intensity[cell::intensity_attended] += attended_contacts;
  intensity[cell::intensity_minutes] += minutes;
}

// What the continuity table needs of a course without a handover, measured from its start: its
// first attended contact, and its no-shows in the first 30 days once they have passed.
MENTORCORE_DECL void count_contacts_without_handover(summary_accumulator& acc, const cohort& c,
                                                     std::size_t k, std::size_t g,
                                                     day_number as_of) {
  namespace cell = summary_cell;
  const auto& contacts = c.contacts();
  const day_number started = c.courses().started[k];
  const bool followed = std::int64_t{started} + summary_no_show_days <= as_of;
  std::int64_t first_attended = std::numeric_limits<std::int64_t>::max();
  std::int64_t no_shows = 0;
  const auto [begin, end] = rows_of(contacts, k);
  for (std::size_t r = begin; r < end; ++r) {
    const day_number date = contacts.date[r];
    const std::int64_t day = std::int64_t{date} - started;
    if (!dated_by(date, as_of) || day < 0) continue;
    const std::int8_t kind = contacts.attendance[r];
    if (kind == code_of(attendance::attended)) first_attended = std::min(first_attended, day);
    if (followed && kind == code_of(attendance::no_show) && day < summary_no_show_days) {
      ++no_shows;
    }
  }
  const std::span<std::int64_t> continuity = acc.row(summary_table::continuity, g);
  if (first_attended != std::numeric_limits<std::int64_t>::max()) {
    ++continuity[cell::continuity_without_first_known];
    continuity[cell::continuity_without_first_days] += first_attended;
  }
  if (followed) ++continuity[cell::continuity_without_followed];
  continuity[cell::continuity_without_no_shows] += no_shows;
}

// Handovers; returns whether the course had one by as_of.
MENTORCORE_DECL bool count_handovers(summary_accumulator& acc, const cohort& c, std::size_t k,
                                     std::size_t g, day_number as_of) {
  namespace cell = summary_cell;
  const auto& handovers = c.handovers();
  const std::span<std::int64_t> table = acc.row(summary_table::handovers, g);
  const std::span<std::int64_t> continuity = acc.row(summary_table::continuity, g);
  bool any = false;
  const auto [begin, end] = rows_of(handovers, k);
  for (std::size_t r = begin; r < end; ++r) {
    const day_number made = handovers.date[r];
    if (!dated_by(made, as_of)) continue;
    any = true;
    ++table[cell::handovers_count];
    const bool acknowledged = handovers.state[r] == code_of(handover_state::acknowledged) &&
                              dated_by(handovers.settled[r], as_of);
    if (acknowledged) ++table[cell::handovers_acknowledged];
    table[cell::handovers_carried] += std::max(handovers.carried[r], 0);
    table[cell::handovers_withheld] += std::max(handovers.withheld[r], 0);
    table[cell::handovers_dropped] += std::max(handovers.dropped[r], 0);
    const std::int64_t to_first = handovers.days_to_first_contact[r];
    if (to_first >= 0 && made + to_first <= as_of) {
      ++table[cell::handovers_first_known];
      table[cell::handovers_first_days] += to_first;
    }
    if (std::int64_t{made} + summary_no_show_days <= as_of) {
      ++table[cell::handovers_followed];
      table[cell::handovers_no_shows] += std::max(handovers.no_shows_within_30_days[r], 0);
    }
    if (acknowledged && handovers.sender_role[r] == code_of(party_role::mentor) &&
        handovers.receiver_role[r] == code_of(party_role::mentor)) {
      ++continuity[cell::continuity_mentor_changes];
    }
  }
  return any;
}

MENTORCORE_DECL void count_milestones(summary_accumulator& acc, const cohort& c, std::size_t k,
                                      std::size_t g, day_number as_of) {
  const auto& milestones = c.milestones();
  const day_number started = c.courses().started[k];
  if (!dated_by(started, as_of)) return;
  // A course counts once per milestone, at the first date it reached it.
  std::array<day_number, enum_count<milestone>> first{};
  first.fill(std::numeric_limits<day_number>::max());
  const auto [begin, end] = rows_of(milestones, k);
  for (std::size_t r = begin; r < end; ++r) {
    const std::int8_t kind = milestones.milestone[r];
    const day_number date = milestones.date[r];
    if (!dated_by(date, as_of) || kind < 0 || static_cast<std::size_t>(kind) >= first.size()) {
      continue;
    }
    auto& earliest = first[static_cast<std::uint8_t>(kind)];
    earliest = std::min(earliest, date);
  }
  const std::span<std::int64_t> table = acc.row(summary_table::milestones, g);
  for (std::size_t m = 0; m < first.size(); ++m) {
    if (first[m] == std::numeric_limits<day_number>::max()) continue;
    ++table[1 + 2 * m];
    table[2 + 2 * m] += std::max<std::int64_t>(std::int64_t{first[m]} - started, 0);
  }
}

MENTORCORE_DECL void count_grants(summary_accumulator& acc, const cohort& c, std::size_t k,
                                  std::size_t g, day_number as_of) {
  namespace cell = summary_cell;
  const auto& grants = c.grants();
  const std::span<std::int64_t> table = acc.row(summary_table::grants, g);
  const std::span<std::int64_t> bins = acc.row(summary_table::utilisation, g);
  const auto [begin, end] = rows_of(grants, k);
  for (std::size_t r = begin; r < end; ++r) {
    const day_number last =
        grants.end_in_force[r] != missing_day ? grants.end_in_force[r] : grants.planned_end[r];
    const std::int64_t granted = hundredths(grants.hours_granted[r]);
    if (!dated_by(last, as_of) || granted <= 0) continue;
    // Hours delivered below 0 (assemble_cohort refuses them, as every cohort file, frame and
    // Arrow table passes it; kept for a cohort made any other way) count as none, as negative
    // minutes do: so every grant is in one utilisation bin, and under 80 percent is exactly
    // bins 000-070, the relations the publishable summary declares.
    const std::int64_t delivered = std::max<std::int64_t>(hundredths(grants.hours_delivered[r]), 0);
    // Whole percent from the same whole numbers: exact.
    const std::int64_t percent = floor_divide(delivered * 100, granted);
    ++table[cell::grants_count];
    table[cell::grants_granted] += granted;
    table[cell::grants_delivered] += delivered;
    if (percent < 80) ++table[cell::grants_under_80];
    const std::int64_t bin =
        std::min<std::int64_t>(floor_divide(percent, 10), summary_utilisation_bins - 1);
    if (bin >= 0) ++bins[static_cast<std::size_t>(bin)];
  }
}

// Transitions between consecutive assessments (by date, then row order) of one behaviour.
MENTORCORE_DECL void count_stages(summary_accumulator& acc, const cohort& c, std::size_t k,
                                  std::size_t g, std::size_t group_count, day_number as_of) {
  const auto& assessments = c.assessments();
  const auto [begin, end] = rows_of(assessments, k);
  auto& order = acc.order;
  order.clear();
  for (std::size_t r = begin; r < end; ++r) {
    if (dated_by(assessments.date[r], as_of)) order.push_back(static_cast<std::int32_t>(r));
  }
  if (order.size() < 2) return;
  // Insertion sort: stable, and without the buffer std::stable_sort allocates, for the handful
  // of assessments a course has.
  const auto before_in_order = [&](std::int32_t a, std::int32_t b) {
    const auto ia = static_cast<std::size_t>(a);
    const auto ib = static_cast<std::size_t>(b);
    if (assessments.behaviour[ia] != assessments.behaviour[ib]) {
      return assessments.behaviour[ia] < assessments.behaviour[ib];
    }
    return assessments.date[ia] < assessments.date[ib];
  };
  for (std::size_t i = 1; i < order.size(); ++i) {
    const std::int32_t row = order[i];
    std::size_t j = i;
    for (; j > 0 && before_in_order(row, order[j - 1]); --j) order[j] = order[j - 1];
    order[j] = row;
  }
  constexpr auto stages = enum_count<stage>;
  for (std::size_t i = 1; i < order.size(); ++i) {
    const auto before = static_cast<std::size_t>(order[i - 1]);
    const auto after = static_cast<std::size_t>(order[i]);
    const std::int32_t behaviour = assessments.behaviour[after];
    const std::int8_t from = assessments.stage[before];
    const std::int8_t to = assessments.stage[after];
    if (behaviour != assessments.behaviour[before] || behaviour < 0 || from < 0 || to < 0 ||
        static_cast<std::size_t>(from) >= stages || static_cast<std::size_t>(to) >= stages) {
      continue;
    }
    const std::size_t key =
        (static_cast<std::size_t>(behaviour) * stages + static_cast<std::size_t>(from)) * stages +
        static_cast<std::size_t>(to);
    ++acc.transitions.at(key, g, group_count)[0];
  }
}

MENTORCORE_DECL void count_ratings(summary_accumulator& acc, const cohort& c, std::size_t k,
                                   std::size_t g, std::size_t group_count, day_number as_of) {
  const auto& ratings = c.ratings();
  const auto [begin, end] = rows_of(ratings, k);
  auto& last = acc.last_rating;
  auto& seen = acc.rated;
  seen.clear();
  for (std::size_t r = begin; r < end; ++r) {
    if (!dated_by(ratings.date[r], as_of) || ratings.instrument[r] < 0) continue;
    const auto instrument = static_cast<std::size_t>(ratings.instrument[r]);
    const std::span<std::int64_t> counts = acc.instruments.at(instrument, g, group_count);
    ++counts[0];
    if (ratings.alert[r] == 1) ++counts[1];
    if (instrument >= last.size()) last.resize(instrument + 1, -1);
    // The last rating: the latest date, and of equal dates the later row.
    if (last[instrument] < 0) {
      seen.push_back(static_cast<std::int32_t>(instrument));
      last[instrument] = static_cast<std::int32_t>(r);
    } else if (ratings.date[r] >= ratings.date[static_cast<std::size_t>(last[instrument])]) {
      last[instrument] = static_cast<std::int32_t>(r);
    }
  }
  for (const std::int32_t instrument : seen) {
    const auto r = static_cast<std::size_t>(last[static_cast<std::size_t>(instrument)]);
    last[static_cast<std::size_t>(instrument)] = -1;
    const float change = ratings.change_from_baseline[r];
    if (std::isnan(change)) continue;
    const std::span<std::int64_t> counts =
        acc.instruments.at(static_cast<std::size_t>(instrument), g, group_count);
    ++counts[2];
    counts[3] += hundredths(change);
    if (ratings.reliably_improved[r] == 1) ++counts[4];
  }
}

MENTORCORE_DECL void count_course(summary_accumulator& acc, const cohort& c, std::size_t k,
                                  std::size_t g, std::size_t group_count, day_number as_of,
                                  const status_due_days& due) {
  namespace cell = summary_cell;
  count_course_level(acc, c, k, g, as_of, due);
  const auto& courses = c.courses();
  const bool started = dated_by(courses.started[k], as_of);
  const std::int64_t days_of_course = course_days(courses.started[k], courses.closed[k], as_of);
  const std::span<std::int64_t> intensity = acc.row(summary_table::intensity, g);
  const std::span<std::int64_t> continuity = acc.row(summary_table::continuity, g);
  intensity[cell::intensity_days] += days_of_course;
  continuity[cell::continuity_days] += days_of_course;
  if (started) {
    ++intensity[cell::intensity_courses];
    ++continuity[cell::continuity_courses];
    ++acc.row(summary_table::milestones, g)[0];
  }
  const bool had_handover = count_handovers(acc, c, k, g, as_of);
  const bool without = started && !had_handover;
  if (started) ++continuity[had_handover ? cell::continuity_with : cell::continuity_without];
  count_contacts(acc, c, k, g, as_of);
  if (without) count_contacts_without_handover(acc, c, k, g, as_of);
  count_milestones(acc, c, k, g, as_of);
  count_grants(acc, c, k, g, as_of);
  count_stages(acc, c, k, g, group_count, as_of);
  count_ratings(acc, c, k, g, group_count, as_of);
}

// The columns of `parts` (one keyed_columns per thread) as one table, keys ascending.
MENTORCORE_DECL std::vector<std::int64_t> merge_keyed(
    const std::vector<const keyed_columns*>& parts, std::size_t group_count, count_table& table) {
  std::vector<std::int64_t> keys;
  for (const auto* part : parts) keys.insert(keys.end(), part->keys.begin(), part->keys.end());
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  const std::size_t width = parts.empty() ? 1 : parts.front()->width;
  table = count_table(group_count, keys.size() * width);
  for (std::size_t j = 0; j < keys.size(); ++j) {
    for (const auto* part : parts) {
      const auto key = static_cast<std::size_t>(keys[j]);
      if (key >= part->column_of_key.size() || part->column_of_key[key] < 0) continue;
      const auto& column = part->columns[static_cast<std::size_t>(part->column_of_key[key])];
      for (std::size_t group = 0; group < group_count; ++group) {
        for (std::size_t w = 0; w < width; ++w) {
          table.row(group)[j * width + w] += column[group * width + w];
        }
      }
    }
  }
  return keys;
}

MENTORCORE_DECL void check_summary_options(const cohort& c, const summary_options& options) {
  if (options.as_of == missing_day) {
    throw invalid_value_error("as_of", "missing", "the day of the summary must be a date");
  }
  if (options.groups.size() != c.size()) {
    throw invalid_value_error("groups", std::to_string(options.groups.size()) + " entries",
                              "expected one per course (" + std::to_string(c.size()) + ")");
  }
  const auto limit = static_cast<std::int64_t>(options.group_count);
  for (std::size_t k = 0; k < options.groups.size(); ++k) {
    const std::int32_t g = options.groups[k];
    if (g < -1 || g >= limit) {
      throw invalid_value_error("groups[" + std::to_string(k) + "]", std::to_string(g),
                                "expected -1 or a group below " + std::to_string(limit));
    }
  }
}

}  // namespace detail

MENTORCORE_DECL day_number add_months_to_day(day_number day, int months) noexcept {
  const auto civil = detail::civil_from_day_number(day);
  const std::int64_t month_index = civil.year * 12 + (civil.month - 1) + months;
  const std::int64_t year = month_index >= 0 ? month_index / 12 : (month_index - 11) / 12;
  const auto month = static_cast<int>(month_index - year * 12 + 1);
  const int last = detail::last_day_of_month(year, month);
  const int day_of_month = civil.day == detail::last_day_of_month(civil.year, civil.month)
                               ? last
                               : std::min(civil.day, last);
  return static_cast<day_number>(detail::day_number_from_civil(year, month, day_of_month));
}

MENTORCORE_DECL std::vector<std::string> summary_cells(summary_table table) {
  std::vector<std::string> cells;
  const auto add_names = [&](const auto& names, std::string_view prefix, std::string_view suffix) {
    for (const auto name : names) {
      cells.push_back(std::string(prefix) + std::string(name) + std::string(suffix));
    }
  };
  const auto two_digits = [](int m) { return (m < 10 ? "0" : "") + std::to_string(m); };
  switch (table) {
    case summary_table::exits:
      cells = {"courses", "open", "closed"};
      add_names(enum_traits<closure_reason>::names, "", "");
      break;
    case summary_table::statuses:
      for (const int months : status_horizons_months) {
        const std::string prefix = std::to_string(months) + "m:";
        cells.push_back(prefix + "eligible");
        add_names(enum_traits<followup_status>::names, prefix, "");
        cells.push_back(prefix + "none");
      }
      break;
    case summary_table::contacts:
      for (const auto place : enum_traits<location>::names) {
        const std::string prefix = std::string(place) + ":";
        cells.push_back(prefix + "contacts");
        add_names(enum_traits<attendance>::names, prefix, "");
      }
      break;
    case summary_table::intensity: cells = {"courses", "course_days", "attended", "minutes"}; break;
    case summary_table::home_visits:
      for (int m = 1; m <= summary_home_visit_months; ++m) {
        cells.push_back("attended:" + two_digits(m));
        cells.push_back("home:" + two_digits(m));
      }
      cells.emplace_back("attended:outside");
      cells.emplace_back("home:outside");
      break;
    case summary_table::milestones:
      cells.emplace_back("started");
      for (const auto name : enum_traits<milestone>::names) {
        cells.push_back(std::string(name) + ":reached");
        cells.push_back(std::string(name) + ":days");
      }
      break;
    case summary_table::grants:
      cells = {"grants", "hours_granted_cents", "hours_delivered_cents", "under_80"};
      break;
    case summary_table::utilisation:
      for (int b = 0; b < summary_utilisation_bins; ++b) {
        const std::string percent = std::to_string(10 * b);
        cells.push_back(std::string(3 - percent.size(), '0') + percent);
      }
      break;
    case summary_table::handovers:
      cells = {
          "handovers",           "acknowledged",          "carried",      "withheld",    "dropped",
          "first_contact_known", "days_to_first_contact", "followed_30d", "no_shows_30d"};
      break;
    case summary_table::continuity:
      cells = {"courses",
               "course_days",
               "mentor_changes",
               "with_handover",
               "without_handover",
               "without_first_contact_known",
               "without_days_to_first_contact",
               "without_followed_30d",
               "without_no_shows_30d"};
      break;
  }
  return cells;
}

MENTORCORE_DECL summary_counts count_summary(const cohort& c, const summary_options& options) {
  detail::check_summary_options(c, options);
  const std::size_t n = c.size();
  const std::size_t group_count = options.group_count;
  unsigned threads =
      options.threads != 0 ? options.threads : std::max(1U, std::thread::hardware_concurrency());
  // Ranges of courses with about equal numbers of contacts (the bulk of the work).
  const auto& offsets = c.contacts().offsets;
  const auto contacts = static_cast<std::size_t>(offsets.back());
  threads = static_cast<unsigned>(std::clamp<std::size_t>(n / 1024, 1, threads));
  std::vector<std::size_t> bounds{0};
  for (unsigned t = 1; t < threads; ++t) {
    const auto target = static_cast<std::int32_t>(contacts * t / threads);
    const auto at = static_cast<std::size_t>(
        std::lower_bound(offsets.begin(), offsets.end() - 1, target) - offsets.begin());
    bounds.push_back(std::max(bounds.back(), std::min(at, n)));
  }
  bounds.push_back(n);

  std::vector<detail::summary_accumulator> parts;
  parts.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) parts.emplace_back(group_count);
  const detail::status_due_days due = detail::status_due_by(options.as_of);
  const auto count_range = [&](std::size_t t) {
    for (std::size_t k = bounds[t]; k < bounds[t + 1]; ++k) {
      const std::int32_t g = options.groups[k];
      if (g < 0) continue;
      detail::count_course(parts[t], c, k, static_cast<std::size_t>(g), group_count, options.as_of,
                           due);
    }
  };
  detail::run_parts_on_threads(threads, count_range);

  summary_counts result;
  result.fixed = std::move(parts.front().fixed);
  for (std::size_t t = 1; t < parts.size(); ++t) {
    for (std::size_t table = 0; table < result.fixed.size(); ++table) {
      auto& into = result.fixed[table].counts;
      const auto& from = parts[t].fixed[table].counts;
      std::transform(into.begin(), into.end(), from.begin(), into.begin(), std::plus<>());
    }
  }
  std::vector<const detail::keyed_columns*> transitions;
  std::vector<const detail::keyed_columns*> instruments;
  for (const auto& part : parts) {
    transitions.push_back(&part.transitions);
    instruments.push_back(&part.instruments);
  }
  constexpr auto stages = detail::enum_count<stage>;
  for (const std::int64_t key : detail::merge_keyed(transitions, group_count, result.stages)) {
    const auto code = static_cast<std::size_t>(key);
    const stage_transition transition{static_cast<std::int32_t>(code / (stages * stages)),
                                      static_cast<std::int8_t>(code / stages % stages),
                                      static_cast<std::int8_t>(code % stages)};
    result.transitions.push_back(transition);
  }
  for (const std::int64_t key : detail::merge_keyed(instruments, group_count, result.ratings)) {
    result.instruments.push_back(static_cast<std::int32_t>(key));
  }
  return result;
}

}  // namespace mentorcore
