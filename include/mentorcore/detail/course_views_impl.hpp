#pragma once
/// \file detail/course_views_impl.hpp
/// Definitions of the course's derived views: grants and contacts, phases and days, hours granted
/// and delivered, attendance, home visits, milestones, report deadlines and warnings.
///
/// Included by the concept header, inline, in the header-only model; compiled once into
/// mentorcore::io by src/model_course.cpp (MENTORCORE_DECL, detail/decl.hpp).

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "mentorcore/course.hpp"
#include "mentorcore/detail/course_impl.hpp"
#include "mentorcore/detail/course_support.hpp"
#include "mentorcore/detail/decl.hpp"

namespace mentorcore {

MENTORCORE_DECL std::vector<const grant_made*> course::grants() const {
  std::vector<const grant_made*> result;
  result.reserve(state_.grant_events.size());
  for (const auto index : state_.grant_events)
    result.push_back(&get<grant_made>(events_[index].data));
  return result;
}

MENTORCORE_DECL std::vector<std::pair<date, const contact_logged*>> course::contacts() const {
  std::vector<std::pair<date, const contact_logged*>> result;
  result.reserve(state_.contact_events.size());
  for (const auto index : state_.contact_events) {
    result.emplace_back(events_[index].date, &get<contact_logged>(events_[index].data));
  }
  return result;
}

MENTORCORE_DECL phase course::phase_on(const date& day) const {
  require_real_date(day, "day");
  if (day < ordered_on()) {
    throw invalid_value_error("day", to_iso(day),
                              "before the course was ordered on " + to_iso(ordered_on()));
  }
  phase result = phase::referred;
  for (const auto& period : state_.phases) {
    if (period.start > day) break;
    result = period.which;
  }
  return result;
}

MENTORCORE_DECL std::array<int, 6> course::days_per_phase(const date& as_of_day) const {
  require_calendar_day(as_of_day, "as_of");
  std::array<int, 6> result{};
  const date stop = as_of_day + boost::gregorian::days(1);
  for (const auto& period : state_.phases) {
    const date start = period.start;
    const date end = std::min(period.end.value_or(stop), stop);
    if (end <= start) continue;
    const long total = (end - start).days() - detail::paused_days(state_.pauses, start, end, stop);
    result[static_cast<std::size_t>(period.which)] += static_cast<int>(total);
  }
  return result;
}

MENTORCORE_DECL std::optional<provider_id> course::provider_on(const date& day) const {
  require_real_date(day, "day");
  for (const auto* g : grants()) {
    if (g->start <= day && day <= g->end) return g->provider;
  }
  return std::nullopt;
}

MENTORCORE_DECL std::optional<date> course::follow_up_ends_on() const {
  if (!state_.closed_on) return std::nullopt;
  return add_months(*state_.closed_on, course_follow_up_months);
}

MENTORCORE_DECL double course::granted_hours(const grant_made& g, const date& from,
                                             const date& to) const {
  const date first = std::max(g.start, from);
  const date last = std::min(g.end, to);
  if (last < first) return 0.0;
  long open_days = (last - first).days() + 1;
  // Closed days lie strictly between a closure and the next reopening: the closure day and the
  // reopening day are open days.
  for (const auto& period : state_.phases) {
    if (period.which != phase::closed) continue;
    const date closed_from = std::max(period.start + detail::days(1), first);
    const date closed_to = period.end ? std::min(*period.end - detail::days(1), last) : last;
    if (closed_from <= closed_to) open_days -= (closed_to - closed_from).days() + 1;
  }
  return g.hours_per_week * static_cast<double>(open_days) / 7.0;
}

MENTORCORE_DECL std::vector<grant_usage> course::grant_usage_by_grant(
    std::optional<date> as_of_day) const {
  if (as_of_day) require_calendar_day(*as_of_day, "as_of");
  const date limit = as_of_day.value_or(observed_on());
  const date closed_limit =
      state_.current == phase::closed ? std::min(*state_.closed_on, limit) : limit;
  std::vector<grant_usage> result;
  result.reserve(state_.grant_events.size());
  const auto all_contacts = contacts();
  for (const auto* g : grants()) {
    grant_usage usage;
    usage.grant = g->grant;
    usage.predecessor = g->predecessor;
    usage.provider = g->provider;
    usage.legal_basis = g->legal_basis;
    usage.start = g->start;
    usage.end = g->end;
    usage.counted_to = std::min(g->end, closed_limit);
    usage.hours_per_week = g->hours_per_week;
    usage.hours_planned =
        g->hours_per_week * static_cast<double>((g->end - g->start).days() + 1) / 7.0;
    usage.hours_granted = granted_hours(*g, g->start, usage.counted_to);
    for (const auto& [day, c] : all_contacts) {
      if (c->billable && g->start <= day && day <= usage.counted_to)
        usage.hours_delivered += c->actual_minutes / 60.0;
    }
    result.push_back(std::move(usage));
  }
  return result;
}

MENTORCORE_DECL std::vector<week_usage> course::usage_by_week(std::optional<date> as_of_day) const {
  if (as_of_day) require_calendar_day(*as_of_day, "as_of");
  const date limit = as_of_day.value_or(observed_on());
  const date closed_limit =
      state_.current == phase::closed ? std::min(*state_.closed_on, limit) : limit;
  const auto all_grants = grants();
  const auto all_contacts = contacts();
  std::optional<date> first;
  std::optional<date> last;
  const auto cover = [&](const date& day) {
    if (!first || day < *first) first = day;
    if (!last || day > *last) last = day;
  };
  for (const auto* g : all_grants) {
    if (g->start > closed_limit) continue;
    cover(g->start);
    cover(std::min(g->end, closed_limit));
  }
  for (const auto& [day, c] : all_contacts) {
    if (day <= limit) cover(day);
  }
  std::vector<week_usage> result;
  if (!first) return result;
  const auto monday_of = [](const date& day) {
    const int weekday = day.day_of_week().as_number() == 0 ? 7 : day.day_of_week().as_number();
    return day - boost::gregorian::days(weekday - 1);
  };
  for (date monday = monday_of(*first); monday <= *last; monday += boost::gregorian::days(7)) {
    const date sunday = monday + boost::gregorian::days(6);
    const auto week = iso_week(monday);
    week_usage usage{week.year, week.week, monday, 0.0, 0.0};
    for (const auto* g : all_grants) {
      usage.hours_granted += granted_hours(*g, monday, std::min(sunday, closed_limit));
    }
    for (const auto& [day, c] : all_contacts) {
      if (c->billable && monday <= day && day <= sunday && day <= limit)
        usage.hours_delivered += c->actual_minutes / 60.0;
    }
    result.push_back(usage);
  }
  return result;
}

MENTORCORE_DECL std::vector<attendance_counts> course::attendance_by_location() const {
  std::array<attendance_counts, enum_traits<location>::names.size()> table{};
  for (const auto& [day, c] : contacts()) {
    auto& row = table[static_cast<std::size_t>(c->where)];
    row.where = c->where;
    ++row.contacts;
    ++row.by_attendance[static_cast<std::size_t>(c->attended)];
  }
  std::vector<attendance_counts> result;
  for (const auto& row : table) {
    if (row.contacts > 0) result.push_back(row);
  }
  return result;
}

MENTORCORE_DECL std::vector<monthly_home_share> course::home_visit_share_by_month() const {
  std::vector<monthly_home_share> result;
  if (!state_.started_on) return result;
  const date start = *state_.started_on;
  for (const auto& [day, c] : contacts()) {
    if (c->attended != attendance::attended || !in_person(c->where)) continue;
    const int month = detail::month_of_course(start, day);
    while (static_cast<int>(result.size()) <= month) {
      result.push_back(monthly_home_share{static_cast<int>(result.size()), 0, 0});
    }
    auto& row = result[static_cast<std::size_t>(month)];
    ++row.in_person_contacts;
    if (c->where == location::home) ++row.home_visits;
  }
  return result;
}

MENTORCORE_DECL std::vector<milestone_reached> course::milestones() const {
  std::vector<milestone_reached> result;
  result.reserve(all_values<milestone>().size());
  for (const auto which : all_values<milestone>()) {
    const auto& recorded = state_.recorded_milestones[detail::milestone_index(which)];
    const auto& derived = state_.derived_milestones[detail::milestone_index(which)];
    if (!recorded && !derived) continue;
    const bool use_derived = derived && (!recorded || *derived < *recorded);
    result.push_back(milestone_reached{which, use_derived ? *derived : *recorded, use_derived});
  }
  return result;
}

MENTORCORE_DECL std::optional<date> course::next_report_due(const date& as_of_day,
                                                            const reporting_policy& policy) const {
  require_calendar_day(as_of_day, "as_of");
  if (policy.first_report_working_days < 0) {
    throw invalid_value_error("first_report_working_days",
                              std::to_string(policy.first_report_working_days),
                              "expected 0 or more");
  }
  if (policy.report_every_months < 1) {
    throw invalid_value_error("report_every_months", std::to_string(policy.report_every_months),
                              "expected 1 or more");
  }
  if (policy.final_report_working_days < 0) {
    throw invalid_value_error("final_report_working_days",
                              std::to_string(policy.final_report_working_days),
                              "expected 0 or more");
  }
  const course view = as_of(as_of_day);
  if (!view.state_.started_on) return std::nullopt;
  const date start = *view.state_.started_on;
  const auto& deadlines = policy.deadlines;
  const std::optional<date> closed = view.state_.closed_on;
  const auto due_ok = [&](const date& due) {
    return due >= as_of_day && (!closed || due < *closed);
  };

  const date first = add_working_days(start, policy.first_report_working_days, deadlines);
  if (due_ok(first)) return first;
  for (int k = 1;; ++k) {
    const date scheduled = add_months(start, k * policy.report_every_months);
    if (closed && scheduled >= *closed) break;
    const date due = roll_forward(scheduled, deadlines);
    if (due_ok(due)) return due;
    if (!closed && due > as_of_day) break;
  }
  if (closed) {
    const date final_due = add_working_days(*closed, policy.final_report_working_days, deadlines);
    if (final_due >= as_of_day) return final_due;
  }
  return std::nullopt;
}

MENTORCORE_DECL std::vector<course_warning> course::warnings(const date& as_of_day) const {
  const course view = as_of(as_of_day);
  const auto& s = view.state_;
  const auto& o = view.order();
  std::vector<course_warning> result;

  // The retention period the course is in (or was closed in).
  const phase_period* retention = nullptr;
  for (const auto& period : s.phases) {
    if (period.which == phase::retention) retention = &period;
  }
  const bool in_retention = s.current == phase::retention;
  const bool closed_in_retention =
      s.current == phase::closed && s.phase_before_closure == phase::retention;
  if (retention && in_retention) {
    const date limit = add_months(retention->start, o.retention_max_months);
    if (as_of_day > limit) {
      result.push_back({"retention_exceeded", limit,
                        "retention entered " + to_iso(retention->start) +
                            " has run past the planned " + std::to_string(o.retention_max_months) +
                            " months (" + to_iso(limit) + ")"});
    }
  }
  if (retention && closed_in_retention) {
    const date planned = add_months(retention->start, o.retention_min_months);
    if (*s.closed_on < planned) {
      result.push_back({"retention_shorter_than_planned", *s.closed_on,
                        "closed " + to_iso(*s.closed_on) + " after less than the planned " +
                            std::to_string(o.retention_min_months) +
                            " months of retention (entered " + to_iso(retention->start) + ")"});
    }
  }
  if (s.started_on && s.current != phase::closed) {
    bool covered = false;
    for (const auto* g : view.grants())
      covered = covered || (g->start <= as_of_day && as_of_day <= g->end);
    if (!covered) {
      result.push_back({"no_active_grant", as_of_day,
                        "the course is open but no grant covers " + to_iso(as_of_day)});
    }
  }
  return result;
}

}  // namespace mentorcore
