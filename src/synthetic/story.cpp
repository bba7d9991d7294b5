// One synthetic course's story (see story.hpp). The story draws its plan first (how the course
// ends, its phases, the citizen's traits) and then lives it week by week. The tables it draws
// from are in calibration.hpp; the chances and durations written inline below are calibrated to
// docs/synthetic.md too, so change them together with that page and the bounds in
// tests/python/test_synthetic.py.

#include "story.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "calibration.hpp"
#include "mentorcore/calendar.hpp"
#include "random.hpp"

namespace mentorcore::detail::synthetic {

namespace {

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
    if (on > observation_) throw observation_reached{};
    course_->append(event{on, by, std::move(payload)});
    now_ = on;
  }

  /// A weekday of the week starting `monday` (0 = Monday), moved past holidays.
  [[nodiscard]] static date weekday(date monday, int day) {
    return roll_forward(monday + days(day));
  }

  // ---- the order ----

  void make_order() {
    const int span = static_cast<int>((options_.last_order - options_.first_order).days());
    const date ordered = options_.first_order + days(rng_.between(0, span));

    std::array<double, 11> group_weights{};
    for (std::size_t i = 0; i < target_groups.size(); ++i)
      group_weights[i] = target_groups[i].weight;
    group_ = &target_groups[rng_.weighted(group_weights)];

    int municipality = 0;
    if (options_.municipalities.empty()) {
      std::array<double, 5> weights{};
      for (std::size_t i = 0; i < weights.size(); ++i)
        weights[i] = default_municipalities[i].weight;
      municipality = default_municipalities[rng_.weighted(weights)].code;
    } else {
      const auto n = static_cast<int>(options_.municipalities.size());
      municipality =
          options_.municipalities[static_cast<std::size_t>(rng_.between(0, n - 1))].value();
    }
    municipality_ = std::to_string(municipality);
    caseworker_ = staff_id("cw-" + municipality_ + "-" + std::to_string(rng_.between(1, 40)));
    mentor_ = new_mentor();

    course_ordered o;
    o.course = course_id(course_name());
    o.citizen = citizen_for_index();
    o.municipality = municipality_code(municipality);
    o.target_group = std::string(group_->code);
    if (!group_->assessment.empty()) o.assessment_category = std::string(group_->assessment);
    o.caseworker = caseworker_;
    o.retention_min_months = 3;
    o.retention_max_months = 6;
    course_.emplace(event{ordered, caseworker_, std::move(o)}, reference_);
    now_ = ordered;
  }

  /// "C-" and the course's number (index + 1), at least 7 digits: "C-0000001".
  [[nodiscard]] std::string course_name() const {
    std::string number = std::to_string(index_ + 1);
    if (number.size() < 7) number.insert(0, 7 - number.size(), '0');
    return "C-" + number;
  }

  [[nodiscard]] citizen_key citizen_for_index() const {
    // Shaped like the pseudonymiser's keys: "P-" and 32 letters a-p.
    std::uint64_t state = options_.seed ^ (0xA0761D6478BD642FULL * (index_ + 1));
    std::string key = "P-";
    for (int word = 0; word < 2; ++word) {
      std::uint64_t bits = splitmix64(state);
      for (int i = 0; i < 16; ++i, bits >>= 4U) key += static_cast<char>('a' + (bits & 15U));
    }
    return citizen_key(std::move(key));
  }

  staff_id new_mentor() {
    staff_id next;
    do {
      next = staff_id("m-" + municipality_ + "-" + std::to_string(rng_.between(1, 60)));
    } while (next == mentor_);
    return next;
  }

  // ---- the plan ----

  /// Sets outcome_ and job_lost_ (a lost job is planned as a job that ends early).
  void draw_ending() {
    auto weights = ending_weights;
    const auto index = [](closure_reason r) { return static_cast<std::size_t>(r); };
    weights[index(closure_reason::job)] *= group_->job_odds;
    weights[job_lost_draw] *= group_->job_odds;
    weights[index(closure_reason::education)] *= group_->education_odds;
    weights[index(closure_reason::flex_job)] *= group_->flex_odds;
    if (group_->youth) weights[index(closure_reason::pension)] *= 0.1;
    const std::size_t drawn = rng_.weighted(weights);
    job_lost_ = drawn == job_lost_draw;
    outcome_ = job_lost_ ? closure_reason::job : static_cast<closure_reason>(drawn);
  }

