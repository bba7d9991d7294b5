// The realised rates of a set of courses (realised_rates): the figures docs/synthetic.md
// calibrates the generator to, measured on any courses, synthetic or not.

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "mentorcore/calendar.hpp"
#include "mentorcore/detail/course_set.hpp"
#include "mentorcore/synthetic.hpp"

namespace mentorcore {

namespace {

/// The band of a month of the course that the rates compare: months 0-2 are band 0, months 6
/// and later band 1; months 3-5 are in neither.
std::optional<std::size_t> month_band(int month_of_course) {
  if (month_of_course < 3) return 0;
  if (month_of_course >= 6) return 1;
  return std::nullopt;
}

/// The counts and sums that the realised rates divide, gathered course by course.
struct tally {
  template <class E>
  using per = std::array<double, enum_traits<E>::names.size()>;

  // Courses, their phases and grants.
  double all = 0;
  double started = 0;
  double closed = 0;
  double open = 0;
  per<closure_reason> by_closure{};
  double duration_days = 0;
  double longer_than_6_months = 0;
  double started_work = 0;
  double skipped_pre = 0;
  double with_trial = 0;
  double back_moved = 0;
  double paused = 0;
  double mentor_changed = 0;
  double with_grant = 0;
  double extended = 0;
  double hours_granted = 0;
  double hours_delivered = 0;
  double own_appointment = 0;
  // Contacts, steps, stages and ratings; the arrays are by month band (month_band).
  double contacts = 0;
  per<attendance> by_attendance{};
  std::array<double, 2> home{};
  std::array<double, 2> in_person{};
  std::array<double, 2> steps_alone{};
  std::array<double, 2> steps_done{};
  double assessments = 0;
  double relapses = 0;
  double session_ratings = 0;
  double session_alerts = 0;
  // Handovers and the knowledge items in them.
  double handovers = 0;
  per<handover_type> by_type{};
  double late = 0;
  double acknowledged = 0;
  double rejected = 0;
  double revoked = 0;
  double with_withheld = 0;
  double carried = 0;
  double withheld = 0;
  double dropped = 0;
  per<data_category> withheld_by_category{};
  per<handover_type> dropped_by_type{};
  per<handover_type> profile_by_type{};
  double warm_between_mentors = 0;
  double warm_first_contact_soon = 0;
  // Starts in work or education, their ends, and the statuses after closure.
  double starts = 0;
  double ended_open = 0;
  double ongoing_at_closure = 0;
  double ended_after_closure = 0;
  double education_starts = 0;
  double education_dropped = 0;
  double education_completed = 0;
  double observed_12_months = 0;
  double retained_12_months = 0;
  double closed_with_status = 0;
  double statuses = 0;
  double statuses_from_register = 0;
  double statuses_at_12_months = 0;
  double working_at_12_months = 0;

  void count(const course& c) {
    ++all;
    if (c.closed_on()) {
      ++closed;
      ++by_closure[static_cast<std::size_t>(*c.closure())];
    } else {
      ++open;
    }
    if (!c.started_on()) return;
    ++started;
    const date start = *c.started_on();
    if (c.closed_on()) {
      duration_days += static_cast<double>((*c.closed_on() - start).days());
      longer_than_6_months += *c.closed_on() > add_months(start, 6) ? 1 : 0;
    }
    count_phases(c);
    paused += c.pauses().empty() ? 0 : 1;
    mentor_changed += c.mentor_changes() > 0 ? 1 : 0;
    count_grants(c);
    for (const auto& m : c.milestones()) {
      own_appointment += !m.derived && m.which == milestone::first_own_appointment_alone ? 1 : 0;
    }
    bool worked = false;
    for (const auto& e : c.events()) worked = worked || holds_alternative<start_recorded>(e.data);
    started_work += worked ? 1 : 0;
    count_contacts(c);
    count_relationship(c);
    for (const auto& h : c.handovers()) count_handover(h);
    count_starts(c);
  }

  void count_starts(const course& c) {
    const date seen_to = c.events().back().date;  // the last day the data tells of
    for (const auto& s : c.starts()) {
      ++starts;
      // A superseded start went on in the next one: it did not end the spell of work.
      const bool ended = s.end.has_value() && !s.superseded;
      const bool after_closure = ended && c.phase_on(*s.end) == phase::closed;
      ended_open += ended && !after_closure ? 1 : 0;
      if (c.closed_on() && (!ended || after_closure)) {
        ++ongoing_at_closure;
        ended_after_closure += after_closure ? 1 : 0;
      }
      if (s.type == start_type::education) {
        ++education_starts;
        education_dropped += s.cause == start_end_cause::education_dropped ? 1 : 0;
        education_completed += s.cause == start_end_cause::completed ? 1 : 0;
      }
      const date year_on = add_months(s.start, 12);
      if (seen_to >= year_on) {
        ++observed_12_months;
        retained_12_months += !ended || *s.end >= year_on ? 1 : 0;
      }
    }
    const auto& followups = c.statuses_after_closure();
    closed_with_status += c.closed_on() && !followups.empty() ? 1 : 0;
    for (const auto& f : followups) {
      ++statuses;
      statuses_from_register += f.source == status_source::register_data ? 1 : 0;
      if (f.days_after_closure >= 330) {
        ++statuses_at_12_months;
        working_at_12_months +=
            f.status == followup_status::in_work || f.status == followup_status::in_education ? 1
                                                                                              : 0;
      }
    }
  }

