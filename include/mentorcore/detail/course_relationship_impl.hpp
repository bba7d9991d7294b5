#pragma once
/// \file detail/course_relationship_impl.hpp
/// Definitions of the course's motivation, relationship, goal and knowledge rules and views.
///
/// Included by the concept header, inline, in the header-only model; compiled once into
/// mentorcore::io by src/model_course.cpp (MENTORCORE_DECL, detail/decl.hpp).

#include <algorithm>
#include <cmath>

#include "mentorcore/course.hpp"
#include "mentorcore/detail/course_support.hpp"
#include "mentorcore/detail/decl.hpp"
#include "mentorcore/detail/format.hpp"
#include "mentorcore/detail/text.hpp"

namespace mentorcore {
namespace detail {

template <class Items, class Id>
MENTORCORE_DECL auto find_by_id(Items& items, const Id& id) -> decltype(&items.front()) {
  for (auto& item : items) {
    if (item.id == id) return &item;
  }
  return nullptr;
}

}  // namespace detail

MENTORCORE_DECL void course::reserve_relationship_state(const event_payload& data) {
  // Only the list that record() adds to for this type: a course whose first relationship event
  // reserved all nine lists made eight allocations it mostly never used.
  auto& s = state_;
  visit(
      [&](const auto& p) {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, stage_assessed>) {
          detail::reserve_one_more(s.assessment_events);
        } else if constexpr (std::is_same_v<P, talk_counted>) {
          detail::reserve_one_more(s.talk_events);
        } else if constexpr (std::is_same_v<P, rating_recorded>) {
          detail::reserve_one_more(s.rating_events);
        } else if constexpr (std::is_same_v<P, success_logged>) {
          detail::reserve_one_more(s.success_events);
        } else if constexpr (std::is_same_v<P, goal_set>) {
          detail::reserve_one_more(s.goals);
        } else if constexpr (std::is_same_v<P, step_planned>) {
          detail::reserve_one_more(s.steps);
        } else if constexpr (std::is_same_v<P, knowledge_recorded>) {
          detail::reserve_one_more(s.knowledge);
        } else if constexpr (std::is_same_v<P, consent_given>) {
          detail::reserve_one_more(s.consents);
        } else if constexpr (std::is_same_v<P, handover_made>) {
          detail::reserve_one_more(s.handovers);
        }
        // The others (goal_updated, step_done, knowledge_revised and _retired,
        // consent_withdrawn, a handover's settling) change an entry in place and add none.
      },
      data);
}

// ---- rules ---------------------------------------------------------------------------------

MENTORCORE_DECL void course::check(const event& e, const stage_assessed& p) const {
  if (p.behaviour.empty() || p.behaviour.size() > 100)
    reject(e, "behaviour: a target behaviour of 1-100 characters is required", "behaviour");
  if (p.assessor.empty()) reject(e, "assessor is required", "assessor");
  if (p.score && !std::isfinite(*p.score)) reject(e, "score must be a finite number", "score");
  // Bounds wide enough for every published method (URICA readiness runs from about -2 to 14,
  // rulers 0-10 or 1-10) and narrow enough that no CPR number fits in a numeric field (#12).
  if (p.score && std::abs(*p.score) > max_stage_score) {
    reject(e,
           "score = " + detail::number_text(*p.score) + ": outside -" +
               std::to_string(max_stage_score) + " to " + std::to_string(max_stage_score),
           "score");
  }
  if (p.ruler_min < 0 || p.ruler_max > max_ruler_value) {
    reject(e,
           "ruler scale " + std::to_string(p.ruler_min) + "-" + std::to_string(p.ruler_max) +
               ": a ruler runs within 0-" + std::to_string(max_ruler_value),
           p.ruler_min < 0 ? "ruler_min" : "ruler_max");
  }
  if (p.ruler_min >= p.ruler_max) {
    reject(e,
           "ruler scale " + std::to_string(p.ruler_min) + "-" + std::to_string(p.ruler_max) +
               ": ruler_min must be below ruler_max",
           "ruler_min");
  }
  for (const auto& [name, value] :
       {std::pair{"importance", p.importance}, std::pair{"confidence", p.confidence},
        std::pair{"readiness", p.readiness}}) {
    if (value && (!std::isfinite(*value) || *value < p.ruler_min || *value > p.ruler_max)) {
      reject(e,
             std::string(name) + " = " + detail::number_text(*value) +
                 ": outside the ruler scale " + std::to_string(p.ruler_min) + "-" +
                 std::to_string(p.ruler_max),
             name);
    }
  }
  if (p.method == assessment_method::ruler && !p.importance && !p.confidence && !p.readiness) {
    reject(e, "a ruler assessment needs importance, confidence or readiness");
  }
}

