#pragma once
/// \file course.hpp
/// A course (forløb) is its history: an ordered list of validated events from which all state
/// derives.

#include <array>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "mentorcore/calendar.hpp"
#include "mentorcore/event.hpp"
#include "mentorcore/handover.hpp"
#include "mentorcore/reference_data.hpp"

namespace mentorcore {

/// How long after a course closes the follow-up runs, in Danish months: the end of a start
/// (start_ended) and the citizen's status (status_recorded) may be recorded on a closed course
/// up to this many months after its closure, so that retention and the Jobindsats status 1, 3, 6
/// and 12 months after a course can be measured (docs/data-model.md).
inline constexpr int course_follow_up_months = 12;

/// When status reports to the municipality fall due.
struct reporting_policy {
  int first_report_working_days = 10;  ///< first report: working days after the course starts
  int report_every_months = 3;         ///< then every this many Danish months from the start
  int final_report_working_days = 10;  ///< final report: working days after closure
  deadline_policy deadlines{};         ///< which days are closed when counting working days
  friend bool operator==(const reporting_policy&, const reporting_policy&) = default;
};

/// A stretch of time in one phase. `end` is the day the next phase began (exclusive).
struct phase_period {
  phase which = phase::referred;
  boost::gregorian::date start;
  std::optional<boost::gregorian::date> end;
  std::string reason;
  friend bool operator==(const phase_period&, const phase_period&) = default;
};

/// A pause. `end` is the day it was resumed (or the course closed), exclusive.
struct pause_period {
  boost::gregorian::date start;
  std::optional<boost::gregorian::date> end;
  pause_reason reason = pause_reason::other;
  friend bool operator==(const pause_period&, const pause_period&) = default;
};

/// Hours granted and delivered under one grant, up to an observation date.
///
/// A grant counts only while the course is open: `hours_granted` covers the days from its start
/// to the earliest of its planned end, the course's closure (a closed stretch between a closure
/// and a reopening does not count) and the observation date. `hours_planned` is the whole
/// planned grant, for comparison.
struct grant_usage {
  grant_id grant;
  std::optional<grant_id> predecessor;
  std::optional<provider_id> provider;
  std::string legal_basis;
  boost::gregorian::date start;
  boost::gregorian::date end;  ///< the planned end (inclusive)
  /// The last day counted: the earliest of `end`, the closure and the observation date (before
  /// `start` when none of the grant is counted)
  boost::gregorian::date counted_to;
  double hours_per_week = 0;
  double hours_planned = 0;    ///< hours_per_week x days from start to end / 7
  double hours_granted = 0;    ///< hours_per_week x open days counted / 7
  double hours_delivered = 0;  ///< actual minutes of billable contacts, start to counted_to / 60
  /// hours_delivered / hours_granted
  [[nodiscard]] double utilisation() const {
    return hours_granted > 0 ? hours_delivered / hours_granted : 0.0;
  }
};

/// Hours granted and delivered in one ISO week.
struct week_usage {
  int iso_year = 0;
  int iso_week = 0;
  boost::gregorian::date monday;
  double hours_granted = 0;
  double hours_delivered = 0;
  /// hours_delivered / hours_granted (0 in a week no grant covers)
  [[nodiscard]] double utilisation() const {
    return hours_granted > 0 ? hours_delivered / hours_granted : 0.0;
  }
};

/// A start in work or education (start_recorded) and its end (start_ended), if recorded.
struct start_period {
  start_type type = start_type::ordinary_job;
  std::string employer_or_institution;
  double hours_per_week = 0;
  boost::gregorian::date start;
  /// The last day, from start_ended, or the day a later start took over (superseded)
  std::optional<boost::gregorian::date> end;
  std::optional<start_end_cause> cause;  ///< from start_ended; none when superseded or ongoing
  /// A later start was recorded while this one was ongoing (a change of job or education): it
  /// ended the day the later one began, and the spell of work or education continued.
  bool superseded = false;
  friend bool operator==(const start_period&, const start_period&) = default;
};

/// The citizen's status on a date after the course closed (status_recorded).
struct followup_record {
  boost::gregorian::date on;
  followup_status status = followup_status::other;
  status_source source = status_source::register_data;
  boost::gregorian::date closed_on;  ///< the closure it follows
  int days_after_closure = 0;
  friend bool operator==(const followup_record&, const followup_record&) = default;
};

/// Contacts at one location, by attendance: numerators with their denominator `contacts`.
struct attendance_counts {
  location where = location::home;
  int contacts = 0;
  std::array<int, enum_traits<attendance>::names.size()> by_attendance{};
  [[nodiscard]] int count(attendance a) const { return by_attendance[static_cast<std::size_t>(a)]; }
};

/// Home visits among attended in-person contacts in one month of the course (month 0 starts
/// on the course's start date; months are Danish months).
struct monthly_home_share {
  int month_of_course = 0;
  int home_visits = 0;
  int in_person_contacts = 0;
};

/// When an independence milestone was reached, and whether it was derived from the history
/// (a contact, a phase change, a recorded start) rather than recorded by hand.
struct milestone_reached {
  milestone which = milestone::first_office_visit;
  boost::gregorian::date on;
  bool derived = false;
};

/// Something in a course that needs attention but breaks no rule.
struct course_warning {
  std::string
      code;  ///< stable: retention_exceeded, retention_shorter_than_planned, no_active_grant
  boost::gregorian::date on;
  std::string message;
};

/// The stages assessed for one target behaviour, in order.
struct stage_trajectory {
  std::string behaviour;
  stage current = stage::precontemplation;
  boost::gregorian::date since;  ///< first assessment of the current stage (since the last move)
  boost::gregorian::date last_assessed;
  int assessments = 0;
  int forward_moves = 0;  ///< assessments later in the stage order than the one before
  int relapses =
      0;  ///< assessments earlier in the stage order than the one before: data, not an error
  /// transitions[from][to] over consecutive assessments (the diagonal counts repeats)
  std::array<std::array<int, 6>, 6> transitions{};
  [[nodiscard]] int days_in_stage(const date& as_of) const {
    return static_cast<int>((as_of - since).days());
  }
};

/// A rating scored on its instrument, with its change from the first (baseline) and the
/// previous rating of the same instrument in the course.
struct scored_rating {
  boost::gregorian::date on;
  std::string instrument;
  rater rated_by = rater::citizen;
  std::optional<std::string> age_band;
  int session = 0;  ///< 1 for the first rating of this instrument in the course
  rating_score score;
  std::optional<rating_change> from_baseline;
  std::optional<rating_change> from_previous;
};

/// How much worse `rating` is than the previous rating of its instrument, in the direction
/// `definition` calls worse (negative when it improved); nothing for the first rating.
[[nodiscard]] std::optional<double> worsening_from_previous(const instrument& definition,
                                                            const scored_rating& rating);

/// Whether `rating`, scored on `definition` as course::ratings() scores it, triggers `rule`, one
/// of the definition's alert rules: below_cutoff when the total is on the problem side of the
/// cut-off; drop_from_previous when it is worse than the previous rating by at least
/// `rule.points`; no_reliable_improvement when it is the rule's `sessions`-th rating and has not
/// reliably improved on the baseline. The one test behind course::alerts' rating alerts and the
/// cohort's ratings.alert flag.
[[nodiscard]] bool triggers_alert(const alert_rule& rule, const instrument& definition,
                                  const scored_rating& rating);

/// Whether `rating` triggers any of `definition`'s alert rules (triggers_alert).
[[nodiscard]] bool raises_rating_alert(const instrument& definition, const scored_rating& rating);

/// A goal in the citizen's plan as it stands.
struct goal_state {
  goal_id id;
  std::string text;
  goal_status status = goal_status::active;
  boost::gregorian::date set_on;
  std::optional<boost::gregorian::date> status_changed_on;
};

/// An action step as it stands.
struct step_state {
  step_id id;
  goal_id goal;
  std::string text;
  boost::gregorian::date planned_on;
  std::optional<boost::gregorian::date> due;
  std::optional<boost::gregorian::date> done_on;
  std::optional<step_doer> done_by;
};

/// Steps done in one month of the course, by who did them: the empowerment measure is
/// done_alone / done().
struct empowerment_month {
  int month_of_course = 0;
  int done_alone = 0;
  int done_with_support = 0;
  int done_by_mentor = 0;
  [[nodiscard]] int done() const { return done_alone + done_with_support + done_by_mentor; }
};

/// A knowledge item as it stands, with when and by whom it was recorded.
struct knowledge_item {
  knowledge_id id;
  std::string category;
  std::string text;
  data_category data = data_category::ordinary;
  sharing_basis basis = sharing_basis::consent;
  std::string basis_reference;
  boost::gregorian::date recorded_on;
  staff_id recorded_by;
  std::optional<boost::gregorian::date> revised_on;
  int revisions = 0;
  std::optional<boost::gregorian::date> retired_on;
  std::string retired_reason;
  friend bool operator==(const knowledge_item&, const knowledge_item&) = default;
};

/// Thresholds for the alerts that are not part of an instrument's definition.
struct alert_policy {
  int no_contact_working_days = 10;  ///< alert when no attended contact for longer than this
  deadline_policy deadlines{};
};

/// An alert derived from the events.
struct course_alert {
  /// stable: below_cutoff, rating_drop, no_reliable_improvement, stage_relapse, no_contact
  std::string code;
  boost::gregorian::date on;
  std::string subject;  ///< the instrument or behaviour concerned (empty for no_contact)
  std::string message;
};

namespace detail {
struct accepted_texts_append;
}  // namespace detail

/// A mentor course. Construct it from its order event, then append events; each is validated
/// against the current state and rejected with rule_violation_error (leaving the course
/// unchanged) if it breaks a rule. Two courses are equal when their histories are equal.
class course {
 public:
  /// A course with the single `order` event (a course_ordered). Codes are checked against
  /// `reference` (the built-in set by default). Texts pass the one text rule, as in append.
  explicit course(event order,
                  std::shared_ptr<const reference_data> reference = reference_data::builtin());