  void count_phases(const course& c) {
    const auto& phases = c.phases();
    if (phases.size() > 1 && phases[1].which != phase::pre_employment) ++skipped_pre;
    bool trial = false;
    bool back = false;
    for (std::size_t i = 0; i < phases.size(); ++i) {
      trial = trial || phases[i].which == phase::work_trial;
      back = back || (i > 0 && phases[i].which == phase::clarification &&
                      phases[i - 1].which == phase::work_trial);
    }
    with_trial += trial ? 1 : 0;
    back_moved += back ? 1 : 0;
  }

  void count_grants(const course& c) {
    const auto grants = c.grant_usage_by_grant();
    if (!grants.empty()) ++with_grant;
    if (grants.size() > 1) ++extended;
    for (const auto& g : grants) {
      hours_granted += g.hours_granted;
      hours_delivered += g.hours_delivered;
    }
  }

  void count_contacts(const course& c) {
    for (const auto& [day, contact] : c.contacts()) {
      ++contacts;
      ++by_attendance[static_cast<std::size_t>(contact->attended)];
    }
    for (const auto& month : c.home_visit_share_by_month()) {
      if (const auto band = month_band(month.month_of_course)) {
        home[*band] += month.home_visits;
        in_person[*band] += month.in_person_contacts;
      }
    }
  }

  void count_relationship(const course& c) {
    for (const auto& month : c.empowerment_by_month()) {
      if (const auto band = month_band(month.month_of_course)) {
        steps_alone[*band] += month.done_alone;
        steps_done[*band] += month.done();
      }
    }
    for (const auto& t : c.stage_trajectories()) {
      assessments += t.assessments - 1;  // moves are counted between assessments
      relapses += t.relapses;
    }
    for (const auto& r : c.ratings("session_scale")) {
      ++session_ratings;
      session_alerts += r.score.clinical.value_or(false) ? 1 : 0;
    }
  }

  void count_handover(const handover_record& h) {
    ++handovers;
    const auto type = static_cast<std::size_t>(h.type);
    ++by_type[type];
    acknowledged += h.state == handover_state::acknowledged ? 1 : 0;
    rejected += h.state == handover_state::rejected ? 1 : 0;
    revoked += h.state == handover_state::revoked ? 1 : 0;
    if (h.state == handover_state::acknowledged && (*h.settled_on - h.made_on).days() > 10) ++late;
    with_withheld += h.withheld.empty() ? 0 : 1;
    for (std::size_t k = 0; k < withheld_by_category.size(); ++k)
      withheld_by_category[k] += h.withheld_by_category[k];
    carried += static_cast<double>(h.carried.size());
    withheld += static_cast<double>(h.withheld.size());
    dropped += static_cast<double>(h.dropped.size());
    dropped_by_type[type] += static_cast<double>(h.dropped.size());
    profile_by_type[type] +=
        static_cast<double>(h.carried.size() + h.withheld.size() + h.dropped.size());
    if (h.type == handover_type::warm && h.from_role == party_role::mentor &&
        h.to_role == party_role::mentor && h.days_to_first_contact) {
      ++warm_between_mentors;
      warm_first_contact_soon += *h.days_to_first_contact <= 3 ? 1 : 0;
    }
  }

  /// The rates, in the order docs/synthetic.md lists them.
  [[nodiscard]] std::vector<realised_rate> rates() const {
    std::vector<realised_rate> rates;
    const auto add = [&](std::string measure, double numerator, double denominator) {
      rates.push_back({std::move(measure), numerator, denominator});
    };
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
    add("handover.warm_between_mentors.first_contact_within_3_days", warm_first_contact_soon,
        warm_between_mentors);
    add("start.ended_while_open", ended_open, starts);
    add("start.ended_after_closure", ended_after_closure, ongoing_at_closure);
    add("start.education_dropped", education_dropped, education_starts);
    add("start.education_completed", education_completed, education_starts);
    add("start.retained_12_months", retained_12_months, observed_12_months);
    add("followup.closed_with_status", closed_with_status, closed);
    add("followup.from_register", statuses_from_register, statuses);
    add("followup.in_work_or_education_12_months", working_at_12_months, statuses_at_12_months);
    return rates;
  }
};

template <class Courses>
std::vector<realised_rate> rates_of(const Courses& courses) {
  tally counts;
  for (const auto& item : courses) counts.count(detail::course_of(item));
  return counts.rates();
}

}  // namespace

std::vector<realised_rate> realised_rates(std::span<const course> courses) {
  return rates_of(courses);
}

std::vector<realised_rate> realised_rates(std::span<const course* const> courses) {
  return rates_of(courses);
}

}  // namespace mentorcore