MENTORCORE_DECL void course::check(const event& e, const talk_counted& p) const {
  for (const auto& [name, count] :
       {std::pair{"desire", p.desire}, std::pair{"ability", p.ability},
        std::pair{"reasons", p.reasons}, std::pair{"need", p.need},
        std::pair{"commitment", p.commitment}, std::pair{"activation", p.activation},
        std::pair{"taking_steps", p.taking_steps}, std::pair{"sustain", p.sustain}}) {
    if (count < 0 || count > 1000)
      reject(e, "talk counts run 0-1000, got " + std::to_string(count), name);
  }
}

MENTORCORE_DECL void course::check(const event& e, const rating_recorded& p) const {
  const auto* definition = reference_->find_instrument(p.instrument);
  if (!definition) {
    reject(e, "instrument = \"" + p.instrument + "\": not defined in the course's reference data",
           "instrument");
  }
  try {
    (void)definition->score(p.answers, p.age_band);
  } catch (const invalid_value_error& failure) {
    reject(e, failure);
  }
}

MENTORCORE_DECL void course::check(const event& e, const goal_set& p) const {
  if (p.goal.empty()) reject(e, "goal (an id) is required", "goal");
  if (detail::find_by_id(state_.goals, p.goal))
    reject(e, "goal " + p.goal.str() + " already exists", "goal");
  if (!detail::text_ok(p.text))
    reject(e,
           "a goal needs text (" + detail::text_length_range() +
               " characters), in the citizen's words",
           "text");
}

MENTORCORE_DECL void course::check(const event& e, const goal_updated& p) const {
  if (!detail::find_by_id(state_.goals, p.goal))
    reject(e, "goal " + p.goal.str() + " does not exist", "goal");
  if (p.text && !detail::text_ok(*p.text))
    reject(e, "a revised goal text has " + detail::text_length_range() + " characters", "text");
}

MENTORCORE_DECL void course::check(const event& e, const step_planned& p) const {
  if (p.step.empty()) reject(e, "step (an id) is required", "step");
  if (detail::find_by_id(state_.steps, p.step))
    reject(e, "step " + p.step.str() + " already exists", "step");
  const auto* goal = detail::find_by_id(state_.goals, p.goal);
  if (!goal) reject(e, "goal " + p.goal.str() + " does not exist", "goal");
  if (goal->status != goal_status::active) {
    reject(e,
           "goal " + p.goal.str() + " is " + std::string(to_string(goal->status)) + ", not active",
           "goal");
  }
  if (!detail::text_ok(p.text))
    reject(e, "a step needs text (" + detail::text_length_range() + " characters)", "text");
  if (p.due) {
    try {
      require_calendar_day(*p.due, "due");
    } catch (const error& failure) {
      reject(e, failure);
    }
  }
}

MENTORCORE_DECL void course::check(const event& e, const step_done& p) const {
  const auto* step = detail::find_by_id(state_.steps, p.step);
  if (!step) reject(e, "step " + p.step.str() + " does not exist", "step");
  if (step->done_on)
    reject(e, "step " + p.step.str() + " was already done on " + to_iso(*step->done_on), "step");
}

MENTORCORE_DECL void course::check(const event& e, const success_logged& p) const {
  if (!detail::text_ok(p.text))
    reject(e, "a success needs text (" + detail::text_length_range() + " characters)", "text");
}

namespace detail {
MENTORCORE_DECL std::string check_basis(sharing_basis basis, const std::string& reference) {
  if ((basis == sharing_basis::consent || basis == sharing_basis::law) && reference.empty()) {
    return std::string("basis_reference is required for sharing_basis ") +
           std::string(to_string(basis)) +
           (basis == sharing_basis::consent ? " (the consent id)" : " (the provision)");
  }
  return {};
}
}  // namespace detail

MENTORCORE_DECL void course::check(const event& e, const knowledge_recorded& p) const {
  if (p.item.empty()) reject(e, "item (an id) is required", "item");
  if (detail::find_by_id(state_.knowledge, p.item))
    reject(e, "knowledge item " + p.item.str() + " already exists", "item");
  try {
    check_knowledge_category(p.category);
  } catch (const invalid_value_error& failure) {
    reject(e, failure);
  }
  if (!detail::text_ok(p.text))
    reject(e, "a knowledge item needs text (" + detail::text_length_range() + " characters)",
           "text");
  if (const auto problem = detail::check_basis(p.basis, p.basis_reference); !problem.empty())
    reject(e, problem, "basis_reference");
}

