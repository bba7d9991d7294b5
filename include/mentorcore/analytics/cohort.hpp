#pragma once
/// \file analytics/cohort.hpp
/// A cohort: every course of a municipality, or of the whole country, as column tables, one row
/// per course, phase, pause, grant, contact, start, status after closure, stage assessment,
/// rating, goal, step, milestone and handover. Dates are day
/// numbers, enums small integers, repeated strings codes into the cohort's dictionaries
/// (analytics/columns.hpp), so a table is a set of flat arrays that pandas, NumPy and Arrow share.
///
/// The tables hold what the events say, not figures at a date: what depends on the date the data
/// was drawn (hours granted so far, who is still at risk) is computed by the analyses that take
/// an `as_of`. docs/cohort.md defines every column, and how a course's mentor and provider are
/// attributed.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <tuple>
#include <vector>

#include "mentorcore/analytics/columns.hpp"
#include "mentorcore/course.hpp"

namespace mentorcore {

/// The months after closure at which the courses table gives the status (the Jobindsats measure).
inline constexpr std::array<int, 4> status_horizons_months = {1, 3, 6, 12};

/// One row per course.
struct course_rows {
  std::vector<std::int32_t> course;        ///< code: its own row number
  std::vector<std::int32_t> citizen;       ///< code
  std::vector<std::int16_t> municipality;  ///< the municipality code
  std::vector<std::int32_t> target_group;  ///< code
  std::vector<std::int32_t> provider;      ///< code; see docs/cohort.md for which grant's
  std::vector<std::int32_t> caseworker;    ///< code (staff)
  std::vector<std::int32_t> mentor;        ///< code (staff): the mentor responsible longest
  std::vector<day_number> ordered;
  std::vector<day_number> started;  ///< the course's start (first phase change)
  std::vector<day_number> closed;   ///< the last closure, if the course is closed
  std::vector<std::int8_t> closure_reason;
  std::vector<std::int8_t> phase;       ///< after the course's last event
  std::vector<day_number> first_start;  ///< the first start in work or education
  std::vector<std::int8_t> first_start_type;
  /// The end of the spell the first start opened (following starts that took over from it)
  std::vector<day_number> first_start_end;
  std::vector<std::int8_t> first_start_end_cause;
  std::vector<std::int8_t> status_1m;  ///< followup_status 1 month after the last closure
  std::vector<std::int8_t> status_3m;
  std::vector<std::int8_t> status_6m;
  std::vector<std::int8_t> status_12m;
  std::vector<std::int32_t> days_paused;
  std::vector<std::int32_t> mentor_changes;
  std::vector<day_number> last_event;  ///< the date of the course's last event
  friend bool operator==(const course_rows&, const course_rows&) = default;
};

template <>
struct table_traits<course_rows> {
  static constexpr std::string_view name = "courses";
  static constexpr auto columns = std::make_tuple(
      code_column("course", &course_rows::course, dictionary_kind::course),
      code_column("citizen", &course_rows::citizen, dictionary_kind::citizen),
      number_column("municipality", &course_rows::municipality),
      code_column("target_group", &course_rows::target_group, dictionary_kind::target_group),
      code_column("provider", &course_rows::provider, dictionary_kind::provider),
      code_column("caseworker", &course_rows::caseworker, dictionary_kind::staff),
      code_column("mentor", &course_rows::mentor, dictionary_kind::staff),
      day_column("ordered", &course_rows::ordered), day_column("started", &course_rows::started),
      day_column("closed", &course_rows::closed),
      enum_column<closure_reason>("closure_reason", &course_rows::closure_reason),
      enum_column<mentorcore::phase>("phase", &course_rows::phase),
      day_column("first_start", &course_rows::first_start),
      enum_column<start_type>("first_start_type", &course_rows::first_start_type),
      day_column("first_start_end", &course_rows::first_start_end),
      enum_column<start_end_cause>("first_start_end_cause", &course_rows::first_start_end_cause),
      enum_column<followup_status>("status_1m", &course_rows::status_1m),
      enum_column<followup_status>("status_3m", &course_rows::status_3m),
      enum_column<followup_status>("status_6m", &course_rows::status_6m),
      enum_column<followup_status>("status_12m", &course_rows::status_12m),
      not_negative(number_column("days_paused", &course_rows::days_paused)),
      not_negative(number_column("mentor_changes", &course_rows::mentor_changes)),
      day_column("last_event", &course_rows::last_event));
};

/// One row per phase period.
struct phase_rows {
  /// Course k has rows offsets[k] up to offsets[k + 1] (grouped_by_course).
  std::vector<std::int32_t> offsets = std::vector<std::int32_t>(1, 0);
  std::vector<std::int8_t> phase;
  std::vector<day_number> start;
  std::vector<day_number> end;  ///< the day the next phase began (exclusive); missing if current
  friend bool operator==(const phase_rows&, const phase_rows&) = default;
};

template <>
struct table_traits<phase_rows> {
  static constexpr std::string_view name = "phases";
  static constexpr auto columns =
      std::make_tuple(enum_column<mentorcore::phase>("phase", &phase_rows::phase),
                      day_column("start", &phase_rows::start), day_column("end", &phase_rows::end));
};

/// One row per pause.
struct pause_rows {
  /// Course k has rows offsets[k] up to offsets[k + 1] (grouped_by_course).
  std::vector<std::int32_t> offsets = std::vector<std::int32_t>(1, 0);
  std::vector<day_number> start;
  std::vector<day_number> end;  ///< resumed (or closed) on, exclusive; missing if still paused
  std::vector<std::int8_t> reason;
  friend bool operator==(const pause_rows&, const pause_rows&) = default;
};

template <>
struct table_traits<pause_rows> {
  static constexpr std::string_view name = "pauses";
  static constexpr auto columns =
      std::make_tuple(day_column("start", &pause_rows::start), day_column("end", &pause_rows::end),
                      enum_column<pause_reason>("reason", &pause_rows::reason));
};

/// One row per grant.
struct grant_rows {
  /// Course k has rows offsets[k] up to offsets[k + 1] (grouped_by_course).
  std::vector<std::int32_t> offsets = std::vector<std::int32_t>(1, 0);
  std::vector<std::int32_t> grant;        ///< code
  std::vector<std::int32_t> provider;     ///< code; missing when the grant names none
  std::vector<std::int32_t> legal_basis;  ///< code
  std::vector<day_number> start;
  std::vector<day_number> planned_end;  ///< the grant's own end (inclusive)
  /// The last day in force: the earlier of the planned end and the course's last closure
  std::vector<day_number> end_in_force;
  std::vector<float> hours_per_week;
  std::vector<float> hours_granted;    ///< on the open days from start to end_in_force
  std::vector<float> hours_delivered;  ///< billable contacts from start to end_in_force
  friend bool operator==(const grant_rows&, const grant_rows&) = default;
};

template <>
struct table_traits<grant_rows> {
  static constexpr std::string_view name = "grants";
  static constexpr auto columns = std::make_tuple(
      code_column("grant", &grant_rows::grant, dictionary_kind::grant),
      code_column("provider", &grant_rows::provider, dictionary_kind::provider),
      code_column("legal_basis", &grant_rows::legal_basis, dictionary_kind::legal_basis),
      day_column("start", &grant_rows::start), day_column("planned_end", &grant_rows::planned_end),
      day_column("end_in_force", &grant_rows::end_in_force),
      not_negative(number_column("hours_per_week", &grant_rows::hours_per_week)),
      not_negative(number_column("hours_granted", &grant_rows::hours_granted)),
      not_negative(number_column("hours_delivered", &grant_rows::hours_delivered)));
};

/// One row per contact: 15 bytes.
struct contact_rows {
  /// Course k has rows offsets[k] up to offsets[k + 1] (grouped_by_course).
  std::vector<std::int32_t> offsets = std::vector<std::int32_t>(1, 0);
  std::vector<day_number> date;
  std::vector<std::int32_t> mentor;  ///< code (staff)
  std::vector<std::int8_t> location;
  std::vector<std::int8_t> attendance;
  std::vector<std::int16_t> planned_minutes;
  std::vector<std::int16_t> actual_minutes;
  std::vector<std::uint8_t> billable;
  friend bool operator==(const contact_rows&, const contact_rows&) = default;
};

template <>
struct table_traits<contact_rows> {
  static constexpr std::string_view name = "contacts";
  static constexpr auto columns = std::make_tuple(
      day_column("date", &contact_rows::date),
      code_column("mentor", &contact_rows::mentor, dictionary_kind::staff),
      // Every contact is logged with its place and attendance: a contact without them would be
      // counted in some tables of the summary and not in others.
      never_missing(enum_column<mentorcore::location>("location", &contact_rows::location)),
      never_missing(enum_column<mentorcore::attendance>("attendance", &contact_rows::attendance)),
      not_negative(number_column("planned_minutes", &contact_rows::planned_minutes)),
      not_negative(number_column("actual_minutes", &contact_rows::actual_minutes)),
      flag_column("billable", &contact_rows::billable));
};

/// One row per start in work or education.
struct start_rows {
  /// Course k has rows offsets[k] up to offsets[k + 1] (grouped_by_course).
  std::vector<std::int32_t> offsets = std::vector<std::int32_t>(1, 0);
  std::vector<day_number> start;
  std::vector<std::int8_t> type;
  std::vector<day_number> end;  ///< missing while ongoing
  std::vector<std::int8_t> end_cause;
  std::vector<std::uint8_t> superseded;  ///< a later start took over from it
  friend bool operator==(const start_rows&, const start_rows&) = default;
};

template <>
struct table_traits<start_rows> {
  static constexpr std::string_view name = "starts";
  static constexpr auto columns = std::make_tuple(
      day_column("start", &start_rows::start), enum_column<start_type>("type", &start_rows::type),
      day_column("end", &start_rows::end),
      enum_column<start_end_cause>("end_cause", &start_rows::end_cause),
      flag_column("superseded", &start_rows::superseded));
};

/// One row per status recorded after closure.
struct status_rows {
  /// Course k has rows offsets[k] up to offsets[k + 1] (grouped_by_course).
  std::vector<std::int32_t> offsets = std::vector<std::int32_t>(1, 0);
  std::vector<day_number> date;
  std::vector<std::int8_t> status;
  std::vector<std::int8_t> source;
  std::vector<day_number> closed;  ///< the closure it follows
  std::vector<std::int32_t> days_after_closure;
  friend bool operator==(const status_rows&, const status_rows&) = default;
};

template <>
struct table_traits<status_rows> {
  static constexpr std::string_view name = "statuses";
  static constexpr auto columns = std::make_tuple(
      day_column("date", &status_rows::date),
      enum_column<followup_status>("status", &status_rows::status),
      enum_column<status_source>("source", &status_rows::source),
      day_column("closed", &status_rows::closed),
      not_negative(number_column("days_after_closure", &status_rows::days_after_closure)));
};

/// One row per stage assessment.
struct assessment_rows {
  /// Course k has rows offsets[k] up to offsets[k + 1] (grouped_by_course).
  std::vector<std::int32_t> offsets = std::vector<std::int32_t>(1, 0);
  std::vector<day_number> date;
  std::vector<std::int32_t> behaviour;  ///< code (behaviour)
  std::vector<std::int8_t> stage;
  std::vector<std::int8_t> method;
  std::vector<std::int32_t> assessor;  ///< code (staff)
  friend bool operator==(const assessment_rows&, const assessment_rows&) = default;
};

template <>
struct table_traits<assessment_rows> {
  static constexpr std::string_view name = "assessments";
  static constexpr auto columns = std::make_tuple(
      day_column("date", &assessment_rows::date),
      code_column("behaviour", &assessment_rows::behaviour, dictionary_kind::behaviour),
      enum_column<mentorcore::stage>("stage", &assessment_rows::stage),
      enum_column<assessment_method>("method", &assessment_rows::method),
      code_column("assessor", &assessment_rows::assessor, dictionary_kind::staff));
};

/// Which side of its instrument's cut-off a rating falls on.
enum class cutoff_side : std::uint8_t { non_clinical, clinical };

template <>
struct enum_traits<cutoff_side> {
  static constexpr std::string_view type_name = "cutoff_side";
  static constexpr std::array<std::string_view, 2> names = {"non_clinical", "clinical"};
};

/// One row per rating, scored on its instrument.
struct rating_rows {
  /// Course k has rows offsets[k] up to offsets[k + 1] (grouped_by_course).
  std::vector<std::int32_t> offsets = std::vector<std::int32_t>(1, 0);
  std::vector<day_number> date;
  std::vector<std::int32_t> instrument;  ///< code (instrument)
  std::vector<std::int8_t> rater;
  std::vector<std::int16_t> session;        ///< 1 for the course's first rating of the instrument
  std::vector<float> score;                 ///< the total
  std::vector<std::int8_t> cutoff;          ///< cutoff_side; missing when no cut-off applies
  std::vector<float> change_from_baseline;  ///< NaN for the first rating
  std::vector<std::uint8_t> reliably_improved;  ///< from the baseline, by the reliable-change index
  /// The rating triggered one of its instrument's alert rules (raises_rating_alert), as
  /// course::alerts reports it
  std::vector<std::uint8_t> alert;
};

template <>
struct table_traits<rating_rows> {
  static constexpr std::string_view name = "ratings";
  static constexpr auto columns = std::make_tuple(
      day_column("date", &rating_rows::date),
      code_column("instrument", &rating_rows::instrument, dictionary_kind::instrument),
      enum_column<mentorcore::rater>("rater", &rating_rows::rater),
      number_column("session", &rating_rows::session), number_column("score", &rating_rows::score),
      enum_column<cutoff_side>("cutoff", &rating_rows::cutoff),
      number_column("change_from_baseline", &rating_rows::change_from_baseline),
      flag_column("reliably_improved", &rating_rows::reliably_improved),
      flag_column("alert", &rating_rows::alert));
};

/// One row per goal, as it stands.
struct goal_rows {
  /// Course k has rows offsets[k] up to offsets[k + 1] (grouped_by_course).
  std::vector<std::int32_t> offsets = std::vector<std::int32_t>(1, 0);
  std::vector<std::int32_t> goal;  ///< code
  std::vector<day_number> set_on;
  std::vector<std::int8_t> status;
  std::vector<day_number> status_changed;
  friend bool operator==(const goal_rows&, const goal_rows&) = default;
};

template <>
struct table_traits<goal_rows> {
  static constexpr std::string_view name = "goals";
  static constexpr auto columns =
      std::make_tuple(code_column("goal", &goal_rows::goal, dictionary_kind::goal),
                      day_column("set_on", &goal_rows::set_on),
                      enum_column<goal_status>("status", &goal_rows::status),
                      day_column("status_changed", &goal_rows::status_changed));
};

/// One row per action step, as it stands.
struct step_rows {
  /// Course k has rows offsets[k] up to offsets[k + 1] (grouped_by_course).
  std::vector<std::int32_t> offsets = std::vector<std::int32_t>(1, 0);
  std::vector<std::int32_t> step;  ///< code
  std::vector<std::int32_t> goal;  ///< code
  std::vector<day_number> planned;
  std::vector<day_number> due;
  std::vector<day_number> done;
  std::vector<std::int8_t> done_by;
  friend bool operator==(const step_rows&, const step_rows&) = default;
};

template <>
struct table_traits<step_rows> {
  static constexpr std::string_view name = "steps";
  static constexpr auto columns = std::make_tuple(
      code_column("step", &step_rows::step, dictionary_kind::step),
      code_column("goal", &step_rows::goal, dictionary_kind::goal),
      day_column("planned", &step_rows::planned), day_column("due", &step_rows::due),
      day_column("done", &step_rows::done), enum_column<step_doer>("done_by", &step_rows::done_by));
};

/// One row per independence milestone reached.
struct milestone_rows {
  /// Course k has rows offsets[k] up to offsets[k + 1] (grouped_by_course).
  std::vector<std::int32_t> offsets = std::vector<std::int32_t>(1, 0);
  std::vector<std::int8_t> milestone;
  std::vector<day_number> date;
  std::vector<std::uint8_t> derived;  ///< derived from the history rather than recorded by hand
  friend bool operator==(const milestone_rows&, const milestone_rows&) = default;
};

template <>
struct table_traits<milestone_rows> {
  static constexpr std::string_view name = "milestones";
  static constexpr auto columns = std::make_tuple(
      enum_column<mentorcore::milestone>("milestone", &milestone_rows::milestone),
      day_column("date", &milestone_rows::date), flag_column("derived", &milestone_rows::derived));
};

/// One row per handover, with its measures.
struct handover_rows {
  /// Course k has rows offsets[k] up to offsets[k + 1] (grouped_by_course).
  std::vector<std::int32_t> offsets = std::vector<std::int32_t>(1, 0);
  std::vector<std::int32_t> handover;  ///< code
  std::vector<day_number> date;        ///< made on
  std::vector<std::int8_t> type;
  std::vector<std::int8_t> sender_role;
  std::vector<std::int8_t> receiver_role;
  std::vector<std::int8_t> state;
  std::vector<day_number> settled;  ///< acknowledged, rejected or revoked on
  std::vector<std::int32_t> carried;
  std::vector<std::int32_t> withheld;
  std::vector<std::int32_t> dropped;
  std::vector<std::int32_t> days_to_first_contact;  ///< missing_number before a first contact
  std::vector<std::int32_t> no_shows_within_30_days;
  friend bool operator==(const handover_rows&, const handover_rows&) = default;
};

template <>
struct table_traits<handover_rows> {
  static constexpr std::string_view name = "handovers";
  static constexpr auto columns =
      std::make_tuple(code_column("handover", &handover_rows::handover, dictionary_kind::handover),
                      day_column("date", &handover_rows::date),
                      enum_column<handover_type>("type", &handover_rows::type),
                      enum_column<party_role>("sender_role", &handover_rows::sender_role),
                      enum_column<party_role>("receiver_role", &handover_rows::receiver_role),
                      enum_column<handover_state>("state", &handover_rows::state),
                      day_column("settled", &handover_rows::settled),
                      not_negative(number_column("carried", &handover_rows::carried)),
                      not_negative(number_column("withheld", &handover_rows::withheld)),
                      not_negative(number_column("dropped", &handover_rows::dropped)),
                      not_negative(optional_number_column("days_to_first_contact",
                                                          &handover_rows::days_to_first_contact)),
                      not_negative(number_column("no_shows_within_30_days",
                                                 &handover_rows::no_shows_within_30_days)));
};

/// The status after closure at `months` after `closed`: the latest status recorded on or before
/// that day and no more than one Danish month before it (the Jobindsats measure takes the status
/// on that day; an older record does not show it). Nothing when none qualifies.
[[nodiscard]] std::optional<followup_status> status_after(std::span<const followup_record> records,
                                                          const date& closed, int months);

/// The mentor a course is attributed to: the one responsible for the most days. Responsibility
/// passes to a grant's mentor on the grant's start and to the receiver of an acknowledged
/// handover to a mentor on the day it was acknowledged, and ends at the last closure (or, while
/// the course is open, at its last event). Ties go to the mentor who was responsible first.
[[nodiscard]] std::optional<staff_id> attributed_mentor(const course& c);
/// The same, given the course's handovers (as course::handovers() measures them). Throws
/// out_of_range_error (invalid_value_error for a special date) naming `settled_on` when an
/// acknowledged handover to a mentor was settled on no day of 1900-2200.
[[nodiscard]] std::optional<staff_id> attributed_mentor(const course& c,
                                                        std::span<const handover_record> handovers);

/// The provider a course is attributed to: the provider named by the last grant (in the order
/// the grants were made) that names one and started on or before the course's last event.
[[nodiscard]] std::optional<provider_id> attributed_provider(const course& c);

class cohort_builder;
struct cohort_parts;
namespace detail {
class cohort_appender;
}  // namespace detail

/// Every course as column tables. Build it with from_courses (or, for an event log, with the
/// streaming reader in mentorcore::io); a built cohort is immutable.
class cohort {
 public:
  /// Builds a cohort one course at a time (cohort_builder).
  using builder = cohort_builder;

