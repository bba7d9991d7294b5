#include "mentorcore/course.hpp"

#include <catch2/catch.hpp>

#include <random>

#include "fixtures.hpp"
#include "mentorcore/analytics/cohort.hpp"
#include "mentorcore/detail/accepted_texts_append.hpp"
#include "mentorcore/detail/free_text.hpp"

using namespace mentorcore;
using namespace fixtures;

namespace {
course full_course() {
  return course::replay(full_history());
}

template <class F>
rule_violation_error rejection(F&& call) {
  try {
    call();
  } catch (const rule_violation_error& e) {
    return e;
  }
  FAIL("expected rule_violation_error");
  throw std::logic_error("unreachable");
}
}  // namespace

TEST_CASE("A course is its history: state derives from the events", "[course]") {
  const course c = full_course();
  CHECK(c.id().str() == "K-1");
  CHECK(c.citizen().str() == "P-8d2f");
  CHECK(c.current_phase() == phase::closed);
  CHECK(c.closure() == closure_reason::job);
  CHECK(c.ordered_on() == d(2024, 1, 8));
  CHECK(c.started_on() == d(2024, 1, 15));
  CHECK(c.closed_on() == d(2024, 12, 2));
  CHECK(c.events().size() == full_history().size());
  CHECK(c.grants().size() == 2);
  CHECK(c.contacts().size() == 8);
  REQUIRE(c.pauses().size() == 1);
  CHECK(c.pauses()[0].start == d(2024, 2, 20));
  CHECK(c.pauses()[0].end == d(2024, 3, 1));
  CHECK(c.phases().size() == 6);
}

TEST_CASE("replay rebuilds an equal course; as_of gives the course on a day", "[course]") {
  const course c = full_course();
  CHECK(course::replay(c.events()) == c);

  const course in_march = c.as_of(d(2024, 3, 10));
  CHECK(in_march.current_phase() == phase::clarification);
  CHECK_FALSE(in_march.closed_on().has_value());
  CHECK(in_march.events().size() == 12);
  const auto history = full_history();
  CHECK(in_march == course::replay(std::vector<event>(history.begin(), history.begin() + 12)));
  CHECK(c.as_of(d(2024, 2, 25)).is_paused());
  CHECK(c.as_of(d(2030, 1, 1)) == c);
  CHECK_THROWS_AS(c.as_of(d(2024, 1, 7)), invalid_value_error);
}

TEST_CASE("a day to look from lies in the calendar's years, as every event's date", "[course]") {
  // Found by adversarial testing: as_of took any real date, and days_per_phase(9999-12-31)
  // stepped past the last date the date type holds. Every event lies in 1900-2200, so a view
  // from outside it is a caller's mistake, refused naming the field.
  const course c = full_course();
  const auto refused = [](auto&& look, const std::string& expected) {
    try {
      look();
      FAIL("accepted");
    } catch (const out_of_range_error& e) {
      CHECK(std::string(e.what()).find(expected) != std::string::npos);
    }
  };
  refused([&] { (void)c.as_of(d(2201, 1, 1)); }, "as_of = 2201-01-01");
  refused([&] { (void)c.days_per_phase(d(9999, 12, 31)); }, "as_of = 9999-12-31");
  refused([&] { (void)c.grant_usage_by_grant(d(2300, 1, 1)); }, "as_of = 2300-01-01");
  refused([&] { (void)c.next_report_due(d(2201, 1, 1)); }, "as_of = 2201-01-01");
  CHECK(c.as_of(d(2200, 12, 31)) == c);
}

TEST_CASE("a course restarted in the memory of another is the course built afresh",
          "[course][reader]") {
  // The log reader starts each course in the memory of the one it handed over last: every
  // view, as a cohort's rows show them all, must be the fresh course's.
  const auto restarted_as = [](course& used, const course& wanted) {
    const auto& events = wanted.events();
    detail::accepted_texts_append::restart(used, event(events.front()), reference_with_scales());
    for (std::size_t i = 1; i < events.size(); ++i)
      detail::accepted_texts_append::append(used, event(events[i]));
  };
  course used = every_event_type_course("K-9");
  const course closed = course::replay(full_history(), reference_with_scales());
  restarted_as(used, closed);
  CHECK(used == closed);
  CHECK(cohort::from_courses(std::vector<course>{used}) ==
        cohort::from_courses(std::vector<course>{closed}));

  const course rich = every_event_type_course("K-2");
  restarted_as(used, rich);
  CHECK(used == rich);
  CHECK(cohort::from_courses(std::vector<course>{used}) ==
        cohort::from_courses(std::vector<course>{rich}));

  // A refused first event leaves a course fit for another start.
  CHECK_THROWS_AS(detail::accepted_texts_append::restart(
                      used, contact(d(2024, 1, 9), location::home), reference_with_scales()),
                  error);
  restarted_as(used, closed);
  CHECK(cohort::from_courses(std::vector<course>{used}) ==
        cohort::from_courses(std::vector<course>{closed}));
  CHECK_THROWS_AS(
      detail::accepted_texts_append::restart(used, event(closed.events().front()), nullptr),
      invalid_value_error);
}