MENTORCORE_DECL void course::check(const event& e, const knowledge_revised& p) const {
  const auto* item = detail::find_by_id(state_.knowledge, p.item);
  if (!item) reject(e, "knowledge item " + p.item.str() + " does not exist", "item");
  if (item->retired_on)
    reject(e, "knowledge item " + p.item.str() + " was retired on " + to_iso(*item->retired_on),
           "item");
  if (!p.category && !p.text && !p.data && !p.basis && !p.basis_reference) {
    reject(e,
           "a revision changes at least one of category, text, data_category, sharing_basis, "
           "basis_reference");
  }
  if (p.category) {
    try {
      check_knowledge_category(*p.category);
    } catch (const invalid_value_error& failure) {
      reject(e, failure);
    }
  }
  if (p.text && !detail::text_ok(*p.text))
    reject(e, "a revised text has " + detail::text_length_range() + " characters", "text");
  const auto basis = p.basis.value_or(item->basis);
  const auto& reference = p.basis_reference ? *p.basis_reference : item->basis_reference;
  if (const auto problem = detail::check_basis(basis, reference); !problem.empty())
    reject(e, problem, "basis_reference");
}

MENTORCORE_DECL void course::check(const event& e, const knowledge_retired& p) const {
  const auto* item = detail::find_by_id(state_.knowledge, p.item);
  if (!item) reject(e, "knowledge item " + p.item.str() + " does not exist", "item");
  if (item->retired_on)
    reject(
        e,
        "knowledge item " + p.item.str() + " was already retired on " + to_iso(*item->retired_on),
        "item");
  if (p.reason.empty()) reject(e, "a reason for retiring the item is required", "reason");
}

// ---- applying ------------------------------------------------------------------------------

MENTORCORE_DECL void course::record(const event& e, std::size_t index) {
  auto& s = state_;
  visit(
      [&](const auto& p) {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, stage_assessed>) {
          s.assessment_events.push_back(index);
        } else if constexpr (std::is_same_v<P, talk_counted>) {
          s.talk_events.push_back(index);
        } else if constexpr (std::is_same_v<P, rating_recorded>) {
          s.rating_events.push_back(index);
        } else if constexpr (std::is_same_v<P, success_logged>) {
          s.success_events.push_back(index);
        } else if constexpr (std::is_same_v<P, goal_set>) {
          s.goals.push_back(goal_state{p.goal, p.text, goal_status::active, e.date, std::nullopt});
        } else if constexpr (std::is_same_v<P, goal_updated>) {
          auto* goal = detail::find_by_id(s.goals, p.goal);
          if (goal->status != p.status) goal->status_changed_on = e.date;
          goal->status = p.status;
          if (p.text) goal->text = *p.text;
        } else if constexpr (std::is_same_v<P, step_planned>) {
          s.steps.push_back(
              step_state{p.step, p.goal, p.text, e.date, p.due, std::nullopt, std::nullopt});
        } else if constexpr (std::is_same_v<P, step_done>) {
          auto* step = detail::find_by_id(s.steps, p.step);
          step->done_on = e.date;
          step->done_by = p.done_by;
        } else if constexpr (std::is_same_v<P, knowledge_recorded>) {
          knowledge_item item;
          item.id = p.item;
          item.category = p.category;
          item.text = p.text;
          item.data = p.data;
          item.basis = p.basis;
          item.basis_reference = p.basis_reference;
          item.recorded_on = e.date;
          item.recorded_by = e.recorded_by;
          s.knowledge.push_back(std::move(item));
        } else if constexpr (std::is_same_v<P, knowledge_revised>) {
          auto* item = detail::find_by_id(s.knowledge, p.item);
          if (p.category) item->category = *p.category;
          if (p.text) item->text = *p.text;
          if (p.data) item->data = *p.data;
          if (p.basis) item->basis = *p.basis;
          if (p.basis_reference) item->basis_reference = *p.basis_reference;
          item->revised_on = e.date;
          ++item->revisions;
        } else if constexpr (std::is_same_v<P, knowledge_retired>) {
          auto* item = detail::find_by_id(s.knowledge, p.item);
          item->retired_on = e.date;
          item->retired_reason = p.reason;
        } else {
          record_handover_event(e, index);
        }
      },
      e.data);
}

// ---- views ---------------------------------------------------------------------------------