  int weeks(int lo, int hi) { return (rng_.between(lo, hi) + rng_.between(lo, hi) + 1) / 2; }

  std::vector<segment> draw_path(bool starts_work) {
    std::vector<segment> path;
    if (rng_.chance(group_->vulnerable ? 0.9 : 0.6))
      path.push_back({phase::pre_employment, weeks(6, 28), "første møde"});
    if (rng_.chance(0.75))
      path.push_back({phase::clarification, weeks(4, 14), "klar til at se på job og uddannelse"});
    const bool trial = starts_work
                           ? rng_.chance(outcome_ == closure_reason::education ? 0.15 : 0.55)
                           : rng_.chance(0.3);
    if (trial) {
      path.push_back({phase::work_trial, weeks(4, 13), "praktik aftalt"});
      if (rng_.chance(0.15)) {  // a failed trial goes back to clarification, then a new trial
        path.push_back({phase::clarification, weeks(3, 8), "praktikken blev afbrudt"});
        path.push_back({phase::work_trial, weeks(4, 10), "ny praktik"});
      }
    }
    if (path.empty()) path.push_back({phase::pre_employment, weeks(2, 6), "kort forløb mod job"});
    return path;
  }

  static void truncate(std::vector<segment>& path, int total_weeks) {
    for (std::size_t s = 0; s < path.size(); ++s) {
      if (total_weeks <= path[s].weeks) {
        path[s].weeks = std::max(total_weeks, 1);
        path.resize(s + 1);
        return;
      }
      total_weeks -= path[s].weeks;
    }
  }

  // ---- living the course ----

  void live() {
    draw_ending();
    const bool starts_work = outcome_ == closure_reason::job ||
                             outcome_ == closure_reason::flex_job ||
                             outcome_ == closure_reason::education;
    auto path = draw_path(starts_work);
    if (!starts_work && outcome_ != closure_reason::other_measure &&
        outcome_ != closure_reason::pension && outcome_ != closure_reason::grant_expired) {
      truncate(path, weeks(4, 44));  // an early ending: moved, sick, dropped out, ...
    }
    fit_ = rng_.chance(0.5);
    motivational_ = rng_.chance(0.4);
    ladder_ = group_->vulnerable ? 0 : 1;
    no_show_propensity_ = std::clamp(rng_.normal(0.09, 0.05), 0.01, 0.35);
    ruler_min_ = rng_.chance(0.15) ? 1 : 0;
    hours_ = std::array<double, 5>{1.0, 1.5, 2.0, 3.0,
                                   0.5}[rng_.weighted(std::array<double, 5>{35, 22, 35, 4, 4})];
    wellbeing_ = std::clamp(rng_.normal(19, 6), 4.0, 34.0);
    alliance_ = std::clamp(rng_.normal(38.3, 0.9), 35.0, 40.0);
    const int n_behaviours = rng_.between(1, 3);
    for (int i = 0; i < n_behaviours; ++i) {
      const std::string_view b = rng_.pick(behaviours);
      if (std::find(behaviour_.begin(), behaviour_.end(), b) != behaviour_.end()) continue;
      behaviour_.push_back(b);
      stage_.push_back(static_cast<int>(rng_.weighted(std::array<double, 4>{30, 40, 25, 5})));
    }
    knowledge_target_ = rng_.between(3, 14);

    // Before the start: knowledge from the caseworker, the grant, consent, maybe a handover.
    if (rng_.chance(0.5)) {
      for (int i = rng_.between(1, 2); i > 0; --i)
        record_knowledge(now_ + days(rng_.between(0, 3)), caseworker_);
    }
    const date start = roll_forward(now_ + days(rng_.between(7, 21)));
    make_grant(now_ + days(rng_.between(1, 6)), start, std::nullopt);
    if (rng_.chance(0.9)) give_consent(start - days(rng_.between(0, 5)));
    if (rng_.chance(0.55)) {
      make_handover(start - days(rng_.between(0, 3)), caseworker_, party_role::caseworker, mentor_,
                    party_role::mentor, "overdragelse");
    }

    emit(start, mentor_, phase_changed{path.front().which, std::string(path.front().reason)});
    date monday =
        start -
        days(start.day_of_week().as_number() == 0 ? 6 : start.day_of_week().as_number() - 1);

    for (std::size_t s = 0; s < path.size(); ++s) {
      if (s > 0) {
        emit(monday, mentor_, phase_changed{path[s].which, std::string(path[s].reason)});
      }
      live_weeks(monday, path[s].weeks, path[s].which);
    }

    const date transition = monday;
    switch (outcome_) {
      case closure_reason::job:
      case closure_reason::flex_job:
      case closure_reason::education: {
        start_work(transition);
        int retention_weeks = weeks(13, 26);
        if (rng_.chance(0.1)) retention_weeks += rng_.between(4, 8);  // longer than planned
        if (job_lost_) retention_weeks = rng_.between(3, 12);
        live_weeks(monday, retention_weeks, phase::retention);
        if (job_lost_) {
          emit(monday, mentor_, phase_changed{phase::clarification, "jobbet ophørte"});
          live_weeks(monday, weeks(6, 16), phase::clarification);
          close(monday,
                rng_.chance(0.5) ? closure_reason::other_measure : closure_reason::dropped_out);
          return;
        }
        close(monday, outcome_);
        if (outcome_ == closure_reason::job && rng_.chance(0.04)) reopen_after_lost_job(monday);
        return;
      }
      case closure_reason::other_measure:
      case closure_reason::pension: {
        const auto outcome = outcome_ == closure_reason::pension
                                 ? clarification_outcome::pension
                                 : clarification_outcome::other_measure;
        emit(monday, mentor_,
             clarification_concluded{outcome, "afklaret i samarbejde med borgeren"});
        if (rng_.chance(0.2)) {
          emit(monday, mentor_,
               phase_changed{phase::retention, "fastholdelse i ny foranstaltning"});
          live_weeks(monday, weeks(4, 12), phase::retention);
        }
        close(monday, outcome_);
        return;
      }
      case closure_reason::grant_expired: {
        // Runs on in the last phase until a grant ends without an extension.
        expire_ = true;
        while (monday + days(7) <= grant_end_) live_weeks(monday, 1, course_->current_phase());
        close(std::max(grant_end_, now_), closure_reason::grant_expired);
        return;
      }
      default:  // an early ending: moved, sick, dropped out, deceased, other
        close(monday, outcome_);
        return;
    }
  }