TEST_CASE("phase on any date", "[course][views]") {
  const course c = full_course();
  CHECK(c.phase_on(d(2024, 1, 8)) == phase::referred);
  CHECK(c.phase_on(d(2024, 1, 15)) == phase::pre_employment);
  CHECK(c.phase_on(d(2024, 4, 1)) == phase::clarification);
  CHECK(c.phase_on(d(2024, 4, 2)) == phase::work_trial);
  CHECK(c.phase_on(d(2024, 8, 1)) == phase::retention);
  CHECK(c.phase_on(d(2024, 12, 2)) == phase::closed);
  CHECK_THROWS_AS(c.phase_on(d(2023, 12, 31)), invalid_value_error);
}

TEST_CASE("days per phase exclude the pause", "[course][views]") {
  const course c = full_course();
  const auto days = c.days_per_phase(d(2024, 12, 2));
  CHECK(days[static_cast<std::size_t>(phase::referred)] == 7);  // 8-14 January
  // 15 Jan - 3 Mar is 49 days; the pause 20 Feb - 29 Feb (10 days) does not count.
  CHECK(days[static_cast<std::size_t>(phase::pre_employment)] == 39);
  CHECK(days[static_cast<std::size_t>(phase::clarification)] == 29);  // 4 Mar - 1 Apr
  CHECK(days[static_cast<std::size_t>(phase::work_trial)] == 62);     // 2 Apr - 2 Jun
  CHECK(days[static_cast<std::size_t>(phase::retention)] == 182);     // 3 Jun - 1 Dec
  CHECK(days[static_cast<std::size_t>(phase::closed)] == 1);
  // As of a day inside the pause: the open pause stops the clock up to that day.
  const auto during_pause = c.days_per_phase(d(2024, 2, 25));
  CHECK(during_pause[static_cast<std::size_t>(phase::pre_employment)] == 36);  // 15 Jan - 19 Feb
}

TEST_CASE("hours granted and delivered per grant and per week", "[course][views]") {
  const course c = full_course();
  const auto usage = c.grant_usage_by_grant();
  REQUIRE(usage.size() == 2);
  // G1: 15 Jan - 14 Jul 2024 = 182 days = 26 weeks at 2 hours.
  CHECK(usage[0].hours_granted == Approx(52.0));
  // Billable: 60+60+60+60+90+60 minutes (the no-show is not billable) = 6.5 hours.
  CHECK(usage[0].hours_delivered == Approx(6.5));
  CHECK(usage[0].utilisation() == Approx(6.5 / 52.0));
  CHECK(usage[1].predecessor == grant_id("G1"));
  CHECK(usage[1].hours_delivered == Approx(0.5));

  const auto weeks = c.usage_by_week();
  REQUIRE_FALSE(weeks.empty());
  CHECK(weeks.front().monday == d(2024, 1, 15));
  CHECK(weeks.front().iso_week == 3);
  CHECK(weeks.front().hours_granted == Approx(2.0));
  CHECK(weeks.front().hours_delivered == Approx(1.0));
  CHECK(weeks.front().utilisation() == Approx(0.5));
  double granted = 0;
  double delivered = 0;
  for (const auto& w : weeks) {
    granted += w.hours_granted;
    delivered += w.hours_delivered;
  }
  CHECK(granted == Approx(usage[0].hours_granted + usage[1].hours_granted));
  CHECK(delivered == Approx(7.0));
}