  /// Rebuilds a course from its history, validating each event as it would be live.
  [[nodiscard]] static course replay(
      std::span<const event> events,
      std::shared_ptr<const reference_data> reference = reference_data::builtin());

  /// Validates `e` and appends it. Throws rule_violation_error; the course is then unchanged.
  /// An enum field holding a number that no enumerator has (a cast) is refused so too, naming
  /// the field and the number. Taken by value, so a caller that is done with the event can move
  /// it in. Every text of the event passes detail::accept_free_text first: one that is longer
  /// than max_text_length throws invalid_value_error naming the field, and CPR-shaped numbers
  /// are stored replaced by "[redacted: possible CPR number]" (docs/errors.md).
  void append(event e);

  /// Makes room for a history of `events` events, so that appending up to that many does not
  /// reallocate it (as std::vector::reserve). For readers that know a course's length in advance.
  void reserve(std::size_t events) { events_.reserve(events); }

  /// The course as it stood at the end of `day`: its history up to and including that day.
  /// Throws invalid_value_error if `day` is before the order, out_of_range_error outside
  /// 1900-2200 (the calendar's years, as every event's date and every `as_of` below).
  [[nodiscard]] course as_of(const date& day) const;

  [[nodiscard]] const std::vector<event>& events() const noexcept { return events_; }
  [[nodiscard]] const course_ordered& order() const;
  [[nodiscard]] const course_id& id() const { return order().course; }
  [[nodiscard]] const citizen_key& citizen() const { return order().citizen; }
  [[nodiscard]] const reference_data& reference() const noexcept { return *reference_; }

