// One synthetic course's story (see story.hpp). The story draws its plan first (how the course
// ends, its phases, the citizen's traits) and then lives it week by week. The tables it draws
// from are in calibration.hpp; the chances and durations written inline below are calibrated to
// docs/synthetic.md too, so change them together with that page and the bounds in
// tests/python/test_synthetic.py.
//
// This file holds the order, the plan and the weeks of the course; the records kept along the way
// are in story_records.cpp and the handovers in story_handovers.cpp (the class: story_impl.hpp).

#include "story.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "calibration.hpp"
#include "mentorcore/calendar.hpp"
#include "random.hpp"
#include "story_impl.hpp"

namespace mentorcore::detail::synthetic {

// ---- the order ----

void story::make_order() {
  const int span = static_cast<int>((options_.last_order - options_.first_order).days());
  const date ordered = options_.first_order + days(rng_.between(0, span));

  std::array<double, 11> group_weights{};
  for (std::size_t i = 0; i < target_groups.size(); ++i) group_weights[i] = target_groups[i].weight;
  group_ = &target_groups[rng_.weighted(group_weights)];

  int municipality = 0;
  if (options_.municipalities.empty()) {
    std::array<double, 5> weights{};
    for (std::size_t i = 0; i < weights.size(); ++i) weights[i] = default_municipalities[i].weight;
    municipality = default_municipalities[rng_.weighted(weights)].code;
  } else {
    const auto n = static_cast<int>(options_.municipalities.size());
    municipality =
        options_.municipalities[static_cast<std::size_t>(rng_.between(0, n - 1))].value();
  }
  municipality_ = std::to_string(municipality);
  caseworker_ = staff_id("cw-" + municipality_ + "-" + std::to_string(rng_.between(1, 40)));
  const auto& profile = municipality_profile_of(municipality);
  const std::size_t provider = rng_.weighted(profile.provider_weights);
  provider_number_ = profile.provider_weights[provider] > 0 ? static_cast<int>(provider) + 1 : 1;
  const auto& practice = provider_effects[static_cast<std::size_t>(provider_number_ - 1)];
  effect_ = {profile.effect.job_odds * practice.job_odds,
             profile.effect.education_odds * practice.education_odds,
             profile.effect.intensity * practice.intensity,
             profile.effect.warm_odds * practice.warm_odds};
  provider_ = provider_id("lev-" + municipality_ + "-" + std::to_string(provider_number_));
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

std::string story::course_name() const {
  std::string number = std::to_string(index_ + 1);
  if (number.size() < 7) number.insert(0, 7 - number.size(), '0');
  return "C-" + number;
}

citizen_key story::citizen_for_index() const {
  // Shaped like the pseudonymiser's keys: "P-" and 32 letters a-p.
  std::uint64_t state = options_.seed ^ (0xA0761D6478BD642FULL * (index_ + 1));
  std::string key = "P-";
  for (int word = 0; word < 2; ++word) {
    std::uint64_t bits = splitmix64(state);
    for (int i = 0; i < 16; ++i, bits >>= 4U) key += static_cast<char>('a' + (bits & 15U));
  }
  return citizen_key(std::move(key));
}

staff_id story::new_mentor() {
  staff_id next;
  do {
    const int first = (provider_number_ - 1) * mentors_per_provider + 1;
    next = staff_id("m-" + municipality_ + "-" +
                    std::to_string(rng_.between(first, first + mentors_per_provider - 1)));
  } while (next == mentor_);
  return next;
}

// ---- the plan ----

void story::draw_ending() {
  auto weights = ending_weights;
  const auto index = [](closure_reason r) { return static_cast<std::size_t>(r); };
  const double job = group_->job_odds * effect_.job_odds;
  const double education = group_->education_odds * effect_.education_odds;
  weights[index(closure_reason::job)] *= job;
  weights[job_lost_draw] *= job;
  weights[index(closure_reason::education)] *= education;
  weights[education_dropped_draw] *= education;
  weights[index(closure_reason::flex_job)] *= group_->flex_odds;
  if (group_->youth) weights[index(closure_reason::pension)] *= 0.1;
  const std::size_t drawn = rng_.weighted(weights);
  job_lost_ = drawn == job_lost_draw;
  education_dropped_ = drawn == education_dropped_draw;
  outcome_ = job_lost_            ? closure_reason::job
             : education_dropped_ ? closure_reason::education
                                  : static_cast<closure_reason>(drawn);
}

int story::weeks(int lo, int hi) {
  return (rng_.between(lo, hi) + rng_.between(lo, hi) + 1) / 2;
}

std::vector<segment> story::draw_path(bool starts_work) {
  std::vector<segment> path;
  if (rng_.chance(group_->vulnerable ? 0.9 : 0.6))
    path.push_back({phase::pre_employment, weeks(6, 28), "første møde"});
  if (rng_.chance(0.75))
    path.push_back({phase::clarification, weeks(4, 14), "klar til at se på job og uddannelse"});
  const bool trial = starts_work ? rng_.chance(outcome_ == closure_reason::education ? 0.15 : 0.55)
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

void story::truncate(std::vector<segment>& path, int total_weeks) {
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

void story::live() {
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
    const auto b =
        static_cast<std::size_t>(rng_.between(0, static_cast<int>(behaviours.size()) - 1));
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
      start - days(start.day_of_week().as_number() == 0 ? 6 : start.day_of_week().as_number() - 1);

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
      const bool lost = job_lost_ || education_dropped_;
      if (lost) retention_weeks = rng_.between(3, 12);
      live_weeks(monday, retention_weeks - (lost ? 1 : 0), phase::retention);
      if (lost) {
        lose_start(monday);  // on a day of the last week of retention
        live_weeks(monday, 1, phase::retention);
        emit(monday, mentor_,
             phase_changed{phase::clarification,
                           job_lost_ ? "jobbet ophørte" : "uddannelsen blev afbrudt"});
        live_weeks(monday, weeks(6, 16), phase::clarification);
        const auto reason =
            rng_.chance(0.5) ? closure_reason::other_measure : closure_reason::dropped_out;
        close(monday, reason);
        follow_up();
        return;
      }
      close(monday, outcome_);
      if (outcome_ == closure_reason::job && rng_.chance(0.04)) {
        reopen_after_lost_job(monday);
        follow_up();
        return;
      }
      follow_up();
      return;
    }
    case closure_reason::other_measure:
    case closure_reason::pension: {
      const auto outcome = outcome_ == closure_reason::pension
                               ? clarification_outcome::pension
                               : clarification_outcome::other_measure;
      emit(monday, mentor_, clarification_concluded{outcome, "afklaret i samarbejde med borgeren"});
      if (rng_.chance(0.2)) {
        emit(monday, mentor_, phase_changed{phase::retention, "fastholdelse i ny foranstaltning"});
        live_weeks(monday, weeks(4, 12), phase::retention);
      }
      close(monday, outcome_);
      follow_up();
      return;
    }
    case closure_reason::grant_expired: {
      // Runs on in the last phase until a grant ends without an extension.
      expire_ = true;
      while (monday + days(7) <= grant_end_) live_weeks(monday, 1, course_->current_phase());
      close(std::max(grant_end_, now_), closure_reason::grant_expired);
      follow_up();
      return;
    }
    default:  // an early ending: moved, sick, dropped out, deceased, other
      close(monday, outcome_);
      follow_up();
      return;
  }
}

void story::start_work(date on) {
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
  start_type_ = s.type;
  start_on_ = on;
  start_ongoing_ = true;
  emit(on, mentor_, std::move(s));
  emit(on, mentor_, phase_changed{phase::retention, "startet i job eller uddannelse"});
  ladder_ = 3;
  if (!education_ && rng_.chance(0.12)) hand_to_employer_mentor(on);
}

// ---- the end of a start and the follow-up after closure ----

void story::plan_start_end(date on, start_end_cause cause, const staff_id& by) {
  start_end_ = planned_start_end{std::max(on, now_), cause, by};
}

void story::lose_start(date monday) {
  const date on = monday + days(rng_.between(0, 6));  // any day of the week
  if (start_type_ == start_type::education) {
    plan_start_end(on,
                   rng_.chance(0.85) ? start_end_cause::education_dropped : start_end_cause::other,
                   mentor_);
    return;
  }
  auto causes = job_end_causes_in_course;
  if (on > add_months(start_on_, 3)) causes[3] = 0;  // past the trial period
  constexpr std::array<start_end_cause, 5> cause_of = {
      start_end_cause::dismissed, start_end_cause::quit, start_end_cause::contract_ended,
      start_end_cause::trial_period_failed, start_end_cause::other};
  plan_start_end(on, cause_of[rng_.weighted(causes)], mentor_);
}

void story::plan_start_end_after(date closed_on) {
  if (!start_ongoing_ || start_end_) return;
  const date last = add_months(closed_on, course_follow_up_months);
  // Days from closure to the end at a constant monthly hazard (an exponential duration).
  const auto after_hazard = [&](double per_month) {
    const double months = -std::log(1 - rng_.uniform(0, 1)) / per_month;
    return closed_on + days(1 + static_cast<long>(months * 30.44));
  };
  std::optional<planned_start_end> end;
  switch (start_type_) {
    case start_type::education:
      if (rng_.chance(short_education)) {
        end = planned_start_end{start_on_ + days(rng_.between(26 * 7, 52 * 7)),
                                start_end_cause::completed, caseworker_};
      } else {
        end = planned_start_end{
            after_hazard(start_end_hazard_per_month[2]),
            rng_.chance(0.85) ? start_end_cause::education_dropped : start_end_cause::other,
            caseworker_};
      }
      break;
    case start_type::wage_subsidy:
      if (rng_.chance(wage_subsidy_runs_out)) {
        end = planned_start_end{add_months(start_on_, rng_.between(6, 12)) - days(1),
                                start_end_cause::contract_ended, caseworker_};
        break;
      }
      [[fallthrough]];
    case start_type::ordinary_job:
    case start_type::flex_job: {
      const auto type = static_cast<std::size_t>(start_type_);
      constexpr std::array<start_end_cause, 4> cause_of = {
          start_end_cause::dismissed, start_end_cause::quit, start_end_cause::contract_ended,
          start_end_cause::other};
      end = planned_start_end{after_hazard(start_end_hazard_per_month[type]),
                              cause_of[rng_.weighted(job_end_causes_after_closure)], caseworker_};
      break;
    }
  }
  // An end before the closure would have been known in the course: it falls in the month after.
  if (end && end->on <= closed_on) end->on = closed_on + days(rng_.between(1, 30));
  if (end && end->on <= last) start_end_ = end;
}

followup_status story::draw_status(date on, closure_reason reason,
                                   std::optional<followup_status> last) {
  if (start_ongoing_ && (!start_end_ || start_end_->on >= on)) {
    return start_type_ == start_type::education ? followup_status::in_education
                                                : followup_status::in_work;
  }
  if (last && rng_.chance(status_persists)) return *last;
  const bool completed = !start_ongoing_ && !start_lost_ && !course_->starts().empty();
  const auto& weights = start_lost_                               ? status_after_lost_start
                        : completed                               ? status_after_completed_education
                        : reason == closure_reason::pension       ? status_after_pension
                        : reason == closure_reason::other_measure ? status_after_other_measure
                                                                  : status_after_early_ending;
  return static_cast<followup_status>(rng_.weighted(weights));
}

void story::follow_up() {
  const date closed_on = *course_->closed_on();
  const closure_reason reason = *course_->closure();
  if (reason == closure_reason::deceased) return;
  plan_start_end_after(closed_on);
  std::optional<followup_status> last;
  for (const int months : status_months) {
    const date on = add_months(closed_on, months) - days(rng_.between(0, 6));
    if (rng_.chance(status_missing)) continue;
    // A start that ended before this date is recorded first (emit), so the status follows it.
    if (start_end_ && start_end_->on < on) emit_start_end();
    const followup_status status = draw_status(on, reason, last);
    last = status;
    const bool working =
        status == followup_status::in_work || status == followup_status::in_education;
    const auto source = static_cast<status_source>(
        rng_.weighted(working ? status_sources_in_work : status_sources_otherwise));
    emit(on, caseworker_, status_recorded{status, source});
  }
  if (start_end_ && start_end_->on <= add_months(closed_on, course_follow_up_months))
    emit_start_end();
}

void story::close(date on, closure_reason reason) {
  settle_open_handover_before(on);
  paused_weeks_left_ = 0;  // closing ends a pause
  emit(on, caseworker_, course_closed{reason, ""});
}

void story::reopen_after_lost_job(date& monday) {
  const date closed_on = monday;
  monday += days(7L * rng_.between(2, 8));
  // The job ended on any day between the closure and the reopening.
  const date ended =
      closed_on + days(rng_.between(0, static_cast<int>((monday - closed_on).days()) - 1));
  const bool trial = ended <= add_months(start_on_, 3);
  plan_start_end(ended, trial ? start_end_cause::trial_period_failed : start_end_cause::dismissed,
                 caseworker_);
  emit(monday, caseworker_,
       course_reopened{trial ? "jobbet ophørte i prøveperioden" : "jobbet ophørte"});
  if (grant_end_ < monday) make_grant(monday, monday, last_grant_);
  emit(monday + days(1), mentor_, phase_changed{phase::clarification, "nyt jobmål"});
  live_weeks(monday, weeks(6, 12), phase::clarification);
  close(monday, closure_reason::other_measure);
}

void story::live_weeks(date& monday, int count, phase in) {
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

void story::one_week(date monday, phase in) {
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

  if (month > 0 && week_of_course_ % 6 == 0) assess_stages(weekday(monday, rng_.between(0, 4)), in);
  if (goals_.empty() && week_of_course_ == 2) set_goals(weekday(monday, 1));
  if (!goals_.empty() && rng_.chance(0.15)) plan_step(weekday(monday, rng_.between(0, 2)));
  finish_steps(monday, month);
  learn(monday);
  meet(monday, in);
  // A change of mentor comes after the week's meetings, so that the new mentor's come after it.
  maybe_change_mentor(monday, in);
}

void story::meet(date monday, phase in) {
  // Contacts: the week's granted hours, as one to three meetings; retention needs fewer.
  if (skip_weeks_ > 0) {
    --skip_weeks_;
    return;
  }
  if (rng_.chance(0.08)) return;  // holidays, a busy week
  // The provider's and the municipality's intensity scale the minutes and the check-ins.
  const double budget = hours_ * 60 * (in == phase::retention ? 0.6 : 1.0) * effect_.intensity;
  int meetings = budget <= 45    ? (rng_.chance(0.5) ? 1 : 0)
                 : budget <= 75  ? 1
                 : budget <= 100 ? rng_.between(1, 2)
                 : budget <= 150 ? 2
                                 : 3;
  int day = rng_.between(0, 1);
  for (int m = 0; m < meetings && day <= 4; ++m, day += rng_.between(1, 2)) {
    contact(weekday(monday, day), in, static_cast<int>(budget / meetings));
  }
  if (rng_.chance(std::min(0.3 * effect_.intensity, 0.6))) {  // a short check-in between meetings
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

location story::where(phase in) {
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

void story::contact(date on, phase in, int minutes) {
  contact_logged c;
  c.mentor = mentor_;
  c.where = where(in);
  const bool remote = !in_person(c.where);
  c.planned_minutes = remote ? rng_.between(2, 6) * 5 : std::clamp(minutes - minutes % 15, 30, 120);
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

course tell_story(const synthetic_options& options, std::size_t index,
                  const std::shared_ptr<const reference_data>& reference) {
  return story(options, index, reference).run();
}

}  // namespace mentorcore::detail::synthetic