  cohort() = default;

  /// The cohort of `courses`, in their order.
  [[nodiscard]] static cohort from_courses(std::span<const course> courses);

  /// The number of courses.
  [[nodiscard]] std::size_t size() const noexcept { return courses_.course.size(); }

  [[nodiscard]] const course_rows& courses() const noexcept { return courses_; }
  [[nodiscard]] const phase_rows& phases() const noexcept { return phases_; }
  [[nodiscard]] const pause_rows& pauses() const noexcept { return pauses_; }
  [[nodiscard]] const grant_rows& grants() const noexcept { return grants_; }
  [[nodiscard]] const contact_rows& contacts() const noexcept { return contacts_; }
  [[nodiscard]] const start_rows& starts() const noexcept { return starts_; }
  [[nodiscard]] const status_rows& statuses() const noexcept { return statuses_; }
  [[nodiscard]] const assessment_rows& assessments() const noexcept { return assessments_; }
  [[nodiscard]] const rating_rows& ratings() const noexcept { return ratings_; }
  [[nodiscard]] const goal_rows& goals() const noexcept { return goals_; }
  [[nodiscard]] const step_rows& steps() const noexcept { return steps_; }
  [[nodiscard]] const milestone_rows& milestones() const noexcept { return milestones_; }
  [[nodiscard]] const handover_rows& handovers() const noexcept { return handovers_; }

