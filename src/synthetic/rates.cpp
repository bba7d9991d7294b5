// The realised rates of a set of courses (realised_rates): the figures docs/synthetic.md
// calibrates the generator to, measured on any courses, synthetic or not.

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "mentorcore/calendar.hpp"
#include "mentorcore/detail/course_set.hpp"
#include "mentorcore/synthetic.hpp"

namespace mentorcore {

namespace {

template <class Courses>
std::vector<realised_rate> rates_of(const Courses& courses) {
  std::vector<realised_rate> rates;
  const auto add = [&](std::string measure, double numerator, double denominator) {
    rates.push_back({std::move(measure), numerator, denominator});
  };
  double all = 0, started = 0, closed = 0, open = 0, started_work = 0, skipped_pre = 0,
         with_trial = 0, back_moved = 0, paused = 0, with_grant = 0, extended = 0,
         hours_granted = 0, hours_delivered = 0, own_appointment = 0, duration_days = 0,
         longer_than_6_months = 0, mentor_changed = 0;
  std::array<double, enum_traits<closure_reason>::names.size()> by_closure{};
  std::array<double, enum_traits<attendance>::names.size()> by_attendance{};
  double contacts = 0;
  std::array<double, 2> home{}, in_person{};          // months 0-2, months 6 and later
  std::array<double, 2> steps_alone{}, steps_done{};  // the same
  double assessments = 0, relapses = 0, session_ratings = 0, session_alerts = 0;
  double handovers = 0, late = 0, acknowledged = 0, rejected = 0, revoked = 0;
  std::array<double, enum_traits<handover_type>::names.size()> by_type{};
  double with_withheld = 0, carried = 0, withheld = 0, dropped = 0;
  std::array<double, enum_traits<data_category>::names.size()> withheld_by_category{};
  std::array<double, enum_traits<handover_type>::names.size()> dropped_by_type{}, profile_by_type{};

  for (const auto& item : courses) {
    const course& c = detail::course_of(item);
    ++all;
    if (c.closed_on()) {
      ++closed;
      ++by_closure[static_cast<std::size_t>(*c.closure())];
    } else {
      ++open;
    }
    if (!c.started_on()) continue;
    ++started;
    const date start = *c.started_on();
    if (c.closed_on()) {
      duration_days += static_cast<double>((*c.closed_on() - start).days());
      longer_than_6_months += *c.closed_on() > add_months(start, 6) ? 1 : 0;
    }
    const auto& phases = c.phases();
    if (phases.size() > 1 && phases[1].which != phase::pre_employment) ++skipped_pre;
    bool trial = false, back = false;
    for (std::size_t i = 0; i < phases.size(); ++i) {
      trial = trial || phases[i].which == phase::work_trial;
      back = back || (i > 0 && phases[i].which == phase::clarification &&
                      phases[i - 1].which == phase::work_trial);
    }
    with_trial += trial ? 1 : 0;
    back_moved += back ? 1 : 0;
    paused += c.pauses().empty() ? 0 : 1;
    mentor_changed += c.mentor_changes() > 0 ? 1 : 0;
    const auto grants = c.grant_usage_by_grant();
    if (!grants.empty()) ++with_grant;
    if (grants.size() > 1) ++extended;
    for (const auto& g : grants) {
      hours_granted += g.hours_granted;
      hours_delivered += g.hours_delivered;
    }
    for (const auto& m : c.milestones()) {
      own_appointment += !m.derived && m.which == milestone::first_own_appointment_alone ? 1 : 0;
    }
    bool worked = false;
    for (const auto& e : c.events()) worked = worked || holds_alternative<start_recorded>(e.data);
    started_work += worked ? 1 : 0;

    for (const auto& [day, contact] : c.contacts()) {
      ++contacts;
      ++by_attendance[static_cast<std::size_t>(contact->attended)];
    }
    for (const auto& month : c.home_visit_share_by_month()) {
      const int band = month.month_of_course < 3 ? 0 : month.month_of_course >= 6 ? 1 : -1;
      if (band < 0) continue;
      home[static_cast<std::size_t>(band)] += month.home_visits;
      in_person[static_cast<std::size_t>(band)] += month.in_person_contacts;
    }
    for (const auto& month : c.empowerment_by_month()) {
      const int band = month.month_of_course < 3 ? 0 : month.month_of_course >= 6 ? 1 : -1;
      if (band < 0) continue;
      steps_alone[static_cast<std::size_t>(band)] += month.done_alone;
      steps_done[static_cast<std::size_t>(band)] += month.done();
    }
    for (const auto& t : c.stage_trajectories()) {
      assessments += t.assessments - 1;  // moves are counted between assessments
      relapses += t.relapses;
    }
    for (const auto& r : c.ratings("session_scale")) {
      ++session_ratings;
      session_alerts += r.score.clinical.value_or(false) ? 1 : 0;
    }
    for (const auto& h : c.handovers()) {
      ++handovers;
      const auto type = static_cast<std::size_t>(h.type);
      ++by_type[type];
      acknowledged += h.state == handover_state::acknowledged ? 1 : 0;
      rejected += h.state == handover_state::rejected ? 1 : 0;
      revoked += h.state == handover_state::revoked ? 1 : 0;
      if (h.state == handover_state::acknowledged && (*h.settled_on - h.made_on).days() > 10)
        ++late;
      with_withheld += h.withheld.empty() ? 0 : 1;
      for (std::size_t k = 0; k < withheld_by_category.size(); ++k)
        withheld_by_category[k] += h.withheld_by_category[k];
      carried += static_cast<double>(h.carried.size());
      withheld += static_cast<double>(h.withheld.size());
      dropped += static_cast<double>(h.dropped.size());
      dropped_by_type[type] += static_cast<double>(h.dropped.size());
      profile_by_type[type] +=
          static_cast<double>(h.carried.size() + h.withheld.size() + h.dropped.size());
    }
  }

  add("courses.closed", closed, all);
  add("courses.open_at_observation", open, all);
  for (std::size_t r = 0; r < by_closure.size(); ++r) {
    add("closure." + std::string(enum_traits<closure_reason>::names[r]), by_closure[r], closed);
  }
  add("course.days_from_start_to_closure", duration_days, closed);
  add("course.longer_than_6_months", longer_than_6_months, closed);
  add("course.started_work_or_education", started_work, started);
  add("phase.skipped_pre_employment", skipped_pre, started);
  add("phase.back_from_work_trial", back_moved, with_trial);
  add("course.paused", paused, started);
  add("grant.extended", extended, with_grant);
  add("grant.hours_delivered_of_granted", hours_delivered, hours_granted);
  add("contacts.per_started_course", contacts, started);
  for (std::size_t a = 0; a < by_attendance.size(); ++a) {
    add("contacts." + std::string(enum_traits<attendance>::names[a]), by_attendance[a], contacts);
  }
  add("home_visits.months_0_2", home[0], in_person[0]);
  add("home_visits.months_6_on", home[1], in_person[1]);
  add("milestone.first_own_appointment_alone", own_appointment, started);
  add("steps.done_alone.months_0_2", steps_alone[0], steps_done[0]);
  add("steps.done_alone.months_6_on", steps_alone[1], steps_done[1]);
  add("stage.relapses_per_reassessment", relapses, assessments);
  add("ratings.session_below_cutoff", session_alerts, session_ratings);
  add("course.mentor_changed", mentor_changed, started);
  for (std::size_t t = 0; t < by_type.size(); ++t) {
    add("handover." + std::string(enum_traits<handover_type>::names[t]), by_type[t], handovers);
  }
  add("handover.acknowledged", acknowledged, handovers);
  add("handover.rejected", rejected, handovers);
  add("handover.revoked", revoked, handovers);
  add("handover.acknowledged_after_10_days", late, acknowledged);
  add("handover.with_items_withheld", with_withheld, handovers);
  add("handover_items.withheld", withheld, carried + withheld);
  for (std::size_t k = 0; k < withheld_by_category.size(); ++k) {
    add("handover_items.withheld." + std::string(enum_traits<data_category>::names[k]),
        withheld_by_category[k], withheld);
  }
  add("handover_items.dropped", dropped, carried + withheld + dropped);
  for (std::size_t t = 0; t < by_type.size(); ++t) {
    add("handover_items.dropped." + std::string(enum_traits<handover_type>::names[t]),
        dropped_by_type[t], profile_by_type[t]);
  }
  return rates;
}

}  // namespace

std::vector<realised_rate> realised_rates(std::span<const course> courses) {
  return rates_of(courses);
}

std::vector<realised_rate> realised_rates(std::span<const course* const> courses) {
  return rates_of(courses);
}

}  // namespace mentorcore