  void start_work(date on) {
    start_recorded s;
    switch (outcome_) {
      case closure_reason::flex_job:
        s = {start_type::flex_job, std::string(rng_.pick(employers)),
             static_cast<double>(rng_.between(8, 20))};
        break;
      case closure_reason::education:
        s = {start_type::education, std::string(rng_.pick(schools)),
             static_cast<double>(rng_.between(15, 30))};
        break;
      default:
        s = {rng_.chance(0.2) ? start_type::wage_subsidy : start_type::ordinary_job,
             std::string(rng_.pick(employers)), static_cast<double>(rng_.between(10, 37))};
    }
    education_ = s.type == start_type::education;
    emit(on, mentor_, std::move(s));
    emit(on, mentor_, phase_changed{phase::retention, "startet i job eller uddannelse"});
    ladder_ = 3;
    if (!education_ && rng_.chance(0.12)) hand_to_employer_mentor(on);
  }

  void close(date on, closure_reason reason) {
    settle_open_handover_before(on);
    paused_weeks_left_ = 0;  // closing ends a pause
    emit(on, caseworker_, course_closed{reason, ""});
  }

  void reopen_after_lost_job(date& monday) {
    monday += days(7L * rng_.between(2, 8));
    emit(monday, caseworker_, course_reopened{"jobbet ophørte i prøveperioden"});
    if (grant_end_ < monday) make_grant(monday, monday, last_grant_);
    emit(monday + days(1), mentor_, phase_changed{phase::clarification, "nyt jobmål"});
    live_weeks(monday, weeks(6, 12), phase::clarification);
    close(monday, closure_reason::other_measure);
  }