  /// The dictionary a code column refers to.
  [[nodiscard]] const string_dictionary& dictionary(dictionary_kind kind) const noexcept {
    return dictionaries_[static_cast<std::size_t>(kind)];
  }

  /// Calls `visit(table)` for each table, in order (courses first).
  template <class Visitor>
  void for_each_table(Visitor&& visit) const {
    visit_tables(*this, visit);
  }
  template <class Visitor>
  void for_each_table(Visitor&& visit) {
    visit_tables(*this, visit);
  }

  /// The names of the tables, in order.
  [[nodiscard]] static std::vector<std::string_view> table_names();

  /// Bytes held by the tables and the dictionaries.
  [[nodiscard]] std::size_t memory_bytes() const noexcept;

  /// The earliest and latest date of any event (nothing for an empty cohort).
  [[nodiscard]] std::optional<std::pair<date, date>> date_range() const;

  /// The courses whose entry in `keep` (one per course, in row order) is not 0, with all their
  /// rows, in their order. The dictionaries keep only the strings still used, in their order, so
  /// a category of a frame of the selection is one that occurs in it. Throws
  /// invalid_value_error if `keep` does not have one entry per course.
  [[nodiscard]] cohort select(std::span<const std::uint8_t> keep) const;

  /// The same courses in another order: `order[i]` is the row of the course that comes i-th.
  /// Equal, rows and codes, to the cohort built from the courses in that order (each
  /// dictionary numbered again in order of first appearance), so a reader may add courses as
  /// they end and restore the order of the log afterwards. Throws invalid_value_error if
  /// `order` is not a permutation of the rows.
  [[nodiscard]] cohort reordered(std::span<const std::size_t> order) const;

