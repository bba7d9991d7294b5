#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "mentorcore/course.hpp"

using namespace mentorcore;
using namespace fixtures;

namespace {

std::shared_ptr<const reference_data> reference_with_two_scales() {
  reference_data extra;
  extra.add_instrument(instrument("outcome", "1", std::vector<item_bounds>(4, item_bounds{0, 10}),
                                  {}, {{"adult", 25}}, 5, true,
                                  {{alert_rule_kind::no_reliable_improvement, 1, 3}}));
  extra.add_instrument(instrument(
      "session", "1", std::vector<item_bounds>(4, item_bounds{0, 10}), {}, {{"all", 36}}, 0, true,
      {{alert_rule_kind::below_cutoff, 1, 3}, {alert_rule_kind::drop_from_previous, 1, 3}}));
  return std::make_shared<const reference_data>(reference_data::builtin()->extended(extra));
}

course started_course() {
  course c(order(d(2024, 1, 8)), reference_with_two_scales());
  c.append(to_phase(d(2024, 1, 15), phase::pre_employment));
  return c;
}

event assess(const date& on, const std::string& behaviour, stage s,
             assessment_method method = assessment_method::clinical_judgement) {
  stage_assessed a;
  a.behaviour = behaviour;
  a.assessed = s;
  a.method = method;
  a.assessor = mentor();
  return {on, mentor(), a};
}

event rate(const date& on, const std::string& scale, std::vector<double> answers,
           std::optional<std::string> band = std::nullopt) {
  return {on, mentor(),
          rating_recorded{scale, std::move(answers), rater::citizen, std::move(band)}};
}

template <class F>
std::string rule_of(F&& call) {
  try {
    call();
  } catch (const rule_violation_error& e) {
    return e.rule();
  }
  return "no rule_violation_error";
}

}  // namespace

TEST_CASE("stages per behaviour: several at once, relapses are data", "[course][motivation]") {
  course c = started_course();
  c.append(assess(d(2024, 1, 15), "attends_appointments_alone", stage::precontemplation));
  c.append(assess(d(2024, 1, 15), "looks_for_work", stage::contemplation));
  c.append(assess(d(2024, 2, 1), "attends_appointments_alone", stage::contemplation));
  c.append(assess(d(2024, 3, 1), "attends_appointments_alone", stage::preparation));
  c.append(assess(d(2024, 3, 15), "attends_appointments_alone", stage::preparation));
  c.append(assess(d(2024, 4, 1), "attends_appointments_alone", stage::contemplation));  // a relapse
  const auto trajectories = c.stage_trajectories();
  REQUIRE(trajectories.size() == 2);
  const auto& alone = trajectories[0];
  CHECK(alone.behaviour == "attends_appointments_alone");
  CHECK(alone.current == stage::contemplation);
  CHECK(alone.assessments == 5);
  CHECK(alone.forward_moves == 2);
  CHECK(alone.relapses == 1);
  CHECK(alone.since == d(2024, 4, 1));
  CHECK(alone.days_in_stage(d(2024, 4, 11)) == 10);
  CHECK(alone.transitions[0][1] == 1);
  CHECK(alone.transitions[1][2] == 1);
  CHECK(alone.transitions[2][2] == 1);
  CHECK(alone.transitions[2][1] == 1);
  CHECK(trajectories[1].current == stage::contemplation);
  CHECK(trajectories[1].assessments == 1);

  auto alerts = c.alerts(d(2024, 4, 1));
  REQUIRE(alerts.size() == 2);
  CHECK(alerts[0].code ==
        "no_contact");  // no contacts at all since the start; alerts come in date order
  alerts.erase(alerts.begin());
  CHECK(alerts[0].code == "stage_relapse");
  CHECK(alerts[0].subject == "attends_appointments_alone");
  CHECK(alerts[0].message == "attends_appointments_alone: back from preparation to contemplation");
}

