// Which field of an event a broken rule names (rule_violation_error::field), across the kinds of
// event: the field a user would have to change, spelt as its key in an event-log line.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "fixtures.hpp"
#include "mentorcore/course.hpp"
#include "mentorcore/error.hpp"

using namespace mentorcore;
using namespace fixtures;

namespace {

// The day every refused event below is dated: after all of rule_fields_course's events.
const date& rule_fields_day() {
  static const date day = d(2024, 2, 1);
  return day;
}

// A started course with grant G1, knowledge item k1, goal g1 with step s1, a recorded milestone
// and consent C-1: each case below breaks one rule with the last event it appends.
course rule_fields_course() {
  course c(order(d(2024, 1, 8)), reference_with_scales());
  c.append(grant(d(2024, 1, 10), "G1", d(2024, 1, 15), d(2024, 7, 14)));
  c.append(to_phase(d(2024, 1, 15), phase::pre_employment));
  c.append(contact(d(2024, 1, 15), location::home));
  c.append(know(d(2024, 1, 15), "k1", "resource", data_category::ordinary));
  c.append({d(2024, 1, 15), mentor(), goal_set{goal_id("g1"), "Fast arbejde"}});
  c.append({d(2024, 1, 15), mentor(), step_planned{step_id("s1"), goal_id("g1"), "Ring", {}}});
  c.append({d(2024, 1, 15), mentor(), milestone_recorded{milestone::first_own_appointment_alone}});
  consent_given consent;
  consent.consent = consent_id("C-1");
  consent.recipient_role = party_role::mentor;
  consent.purposes = {"continuity"};
  consent.data_categories = {data_category::ordinary};
  consent.valid_from = d(2024, 1, 16);
  c.append({d(2024, 1, 16), caseworker(), consent});
  return c;
}

// A consent C-2 that the course would accept; a case changes one field.
consent_given rule_fields_consent() {
  consent_given c;
  c.consent = consent_id("C-2");
  c.recipient_role = party_role::mentor;
  c.purposes = {"retention"};
  c.data_categories = {data_category::health};
  c.valid_from = rule_fields_day();
  return c;
}

// A handover H1 from mentor-4 to mentor-9, carrying k1, that the course would accept.
handover_made rule_fields_handover() {
  handover_made h;
  h.handover = handover_id("H1");
  h.from = mentor();
  h.to = staff_id("mentor-9");
  h.purpose = "continuity";
  h.knowledge_items = {knowledge_id("k1")};
  h.actions = {{"Ring til arbejdsgiveren", "mentor-9", std::nullopt}};
  h.contingencies = {{"udebliver", "ring"}};
  h.commitments = {"Tirsdage"};
  h.open_appointments = {{d(2024, 2, 10), "Lægebesøg"}};
  return h;
}

event rule_fields_event(event_payload payload, const staff_id& by = mentor()) {
  return {rule_fields_day(), by, std::move(payload)};
}

struct rule_fields_case {
  std::string rule;           // a part of the rule's text: which rule refused the event
  std::vector<event> events;  // appended in order; the last one is refused
  std::string field;          // the field it names, empty for a rule about the course
};

}  // namespace