  /// `count` weeks of ordinary course life from `monday`; pauses add weeks (the clock stops).
  void live_weeks(date& monday, int count, phase in) {
    for (int week = 0; week < count; ++week, monday += days(7)) {
      if (paused_weeks_left_ > 0) {
        if (--paused_weeks_left_ == 0)
          emit(monday, mentor_, course_resumed{});
        else {
          ++count;
          continue;
        }
      } else if (count - week >= 3 && rng_.chance(0.006)) {
        const auto reason =
            static_cast<pause_reason>(rng_.weighted(std::array<double, 4>{45, 20, 25, 10}));
        emit(weekday(monday, rng_.between(0, 4)), mentor_, course_paused{reason});
        paused_weeks_left_ = rng_.between(1, 6);
        ++count;
        continue;
      }
      one_week(monday, in);
    }
  }

  void one_week(date monday, phase in) {
    ++week_of_course_;
    const int month = week_of_course_ / 4;
    extend_grant_if_due(monday);
    settle_due_handover(monday + days(6));

    if (week_of_course_ % 4 == 0 && ladder_ < 2 && rng_.chance(0.3)) ++ladder_;
    if (in == phase::work_trial) ladder_ = std::max(ladder_, 3);
    if (ladder_ >= 2 && !own_appointment_recorded_) {
      own_appointment_recorded_ = true;
      emit(weekday(monday, 0), mentor_, milestone_recorded{milestone::first_own_appointment_alone});
    }

    if (month > 0 && week_of_course_ % 6 == 0)
      assess_stages(weekday(monday, rng_.between(0, 4)), in);
    if (goals_.empty() && week_of_course_ == 2) set_goals(weekday(monday, 1));
    if (!goals_.empty() && rng_.chance(0.15)) plan_step(weekday(monday, rng_.between(0, 2)));
    finish_steps(monday, month);
    learn(monday);
    maybe_change_mentor(monday, in);

    // Contacts: the week's granted hours, as one to three meetings; retention needs fewer.
    if (skip_weeks_ > 0) {
      --skip_weeks_;
      return;
    }
    if (rng_.chance(0.08)) return;  // holidays, a busy week
    const double budget = hours_ * 60 * (in == phase::retention ? 0.6 : 1.0);
    int meetings = budget <= 45    ? (rng_.chance(0.5) ? 1 : 0)
                   : budget <= 75  ? 1
                   : budget <= 100 ? rng_.between(1, 2)
                   : budget <= 150 ? 2
                                   : 3;
    int day = rng_.between(0, 1);
    for (int m = 0; m < meetings && day <= 4; ++m, day += rng_.between(1, 2)) {
      contact(weekday(monday, day), in, static_cast<int>(budget / meetings));
    }
    if (rng_.chance(0.3)) {  // a short check-in by phone or text between meetings
      contact_logged c;
      c.mentor = mentor_;
      c.where = rng_.chance(0.6) ? location::phone : location::message;
      c.planned_minutes = 15;
      c.actual_minutes = 15;
      emit(weekday(monday, 4), mentor_, std::move(c));
    }
    if (rng_.chance(0.04))
      emit(weekday(monday, 4), mentor_, success_logged{std::string(rng_.pick(success_texts))});
  }

  location where(phase in) {
    if (in == phase::retention || ladder_ >= 3) {
      if (education_)
        return rng_.chance(0.4) ? location::education_site
                                : rng_.pick(std::array{location::provider_office, location::phone,
                                                       location::message, location::video});
      const std::array<double, 9> w = {3, 22, 45, 0, 5, 2, 13, 4, 6};
      return static_cast<location>(rng_.weighted(w));
    }
    static constexpr std::array<std::array<double, 9>, 3> by_rung = {{
        {70, 8, 0, 0, 10, 6, 4, 1, 1},   // home visits
        {14, 56, 0, 0, 12, 8, 6, 2, 2},  // meets at the office
        {5, 58, 0, 2, 10, 1, 14, 5, 5},  // attends own appointments alone
    }};
    return static_cast<location>(rng_.weighted(by_rung[static_cast<std::size_t>(ladder_)]));
  }