  // ---- state -------------------------------------------------------------------------
  [[nodiscard]] phase current_phase() const noexcept { return state_.current; }
  [[nodiscard]] date ordered_on() const { return events_.front().date; }
  /// The day the course left `referred` for the first time: the course's start (not a start in
  /// work or education: see first_job_or_education_start).
  [[nodiscard]] std::optional<date> course_started_on() const noexcept { return state_.started_on; }
  /// The former name of course_started_on, kept as an alias.
  [[nodiscard]] std::optional<date> started_on() const noexcept { return course_started_on(); }
  /// The date of the first start in work or education (start_recorded), if any.
  [[nodiscard]] std::optional<date> first_job_or_education_start() const noexcept {
    if (state_.starts.empty()) return std::nullopt;
    return state_.starts.front().start;
  }
  /// The starts in work or education with their ends, in order.
  [[nodiscard]] const std::vector<start_period>& starts() const noexcept { return state_.starts; }
  /// The statuses recorded after closure, in order.
  [[nodiscard]] const std::vector<followup_record>& statuses_after_closure() const noexcept {
    return state_.followups;
  }
  /// The last day the data describes: the day given to as_of for a view made by as_of, else
  /// the date of the last event. The default observation date of every view that depends on one.
  [[nodiscard]] date observed_on() const noexcept {
    return observed_on_.value_or(events_.back().date);
  }
  /// The provider of the grant in force on `day`, if a grant covers it and names its provider.
  [[nodiscard]] std::optional<provider_id> provider_on(const date& day) const;
  /// The last day the course's follow-up runs to: course_follow_up_months after closure (none
  /// while the course is open).
  [[nodiscard]] std::optional<date> follow_up_ends_on() const;
  [[nodiscard]] std::optional<date> closed_on() const noexcept { return state_.closed_on; }
  [[nodiscard]] std::optional<closure_reason> closure() const noexcept { return state_.closure; }
  [[nodiscard]] bool is_paused() const noexcept {
    return !state_.pauses.empty() && !state_.pauses.back().end;
  }
  [[nodiscard]] const std::vector<phase_period>& phases() const noexcept { return state_.phases; }
  [[nodiscard]] const std::vector<pause_period>& pauses() const noexcept { return state_.pauses; }
  /// The grant events, in the order they were made.
  [[nodiscard]] std::vector<const grant_made*> grants() const;
  /// The contact events with their dates.
  [[nodiscard]] std::vector<std::pair<date, const contact_logged*>> contacts() const;