TEST_CASE("every rule about one field of an event names that field", "[course][errors]") {
  const date day = rule_fields_day();
  std::vector<rule_fields_case> cases;
  const auto add = [&](std::string rule, std::vector<event> events, std::string field) {
    cases.push_back({std::move(rule), std::move(events), std::move(field)});
  };
  const auto one = [&](std::string rule, event e, std::string field) {
    add(std::move(rule), {std::move(e)}, std::move(field));
  };

  // consent_given, consent_withdrawn
  {
    auto c = rule_fields_consent();
    c.consent = consent_id();
    one("consent (an id) is required", rule_fields_event(c, caseworker()), "consent");
    c = rule_fields_consent();
    c.consent = consent_id("C-1");
    one("consent C-1 already exists", rule_fields_event(c, caseworker()), "consent");
    c = rule_fields_consent();
    c.purposes.clear();
    one("a consent names at least one purpose", rule_fields_event(c, caseworker()), "purposes");
    c = rule_fields_consent();
    c.purposes = {"continuity", ""};
    one("purposes must be non-empty texts", rule_fields_event(c, caseworker()), "purposes");
    c = rule_fields_consent();
    c.data_categories.clear();
    one("at least one data category", rule_fields_event(c, caseworker()), "data_categories");
    c = rule_fields_consent();
    c.valid_to = d(2024, 1, 31);
    one("valid_to 2024-01-31 is before valid_from", rule_fields_event(c, caseworker()), "valid_to");
    c = rule_fields_consent();
    c.recipient_role.reset();
    one("names a recipient or a recipient_role", rule_fields_event(c, caseworker()), "");
    one("consent C-9 does not exist",
        rule_fields_event(consent_withdrawn{consent_id("C-9")}, caseworker()), "consent");
  }

  // handover_made, _acknowledged
  {
    auto h = rule_fields_handover();
    h.knowledge_items.push_back(knowledge_id("k-missing"));
    one("knowledge item k-missing does not exist", rule_fields_event(h), "knowledge_items");
    h = rule_fields_handover();
    h.knowledge_items.push_back(knowledge_id("k1"));
    one("knowledge item k1 is included twice", rule_fields_event(h), "knowledge_items");
    h = rule_fields_handover();
    h.to = mentor();
    one("from one person to another", rule_fields_event(h), "to");
    h = rule_fields_handover();
    h.from = staff_id();
    one("names its sender (from) and receiver (to)", rule_fields_event(h), "from");
    h = rule_fields_handover();
    h.purpose.clear();
    one("states its purpose", rule_fields_event(h), "purpose");
    h = rule_fields_handover();
    h.actions.push_back({"Skriv", "", std::nullopt});
    one("every action has a task and an owner", rule_fields_event(h), "actions.owner");
    h = rule_fields_handover();
    h.contingencies.push_back({"udebliver igen", ""});
    one("every contingency has an if and a then", rule_fields_event(h), "contingencies.then");
    h = rule_fields_handover();
    h.open_appointments.push_back({d(2024, 2, 12), ""});
    one("every open appointment says what it is", rule_fields_event(h), "open_appointments.what");
    one("handover H9 does not exist",
        rule_fields_event(handover_acknowledged{handover_id("H9"), "Modtaget"}), "handover");
    add("the receiver acknowledges: recorded by mentor-4",
        {rule_fields_event(rule_fields_handover()),
         rule_fields_event(handover_acknowledged{handover_id("H1"), "Modtaget"})},
        "recorded_by");
    h = rule_fields_handover();
    h.handover = handover_id("H2");
    add("H1 made on 2024-02-01 is still open",
        {rule_fields_event(rule_fields_handover()), rule_fields_event(h)}, "");
  }

  // grant_made
  one("end 2024-07-20 is before start 2024-08-01", grant(day, "G2", d(2024, 8, 1), d(2024, 7, 20)),
      "end");
  one("grant G1 already exists", grant(day, "G1", d(2024, 8, 1), d(2024, 12, 1)), "grant");
  one("predecessor grant G7 does not exist",
      grant(day, "G2", d(2024, 8, 1), d(2024, 12, 1), 2.0, "G7"), "predecessor");
  one("an extension starts after its predecessor G1 ends",
      grant(day, "G2", d(2024, 7, 1), d(2024, 12, 1), 2.0, "G1"), "start");
  {
    event no_goal = grant(day, "G2", d(2024, 8, 1), d(2024, 12, 1));
    get<grant_made>(no_goal.data).goal.clear();
    one("the plan's goal is required", no_goal, "goal");
  }
  one("overlaps grant G1", grant(day, "G2", d(2024, 3, 1), d(2024, 4, 1)), "");

  // contact_logged, and an enum no enumerator has
  one("an attended contact needs actual_minutes above 0",
      contact(day, location::home, attendance::attended, 0), "actual_minutes");
  {
    event unpaid = contact(day, location::home);
    get<contact_logged>(unpaid.data).billable = false;
    one("needs a non_billable_reason", unpaid, "non_billable_reason");
    event long_plan = contact(day, location::home);
    get<contact_logged>(long_plan.data).planned_minutes = 2000;
    one("planned_minutes = 2000", long_plan, "planned_minutes");
    event nowhere = contact(day, location::home);
    get<contact_logged>(nowhere.data).where = static_cast<location>(40);
    one("location = 40", nowhere, "location");
  }

  // phase_changed, start_recorded, start_ended, pauses
  one("cannot return to referred", to_phase(day, phase::referred), "to");
  one("already in pre_employment", to_phase(day, phase::pre_employment), "to");
  one("retention needs a recorded start", to_phase(day, phase::retention), "to");
  one("a reason for the phase change is required", to_phase(day, phase::clarification, ""),
      "reason");
  one("employer_or_institution is required",
      rule_fields_event(start_recorded{start_type::ordinary_job, "", 25}),
      "employer_or_institution");
  add("cause education_dropped",
      {job_start(day), start_end(day, start_end_cause::education_dropped)}, "cause");
  one("no start in work or education", start_end(day, start_end_cause::quit), "");
  one("the course is not paused", resume(day), "");
  add("already paused", {pause(day), pause(day)}, "");

  // milestones, motivation, ratings
  one("milestone first_own_appointment_alone was already recorded",
      rule_fields_event(milestone_recorded{milestone::first_own_appointment_alone}), "milestone");
  one("talk counts run 0-1000, got -1", rule_fields_event(talk_counted{0, 0, 0, 0, 0, 0, 0, -1}),
      "sustain");
  {
    stage_assessed wide;
    wide.behaviour = "looks_for_work";
    wide.assessor = mentor();
    wide.ruler_max = 200;
    one("a ruler runs within 0-100", rule_fields_event(wide), "ruler_max");
    stage_assessed crossed = wide;
    crossed.ruler_min = 5;
    crossed.ruler_max = 5;
    one("ruler_min must be below ruler_max", rule_fields_event(crossed), "ruler_min");
    stage_assessed nobody = wide;
    nobody.ruler_max = 10;
    nobody.assessor = staff_id();
    one("assessor is required", rule_fields_event(nobody), "assessor");
    stage_assessed silent = nobody;
    silent.assessor = mentor();
    silent.method = assessment_method::ruler;
    one("a ruler assessment needs importance", rule_fields_event(silent), "");
  }
  one("answers", rule_fields_event(rating_recorded{"outcome", {1, 2, 3}, rater::citizen, {}}),
      "answers");

  // goals, steps, successes
  one("goal g1 already exists", rule_fields_event(goal_set{goal_id("g1"), "Igen"}), "goal");
  one("goal g9 does not exist",
      rule_fields_event(step_planned{step_id("s2"), goal_id("g9"), "Ring", {}}), "goal");
  one("a step needs text", rule_fields_event(step_planned{step_id("s2"), goal_id("g1"), "", {}}),
      "text");
  one("step s9 does not exist",
      rule_fields_event(step_done{step_id("s9"), step_doer::citizen_alone}), "step");
  one("a success needs text", rule_fields_event(success_logged{""}), "text");

  // knowledge
  one("basis_reference is required for sharing_basis consent",
      know(day, "k2", "resource", data_category::ordinary, sharing_basis::consent, ""),
      "basis_reference");
  one("knowledge item k1 already exists", know(day, "k1", "resource", data_category::ordinary),
      "item");
  one("knowledge item k9 does not exist",
      rule_fields_event(knowledge_retired{knowledge_id("k9"), "Ikke længere"}), "item");
  {
    knowledge_revised nothing;
    nothing.item = knowledge_id("k1");
    one("a revision changes at least one of", rule_fields_event(nothing), "");
  }

  // the event itself, and the course as a whole
  {
    event no_author = rule_fields_event(success_logged{"Mødte op alene"});
    no_author.recorded_by = staff_id();
    one("recorded_by is required", no_author, "recorded_by");
  }
  one("the course was already ordered", order(day), "");
  one("dates out of order", contact(d(2024, 1, 14), location::home), "");

  REQUIRE(cases.size() >= 50);
  const course base = rule_fields_course();
  for (const auto& [rule, events, field] : cases) {
    INFO(rule);
    course c = base;
    for (std::size_t i = 0; i + 1 < events.size(); ++i) c.append(events[i]);
    const course before = c;
    try {
      c.append(events.back());
      FAIL("accepted");
    } catch (const rule_violation_error& e) {
      CHECK_THAT(e.rule(), Catch::Contains(rule));
      CHECK(e.field() == field);
      CHECK(e.event_type() == std::string(events.back().type()));
    }
    CHECK(c == before);
  }
}