TEST_CASE("hours granted stop at closure and at the observation date; planned hours stay",
          "[course][views]") {
  const course c = full_course();  // closed 2 Dec 2024, G2 planned 15 Jul 2024 - 14 Jan 2025
  CHECK(c.observed_on() == d(2024, 12, 2));
  const auto usage = c.grant_usage_by_grant();
  REQUIRE(usage.size() == 2);
  CHECK(usage[0].counted_to == d(2024, 7, 14));  // G1 ended before the closure
  CHECK(usage[0].hours_planned == Approx(52.0));
  // G2: 15 Jul - 2 Dec 2024 = 141 days at 1 hour a week; planned 184 days.
  CHECK(usage[1].counted_to == d(2024, 12, 2));
  CHECK(usage[1].hours_granted == Approx(141.0 / 7.0));
  CHECK(usage[1].hours_planned == Approx(184.0 / 7.0));
  CHECK(usage[1].provider == provider_id("provider-7"));
  CHECK_FALSE(usage[0].provider);

  // An earlier observation date counts less, and the course's own as_of view defaults to it.
  const auto in_march = c.grant_usage_by_grant(d(2024, 3, 14));
  CHECK(in_march[0].counted_to == d(2024, 3, 14));
  CHECK(in_march[0].hours_granted == Approx(60.0 * 2.0 / 7.0));  // 15 Jan - 14 Mar: 60 days
  CHECK(in_march[0].hours_delivered == Approx(5.5));             // the 4 Mar contact is in
  CHECK(in_march[1].hours_granted == 0.0);                       // G2 had not started
  CHECK(c.as_of(d(2024, 3, 14)).observed_on() == d(2024, 3, 14));
  CHECK(c.as_of(d(2024, 3, 14)).grant_usage_by_grant()[0].hours_granted ==
        Approx(in_march[0].hours_granted));
  course view = c.as_of(d(2024, 3, 14));
  view.append(contact(d(2024, 3, 20), location::provider_office));  // after the view's day
  CHECK(view.observed_on() == d(2024, 3, 20));
  course same_day = c.as_of(d(2024, 3, 14));
  same_day.append(contact(d(2024, 3, 14), location::provider_office));
  CHECK(same_day.observed_on() == d(2024, 3, 14));

  // The weeks add up to the counted grants and stop at the closure.
  double granted = 0;
  const auto weeks = c.usage_by_week();
  for (const auto& w : weeks) granted += w.hours_granted;
  CHECK(granted == Approx(usage[0].hours_granted + usage[1].hours_granted));
  CHECK(weeks.back().monday == d(2024, 12, 2));

  // A closed stretch between a closure and a reopening is not granted.
  course reopened = full_course();
  reopened.append(reopen(d(2024, 12, 10)));  // closed 3-9 Dec: 7 days
  const auto after = reopened.grant_usage_by_grant(d(2025, 1, 31));
  CHECK(after[1].counted_to == d(2025, 1, 14));
  CHECK(after[1].hours_granted == Approx((184.0 - 7.0) / 7.0));

  CHECK_THROWS_AS(c.grant_usage_by_grant(boost::gregorian::date(boost::gregorian::not_a_date_time)),
                  invalid_value_error);
}

TEST_CASE("the provider on a date is the provider of the grant in force", "[course][views]") {
  const course c = full_course();
  CHECK_FALSE(c.provider_on(d(2024, 3, 1)));  // G1 names no provider
  CHECK(c.provider_on(d(2024, 8, 1)) == provider_id("provider-7"));
  CHECK_FALSE(c.provider_on(d(2025, 3, 1)));  // no grant
}

TEST_CASE("the end of a start: while open, after closure within the follow-up, never twice",
          "[course][rules]") {
  course c = full_course();  // job start 3 Jun 2024, closed 2 Dec 2024
  REQUIRE(c.starts().size() == 1);
  CHECK_FALSE(c.starts()[0].end);
  CHECK(c.course_started_on() == d(2024, 1, 15));
  CHECK(c.started_on() == c.course_started_on());
  CHECK(c.first_job_or_education_start() == d(2024, 6, 3));
  CHECK(c.follow_up_ends_on() == d(2025, 12, 2));

  // education_dropped does not fit a job; after the follow-up nothing may be recorded.
  const auto wrong_cause =
      rejection([&] { c.append(start_end(d(2025, 2, 1), start_end_cause::education_dropped)); });
  CHECK_THAT(wrong_cause.rule(), Catch::Contains("ordinary_job, not education"));
  const auto too_late =
      rejection([&] { c.append(start_end(d(2025, 12, 3), start_end_cause::dismissed)); });
  CHECK_THAT(too_late.rule(), Catch::Contains("its follow-up ran 12 months, to 2025-12-02"));
  CHECK(c.events().size() == full_history().size());

  c.append(start_end(d(2025, 12, 2), start_end_cause::dismissed));  // the last day of follow-up
  CHECK(c.starts()[0].end == d(2025, 12, 2));
  CHECK(c.starts()[0].cause == start_end_cause::dismissed);
  CHECK(c.current_phase() == phase::closed);  // it does not reopen the course
  const auto twice = rejection([&] { c.append(start_end(d(2025, 12, 2), start_end_cause::quit)); });
  CHECK_THAT(twice.rule(), Catch::Contains("the last one ended on 2025-12-02"));

  auto history = full_history();
  history.insert(history.begin() + 2, start_end(d(2024, 1, 12), start_end_cause::other));
  CHECK_THROWS_WITH(course::replay(history), Catch::Contains("no start in work or education"));
}

