#pragma once
/// \file detail/course_impl.hpp
/// Definitions of the course lifecycle: validation, replay, as_of and how each event changes the
/// course's state. The derived views are in detail/course_views_impl.hpp.
///
/// Included by the concept header, inline, in the header-only model; compiled once into
/// mentorcore::io by src/model_course.cpp (MENTORCORE_DECL, detail/decl.hpp).

#include <algorithm>
#include <cmath>
#include <map>

#include <gsl/assert>

#include "mentorcore/course.hpp"
#include "mentorcore/detail/course_support.hpp"
#include "mentorcore/detail/decl.hpp"
#include "mentorcore/detail/enum_fields.hpp"
#include "mentorcore/detail/free_text.hpp"

namespace mentorcore {
namespace detail {

using boost::gregorian::days;

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

constexpr std::size_t milestone_index(milestone m) {
  return static_cast<std::size_t>(m);
}

MENTORCORE_DECL void keep_earliest(std::optional<date>& slot, const date& day) {
  if (!slot || day < *slot) slot = day;
}

// Days in [start, end) that lie inside a pause.
MENTORCORE_DECL long paused_days(const std::vector<pause_period>& pauses, const date& start,
                                 const date& end, const date& open_end) {
  long total = 0;
  for (const auto& pause : pauses) {
    const date from = std::max(pause.start, start);
    const date to = std::min(pause.end.value_or(open_end), end);
    if (from < to) total += (to - from).days();
  }
  return total;
}

}  // namespace detail

MENTORCORE_DECL course::course(event order, std::shared_ptr<const reference_data> reference)
    : reference_(std::move(reference)) {
  if (!reference_) throw invalid_value_error("reference", "null", "a course needs reference data");
  (void)detail::accept_free_texts(order.data);
  validate(order);
  apply(std::move(order));
}

MENTORCORE_DECL course course::replay(std::span<const event> events,
                                      std::shared_ptr<const reference_data> reference) {
  if (events.empty()) {
    throw invalid_value_error("events", "[]", "a course history starts with course_ordered");
  }
  course result(events.front(), std::move(reference));
  for (const auto& e : events.subspan(1)) result.append(e);
  return result;
}

MENTORCORE_DECL void course::append(event e) {
  // Every text through the one gate (length limit, CPR-shaped numbers replaced), whoever built
  // the event; e is this call's copy, so a refusal leaves nothing changed.
  (void)detail::accept_free_texts(e.data);
  append_accepted(std::move(e));
}

MENTORCORE_DECL void course::append_accepted(event&& e) {
  validate(e);
  apply(std::move(e));
  // A view made by as_of(day) is observed on `day` until an event after that day is appended.
  if (observed_on_ && events_.back().date > *observed_on_) observed_on_.reset();
}

MENTORCORE_DECL course course::as_of(const date& day) const {
  require_calendar_day(day, "as_of");
  if (day < ordered_on()) {
    throw invalid_value_error("as_of", to_iso(day),
                              "before the course was ordered on " + to_iso(ordered_on()));
  }
  course result;
  result.reference_ = reference_;
  result.observed_on_ = day;
  // A prefix of a valid history is valid (every rule looks only at the past), so no re-validation.
  for (const auto& e : events_) {
    if (e.date > day) break;
    result.apply(event(e));
  }
  return result;
}

MENTORCORE_DECL const course_ordered& course::order() const {
  Expects(!events_.empty());
  return get<course_ordered>(events_.front().data);
}

MENTORCORE_DECL void course::reject(const event& e, const std::string& rule,
                                    const std::string& field) const {
  const std::string course_name =
      events_.empty()
          ? visit(detail::overloaded{[](const course_ordered& o) {
                                       return o.course.empty() ? std::string("?") : o.course.str();
                                     },
                                     [](const auto&) { return std::string("?"); }},
                  e.data)
          : id().str();
  throw rule_violation_error(course_name, events_.size(), std::string(e.type()), to_iso(e.date),
                             rule, field);
}

MENTORCORE_DECL void course::reject(const event& e, const error& failure) const {
  const auto* value = dynamic_cast<const invalid_value_error*>(&failure);
  reject(e, failure.what(), value != nullptr ? value->field() : std::string());
}

MENTORCORE_DECL const grant_made* course::find_grant(const grant_id& id_to_find) const {
  for (const auto index : state_.grant_events) {
    const auto& grant = get<grant_made>(events_[index].data);
    if (grant.grant == id_to_find) return &grant;
  }
  return nullptr;
}

MENTORCORE_DECL void course::validate(const event& e) const {
  if (e.date.is_special()) reject(e, "the event has no date", "date");
  try {
    require_calendar_day(e.date, "date");
  } catch (const error& failure) {
    reject(e, failure);
  }
  if (e.recorded_by.empty())
    reject(e, "recorded_by is required: every event is attributed", "recorded_by");
  // Every enum a named one (a cast can make any number), before a rule or a view reads it.
  try {
    detail::check_enum_fields(e.data);
  } catch (const invalid_value_error& failure) {
    reject(e, failure);
  }

  const bool is_order = holds_alternative<course_ordered>(e.data);
  if (events_.empty()) {
    if (!is_order) reject(e, "a course history starts with course_ordered");
  } else {
    if (is_order) reject(e, "the course was already ordered on " + to_iso(ordered_on()));
    const auto& previous = events_.back();
    if (e.date < previous.date) {
      reject(e, "dates out of order: the previous event (#" + std::to_string(events_.size() - 1) +
                    " " + std::string(previous.type()) + ") is dated " + to_iso(previous.date));
    }
    const bool follow_up =
        holds_alternative<start_ended>(e.data) || holds_alternative<status_recorded>(e.data);
    if (state_.current == phase::closed && !holds_alternative<course_reopened>(e.data) &&
        !follow_up) {
      reject(e, "the course was closed on " + to_iso(*state_.closed_on) + " (" +
                    std::string(to_string(*state_.closure)) +
                    "); only reopened, start_ended and status_recorded may follow");
    }
  }

  visit(detail::overloaded{
            // No rules of their own: where they may stand is checked above.
            [](const clarification_concluded&) {},
            [](const course_closed&) {},
            [&](const auto& payload) { check(e, payload); },
        },
        e.data);
}

MENTORCORE_DECL void course::require_code(const event& e, reference_kind kind,
                                          const std::string& code, const date& on,
                                          const char* field) const {
  try {
    (void)reference_->require(kind, code, on, field);
  } catch (const invalid_value_error& failure) {
    reject(e, failure);
  }
}

MENTORCORE_DECL void course::require_text(const event& e, const std::string& text, const char* what,
                                          const char* field) const {
  if (text.empty()) reject(e, std::string(what) + " is required", field);
}

MENTORCORE_DECL void course::check(const event& e, const course_ordered& o) const {
  if (o.course.empty()) reject(e, "course is required", "course");
  if (o.citizen.empty()) reject(e, "citizen (a pseudonymous key) is required", "citizen");
  if (o.caseworker.empty()) reject(e, "caseworker is required", "caseworker");
  if (o.municipality.empty()) reject(e, "municipality is required", "municipality");
  require_code(e, reference_kind::target_group, o.target_group, e.date, "target_group");
  if (o.assessment_category) {
    require_code(e, reference_kind::assessment_category, *o.assessment_category, e.date,
                 "assessment_category");
  }
  if (o.retention_min_months < 1 || o.retention_max_months > 24 ||
      o.retention_min_months > o.retention_max_months) {
    // Named by the bound that is out of range; when the two are crossed, the minimum.
    reject(e,
           "retention window " + std::to_string(o.retention_min_months) + "-" +
               std::to_string(o.retention_max_months) +
               " months: expected 1 <= retention_min_months <= retention_max_months <= 24",
           o.retention_min_months >= 1 && o.retention_max_months > 24 ? "retention_max_months"
                                                                      : "retention_min_months");
  }
}

MENTORCORE_DECL void course::check(const event& e, const grant_made& g) const {
  if (g.grant.empty()) reject(e, "grant (an id) is required", "grant");
  if (const auto* existing = find_grant(g.grant)) {
    reject(e,
           "grant " + g.grant.str() + " already exists (" + to_iso(existing->start) + " to " +
               to_iso(existing->end) + ")",
           "grant");
  }
  require_text(e, g.goal, "the plan's goal", "goal");
  if (g.mentor.empty()) reject(e, "the plan's mentor is required", "mentor");
  require_text(e, g.mentor_contact, "the plan's mentor_contact", "mentor_contact");
  require_text(e, g.tasks, "the plan's mentor tasks", "tasks");
  if (!std::isfinite(g.hours_per_week) || g.hours_per_week <= 0 || g.hours_per_week > 40) {
    reject(e,
           "hours_per_week = " + std::to_string(g.hours_per_week) +
               ": expected more than 0 and at most 40",
           "hours_per_week");
  }
  check_grant_period(e, g);
}

MENTORCORE_DECL void course::check_grant_period(const event& e, const grant_made& g) const {
  if (g.start.is_special() || g.end.is_special())
    reject(e, "the plan's duration (start and end) is required",
           g.start.is_special() ? "start" : "end");
  try {
    require_calendar_day(g.start, "start");
    require_calendar_day(g.end, "end");
  } catch (const error& failure) {
    reject(e, failure);
  }
  if (g.end < g.start)
    reject(e, "end " + to_iso(g.end) + " is before start " + to_iso(g.start), "end");
  require_code(e, reference_kind::legal_basis, g.legal_basis, g.start, "legal_basis");
  const auto* basis = reference_->find(reference_kind::legal_basis, g.legal_basis, g.start);
  const int months = basis->max_grant_months.value_or(default_max_grant_months);
  const date latest = add_months(g.start, months);
  if (g.end > latest) {
    reject(e,
           "end " + to_iso(g.end) + " is more than " + std::to_string(months) +
               " months after start " + to_iso(g.start) + " (latest end under " + g.legal_basis +
               ": " + to_iso(latest) + ")",
           "end");
  }
  if (g.predecessor) {
    const auto* previous = find_grant(*g.predecessor);
    if (!previous)
      reject(e, "predecessor grant " + g.predecessor->str() + " does not exist", "predecessor");
    if (g.start <= previous->end) {
      reject(e,
             "an extension starts after its predecessor " + g.predecessor->str() + " ends (" +
                 to_iso(previous->end) + ")",
             "start");
    }
  }
  for (const auto index : state_.grant_events) {
    const auto& other = get<grant_made>(events_[index].data);
    if (g.start <= other.end && other.start <= g.end) {
      reject(e, "the grant (" + to_iso(g.start) + " to " + to_iso(g.end) + ") overlaps grant " +
                    other.grant.str() + " (" + to_iso(other.start) + " to " + to_iso(other.end) +
                    ")");
    }
  }
}

MENTORCORE_DECL void course::check(const event& e, const phase_changed& p) const {
  if (is_paused()) {
    reject(e, "the course is paused since " + to_iso(state_.pauses.back().start) + " (" +
                  std::string(to_string(state_.pauses.back().reason)) + "); resume it first");
  }
  if (p.to == phase::closed)
    reject(e, "a course is closed with a closed event, not a phase change", "to");
  if (p.to == phase::referred) reject(e, "a course cannot return to referred", "to");
  if (p.to == state_.current)
    reject(e, "the course is already in " + std::string(to_string(p.to)), "to");
  Expects(phase_change_allowed(state_.current, p.to));
  require_text(e, p.reason, "a reason for the phase change", "reason");
  if (p.to == phase::retention && !state_.retention_basis) {
    reject(e,
           "retention needs a recorded start in work or education (start_recorded) or a "
           "clarification outcome (clarification_concluded) first",
           "to");
  }
}

MENTORCORE_DECL void course::check(const event& e, const start_recorded& s) const {
  require_text(e, s.employer_or_institution, "employer_or_institution", "employer_or_institution");
  if (!std::isfinite(s.hours_per_week) || s.hours_per_week <= 0 || s.hours_per_week > 80) {
    reject(e,
           "hours_per_week = " + std::to_string(s.hours_per_week) +
               ": expected more than 0 and at most 80",
           "hours_per_week");
  }
}

MENTORCORE_DECL void course::check(const event& e, const contact_logged& c) const {
  if (!state_.started_on) {
    reject(e,
           "the course has not started (it is still referred): contacts count from the first "
           "phase change");
  }
  if (c.mentor.empty()) reject(e, "mentor is required", "mentor");
  for (const auto& [name, minutes] : {std::pair{"planned_minutes", c.planned_minutes},
                                      std::pair{"actual_minutes", c.actual_minutes}}) {
    if (minutes < 0 || minutes > 24 * 60)
      reject(e, std::string(name) + " = " + std::to_string(minutes) + ": expected 0-1440", name);
  }
  if (c.attended == attendance::attended && c.actual_minutes == 0)
    reject(e, "an attended contact needs actual_minutes above 0", "actual_minutes");
  if (c.billable && c.non_billable)
    reject(e, "a billable contact has no non_billable_reason", "non_billable_reason");
  if (!c.billable && !c.non_billable)
    reject(e, "a contact that is not billable needs a non_billable_reason", "non_billable_reason");
}

MENTORCORE_DECL void course::check(const event& e, const milestone_recorded& m) const {
  if (const auto& when = state_.recorded_milestones[detail::milestone_index(m.reached)]) {
    reject(e,
           "milestone " + std::string(to_string(m.reached)) + " was already recorded on " +
               to_iso(*when),
           "milestone");
  }
}

MENTORCORE_DECL void course::check(const event& e, const course_paused& /*payload*/) const {
  if (is_paused())
    reject(e, "the course is already paused since " + to_iso(state_.pauses.back().start));
}

MENTORCORE_DECL void course::check(const event& e, const course_resumed& /*payload*/) const {
  if (!is_paused()) reject(e, "the course is not paused");
}

MENTORCORE_DECL void course::check(const event& e, const course_reopened& r) const {
  if (state_.current != phase::closed) reject(e, "only a closed course can be reopened");
  require_text(e, r.reason, "a reason for reopening", "reason");
}

MENTORCORE_DECL void course::require_follow_up(const event& e) const {
  Expects(state_.closed_on.has_value());
  const date last = add_months(*state_.closed_on, course_follow_up_months);
  if (e.date > last) {
    reject(e, "after the follow-up: the course closed on " + to_iso(*state_.closed_on) +
                  ", and its follow-up ran " + std::to_string(course_follow_up_months) +
                  " months, to " + to_iso(last));
  }
}

MENTORCORE_DECL void course::check(const event& e, const start_ended& p) const {
  if (state_.starts.empty() || state_.starts.back().end) {
    reject(e, state_.starts.empty()
                  ? std::string("no start in work or education (start_recorded) to end")
                  : "no start in work or education is ongoing: the last one ended on " +
                        to_iso(*state_.starts.back().end));
  }
  const auto& ongoing = state_.starts.back();
  if (p.cause == start_end_cause::education_dropped && ongoing.type != start_type::education) {
    reject(e,
           "cause education_dropped: the ongoing start (" + to_iso(ongoing.start) + ") is " +
               std::string(to_string(ongoing.type)) + ", not education",
           "cause");
  }
  if (state_.current == phase::closed) require_follow_up(e);
}

MENTORCORE_DECL void course::check(const event& e, const status_recorded& /*payload*/) const {
  if (state_.current != phase::closed) {
    reject(e, "a status after closure needs a closed course (the course is in " +
                  std::string(to_string(state_.current)) + ")");
  }
  require_follow_up(e);
}

MENTORCORE_DECL void course::apply(event&& e) {
  // Reserve first: after this point nothing below throws, so a failure leaves the course as it was.
  // Only the lists this type of event adds to need room.
  detail::reserve_one_more(events_);
  visit(detail::overloaded{
            [&](const course_ordered&) { detail::reserve_one_more(state_.phases); },
            [&](const phase_changed&) { detail::reserve_one_more(state_.phases); },
            [&](const course_closed&) { detail::reserve_one_more(state_.phases); },
            [&](const course_reopened&) { detail::reserve_one_more(state_.phases); },
            [&](const course_paused&) { detail::reserve_one_more(state_.pauses); },
            [&](const grant_made&) { detail::reserve_one_more(state_.grant_events); },
            [&](const contact_logged&) { detail::reserve_one_more(state_.contact_events); },
            [&](const start_recorded&) { detail::reserve_one_more(state_.starts); },
            [&](const start_ended&) {},
            [&](const status_recorded&) { detail::reserve_one_more(state_.followups); },
            [&](const clarification_concluded&) {},
            [&](const milestone_recorded&) {},
            [&](const course_resumed&) {},
            [&](const auto&) { reserve_relationship_state(e.data); },
        },
        e.data);
  std::string reason_text;
  if (const auto* change = get_if<phase_changed>(&e.data)) reason_text = change->reason;
  if (const auto* closure = get_if<course_closed>(&e.data)) {
    reason_text = closure->note.empty() ? std::string(to_string(closure->reason)) : closure->note;
  }
  if (const auto* reopening = get_if<course_reopened>(&e.data)) reason_text = reopening->reason;

  const std::size_t index = events_.size();
  auto& s = state_;
  const auto enter = [&](phase next) noexcept {
    if (!s.phases.empty()) s.phases.back().end = e.date;
    s.phases.push_back(phase_period{next, e.date, std::nullopt, std::move(reason_text)});
    s.current = next;
  };

  visit(detail::overloaded{
            [&](const course_ordered&) {
              reason_text = "ordered";
              enter(phase::referred);
            },
            [&](const grant_made&) { s.grant_events.push_back(index); },
            [&](const phase_changed& p) {
              if (s.current == phase::retention) s.retention_basis = false;
              if (!s.started_on) s.started_on = e.date;
              if (p.to == phase::work_trial) {
                detail::keep_earliest(
                    s.derived_milestones[detail::milestone_index(milestone::work_trial_start)],
                    e.date);
              }
              enter(p.to);
            },
            [&](const start_recorded& started) {
              if (!s.starts.empty() && !s.starts.back().end) {
                s.starts.back().end = e.date;
                s.starts.back().superseded = true;
              }
              s.starts.push_back(start_period{started.type, started.employer_or_institution,
                                              started.hours_per_week, e.date, std::nullopt,
                                              std::nullopt, false});
              s.retention_basis = true;
              detail::keep_earliest(
                  s.derived_milestones[detail::milestone_index(milestone::job_or_education_start)],
                  e.date);
            },
            [&](const clarification_concluded&) { s.retention_basis = true; },
            [&](const start_ended& ended) {
              s.starts.back().end = e.date;
              s.starts.back().cause = ended.cause;
            },
            [&](const status_recorded& status) {
              s.followups.push_back(
                  followup_record{e.date, status.status, status.source, *s.closed_on,
                                  static_cast<int>((e.date - *s.closed_on).days())});
            },
            [&](const contact_logged& c) {
              s.contact_events.push_back(index);
              if (c.attended == attendance::attended && c.where == location::provider_office) {
                detail::keep_earliest(
                    s.derived_milestones[detail::milestone_index(milestone::first_office_visit)],
                    e.date);
              }
            },
            [&](const milestone_recorded& m) {
              s.recorded_milestones[detail::milestone_index(m.reached)] = e.date;
            },
            [&](const course_paused& p) {
              s.pauses.push_back(pause_period{e.date, std::nullopt, p.reason});
            },
            [&](const course_resumed&) { s.pauses.back().end = e.date; },
            [&](const course_closed& c) {
              if (is_paused()) s.pauses.back().end = e.date;
              s.phase_before_closure = s.current;
              s.closed_on = e.date;
              s.closure = c.reason;
              enter(phase::closed);
            },
            [&](const course_reopened&) {
              s.closed_on.reset();
              s.closure.reset();
              enter(s.phase_before_closure);
            },
            [&](const auto&) { record(e, index); },
        },
        e.data);
  events_.push_back(std::move(e));
}

}  // namespace mentorcore