  // ---- derived views -------------------------------------------------------------------
  /// The phase on `day` (after that day's events). Throws if `day` is before the order.
  [[nodiscard]] phase phase_on(const date& day) const;
  /// Days spent in each phase up to and including `as_of`, not counting paused days.
  [[nodiscard]] std::array<int, 6> days_per_phase(const date& as_of) const;
  /// Hours planned, granted (to the earliest of the grant's end, the closure and `as_of`) and
  /// delivered per grant. `as_of` defaults to observed_on().
  [[nodiscard]] std::vector<grant_usage> grant_usage_by_grant(
      std::optional<date> as_of = std::nullopt) const;
  /// Hours granted (while the course is open, up to `as_of`) and delivered per ISO week, over the
  /// weeks from the first grant or contact to the last day counted. `as_of` defaults to
  /// observed_on().
  [[nodiscard]] std::vector<week_usage> usage_by_week(
      std::optional<date> as_of = std::nullopt) const;
  /// Contacts and attendance by location (only locations with contacts).
  [[nodiscard]] std::vector<attendance_counts> attendance_by_location() const;
  /// Home visits among attended in-person contacts, by month of course.
  [[nodiscard]] std::vector<monthly_home_share> home_visit_share_by_month() const;
  /// The independence milestones reached so far, in ladder order.
  [[nodiscard]] std::vector<milestone_reached> milestones() const;
  /// The first report due on or after `as_of` under `policy`, if any is still due.
  [[nodiscard]] std::optional<date> next_report_due(const date& as_of,
                                                    const reporting_policy& policy = {}) const;
  /// Warnings as of `day`.
  [[nodiscard]] std::vector<course_warning> warnings(const date& as_of) const;

  // ---- motivation, relationship, goals, knowledge ----------------------------------------
  /// One trajectory per target behaviour, in the order behaviours were first assessed.
  [[nodiscard]] std::vector<stage_trajectory> stage_trajectories() const;
  /// The stage assessments with their dates.
  [[nodiscard]] std::vector<std::pair<date, const stage_assessed*>> stage_assessments() const;
  /// Every rating scored (only `instrument`'s if given), in order.
  [[nodiscard]] std::vector<scored_rating> ratings(std::string_view instrument = {}) const;
  /// Change-talk counts with their dates.
  [[nodiscard]] std::vector<std::pair<date, const talk_counted*>> talk_counts() const;
  [[nodiscard]] const std::vector<goal_state>& goals() const noexcept { return state_.goals; }
  [[nodiscard]] const std::vector<step_state>& steps() const noexcept { return state_.steps; }
  /// The log of small successes.
  [[nodiscard]] std::vector<std::pair<date, std::string>> successes() const;
  /// Steps done per month of course (Danish months from the start), by who did them.
  [[nodiscard]] std::vector<empowerment_month> empowerment_by_month() const;
  /// The knowledge profile: current items (and retired ones if asked). For the profile as it
  /// stood on a date, call as_of(date).knowledge_profile().
  [[nodiscard]] std::vector<knowledge_item> knowledge_profile(bool include_retired = false) const;
  /// Alerts raised up to `as_of`: instrument alert rules (below_cutoff, rating_drop,
  /// no_reliable_improvement), stage_relapse, and no_contact (no attended contact for more than
  /// the policy's working days, on `as_of`).
  [[nodiscard]] std::vector<course_alert> alerts(const date& as_of,
                                                 const alert_policy& policy = {}) const;