TEST_CASE("a start recorded while another is ongoing takes over from it", "[course][rules]") {
  auto history = full_history();
  history.pop_back();  // keep the course open
  course c = course::replay(history);
  c.append(job_start(d(2024, 9, 2), start_type::flex_job));
  c.append(start_end(d(2024, 10, 1), start_end_cause::trial_period_failed));
  REQUIRE(c.starts().size() == 2);
  CHECK(c.starts()[0].end == d(2024, 9, 2));
  CHECK(c.starts()[0].superseded);
  CHECK_FALSE(c.starts()[0].cause);
  CHECK(c.starts()[1].type == start_type::flex_job);
  CHECK(c.starts()[1].cause == start_end_cause::trial_period_failed);
  CHECK_FALSE(c.starts()[1].superseded);
}

TEST_CASE("statuses after closure: only on a closed course, within the follow-up",
          "[course][rules]") {
  auto history = full_history();
  history.pop_back();
  course open = course::replay(history);
  const auto not_closed =
      rejection([&] { open.append(status(d(2024, 12, 1), followup_status::in_work)); });
  CHECK_THAT(not_closed.rule(),
             Catch::Contains("needs a closed course (the course is in retention)"));

  course c = full_course();
  c.append(status(d(2025, 1, 2), followup_status::in_work, status_source::employer));
  c.append(status(d(2025, 12, 2), followup_status::on_benefit));
  CHECK_THROWS_AS(c.append(status(d(2025, 12, 3), followup_status::in_work)), rule_violation_error);
  REQUIRE(c.statuses_after_closure().size() == 2);
  const auto& first = c.statuses_after_closure()[0];
  CHECK(first.on == d(2025, 1, 2));
  CHECK(first.closed_on == d(2024, 12, 2));
  CHECK(first.days_after_closure == 31);
  CHECK(first.source == status_source::employer);
  CHECK(c.current_phase() == phase::closed);
  // Follow-up events are part of the history: as_of before them leaves them out.
  CHECK(c.as_of(d(2025, 1, 1)).statuses_after_closure().empty());
  CHECK(course::replay(c.events()) == c);
}

TEST_CASE("attendance by location and home-visit share by month", "[course][views]") {
  const course c = full_course();
  const auto rows = c.attendance_by_location();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].where == location::home);
  CHECK(rows[0].contacts == 3);
  CHECK(rows[0].count(attendance::attended) == 2);
  CHECK(rows[0].count(attendance::no_show) == 1);
  CHECK(rows[1].where == location::provider_office);
  CHECK(rows[1].contacts == 3);
  CHECK(rows[2].where == location::workplace);

  const auto months = c.home_visit_share_by_month();
  REQUIRE(months.size() >= 2);
  CHECK(months[0].month_of_course == 0);  // 15 Jan - 14 Feb: two home visits, one office
  CHECK(months[0].home_visits == 2);
  CHECK(months[0].in_person_contacts == 3);
  CHECK(months[1].home_visits == 0);  // 15 Feb - 14 Mar: office only
  CHECK(months[1].in_person_contacts == 2);
}

TEST_CASE("independence milestones are derived where possible", "[course][views]") {
  course c = full_course().as_of(d(2024, 6, 30));
  auto reached = c.milestones();
  REQUIRE(reached.size() == 3);
  CHECK(reached[0].which == milestone::first_office_visit);
  CHECK(reached[0].on == d(2024, 2, 5));
  CHECK(reached[0].derived);
  CHECK(reached[1].which == milestone::work_trial_start);
  CHECK(reached[1].on == d(2024, 4, 2));
  CHECK(reached[2].which == milestone::job_or_education_start);
  CHECK(reached[2].on == d(2024, 6, 3));

  c.append({d(2024, 6, 30), mentor(), milestone_recorded{milestone::first_own_appointment_alone}});
  reached = c.milestones();
  REQUIRE(reached.size() == 4);
  CHECK(reached[1].which == milestone::first_own_appointment_alone);
  CHECK_FALSE(reached[1].derived);
  const auto again = rejection([&] {
    c.append({d(2024, 7, 1), mentor(), milestone_recorded{milestone::first_own_appointment_alone}});
  });
  CHECK_THAT(again.rule(), Catch::Contains("already recorded on 2024-06-30"));
}