MENTORCORE_DECL std::vector<std::pair<date, const stage_assessed*>> course::stage_assessments()
    const {
  std::vector<std::pair<date, const stage_assessed*>> result;
  result.reserve(state_.assessment_events.size());
  for (const auto index : state_.assessment_events) {
    result.emplace_back(events_[index].date, &get<stage_assessed>(events_[index].data));
  }
  return result;
}

MENTORCORE_DECL std::vector<stage_trajectory> course::stage_trajectories() const {
  std::vector<stage_trajectory> result;
  for (const auto& entry : stage_assessments()) {
    // Not a structured binding: clang 14 cannot capture those in a lambda.
    const date& day = entry.first;
    const stage_assessed* a = entry.second;
    auto it = std::find_if(result.begin(), result.end(),
                           [&](const auto& t) { return t.behaviour == a->behaviour; });
    if (it == result.end()) {
      stage_trajectory fresh;
      fresh.behaviour = a->behaviour;
      fresh.current = a->assessed;
      fresh.since = day;
      fresh.last_assessed = day;
      fresh.assessments = 1;
      result.push_back(std::move(fresh));
      continue;
    }
    auto& t = *it;
    const auto from = static_cast<std::size_t>(t.current);
    const auto to = static_cast<std::size_t>(a->assessed);
    ++t.transitions[from][to];
    if (to > from) ++t.forward_moves;
    if (to < from) ++t.relapses;
    if (to != from) t.since = day;
    t.current = a->assessed;
    t.last_assessed = day;
    ++t.assessments;
  }
  return result;
}

MENTORCORE_DECL std::vector<scored_rating> course::ratings(std::string_view instrument_name) const {
  std::vector<scored_rating> result;
  result.reserve(state_.rating_events.size());
  for (const auto index : state_.rating_events) {
    const auto& e = events_[index];
    const auto& r = get<rating_recorded>(e.data);
    if (!instrument_name.empty() && r.instrument != instrument_name) continue;
    const auto* definition = reference_->find_instrument(r.instrument);
    Expects(definition != nullptr);  // checked when the rating was appended
    scored_rating scored;
    scored.on = e.date;
    scored.instrument = r.instrument;
    scored.rated_by = r.rated_by;
    scored.age_band = r.age_band;
    scored.score = definition->score(r.answers, r.age_band);
    const scored_rating* baseline = nullptr;
    const scored_rating* previous = nullptr;
    for (const auto& earlier : result) {
      if (earlier.instrument != r.instrument) continue;
      if (!baseline) baseline = &earlier;
      previous = &earlier;
    }
    scored.session = previous ? previous->session + 1 : 1;
    if (baseline) scored.from_baseline = definition->change(baseline->score, scored.score);
    if (previous) scored.from_previous = definition->change(previous->score, scored.score);
    result.push_back(std::move(scored));
  }
  return result;
}

MENTORCORE_DECL std::vector<std::pair<date, const talk_counted*>> course::talk_counts() const {
  std::vector<std::pair<date, const talk_counted*>> result;
  result.reserve(state_.talk_events.size());
  for (const auto index : state_.talk_events) {
    result.emplace_back(events_[index].date, &get<talk_counted>(events_[index].data));
  }
  return result;
}

MENTORCORE_DECL std::vector<std::pair<date, std::string>> course::successes() const {
  std::vector<std::pair<date, std::string>> result;
  for (const auto index : state_.success_events) {
    result.emplace_back(events_[index].date, get<success_logged>(events_[index].data).text);
  }
  return result;
}

MENTORCORE_DECL std::vector<empowerment_month> course::empowerment_by_month() const {
  std::vector<empowerment_month> result;
  if (!state_.started_on) return result;
  for (const auto& step : state_.steps) {
    if (!step.done_on || *step.done_on < *state_.started_on) continue;
    const int month = detail::month_of_course(*state_.started_on, *step.done_on);
    while (static_cast<int>(result.size()) <= month) {
      result.push_back(empowerment_month{static_cast<int>(result.size()), 0, 0, 0});
    }
    auto& row = result[static_cast<std::size_t>(month)];
    switch (*step.done_by) {
      case step_doer::citizen_alone: ++row.done_alone; break;
      case step_doer::citizen_with_support: ++row.done_with_support; break;
      case step_doer::mentor_on_behalf: ++row.done_by_mentor; break;
    }
  }
  return result;
}

MENTORCORE_DECL std::vector<knowledge_item> course::knowledge_profile(bool include_retired) const {
  std::vector<knowledge_item> result;
  for (const auto& item : state_.knowledge) {
    if (include_retired || !item.retired_on) result.push_back(item);
  }
  return result;
}