  // ---- consent and handovers --------------------------------------------------------------
  /// The consent records, with their withdrawals.
  [[nodiscard]] const std::vector<consent_record>& consents() const noexcept {
    return state_.consents;
  }
  /// Every handover with its measures (carried, withheld and dropped knowledge, days to the
  /// receiver's first contact, no-shows in the 30 days after, ratings across it).
  [[nodiscard]] std::vector<handover_record> handovers() const;
  /// handovers(), measured against this course's contacts() and ratings() as the caller
  /// already has them: a cohort writes rows from all three, and each is a pass over the history.
  /// Throws invalid_value_error if they cannot be this course's (their counts differ from its).
  [[nodiscard]] std::vector<handover_record> handovers_with(
      const std::vector<std::pair<date, const contact_logged*>>& contacts,
      const std::vector<scored_rating>& ratings) const;
  /// Who is responsible for the course: the ordering caseworker, then the receiver of each
  /// acknowledged handover.
  [[nodiscard]] std::pair<staff_id, party_role> responsible() const;
  /// Acknowledged handovers from one mentor to a different mentor.
  [[nodiscard]] int mentor_changes() const;
  /// The handover rendered for its receiver as Markdown, sections in I-PASS order (severity,
  /// summary assembled from the course on the handover date, action list, situation awareness and
  /// contingencies, the receiver's synthesis). Withheld items appear only as counts by data
  /// category. The text passes through CPR redaction. `handover` is one of handovers(), or a
  /// record like one: an enum no enumerator has, a settled_on missing from a settled handover
  /// (or given for an open one, or before made_on), or a made_on that is not a date or is before
  /// the order throws invalid_value_error naming the member.
  [[nodiscard]] std::string handover_markdown(const handover_record& handover) const;

  friend bool operator==(const course& a, const course& b) { return a.events_ == b.events_; }

 private:
  friend struct detail::accepted_texts_append;
  struct state {
    phase current = phase::referred;
    std::vector<phase_period> phases;
    std::vector<pause_period> pauses;
    std::optional<date> started_on;
    std::optional<date> closed_on;
    std::optional<closure_reason> closure;
    phase phase_before_closure = phase::referred;
    bool retention_basis =
        false;  ///< a start or clarification outcome since retention was last left
    std::vector<std::size_t> grant_events;
    std::vector<std::size_t> contact_events;
    std::vector<start_period> starts;
    std::vector<followup_record> followups;
    std::array<std::optional<date>, 4> recorded_milestones{};
    std::array<std::optional<date>, 4> derived_milestones{};
    std::vector<std::size_t> assessment_events;
    std::vector<std::size_t> rating_events;
    std::vector<std::size_t> talk_events;
    std::vector<std::size_t> success_events;
    std::vector<goal_state> goals;
    std::vector<step_state> steps;
    std::vector<knowledge_item> knowledge;
    std::vector<consent_record> consents;
    struct handover_status {
      std::size_t event_index = 0;
      handover_state state = handover_state::made;
      std::optional<date> settled_on;
      std::string read_back;
      std::string reason;
    };
    std::vector<handover_status> handovers;

    /// Back to the state of a course with no events, every member as declared above, keeping
    /// the lists' memory (a reader that replays one course after another reuses it).
    void clear_keeping_capacity() noexcept {
      const auto empty = [](auto&... lists) { (lists.clear(), ...); };
      empty(phases, pauses, grant_events, contact_events, starts, followups, assessment_events,
            rating_events, talk_events, success_events, goals, steps, knowledge, consents,
            handovers);
      current = phase::referred;
      started_on.reset();
      closed_on.reset();
      closure.reset();
      phase_before_closure = phase::referred;
      retention_basis = false;
      recorded_milestones = {};
      derived_milestones = {};
    }
  };