TEST_CASE("rulers store their bounds and are checked against them", "[course][motivation]") {
  course c = started_course();
  event ruler =
      assess(d(2024, 1, 20), "looks_for_work", stage::contemplation, assessment_method::ruler);
  CHECK_THAT(rule_of([&] { c.append(ruler); }),
             Catch::Contains("needs importance, confidence or readiness"));
  auto& a = get<stage_assessed>(ruler.data);
  a.importance = 8;
  a.confidence = 3;
  c.append(ruler);
  a.ruler_min = 1;
  a.confidence = 0;
  CHECK_THAT(rule_of([&] { c.append(ruler); }),
             Catch::Contains("confidence = 0: outside the ruler scale 1-10"));
  CHECK(c.stage_assessments().size() == 1);
}

TEST_CASE("a stage score and a ruler scale are bounded, so no CPR number fits in them",
          "[course][motivation][personal-data]") {
  course c = started_course();
  event ruler =
      assess(d(2024, 1, 20), "looks_for_work", stage::contemplation, assessment_method::ruler);
  auto& a = get<stage_assessed>(ruler.data);
  a.importance = 8;
  a.ruler_max = 101905678;
  const std::string scale = rule_of([&] { c.append(ruler); });
  CHECK_THAT(scale, Catch::Contains("a ruler runs within 0-100"));
  CHECK(scale.find("101905678") == std::string::npos);  // the error redacts it
  a.ruler_max = max_ruler_value;
  a.score = 101905678.0;
  CHECK_THAT(rule_of([&] { c.append(ruler); }), Catch::Contains("outside -1000 to 1000"));
  a.score = -max_stage_score;
  c.append(ruler);
  CHECK(c.stage_assessments().size() == 1);
}

TEST_CASE("ratings are scored against the course's instruments, with alerts", "[course][ratings]") {
  course c = started_course();
  c.append(rate(d(2024, 1, 15), "outcome", {4, 5, 5, 4}, std::string("adult")));  // 18
  c.append(rate(d(2024, 1, 15), "session", {9, 9, 9, 9}));                        // 36
  c.append(rate(d(2024, 1, 22), "outcome", {5, 5, 6, 5}, std::string("adult")));  // 21
  c.append(contact(d(2024, 1, 29), location::home));
  c.append(
      rate(d(2024, 1, 29), "outcome", {5, 5, 5, 5}, std::string("adult")));  // 20: 3 sessions, +2
  c.append(rate(d(2024, 1, 29), "session", {9, 9, 9, 8}));                   // 35: below and a drop
  const auto outcome = c.ratings("outcome");
  REQUIRE(outcome.size() == 3);
  CHECK(outcome[0].session == 1);
  CHECK_FALSE(outcome[0].from_baseline.has_value());
  CHECK(outcome[1].from_previous->change == 3);
  CHECK(outcome[2].from_baseline->change == 2);
  CHECK_FALSE(outcome[2].from_baseline->reliably_improved);
  CHECK(c.ratings().size() == 5);

  const auto alerts = c.alerts(d(2024, 1, 29));
  std::vector<std::string> codes;
  for (const auto& a : alerts) codes.push_back(a.code);
  CHECK(codes ==
        std::vector<std::string>{"no_reliable_improvement", "below_cutoff", "rating_drop"});
  CHECK(alerts[0].message ==
        "no reliable improvement on outcome after 3 ratings (change 2, reliable change 5)");
  CHECK(alerts[1].message == "session total 35 is on the problem side of the cut-off 36");

  CHECK_THAT(rule_of([&] {
               c.append(rate(d(2024, 2, 1), "ors", {1, 2, 3, 4}));
             }),
             Catch::Contains("instrument = \"ors\": not defined"));
  CHECK_THAT(rule_of([&] {
               c.append(rate(d(2024, 2, 1), "outcome", {1, 2, 3}));
             }),
             Catch::Contains("answers = 3 answers: outcome has 4 items"));
  CHECK_THAT(rule_of([&] {
               c.append(rate(d(2024, 2, 1), "outcome", {1, 2, 3, 12}));
             }),
             Catch::Contains("answers[3] = 12"));
  CHECK_THAT(rule_of([&] {
               c.append(rate(d(2024, 2, 1), "outcome", {1, 2, 3, 4}, std::string("child")));
             }),
             Catch::Contains("age_band = \"child\""));
  CHECK(c.ratings().size() == 5);
}