TEST_CASE("next report due under a reporting policy in working days", "[course][views]") {
  const course c = full_course();
  // Started Monday 15 Jan 2024: first report 10 working days later = 29 Jan.
  CHECK(c.next_report_due(d(2024, 1, 16)) == d(2024, 1, 29));
  // Then every 3 months from the start: 15 Apr, 15 Jul, 15 Oct 2024.
  CHECK(c.next_report_due(d(2024, 1, 30)) == d(2024, 4, 15));
  CHECK(c.next_report_due(d(2024, 7, 16)) == d(2024, 10, 15));
  // As the course stood on 16 October nobody knew it would close: next quarter, 15 Jan 2025.
  CHECK(c.next_report_due(d(2024, 10, 16)) == d(2025, 1, 15));
  // After closure on Monday 2 Dec: the final report, 10 working days later.
  CHECK(c.next_report_due(d(2024, 12, 3)) == d(2024, 12, 16));
  CHECK_FALSE(c.next_report_due(d(2024, 12, 17)).has_value());
  // Not started yet: no report due.
  CHECK_FALSE(c.next_report_due(d(2024, 1, 9)).has_value());
  // A scheduled date on a closed day rolls forward: 15 Jun 2024 is a Saturday.
  reporting_policy monthly;
  monthly.report_every_months = 1;
  CHECK(c.next_report_due(d(2024, 6, 1), monthly) == d(2024, 6, 17));
  reporting_policy bad;
  bad.report_every_months = 0;
  CHECK_THROWS_AS(c.next_report_due(d(2024, 6, 1), bad), invalid_value_error);
}

TEST_CASE("warnings: retention window and grant cover", "[course][views]") {
  std::vector<event> history = full_history();
  history.pop_back();  // not closed
  const course open = course::replay(history);
  CHECK(open.warnings(d(2024, 11, 1)).empty());
  const auto late = open.warnings(d(2025, 1, 1));
  REQUIRE(late.size() == 1);
  CHECK(late[0].code == "retention_exceeded");
  CHECK(late[0].on == d(2024, 12, 3));
  const auto uncovered = open.warnings(d(2025, 1, 20));
  REQUIRE(uncovered.size() == 2);
  CHECK(uncovered[1].code == "no_active_grant");

  history.push_back(close(d(2024, 7, 20)));
  const auto short_retention = course::replay(history).warnings(d(2024, 7, 20));
  REQUIRE(short_retention.size() == 1);
  CHECK(short_retention[0].code == "retention_shorter_than_planned");
}

TEST_CASE("rejected events name course, event, date and rule, and change nothing",
          "[course][rules]") {
  const auto history = full_history();
  course c = course::replay(std::vector<event>(history.begin(), history.begin() + 8));
  const course before = c;

  auto e = rejection([&] { c.append(contact(d(2024, 2, 1), location::home)); });
  CHECK(e.course() == "K-1");
  CHECK(e.event_index() == 8);
  CHECK(e.event_type() == "contact_logged");
  CHECK(e.date() == "2024-02-01");
  CHECK_THAT(e.rule(), Catch::Contains("dates out of order"));
  CHECK_THAT(
      std::string(e.what()),
      Catch::StartsWith("course K-1, event #8 contact_logged on 2024-02-01: dates out of order"));

  CHECK_THAT(rejection([&] { c.append(to_phase(d(2024, 2, 20), phase::referred)); }).rule(),
             Catch::Contains("cannot return to referred"));
  CHECK_THAT(rejection([&] { c.append(to_phase(d(2024, 2, 20), phase::closed)); }).rule(),
             Catch::Contains("closed event"));
  CHECK_THAT(rejection([&] { c.append(to_phase(d(2024, 2, 20), phase::pre_employment)); }).rule(),
             Catch::Contains("already in pre_employment"));
  CHECK_THAT(rejection([&] { c.append(to_phase(d(2024, 2, 20), phase::retention)); }).rule(),
             Catch::Contains("retention needs a recorded start"));
  CHECK_THAT(
      rejection([&] { c.append(to_phase(d(2024, 2, 20), phase::clarification, "")); }).rule(),
      Catch::Contains("reason"));
  CHECK_THAT(rejection([&] { c.append(order(d(2024, 2, 20))); }).rule(),
             Catch::Contains("already ordered"));
  CHECK_THAT(rejection([&] { c.append(resume(d(2024, 2, 20))); }).rule(),
             Catch::Contains("not paused"));
  CHECK_THAT(rejection([&] { c.append(reopen(d(2024, 2, 20))); }).rule(),
             Catch::Contains("only a closed course"));
  CHECK_THAT(rejection([&] {
               c.append(contact(d(2024, 2, 20), location::home, attendance::attended, 0));
             }).rule(),
             Catch::Contains("actual_minutes above 0"));
  event no_author = contact(d(2024, 2, 20), location::home);
  no_author.recorded_by = staff_id();
  CHECK_THAT(rejection([&] { c.append(no_author); }).rule(), Catch::Contains("recorded_by"));
  CHECK(c == before);

  c.append(pause(d(2024, 2, 20)));
  CHECK_THAT(rejection([&] { c.append(to_phase(d(2024, 2, 21), phase::clarification)); }).rule(),
             Catch::Contains("paused since 2024-02-20 (illness); resume it first"));
  CHECK_THAT(rejection([&] { c.append(pause(d(2024, 2, 21))); }).rule(),
             Catch::Contains("already paused"));
}

