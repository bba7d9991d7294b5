#pragma once
// The class behind one synthetic course's story (story.hpp), shared by the files that define its
// members: story.cpp (the order, the plan and the weeks of the course), story_records.cpp
// (ratings, stages, goals, steps, knowledge, grants and consent) and story_handovers.cpp.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "calibration.hpp"
#include "mentorcore/calendar.hpp"
#include "random.hpp"
#include "story.hpp"

namespace mentorcore::detail::synthetic {

using boost::gregorian::days;

/// Thrown inside a story when an event falls after the observation date; ends the story.
struct observation_reached {};

struct segment {
  phase which = phase::pre_employment;
  int weeks = 0;
  std::string_view reason;  // for the phase change into it
};

class story {
 public:
  story(const synthetic_options& options, std::size_t index,
        std::shared_ptr<const reference_data> reference)
      : options_(options),
        index_(index),
        rng_(course_seed(options.seed, index)),
        observation_(options.observation_date()),
        reference_(std::move(reference)) {}

  course run() {
    make_order();
    try {
      live();
    } catch (const observation_reached&) {
      // Censored: the course goes on after the observation date.
    }
    return std::move(*course_);
  }

 private:
  // ---- emitting ----

  void emit(date on, const staff_id& by, event_payload payload) {
    if (on < now_) on = now_;
    // A start's end is planned ahead (plan_start_end); it is recorded in date order, before the
    // first event after it.
    if (start_end_ && on > start_end_->on) emit_start_end();
    if (on > observation_) throw observation_reached{};
    course_->append(event{on, by, std::move(payload)});
    now_ = on;
  }

  void emit_start_end() {
    const auto end = *start_end_;
    start_end_.reset();
    start_ongoing_ = false;
    start_lost_ = end.cause != start_end_cause::completed;
    emit(end.on, end.by, start_ended{end.cause, ""});
  }

  /// A weekday of the week starting `monday` (0 = Monday), moved past holidays.
  [[nodiscard]] static date weekday(date monday, int day) {
    return roll_forward(monday + days(day));
  }

  // ---- the order ----

  void make_order();

  /// "C-" and the course's number (index + 1), at least 7 digits: "C-0000001".
  [[nodiscard]] std::string course_name() const;

  [[nodiscard]] citizen_key citizen_for_index() const;

  staff_id new_mentor();

  // ---- the plan ----

  /// Sets outcome_ and job_lost_ (a lost job is planned as a job that ends early).
  void draw_ending();

  int weeks(int lo, int hi);

  std::vector<segment> draw_path(bool starts_work);

  static void truncate(std::vector<segment>& path, int total_weeks);

  // ---- living the course ----

  void live();

  void start_work(date on);

  /// Plans the end of the ongoing start on `on` (recorded in date order by emit).
  void plan_start_end(date on, start_end_cause cause, const staff_id& by);

  /// A job or education lost during retention: it ends on a day of the week from `monday`.
  void lose_start(date monday);

  /// Plans when a start still going at closure `closed_on` ends, if it does in the follow-up.
  void plan_start_end_after(date closed_on);

  void close(date on, closure_reason reason);

  /// After the course's final closure: the statuses 1, 3, 6 and 12 months after it, and the
  /// start's end if it falls in the follow-up.
  void follow_up();

  followup_status draw_status(date on, closure_reason reason, std::optional<followup_status> last);

  void reopen_after_lost_job(date& monday);

  /// `count` weeks of ordinary course life from `monday`; pauses add weeks (the clock stops).
  void live_weeks(date& monday, int count, phase in);

  void one_week(date monday, phase in);

  /// The week's meetings and check-ins.
  void meet(date monday, phase in);

  location where(phase in);

  void contact(date on, phase in, int minutes);

  // ---- ratings and stages ----

  std::vector<double> answers(double total, double spread, double lo, double hi);

  void rate(date on);

  void assess_stages(date on, phase in);

  // ---- goals, steps, knowledge ----

  void set_goals(date on);

  void plan_step(date on);

  void finish_steps(date monday, int month);

  void record_knowledge(date on, const staff_id& by);

  void learn(date monday);

  // ---- grants and consent ----

  void make_grant(date made_on, date start, std::optional<grant_id> predecessor);

  void extend_grant_if_due(date monday);

  void give_consent(date on);

  // ---- handovers ----

  void make_handover(date on, const staff_id& from, party_role from_role, const staff_id& to,
                     party_role to_role, std::string_view purpose);

  void settle_due_handover(date week_end);

  void settle_open_handover_before(date on);

  void settle(date on);

  void maybe_change_mentor(date monday, phase in);

  void hand_to_employer_mentor(date on);

  struct planned_start_end {
    date on;
    start_end_cause cause = start_end_cause::other;
    staff_id by;
  };

  struct pending_handover {
    handover_id id;
    staff_id from;
    staff_id to;
    party_role to_role = party_role::mentor;
    handover_state outcome = handover_state::acknowledged;
    date due;
    bool joint = false;  ///< a warm handover between mentors: they met the citizen together
  };
  struct known_item {
    knowledge_id id;
    bool retired = false;
  };

  const synthetic_options& options_;
  std::size_t index_;
  random_source rng_;
  date observation_;
  std::shared_ptr<const reference_data> reference_;
  std::optional<course> course_;
  date now_;

  const target_group_profile* group_ = nullptr;
  std::string municipality_;
  practice_effect effect_{1, 1, 1, 1};  ///< the municipality's times the provider's
  provider_id provider_;
  int provider_number_ = 1;
  staff_id caseworker_;
  staff_id mentor_;
  closure_reason outcome_ = closure_reason::other;  ///< the planned closure
  bool job_lost_ = false;           ///< starts work, loses it in retention, ends otherwise
  bool education_dropped_ = false;  ///< starts an education, drops it in retention, same
  bool start_ongoing_ = false;
  bool start_lost_ = false;  ///< the last start ended other than by completion
  start_type start_type_ = start_type::ordinary_job;
  date start_on_;
  std::optional<planned_start_end> start_end_;
  bool rupture_ = false;  ///< the last session rating was a rupture in the alliance
  bool fit_ = false;
  bool motivational_ = false;
  bool education_ = false;
  bool expire_ = false;
  bool own_appointment_recorded_ = false;
  bool consent_given_ = false;
  bool consent_withdrawn_ = false;
  int ladder_ = 0;  // 0 home visits, 1 office, 2 own appointments alone, 3 workplace
  int ruler_min_ = 0;
  int week_of_course_ = 0;
  int paused_weeks_left_ = 0;
  int skip_weeks_ = 0;
  int knowledge_target_ = 0;
  int grants_ = 0;
  int handovers_ = 0;
  int steps_planned_ = 0;
  double hours_ = 1;
  double no_show_propensity_ = 0.1;
  double wellbeing_ = 20;
  double alliance_ = 38;
  date grant_end_;
  std::optional<grant_id> last_grant_;
  date next_rating_{1900, 1, 1};
  std::vector<std::size_t> behaviour_;  ///< indices into behaviours
  std::vector<int> stage_;
  std::vector<goal_id> goals_;
  std::vector<bool> goal_active_;
  std::vector<step_id> open_steps_;
  std::vector<known_item> knowledge_;
  std::optional<pending_handover> pending_;
};

}  // namespace mentorcore::detail::synthetic
