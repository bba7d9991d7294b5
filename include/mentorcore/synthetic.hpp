#pragma once
/// \file synthetic.hpp
/// A synthetic municipality: realistic courses for tests, demos and benchmarks, with no real
/// citizen in them.
///
/// Every course is built through the public API (`course::append`), so every event has passed
/// the model's validation. The stories are calibrated to the figures in docs/synthetic.md:
/// referrals from several municipalities and target groups, two or three providers per
/// municipality named on every grant, with stated municipality and provider effects on outcomes,
/// intensity and handover practice, phases with skips and back-moves,
/// pauses, chained 6-month grants, contacts with no-shows and late cancellations and a falling
/// share of home visits, independence milestones, stages of change that progress and relapse,
/// user-defined rating scales with the odd alliance alert, goals and steps done more and more by
/// the citizen alone, knowledge in every category, handovers of every type (late, rejected,
/// revoked, under partial or withdrawn consent, with items dropped; warm ones with a joint
/// meeting), realistic outcomes, ends of starts in work or education (jobs lost, educations
/// dropped or completed) in and after the course, statuses 1, 3, 6 and 12 months after closure,
/// and courses still open at the observation date (censoring), whose follow-up stops there too.
///
/// Course i of a seed depends only on (seed, i), never on the thread that made it, so the same
/// options give the same courses and the same bytes whatever the thread count.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "mentorcore/course.hpp"
#include "mentorcore/date.hpp"
#include "mentorcore/ids.hpp"
#include "mentorcore/reference_data.hpp"

namespace mentorcore {

/// What to generate. `validate()` (called by every generator function) throws
/// invalid_value_error naming the option that is wrong.
struct synthetic_options {
  std::size_t courses = 1000;  ///< how many courses (1 to 100 million)
  std::uint64_t seed = 1;      ///< the same seed gives the same courses
  /// Orders fall uniformly in [first_order, last_order]. The built-in target groups are valid
  /// from 2020-01-01, so that is the earliest first_order.
  date first_order{2022, 1, 1};
  date last_order{2025, 12, 31};
  /// Nothing after this date is recorded: courses still running then are open (censored).
  /// Defaults to last_order; must not be before it, nor after 2199-12-31 (the stories look up to
  /// 12 months past it, and the calendar ends with 2200).
  std::optional<date> observation;
  /// Where the referrals come from. Empty: five large municipalities weighted by population
  /// (København 101, Aarhus 751, Aalborg 851, Odense 461, Esbjerg 561); otherwise equal weights.
  /// Each municipality's providers and practice are those of docs/synthetic.md, "Effects" (a code
  /// not listed there takes the profile of the listed code at its position code mod 5).
  std::vector<municipality_code> municipalities;
  /// Worker threads; 0 means one per core. The output does not depend on it.
  unsigned threads = 0;

  void validate() const;
  [[nodiscard]] date observation_date() const { return observation.value_or(last_order); }
};

/// The built-in reference data plus the two rating scales the synthetic courses use (generic,
/// numbers only): `outcome_scale` (4 items 0-10, cut-offs adult 25 / adolescent 28, reliable
/// change 5) and `session_scale` (4 items 0-10, alert below 36 or on a drop of 3 points or more).
/// Reading a synthetic event log back needs this reference data.
[[nodiscard]] std::shared_ptr<const reference_data> synthetic_reference();

/// Course number `index` (0-based) of the options' seed; the same (seed, index) always gives
/// the same course.
[[nodiscard]] course synthetic_course(const synthetic_options& options, std::size_t index);

/// All the courses, made on `options.threads` threads, in index order.
[[nodiscard]] std::vector<course> generate_courses(const synthetic_options& options);

/// Called with the number of courses done so far; return false to stop early (the generator
/// function then throws `cancelled_error`).
using synthetic_progress = std::function<bool(std::size_t courses_done)>;

/// The generator was stopped by its progress callback; nothing was kept.
class cancelled_error : public error {
 public:
  using error::error;
};

/// Streams the courses to `sink` in index order, in blocks, holding only a few blocks in memory
/// at a time: for sizes whose courses do not fit in memory together.
void generate_courses(const synthetic_options& options,
                      const std::function<void(std::span<const course>)>& sink,
                      const synthetic_progress& progress = {});

struct synthetic_log_summary {
  std::size_t courses = 0;
  std::size_t events = 0;
  std::size_t bytes = 0;  ///< as written (compressed, for .gz)
};

/// Generates the courses and writes their event log to `path` (gzip-compressed if it ends in
/// .gz), formatting and compressing on all threads. Memory stays bounded whatever the size. The
/// file appears only when complete: on failure or cancellation nothing is left at `path`.
synthetic_log_summary write_synthetic_event_log(const synthetic_options& options,
                                                const std::string& path,
                                                const synthetic_progress& progress = {});

/// One realised rate over a set of courses. Numerator and denominator are both kept, so rates
/// from several municipalities or partitions add up.
struct realised_rate {
  std::string measure;  ///< stable name, e.g. "contacts.no_show"
  double numerator = 0;
  double denominator = 0;
  [[nodiscard]] double value() const { return denominator > 0 ? numerator / denominator : 0.0; }
};

/// The rates docs/synthetic.md calibrates and tabulates (outcomes, censoring, skips and
/// back-moves, pauses, extensions, attendance, home visits by month, milestones, relapses,
/// alliance alerts, steps done alone, handovers and what they withheld and dropped, the first
/// contact after warm handovers, ends of starts, 12-month retention and statuses after closure).
/// They are defined for any courses, not only synthetic ones.
[[nodiscard]] std::vector<realised_rate> realised_rates(std::span<const course> courses);
[[nodiscard]] std::vector<realised_rate> realised_rates(std::span<const course* const> courses);

}  // namespace mentorcore