  void contact(date on, phase in, int minutes) {
    contact_logged c;
    c.mentor = mentor_;
    c.where = where(in);
    const bool remote = !in_person(c.where);
    c.planned_minutes =
        remote ? rng_.between(2, 6) * 5 : std::clamp(minutes - minutes % 15, 30, 120);
    const double p_no_show =
        no_show_propensity_ * (remote ? 0.5 : 1.0) * (in == phase::retention ? 0.7 : 1.0);
    const auto index = rng_.weighted(
        std::array<double, 6>{1 - p_no_show - 0.125, p_no_show, 0.05, 0.03, 0.03, 0.015});
    c.attended = static_cast<attendance>(index);
    if (c.attended == attendance::attended) {
      c.actual_minutes = std::max(10, c.planned_minutes + rng_.between(-3, 3) * 5);
      c.billable = !rng_.chance(0.03);
      if (!c.billable)
        c.non_billable = rng_.chance(0.5) ? non_billable_reason::admin : non_billable_reason::other;
    } else {
      c.actual_minutes = 0;
      c.billable = false;
      c.non_billable = c.attended == attendance::cancelled_by_provider
                           ? non_billable_reason::mentor_sick
                           : non_billable_reason::citizen_absent;
    }
    const bool attended = c.attended == attendance::attended;
    const location place = c.where;
    emit(on, mentor_, std::move(c));
    if (!attended) return;
    if (motivational_ && rng_.chance(0.2)) {
      emit(on, mentor_,
           talk_counted{rng_.between(0, 4), rng_.between(0, 3), rng_.between(0, 4),
                        rng_.between(0, 3), rng_.between(0, 2), rng_.between(0, 2),
                        rng_.between(0, 2), rng_.between(0, 5)});
    }
    if (fit_ && place != location::message && on >= next_rating_) rate(on);
  }

  // ---- ratings and stages ----

  std::vector<double> answers(double total, double spread, double lo, double hi) {
    std::vector<double> items(4);
    for (auto& item : items) item = clamp_round(total / 4 + rng_.normal(0, spread), lo, hi, 0.1);
    return items;
  }

  void rate(date on) {
    next_rating_ = on + days(rng_.between(21, 35));
    wellbeing_ = std::clamp(wellbeing_ + rng_.normal(0.8, 2.5), 2.0, 38.0);
    const std::optional<std::string> band = group_->code == "unge_under_18"
                                                ? std::optional<std::string>("adolescent")
                                                : std::optional<std::string>("adult");
    emit(on, mentor_,
         rating_recorded{"outcome_scale", answers(wellbeing_, 0.8, 0, 10), rater::citizen, band});
    double session = alliance_ + rng_.normal(0, 0.6);
    if (rng_.chance(0.05)) session -= rng_.uniform(4, 10);  // a rupture in the alliance
    emit(on, mentor_,
         rating_recorded{"session_scale", answers(session, 0.4, 0, 10), rater::citizen,
                         std::nullopt});
    if (rng_.chance(0.25)) {  // mentors see more benefit than citizens do (VIVE 2015)
      emit(on, mentor_,
           rating_recorded{"outcome_scale", answers(wellbeing_ + 5, 0.6, 0, 10), rater::mentor,
                           band});
    }
  }

  void assess_stages(date on, phase in) {
    const double forward = in == phase::work_trial || in == phase::retention ? 0.4 : 0.3;
    for (std::size_t b = 0; b < behaviour_.size(); ++b) {
      int& s = stage_[b];
      const double x = rng_.uniform(0, 1);
      if (x < 0.12 && s > 0)
        --s;  // relapse: a movement back, not an error
      else if (x > 1 - forward && s < 4)
        ++s;
      stage_assessed a;
      a.behaviour = std::string(behaviour_[b]);
      a.assessed = static_cast<stage>(s);
      a.assessor = mentor_;
      const auto method = rng_.weighted(std::array<double, 3>{60, 32, 8});
      if (method == 1) {
        a.method = assessment_method::ruler;
        a.ruler_min = ruler_min_;
        const auto ruler = [&](double centre) {
          return clamp_round(centre + rng_.normal(0, 1.2), ruler_min_, 10, 1);
        };
        a.importance = ruler(4 + 1.4 * s);
        a.confidence = ruler(2 + 1.6 * s);
        if (rng_.chance(0.5)) a.readiness = ruler(3 + 1.5 * s);
      } else if (method == 2) {
        a.method = assessment_method::urica_32;
        a.score = clamp_round(7.5 + 1.4 * s + rng_.normal(0, 0.9), -2, 14, 0.01);
      }
      emit(on, mentor_, std::move(a));
    }
  }