TEST_CASE("goals in the citizen's words, steps and who did them: the empowerment measure",
          "[course][goals]") {
  course c = started_course();
  c.append(
      {d(2024, 1, 15), mentor(), goal_set{goal_id("goal-1"), "Jeg vil kunne tage bussen alene"}});
  c.append({d(2024, 1, 15), mentor(),
            step_planned{step_id("s1"), goal_id("goal-1"), "Find køreplan", std::nullopt}});
  c.append({d(2024, 1, 15), mentor(),
            step_planned{step_id("s2"), goal_id("goal-1"), "Køb rejsekort", d(2024, 2, 1)}});
  c.append({d(2024, 1, 16), mentor(),
            step_planned{step_id("s3"), goal_id("goal-1"), "Tag bussen én gang", std::nullopt}});
  c.append({d(2024, 1, 20), mentor(), step_done{step_id("s1"), step_doer::mentor_on_behalf}});
  c.append({d(2024, 1, 30), mentor(), step_done{step_id("s2"), step_doer::citizen_with_support}});
  c.append({d(2024, 2, 20), mentor(), step_done{step_id("s3"), step_doer::citizen_alone}});
  c.append({d(2024, 2, 20), mentor(), success_logged{"Tog bussen alene til jobcentret"}});
  c.append({d(2024, 2, 21), mentor(),
            goal_updated{goal_id("goal-1"), goal_status::achieved, std::nullopt}});

  const auto months = c.empowerment_by_month();
  REQUIRE(months.size() == 2);
  CHECK(months[0].done() == 2);  // 15 Jan - 14 Feb
  CHECK(months[0].done_alone == 0);
  CHECK(months[1].done() == 1);
  CHECK(months[1].done_alone == 1);
  CHECK(c.goals()[0].status == goal_status::achieved);
  CHECK(c.goals()[0].status_changed_on == d(2024, 2, 21));
  CHECK(c.steps()[1].due == d(2024, 2, 1));
  CHECK(c.successes().size() == 1);

  CHECK_THAT(rule_of([&] {
               c.append({d(2024, 3, 1), mentor(),
                         step_planned{step_id("s4"), goal_id("goal-1"), "x", std::nullopt}});
             }),
             Catch::Contains("goal goal-1 is achieved, not active"));
  CHECK_THAT(
      rule_of([&] {
        c.append({d(2024, 3, 1), mentor(), step_done{step_id("s3"), step_doer::citizen_alone}});
      }),
      Catch::Contains("already done on 2024-02-20"));
  CHECK_THAT(rule_of([&] {
               c.append({d(2024, 3, 1), mentor(),
                         goal_updated{goal_id("nope"), goal_status::active, std::nullopt}});
             }),
             Catch::Contains("goal nope does not exist"));
}