TEST_CASE("contacts only while the course runs", "[course][rules]") {
  course c(order(d(2024, 1, 8)));
  CHECK_THAT(rejection([&] { c.append(contact(d(2024, 1, 9), location::home)); }).rule(),
             Catch::Contains("has not started"));
  const course closed = full_course();
  course after = closed;
  const auto e = rejection([&] { after.append(contact(d(2024, 12, 3), location::home)); });
  CHECK_THAT(
      e.rule(),
      Catch::Contains(
          "closed on 2024-12-02 (job); only reopened, start_ended and status_recorded may follow"));
  CHECK(after == closed);
  contact_logged unpaid = get<contact_logged>(contact(d(2024, 1, 20), location::home).data);
  unpaid.billable = false;
  course started(order(d(2024, 1, 8)));
  started.append(to_phase(d(2024, 1, 15), phase::pre_employment));
  CHECK_THAT(rejection([&] {
               started.append({d(2024, 1, 20), mentor(), unpaid});
             }).rule(),
             Catch::Contains("needs a non_billable_reason"));
}

TEST_CASE("closing and an explicit, logged reopen", "[course][rules]") {
  course c = full_course();
  c.append(reopen(d(2024, 12, 10)));
  CHECK(c.current_phase() == phase::retention);
  CHECK_FALSE(c.closed_on().has_value());
  CHECK(c.events().back().type() == "reopened");
  c.append(contact(d(2024, 12, 11), location::workplace));
  c.append(close(d(2025, 1, 10)));
  CHECK(c.closed_on() == d(2025, 1, 10));
  CHECK(course::replay(c.events()) == c);
}

TEST_CASE("grants: plan fields, Danish 6-month limit, legal basis validity, extensions",
          "[course][grants]") {
  course c(order(d(2024, 1, 8)));
  c.append(grant(d(2024, 1, 10), "G1", d(2024, 1, 31), d(2024, 7, 31)));  // month-end to month-end
  CHECK(c.grants().size() == 1);

  auto too_long = grant(d(2024, 1, 10), "G2", d(2024, 8, 1), d(2025, 2, 2));
  CHECK_THAT(
      rejection([&] { c.append(too_long); }).rule(),
      Catch::Contains(
          "more than 6 months after start 2024-08-01 (latest end under LAB-167: 2025-02-01)"));

  auto overlapping = grant(d(2024, 1, 10), "G2", d(2024, 7, 1), d(2024, 12, 31));
  CHECK_THAT(rejection([&] { c.append(overlapping); }).rule(),
             Catch::Contains("overlaps grant G1"));

  auto no_goal = grant(d(2024, 1, 10), "G2", d(2024, 8, 1), d(2025, 1, 31));
  get<grant_made>(no_goal.data).goal.clear();
  CHECK_THAT(rejection([&] { c.append(no_goal); }).rule(), Catch::Contains("goal is required"));

  auto no_hours = grant(d(2024, 1, 10), "G2", d(2024, 8, 1), d(2025, 1, 31), 0.0);
  CHECK_THAT(rejection([&] { c.append(no_hours); }).rule(), Catch::Contains("hours_per_week"));

  auto unknown_predecessor = grant(d(2024, 1, 10), "G2", d(2024, 8, 1), d(2025, 1, 31), 2.0, "G9");
  CHECK_THAT(rejection([&] { c.append(unknown_predecessor); }).rule(),
             Catch::Contains("G9 does not exist"));

  auto old_law = grant(d(2024, 1, 10), "G2", d(2024, 8, 1), d(2025, 1, 31));
  get<grant_made>(old_law.data).legal_basis = "LAB2003-31b";
  CHECK_THAT(rejection([&] { c.append(old_law); }).rule(),
             Catch::Contains("not valid on 2024-08-01 (valid 2014-01-01 to 2019-12-31)"));

  auto duplicate = grant(d(2024, 1, 10), "G1", d(2024, 8, 1), d(2025, 1, 31));
  CHECK_THAT(rejection([&] { c.append(duplicate); }).rule(), Catch::Contains("G1 already exists"));

  c.append(grant(d(2024, 7, 20), "G2", d(2024, 8, 1), d(2025, 1, 31), 1.5, "G1"));
  CHECK(c.grants().size() == 2);

  // A legal basis with a longer limit: discharge from psychiatry, 9 months.
  auto psychiatry = grant(d(2025, 1, 20), "G3", d(2025, 2, 1), d(2025, 11, 1));
  get<grant_made>(psychiatry.data).legal_basis = "LAB-167-2";
  c.append(psychiatry);
  CHECK(c.grants().size() == 3);
}