  // ---- goals, steps, knowledge ----

  void set_goals(date on) {
    for (int g = rng_.between(1, 3); g > 0; --g) {
      goal_id id("G" + std::to_string(goals_.size() + 1));
      emit(on, mentor_, goal_set{id, std::string(rng_.pick(goal_texts))});
      goals_.push_back(id);
      goal_active_.push_back(true);
    }
  }

  void plan_step(date on) {
    std::vector<std::size_t> active;
    for (std::size_t g = 0; g < goals_.size(); ++g) {
      if (goal_active_[g]) active.push_back(g);
    }
    if (active.empty()) return;
    const auto pick =
        active[static_cast<std::size_t>(rng_.between(0, static_cast<int>(active.size()) - 1))];
    step_id id("S" + std::to_string(++steps_planned_));
    std::optional<date> due;
    if (rng_.chance(0.7)) due = on + days(rng_.between(7, 21));
    emit(on, mentor_, step_planned{id, goals_[pick], std::string(rng_.pick(step_texts)), due});
    open_steps_.push_back(std::move(id));
  }

  void finish_steps(date monday, int month) {
    const double alone = std::min(0.8, 0.12 + 0.06 * month);  // more alone as the course goes on
    for (std::size_t i = 0; i < open_steps_.size();) {
      if (!rng_.chance(0.35)) {
        ++i;
        continue;
      }
      const double x = rng_.uniform(0, 1);
      const step_doer by = x < alone                        ? step_doer::citizen_alone
                           : x < alone + (1 - alone) * 0.65 ? step_doer::citizen_with_support
                                                            : step_doer::mentor_on_behalf;
      emit(weekday(monday, 3), mentor_, step_done{open_steps_[i], by});
      open_steps_.erase(open_steps_.begin() + static_cast<std::ptrdiff_t>(i));
    }
    if (week_of_course_ % 13 == 0 && !goals_.empty() && rng_.chance(0.3)) {
      const auto g = static_cast<std::size_t>(rng_.between(0, static_cast<int>(goals_.size()) - 1));
      if (goal_active_[g]) {
        goal_active_[g] = false;
        emit(weekday(monday, 4), mentor_,
             goal_updated{goals_[g],
                          rng_.chance(0.7) ? goal_status::achieved : goal_status::abandoned,
                          std::nullopt});
      }
    }
  }

  void record_knowledge(date on, const staff_id& by) {
    const auto& source = knowledge_sources[rng_.weighted(knowledge_source_weights)];
    knowledge_recorded k;
    k.item = knowledge_id("K" + std::to_string(knowledge_.size() + 1));
    k.category = std::string(source.category);
    k.text = std::string(rng_.pick(source.texts));
    k.data = static_cast<data_category>(rng_.weighted(source.data_weights));
    const auto basis = rng_.weighted(std::array<double, 3>{75, 10, 15});
    k.basis = static_cast<sharing_basis>(basis);
    k.basis_reference = basis == 0   ? "C1"
                        : basis == 1 ? "forvaltningsloven § 28, stk. 2"
                                     : "mentorstøtte efter LAB kapitel 26";
    knowledge_.push_back({k.item, false});
    emit(on, by, std::move(k));
  }

  void learn(date monday) {
    const bool early = week_of_course_ <= 12;
    if (static_cast<int>(knowledge_.size()) < knowledge_target_ && rng_.chance(early ? 0.4 : 0.05))
      record_knowledge(weekday(monday, 2), mentor_);
    if (!knowledge_.empty() && rng_.chance(0.02)) {
      auto& item = knowledge_[static_cast<std::size_t>(
          rng_.between(0, static_cast<int>(knowledge_.size()) - 1))];
      if (!item.retired) {
        if (rng_.chance(0.7)) {
          knowledge_revised r;
          r.item = item.id;
          if (rng_.chance(0.5))
            r.text = "Opdateret efter samtale";
          else
            r.data = data_category::confidential;
          emit(weekday(monday, 2), mentor_, std::move(r));
        } else {
          item.retired = true;
          emit(weekday(monday, 2), mentor_, knowledge_retired{item.id, "gælder ikke længere"});
        }
      }
    }
    if (consent_given_ && !consent_withdrawn_ && rng_.chance(0.003)) {
      consent_withdrawn_ = true;
      emit(weekday(monday, 1), caseworker_, consent_withdrawn{consent_id("C1")});
    }
  }