MENTORCORE_DECL std::optional<double> worsening_from_previous(const instrument& definition,
                                                              const scored_rating& rating) {
  if (!rating.from_previous) return std::nullopt;
  return definition.higher_is_better() ? -rating.from_previous->change
                                       : rating.from_previous->change;
}

MENTORCORE_DECL bool triggers_alert(const alert_rule& rule, const instrument& definition,
                                    const scored_rating& rating) {
  switch (rule.kind) {
    case alert_rule_kind::below_cutoff: return rating.score.clinical.value_or(false);
    case alert_rule_kind::drop_from_previous: {
      const auto drop = worsening_from_previous(definition, rating);
      return drop && *drop >= rule.points;
    }
    case alert_rule_kind::no_reliable_improvement:
      return rating.session == rule.sessions && rating.from_baseline &&
             !rating.from_baseline->reliably_improved;
  }
  return false;
}

MENTORCORE_DECL bool raises_rating_alert(const instrument& definition,
                                         const scored_rating& rating) {
  return std::any_of(
      definition.alerts().begin(), definition.alerts().end(),
      [&](const alert_rule& rule) { return triggers_alert(rule, definition, rating); });
}

MENTORCORE_DECL std::vector<course_alert> course::alerts(const date& as_of_day,
                                                         const alert_policy& policy) const {
  if (policy.no_contact_working_days < 1) {
    throw invalid_value_error("no_contact_working_days",
                              std::to_string(policy.no_contact_working_days), "expected 1 or more");
  }
  const course view = as_of(as_of_day);
  std::vector<course_alert> result;

  for (const auto& r : view.ratings()) {
    const auto* definition = reference_->find_instrument(r.instrument);
    Expects(definition != nullptr);  // checked when the rating was appended
    for (const auto& rule : definition->alerts()) {
      if (!triggers_alert(rule, *definition, r)) continue;
      switch (rule.kind) {
        case alert_rule_kind::below_cutoff:
          result.push_back({"below_cutoff", r.on, r.instrument,
                            r.instrument + " total " + detail::number_text(r.score.total) +
                                " is on the problem side of the cut-off " +
                                detail::number_text(*r.score.cutoff)});
          break;
        case alert_rule_kind::drop_from_previous:
          result.push_back({"rating_drop", r.on, r.instrument,
                            r.instrument + " worsened by " +
                                detail::number_text(*worsening_from_previous(*definition, r)) +
                                " since the previous rating"});
          break;
        case alert_rule_kind::no_reliable_improvement:
          result.push_back({"no_reliable_improvement", r.on, r.instrument,
                            "no reliable improvement on " + r.instrument + " after " +
                                std::to_string(rule.sessions) + " ratings (change " +
                                detail::number_text(r.from_baseline->change) +
                                ", reliable change " +
                                detail::number_text(definition->reliable_change()) + ")"});
          break;
      }
    }
  }

  std::vector<std::pair<std::string, stage>> last_stage;
  for (const auto& entry : view.stage_assessments()) {
    const date& day = entry.first;
    const stage_assessed* a = entry.second;
    auto it = std::find_if(last_stage.begin(), last_stage.end(),
                           [&](const auto& p) { return p.first == a->behaviour; });
    if (it == last_stage.end()) {
      last_stage.emplace_back(a->behaviour, a->assessed);
      continue;
    }
    if (a->assessed < it->second) {
      result.push_back({"stage_relapse", day, a->behaviour,
                        a->behaviour + ": back from " + std::string(to_string(it->second)) +
                            " to " + std::string(to_string(a->assessed))});
    }
    it->second = a->assessed;
  }

  if (view.started_on() && view.current_phase() != phase::closed && !view.is_paused()) {
    date last = *view.started_on();
    for (const auto& [day, c] : view.contacts()) {
      if (c->attended == attendance::attended) last = std::max(last, day);
    }
    const int gap = working_days_between(last, as_of_day, policy.deadlines);
    if (gap > policy.no_contact_working_days) {
      result.push_back(
          {"no_contact",
           add_working_days(last, policy.no_contact_working_days + 1, policy.deadlines), "",
           "no attended contact for " + std::to_string(gap) + " working days (since " +
               to_iso(last) + ")"});
    }
  }
  std::stable_sort(result.begin(), result.end(),
                   [](const auto& a, const auto& b) { return a.on < b.on; });
  return result;
}

}  // namespace mentorcore