TEST_CASE("the order is validated against reference data", "[course][reference]") {
  auto bad_group = order(d(2024, 1, 8));
  get<course_ordered>(bad_group.data).target_group = "flygtninge";
  try {
    course c(bad_group);
    FAIL("expected rule_violation_error");
  } catch (const rule_violation_error& e) {
    CHECK(e.event_index() == 0);
    CHECK_THAT(e.rule(),
               Catch::Contains("target_group = \"flygtninge\": not a known target_group code"));
  }
  auto before_validity = order(d(2019, 6, 1));
  CHECK_THROWS_WITH(course(before_validity), Catch::Contains("not valid on 2019-06-01"));
  auto bad_window = order(d(2024, 1, 8));
  get<course_ordered>(bad_window.data).retention_min_months = 7;
  CHECK_THROWS_WITH(course(bad_window), Catch::Contains("retention window 7-6"));
  CHECK_THROWS_AS(course::replay(std::vector<event>{}), invalid_value_error);
  CHECK_THROWS_WITH(course::replay(std::vector<event>{contact(d(2024, 1, 8), location::home)}),
                    Catch::Contains("starts with course_ordered"));
}

TEST_CASE("retention needs a start or a clarification outcome, and loses it on leaving",
          "[course][rules]") {
  course c(order(d(2024, 1, 8)));
  c.append(to_phase(d(2024, 1, 15), phase::clarification));
  c.append(
      {d(2024, 2, 1), mentor(), clarification_concluded{clarification_outcome::education, ""}});
  c.append(to_phase(d(2024, 2, 1), phase::retention, "enrolled"));
  c.append(to_phase(d(2024, 3, 1), phase::clarification, "dropped out of school"));
  CHECK_THROWS_AS(c.append(to_phase(d(2024, 3, 2), phase::retention)), rule_violation_error);
  c.append(job_start(d(2024, 4, 1), start_type::flex_job));
  c.append(to_phase(d(2024, 4, 1), phase::retention, "flex job"));
  CHECK(c.current_phase() == phase::retention);
}

TEST_CASE(
    "property: random event streams; accepted ones replay equal, rejected ones change nothing",
    "[course][property]") {
  std::mt19937 rng(20261122);
  const auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  int accepted = 0;
  int rejected = 0;
  for (int run = 0; run < 150; ++run) {
    course c(order(d(2024, 1, 1), "K-" + std::to_string(run)));
    date day = d(2024, 1, 1);
    int grants = 0;
    for (int step = 0; step < 60; ++step) {
      // Mostly forward in time, sometimes backwards (which must be rejected).
      day += boost::gregorian::days(pick(10) == 0 ? -pick(5) : pick(8));
      event e = contact(day, static_cast<location>(pick(9)), static_cast<attendance>(pick(6)));
      switch (pick(10)) {
        case 0: e = to_phase(day, static_cast<phase>(pick(6))); break;
        case 1: e = pause(day); break;
        case 2: e = resume(day); break;
        case 3:
          e = pick(3) == 0 ? close(day, static_cast<closure_reason>(pick(11))) : reopen(day);
          break;
        case 4: e = job_start(day); break;
        case 5: {
          const int length = pick(8);
          e = grant(day, "G" + std::to_string(grants + pick(2)), day, add_months(day, length),
                    1.0 + pick(3),
                    grants > 0 && pick(2)
                        ? std::optional<std::string>("G" + std::to_string(grants - 1))
                        : std::nullopt);
          break;
        }
        case 6: e = {day, mentor(), milestone_recorded{static_cast<milestone>(pick(4))}}; break;
        default: break;
      }
      const course before = c;
      try {
        c.append(e);
        ++accepted;
        if (holds_alternative<grant_made>(e.data)) ++grants;
      } catch (const rule_violation_error&) {
        ++rejected;
        REQUIRE(c == before);
        REQUIRE(c.current_phase() == before.current_phase());
        REQUIRE(c.grant_usage_by_grant().size() == before.grant_usage_by_grant().size());
      }
    }
    const course replayed = course::replay(c.events());
    REQUIRE(replayed == c);
    REQUIRE(replayed.current_phase() == c.current_phase());
    REQUIRE(replayed.days_per_phase(day) == c.days_per_phase(day));
    REQUIRE(replayed.milestones().size() == c.milestones().size());
    const date middle = c.ordered_on() + boost::gregorian::days((day - c.ordered_on()).days() / 2);
    if (middle >= c.ordered_on()) {
      REQUIRE(c.as_of(middle).current_phase() == c.phase_on(middle));
    }
  }
  // Both paths were exercised substantially.
  CHECK(accepted > 2000);
  CHECK(rejected > 1000);
}