  // ---- grants and consent ----

  void make_grant(date made_on, date start, std::optional<grant_id> predecessor) {
    grant_made g;
    g.grant = grant_id("B" + std::to_string(++grants_));
    g.goal = "Stabil hverdag og et realistisk mål om job eller uddannelse";
    g.mentor = mentor_;
    g.mentor_contact = mentor_.str() + " via udbyderens hovednummer";
    g.tasks = "Ugentlige samtaler, følge til aftaler, støtte i praktik";
    g.hours_per_week = hours_;
    g.start = start;
    g.end = add_months(start, 6) - days(1);
    g.legal_basis = "LAB-167";
    g.predecessor = std::move(predecessor);
    grant_end_ = g.end;
    last_grant_ = g.grant;
    emit(std::min(made_on, start), caseworker_, std::move(g));
  }

  void extend_grant_if_due(date monday) {
    if (monday + days(14) < grant_end_ || expire_) return;
    if (course_->current_phase() == phase::retention && hours_ > 1) hours_ = 1;
    make_grant(std::max(grant_end_ - days(rng_.between(3, 12)), now_), grant_end_ + days(1),
               last_grant_);
  }

  void give_consent(date on) {
    consent_given c;
    c.consent = consent_id("C1");
    c.recipient_role = party_role::mentor;
    c.purposes = {"overdragelse", "koordinering"};
    if (rng_.chance(0.55)) {
      c.data_categories = {data_category::ordinary, data_category::confidential,
                           data_category::health, data_category::criminal,
                           data_category::serious_social_problems};
    } else {  // partial consent: health and the most sensitive categories are left out
      c.data_categories = {data_category::ordinary, data_category::confidential};
      if (rng_.chance(0.4)) c.data_categories.push_back(data_category::health);
    }
    c.valid_from = on;
    if (rng_.chance(0.4)) c.valid_to = add_months(on, 12);
    c.form = static_cast<consent_form>(rng_.weighted(std::array<double, 3>{60, 15, 25}));
    consent_given_ = true;
    emit(on, caseworker_, std::move(c));
  }

  // ---- handovers ----

  void make_handover(date on, const staff_id& from, party_role from_role, const staff_id& to,
                     party_role to_role, std::string_view purpose) {
    const auto type =
        static_cast<handover_type>(rng_.weighted(std::array<double, 4>{25, 35, 25, 15}));
    handover_made h;
    h.handover = handover_id("H" + std::to_string(++handovers_));
    h.from = from;
    h.from_role = from_role;
    h.to = to;
    h.to_role = to_role;
    h.type = type;
    h.planned = type != handover_type::unplanned;
    h.purpose = std::string(purpose);
    h.citizen_severity = static_cast<severity>(
        rng_.weighted(type == handover_type::unplanned ? std::array<double, 3>{40, 40, 20}
                                                       : std::array<double, 3>{60, 30, 10}));
    const double thorough = type == handover_type::warm                 ? 0.9
                            : type == handover_type::verbal_and_written ? 0.75
                            : type == handover_type::written_only       ? 0.55
                                                                        : 0.3;
    h.summary_note = rng_.chance(thorough) ? "Borgeren er i gang og møder stabilt op" : "";
    if (rng_.chance(thorough))
      h.actions.push_back(
          {"Første samtale med ny kontaktperson", "modtager", on + days(rng_.between(3, 10))});
    if (rng_.chance(thorough * 0.7))
      h.actions.push_back({"Opfølgning med sagsbehandler", "mentor", std::nullopt});
    if (rng_.chance(thorough * 0.8))
      h.contingencies.push_back(
          {"to udeblivelser i træk", "hjemmebesøg og besked til sagsbehandler"});
    if (rng_.chance(thorough * 0.6))
      h.commitments.emplace_back("Mentor følger med til første møde på arbejdspladsen");
    if (rng_.chance(thorough * 0.6))
      h.open_appointments.push_back({on + days(rng_.between(2, 20)), "Lægetid"});
    const double drop = type == handover_type::warm                 ? 0.05
                        : type == handover_type::verbal_and_written ? 0.15
                        : type == handover_type::written_only       ? 0.35
                                                                    : 0.5;
    for (const auto& item : knowledge_) {
      if (!item.retired && !rng_.chance(drop)) h.knowledge_items.push_back(item.id);
    }
    emit(on, from, std::move(h));

    pending_ = pending_handover{};
    pending_->id = handover_id("H" + std::to_string(handovers_));
    pending_->from = from;
    pending_->to = to;
    pending_->to_role = to_role;
    const double late = type == handover_type::written_only ? 0.25
                        : type == handover_type::unplanned  ? 0.3
                                                            : 0.1;
    const double x = rng_.uniform(0, 1);
    pending_->outcome = x < 0.05   ? handover_state::rejected
                        : x < 0.08 ? handover_state::revoked
                                   : handover_state::acknowledged;
    pending_->due = now_ + days(rng_.chance(late) ? rng_.between(11, 30) : rng_.between(0, 5));
  }