  friend bool operator==(const cohort& a, const cohort& b);
  friend cohort concatenate(std::vector<cohort> parts);

 private:
  friend class cohort_builder;
  friend class detail::cohort_appender;
  // Sets the dictionaries of a cohort made from checked parts (analytics/cohort_parts.hpp).
  friend cohort assemble_cohort(cohort_parts parts);
  // The one list of the tables, for the const and the non-const for_each_table.
  template <class Self, class Visitor>
  static void visit_tables(Self& self, Visitor& visit) {
    visit(self.courses_);
    visit(self.phases_);
    visit(self.pauses_);
    visit(self.grants_);
    visit(self.contacts_);
    visit(self.starts_);
    visit(self.statuses_);
    visit(self.assessments_);
    visit(self.ratings_);
    visit(self.goals_);
    visit(self.steps_);
    visit(self.milestones_);
    visit(self.handovers_);
  }
  std::int32_t code(dictionary_kind kind, std::string_view text) {
    return dictionaries_[static_cast<std::size_t>(kind)].intern(text);
  }
  void append_rows(const course& c);
  void append_relationship_rows(const course& c, std::span<const scored_rating> ratings);
  void append_handover_rows(std::span<const handover_record> records);
  void close_course_rows();

  course_rows courses_;
  phase_rows phases_;
  pause_rows pauses_;
  grant_rows grants_;
  contact_rows contacts_;
  start_rows starts_;
  status_rows statuses_;
  assessment_rows assessments_;
  rating_rows ratings_;
  goal_rows goals_;
  step_rows steps_;
  milestone_rows milestones_;
  handover_rows handovers_;
  std::array<string_dictionary, enum_traits<dictionary_kind>::names.size()> dictionaries_;
};

/// The courses of `parts`, in order, as one cohort: the tables one after the other, the
/// dictionaries merged (each string keeps the first code it gets) and the codes re-coded. Equal
/// to the cohort of all the parts' courses built in one go. Throws invalid_value_error, naming
/// the field "course" and the id, if a course is in two parts.
[[nodiscard]] cohort concatenate(std::vector<cohort> parts);

/// Builds a cohort one course at a time, for readers that produce courses one by one: the rows of
/// a course are added whole or not at all.
class cohort_builder {
 public:
  /// Adds `c`'s rows. Throws invalid_value_error if a course of the same id was added already;
  /// the tables are then unchanged.
  void add(const course& c);
  /// The number of courses added so far.
  [[nodiscard]] std::size_t size() const noexcept { return result_.size(); }
  /// The cohort; the builder is empty afterwards.
  [[nodiscard]] cohort finish();

 private:
  cohort result_;
  // Where each column ended before the course being added: kept from course to course, so that
  // remembering them allocates once, not once a course.
  std::vector<std::size_t> column_sizes_;
};

}  // namespace mentorcore

// The definitions: inline in the header-only model, compiled once into mentorcore::io
// (detail/decl.hpp).
#ifndef MENTORCORE_SEPARATE_COMPILATION
#include "mentorcore/analytics/detail/cohort_combine_impl.hpp"
#include "mentorcore/analytics/detail/cohort_impl.hpp"
#endif