  course() = default;
  /// append without the text rule, for an event whose texts have passed it. By reference (as
  /// apply): the event is moved from only once it is kept, so it reaches the history from the
  /// reader without a move on each call on the way; a refusal leaves it untouched.
  void append_accepted(event&& e);
  void validate(const event& e) const;
  void apply(event&& e);
  /// Throws rule_violation_error for `e`; `field` names the event's field the rule is about.
  [[noreturn]] void reject(const event& e, const std::string& rule,
                           const std::string& field = {}) const;
  /// Throws rule_violation_error for `e` with `failure`'s message as the rule, naming its field
  /// when it is an invalid_value_error.
  [[noreturn]] void reject(const event& e, const error& failure) const;
  [[nodiscard]] const grant_made* find_grant(const grant_id& id) const;
  /// Rejects `e` unless `code` is a `kind` code valid on `on`.
  void require_code(const event& e, reference_kind kind, const std::string& code, const date& on,
                    const char* field) const;
  /// Rejects `e` when `text` is empty: "<what> is required", naming `field`.
  void require_text(const event& e, const std::string& text, const char* what,
                    const char* field) const;

  // The lifecycle events (detail/course_impl.hpp): check throws via reject.
  void check(const event& e, const course_ordered& o) const;
  void check(const event& e, const grant_made& g) const;
  void check_grant_period(const event& e, const grant_made& g) const;
  void check(const event& e, const phase_changed& p) const;
  void check(const event& e, const start_recorded& s) const;
  void check(const event& e, const contact_logged& c) const;
  void check(const event& e, const milestone_recorded& m) const;
  void check(const event& e, const course_paused& payload) const;
  void check(const event& e, const course_resumed& payload) const;
  void check(const event& e, const course_reopened& r) const;
  void check(const event& e, const start_ended& p) const;
  void check(const event& e, const status_recorded& p) const;
  /// Rejects `e` unless it falls within the follow-up after the course's closure.
  void require_follow_up(const event& e) const;
  /// Hours granted by `g` on the open days in [from, to].
  [[nodiscard]] double granted_hours(const grant_made& g, const date& from, const date& to) const;

  // The relationship events (detail/course_relationship_impl.hpp) and consent and handovers
  // (detail/course_handover_impl.hpp): check throws via reject, record applies.
  void check(const event& e, const stage_assessed& p) const;
  void check(const event& e, const talk_counted& p) const;
  void check(const event& e, const rating_recorded& p) const;
  void check(const event& e, const goal_set& p) const;
  void check(const event& e, const goal_updated& p) const;
  void check(const event& e, const step_planned& p) const;
  void check(const event& e, const step_done& p) const;
  void check(const event& e, const success_logged& p) const;
  void check(const event& e, const knowledge_recorded& p) const;
  void check(const event& e, const knowledge_revised& p) const;
  void check(const event& e, const knowledge_retired& p) const;
  void check(const event& e, const consent_given& p) const;
  void check(const event& e, const consent_withdrawn& p) const;
  void check(const event& e, const handover_made& p) const;
  void check(const event& e, const handover_acknowledged& p) const;
  void check(const event& e, const handover_rejected& p) const;
  void check(const event& e, const handover_revoked& p) const;
  void record_handover_event(const event& e, std::size_t index);
  [[nodiscard]] const state::handover_status* open_handover() const;
  [[nodiscard]] const state::handover_status* find_handover(const handover_id& id) const;
  /// The open handover `id` names; rejects `e` if there is none.
  [[nodiscard]] const handover_made& open_target(const event& e, const handover_id& id) const;
  /// Sorts the knowledge the sender had when the handover was made (`before`: the course up to
  /// the handover event) into h's carried, withheld (no consent covers it) and dropped (not
  /// included) items.
  void sort_handed_knowledge(handover_record& h, const handover_made& made,
                             const course& before) const;
  /// Makes room in the list that record() adds `data` to, so that recording cannot throw.
  void reserve_relationship_state(const event_payload& data);
  void record(const event& e, std::size_t index);

  std::vector<event> events_;
  state state_;
  std::optional<date> observed_on_;  ///< set by as_of
  std::shared_ptr<const reference_data> reference_;
};

}  // namespace mentorcore

// The definitions: inline in the header-only model, compiled once into mentorcore::io
// (detail/decl.hpp).
#ifndef MENTORCORE_SEPARATE_COMPILATION
#include "mentorcore/detail/course_handover_impl.hpp"
#include "mentorcore/detail/course_impl.hpp"
#include "mentorcore/detail/course_relationship_impl.hpp"
#include "mentorcore/detail/course_views_impl.hpp"
#endif