  void settle_due_handover(date week_end) {
    if (!pending_ || pending_->due > week_end) return;
    settle(pending_->due);
  }

  void settle_open_handover_before(date on) {
    if (pending_) settle(std::min(pending_->due, on));
  }

  void settle(date on) {
    auto p = std::move(*pending_);
    pending_.reset();
    switch (p.outcome) {
      case handover_state::acknowledged:
        emit(on, p.to,
             handover_acknowledged{p.id, "Jeg har læst overdragelsen og overtager aftalerne"});
        if (p.to_role == party_role::mentor) {
          mentor_ = p.to;
          if (rng_.chance(0.4))
            skip_weeks_ = rng_.between(1, 2);  // a gap before the new mentor's first contact
        }
        break;
      case handover_state::rejected:
        emit(on, p.to, handover_rejected{p.id, "Mangler oplysninger om aftaler og netværk"});
        break;
      case handover_state::revoked:
        emit(on, p.from, handover_revoked{p.id, "Mentor fortsætter alligevel"});
        break;
      case handover_state::made: break;
    }
  }

  void maybe_change_mentor(date monday, phase in) {
    if (pending_ || in == phase::retention) return;
    if (!rng_.chance(0.012)) return;
    const date on = weekday(monday, rng_.between(0, 4));
    const staff_id next = new_mentor();
    make_handover(on, mentor_, party_role::mentor, next, party_role::mentor, "overdragelse");
  }

  void hand_to_employer_mentor(date on) {
    if (pending_) return;
    const staff_id employer_mentor("em-" + municipality_ + "-" +
                                   std::to_string(rng_.between(1, 200)));
    if (rng_.chance(0.5)) {
      consent_given c;
      c.consent = consent_id("C2");
      c.recipient_role = party_role::employer_mentor;
      c.purposes = {"fastholdelse"};
      c.data_categories = {data_category::ordinary};
      c.valid_from = on;
      c.form = consent_form::written;
      emit(on, caseworker_, std::move(c));
    }
    make_handover(on, mentor_, party_role::mentor, employer_mentor, party_role::employer_mentor,
                  "fastholdelse");
  }

  struct pending_handover {
    handover_id id;
    staff_id from;
    staff_id to;
    party_role to_role = party_role::mentor;
    handover_state outcome = handover_state::acknowledged;
    date due;
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
  staff_id caseworker_;
  staff_id mentor_;
  closure_reason outcome_ = closure_reason::other;  ///< the planned closure
  bool job_lost_ = false;  ///< starts work, loses it in retention, ends otherwise
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
  std::vector<std::string_view> behaviour_;
  std::vector<int> stage_;
  std::vector<goal_id> goals_;
  std::vector<bool> goal_active_;
  std::vector<step_id> open_steps_;
  std::vector<known_item> knowledge_;
  std::optional<pending_handover> pending_;
};

}  // namespace

course tell_story(const synthetic_options& options, std::size_t index,
                  const std::shared_ptr<const reference_data>& reference) {
  return story(options, index, reference).run();
}

}  // namespace mentorcore::detail::synthetic