TEST_CASE("the knowledge profile: revise and retire keep history; as it stood on a date",
          "[course][knowledge]") {
  course c = started_course();
  c.append(know(d(2024, 1, 15), "k1", "resource", data_category::ordinary));
  c.append(know(d(2024, 1, 15), "k2", "fear", data_category::health));
  c.append(know(d(2024, 1, 20), "k3", "music", data_category::ordinary,
                sharing_basis::necessary_for_task, ""));
  knowledge_revised revision;
  revision.item = knowledge_id("k2");
  revision.text = "Bange for store forsamlinger";
  c.append({d(2024, 2, 1), mentor(), revision});
  c.append({d(2024, 3, 1), mentor(), knowledge_retired{knowledge_id("k1"), "no longer true"}});

  const auto now = c.knowledge_profile();
  REQUIRE(now.size() == 2);
  CHECK(now[0].id == knowledge_id("k2"));
  CHECK(now[0].text == "Bange for store forsamlinger");
  CHECK(now[0].revisions == 1);
  CHECK(now[0].revised_on == d(2024, 2, 1));
  CHECK(now[0].recorded_by == mentor());
  CHECK(now[1].category == "music");  // user-defined
  CHECK(c.knowledge_profile(true).size() == 3);

  const auto in_january = c.as_of(d(2024, 1, 31)).knowledge_profile();
  REQUIRE(in_january.size() == 3);
  CHECK(in_january[1].text == "om k2");

  CHECK_THAT(rule_of([&] {
               c.append(know(d(2024, 3, 2), "k4", "resource", data_category::health,
                             sharing_basis::consent, ""));
             }),
             Catch::Contains("basis_reference is required for sharing_basis consent"));
  CHECK_THAT(
      rule_of([&] { c.append(know(d(2024, 3, 2), "k2", "resource", data_category::ordinary)); }),
      Catch::Contains("k2 already exists"));
  CHECK_THAT(rule_of([&] {
               c.append(know(d(2024, 3, 2), "k5", "Bad Category", data_category::ordinary));
             }),
             Catch::Contains("category = \"Bad Category\""));
  knowledge_revised empty;
  empty.item = knowledge_id("k2");
  CHECK_THAT(rule_of([&] {
               c.append({d(2024, 3, 2), mentor(), empty});
             }),
             Catch::Contains("changes at least one"));
  revision.item = knowledge_id("k1");
  CHECK_THAT(rule_of([&] {
               c.append({d(2024, 3, 2), mentor(), revision});
             }),
             Catch::Contains("was retired on 2024-03-01"));
}

TEST_CASE("no contact for more working days than the policy allows", "[course][alerts]") {
  course c = started_course();
  c.append(contact(d(2024, 1, 15), location::home));
  c.append(contact(d(2024, 1, 22), location::home, attendance::no_show));
  // Last attended contact Monday 15 Jan; 10 working days later is Monday 29 Jan.
  CHECK(c.alerts(d(2024, 1, 29)).empty());
  const auto late = c.alerts(d(2024, 1, 30));
  REQUIRE(late.size() == 1);
  CHECK(late[0].code == "no_contact");
  CHECK(late[0].on == d(2024, 1, 30));
  CHECK(late[0].message == "no attended contact for 11 working days (since 2024-01-15)");
  alert_policy patient;
  patient.no_contact_working_days = 20;
  CHECK(c.alerts(d(2024, 1, 30), patient).empty());
  c.append(pause(d(2024, 1, 25)));
  CHECK(c.alerts(d(2024, 2, 15)).empty());  // paused: no alert
  patient.no_contact_working_days = 0;
  CHECK_THROWS_AS(c.alerts(d(2024, 2, 15), patient), invalid_value_error);
}

TEST_CASE("relationship events replay and go back in time like the rest", "[course][property]") {
  course c = started_course();
  c.append(assess(d(2024, 1, 15), "b", stage::contemplation));
  c.append(rate(d(2024, 1, 15), "outcome", {1, 2, 3, 4}, std::string("adult")));
  c.append({d(2024, 1, 15), mentor(), talk_counted{2, 1, 3, 0, 1, 0, 0, 4}});
  c.append(know(d(2024, 1, 16), "k1", "what_works", data_category::ordinary));
  c.append({d(2024, 1, 16), mentor(), goal_set{goal_id("g"), "Arbejde"}});
  CHECK(course::replay(c.events(), reference_with_two_scales()) == c);
  CHECK(c.talk_counts()[0].second->change_talk() == 7);
  CHECK(c.as_of(d(2024, 1, 15)).knowledge_profile().empty());
  // Without the instruments the ratings do not replay: the reference data is part of the rules.
  CHECK_THROWS_AS(course::replay(c.events()), rule_violation_error);
}
