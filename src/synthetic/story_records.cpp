// One synthetic course's story (story.cpp): the records kept along the way: ratings and stages,
// goals, steps and knowledge, grants and consent. The chances written inline are calibrated to
// docs/synthetic.md, as in story.cpp.

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "calibration.hpp"
#include "random.hpp"
#include "story_impl.hpp"

namespace mentorcore::detail::synthetic {

// ---- ratings and stages ----

std::vector<double> story::answers(double total, double spread, double lo, double hi) {
  std::vector<double> items(4);
  for (auto& item : items) item = clamp_round(total / 4 + rng_.normal(0, spread), lo, hi, 0.1);
  return items;
}

void story::rate(date on) {
  next_rating_ = on + days(rng_.between(21, 35));
  wellbeing_ = std::clamp(wellbeing_ + rng_.normal(0.8, 2.5), 2.0, 38.0);
  const std::optional<std::string> band = group_->code == "unge_under_18"
                                              ? std::optional<std::string>("adolescent")
                                              : std::optional<std::string>("adult");
  emit(on, mentor_,
       rating_recorded{"outcome_scale", answers(wellbeing_, 0.8, 0, 10), rater::citizen, band});
  double session = alliance_ + rng_.normal(0, 0.6);
  rupture_ = rng_.chance(0.05);
  if (rupture_) session -= rng_.uniform(4, 10);  // a rupture in the alliance
  emit(
      on, mentor_,
      rating_recorded{"session_scale", answers(session, 0.4, 0, 10), rater::citizen, std::nullopt});
  if (rng_.chance(0.25)) {  // mentors see more benefit than citizens do (VIVE 2015)
    emit(
        on, mentor_,
        rating_recorded{"outcome_scale", answers(wellbeing_ + 5, 0.6, 0, 10), rater::mentor, band});
  }
}

void story::assess_stages(date on, phase in) {
  // Movement depends on the stage, the behaviour, the phase and the relationship: a stronger
  // alliance moves people forward and holds off relapse; a recent rupture does the opposite.
  const double alliance = std::exp(stage_alliance_slope * (alliance_ - stage_alliance_centre));
  const double at_work =
      in == phase::work_trial || in == phase::retention ? stage_forward_at_work : 1.0;
  const double rupture = rupture_ ? stage_rupture_relapse : 1.0;
  rupture_ = false;
  for (std::size_t b = 0; b < behaviour_.size(); ++b) {
    int& s = stage_[b];
    const auto from = static_cast<std::size_t>(s);
    const double back = std::min(stage_relapse[from] * rupture / alliance, 0.5);
    const double forward =
        std::min(stage_forward[from] * behaviour_ease[behaviour_[b]] * at_work * alliance / rupture,
                 1 - back);
    const double x = rng_.uniform(0, 1);
    if (x < back)
      --s;  // relapse: a movement back, not an error
    else if (x > 1 - forward)
      ++s;
    stage_assessed a;
    a.behaviour = std::string(behaviours[behaviour_[b]]);
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

void story::set_goals(date on) {
  for (int g = rng_.between(1, 3); g > 0; --g) {
    // Appended rather than "G" + std::to_string(...): GCC 12 at -O3 warns (-Wrestrict, a false
    // positive) on a literal prepended to a temporary string.
    std::string name = "G";
    name += std::to_string(goals_.size() + 1);
    goal_id id(std::move(name));
    emit(on, mentor_, goal_set{id, std::string(rng_.pick(goal_texts))});
    goals_.push_back(id);
    goal_active_.push_back(true);
  }
}

void story::plan_step(date on) {
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

void story::finish_steps(date monday, int month) {
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
      emit(
          weekday(monday, 4), mentor_,
          goal_updated{goals_[g], rng_.chance(0.7) ? goal_status::achieved : goal_status::abandoned,
                       std::nullopt});
    }
  }
}

void story::record_knowledge(date on, const staff_id& by) {
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

void story::learn(date monday) {
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

void story::make_grant(date made_on, date start, std::optional<grant_id> predecessor) {
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
  g.provider = provider_;
  grant_end_ = g.end;
  last_grant_ = g.grant;
  emit(std::min(made_on, start), caseworker_, std::move(g));
}

void story::extend_grant_if_due(date monday) {
  if (monday + days(14) < grant_end_ || expire_) return;
  if (course_->current_phase() == phase::retention && hours_ > 1) hours_ = 1;
  make_grant(std::max(grant_end_ - days(rng_.between(3, 12)), now_), grant_end_ + days(1),
             last_grant_);
}

void story::give_consent(date on) {
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
  if (rng_.chance(0.4)) c.valid_to = add_months(on, consent_valid_months);
  c.form = static_cast<consent_form>(rng_.weighted(std::array<double, 3>{60, 15, 25}));
  consent_given_ = true;
  emit(on, caseworker_, std::move(c));
}

}  // namespace mentorcore::detail::synthetic
