// A product that needs only the model: the Danish calendar and a course checked against the
// built-in reference data. Everything here is header-only (mentorcore::core), the cohort analytics
// included: every other build takes the model's definitions compiled from mentorcore::io
// (MENTORCORE_SEPARATE_COMPILATION), so this program is where the inline ones are compiled.
#include <cmath>
#include <iostream>

#include <mentorcore/analytics/cohort_parts.hpp>
#include <mentorcore/analytics/summary.hpp>
#include <mentorcore/analytics/survival.hpp>
#include <mentorcore/calendar.hpp>
#include <mentorcore/course.hpp>

int main() {
  using namespace mentorcore;
  const date referral(2026, 12, 18);
  const date report_due = add_working_days(referral, 10);
  std::cout << "report due " << to_iso(report_due) << '\n';

  const staff_id caseworker("cw-1");
  course_ordered order;
  order.course = course_id("K-1");
  order.citizen = citizen_key("P-1");
  order.municipality = municipality_code(101);
  order.target_group = "kontanthjaelp_aktivitetsparat";
  order.caseworker = caseworker;
  course c(event{referral, caseworker, order}, reference_data::builtin());

  grant_made grant;
  grant.grant = grant_id("G1");
  grant.goal = "Stabil hverdag";
  grant.mentor = staff_id("mentor-1");
  grant.mentor_contact = "via udbyderen";
  grant.tasks = "Ugentlige samtaler";
  grant.hours_per_week = 2.0;
  grant.start = report_due;
  grant.end = add_months(report_due, 6);
  grant.legal_basis = "LAB-167";
  c.append(event{referral, caseworker, grant});

  // A grant beyond the legal basis's six months is a rule violation, not a crash.
  grant_made too_long = grant;
  too_long.grant = grant_id("G2");
  too_long.start = add_months(grant.end, 1);
  too_long.end = add_months(too_long.start, 7);
  bool refused = false;
  try {
    c.append(event{referral, caseworker, too_long});
  } catch (const rule_violation_error& e) {
    std::cout << "refused: " << e.what() << '\n';
    refused = true;
  }

  std::cout << c.id().str() << ": " << c.grants().size() << " grant, phase "
            << to_string(c.current_phase()) << '\n';

  // The survival estimators' confidence bands use the normal quantile: 1.959963984540054 at 97.5%.
  const double z = normal_quantile(0.975);
  std::cout << "normal quantile at 0.975: " << z << '\n';
  const bool quantile_right = std::abs(z - 1.959963984540054) < 1e-12;
  const bool right = report_due == date(2027, 1, 7) && c.grants().size() == 1 && refused;
  return right && quantile_right ? 0 : 1;
}