// ---- the one text rule (detail/text.hpp, detail/free_text.hpp) ------------------------------

namespace {

// The shapes of a CPR number a person might type into a text. All end in 5678, which nothing
// else in the fixture's courses holds.
const std::vector<std::string>& cpr_test_planted_forms() {
  static const std::vector<std::string> forms = {"0101905678",     "010190-5678", "010190 5678",
                                                 "01 01 90 56 78", "101905678",   "10190-5678"};
  return forms;
}

// Appends a CPR-shaped number to every text of `value` except the reference-data codes and the
// knowledge category (a-z, 0-9 and _), which must stay valid for the course to accept the
// event; returns how many texts it changed.
template <class T>
std::size_t cpr_test_plant(T& value, std::string_view name, std::size_t& next) {
  const auto planted = [&](const std::string& text) {
    return text + " cpr " + cpr_test_planted_forms()[next++ % cpr_test_planted_forms().size()];
  };
  if constexpr (std::is_same_v<T, std::string>) {
    for (const std::string_view code : {"target_group", "assessment_category", "legal_basis",
                                        "instrument", "age_band", "category"}) {
      if (name == code) return 0;
    }
    value = planted(value);
    return 1;
  } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
    return value ? cpr_test_plant(*value, name, next) : 0;
  } else if constexpr (detail::free_text_list<T>) {
    std::size_t count = 0;
    for (auto& item : value) count += cpr_test_plant(item, name, next);
    return count;
  } else if constexpr (detail::free_text_record<T>) {
    std::size_t count = 0;
    for_each_field(value, [&](std::string_view field, auto& member, bool) {
      count += cpr_test_plant(member, field, next);
    });
    return count;
  } else {
    return 0;
  }
}

}  // namespace

TEST_CASE("a CPR number typed into any text is stored redacted", "[course][personal-data]") {
  const course original = every_event_type_course();
  std::vector<event> planted = original.events();
  std::size_t texts = 0;
  std::size_t next = 0;
  for (auto& e : planted) {
    visit([&](auto& payload) { texts += cpr_test_plant(payload, "", next); }, e.data);
  }
  CHECK(texts >= 30);  // every text field of the fixture, lists and records included

  // The one gate counts what it replaced, and replaces everything planted.
  std::vector<event> gated = planted;
  std::size_t redacted = 0;
  for (auto& e : gated) redacted += detail::accept_free_texts(e.data);
  CHECK(redacted == texts);

  // The course applies the same gate on append, whoever built the event.
  const course c = course::replay(planted, reference_with_scales());
  REQUIRE(c.events().size() == planted.size());
  CHECK(c.events() == gated);
  for (event copy : c.events()) CHECK(detail::accept_free_texts(copy.data) == 0);  // none left
}

TEST_CASE("every text has the same length limit, checked on every append", "[course][limits]") {
  course c = course::replay(full_history());
  const std::string longest(detail::max_text_length, 'x');
  const std::string too_long = longest + "y";
  const date day = c.events().back().date;
  c.append({day, caseworker(), course_reopened{longest}});
  CHECK(get<course_reopened>(c.events().back().data).reason.size() == detail::max_text_length);
  const course reopened = c;
  // Texts that had no limit before (a reason, a note, the employer) now have the one limit.
  try {
    c.append({day, mentor(), phase_changed{phase::retention, too_long}});
    FAIL("no error");
  } catch (const invalid_value_error& e) {
    CHECK(e.field() == "reason");
    CHECK_THAT(e.reason(), Catch::Contains("longer than 4000 bytes"));
  }
  CHECK(c == reopened);
  handover_made h;
  h.handover = handover_id("H9");
  h.from = mentor();
  h.to = staff_id("mentor-9");
  h.purpose = "continuity";
  h.actions = {{"Ring", "mentor-9", std::nullopt}, {too_long, "citizen", std::nullopt}};
  try {
    c.append({day, mentor(), h});
    FAIL("no error");
  } catch (const invalid_value_error& e) {
    CHECK(e.field() == "actions[1].task");
  }
  CHECK(c == reopened);
}
