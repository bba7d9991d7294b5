#pragma once
// Small builders for the course tests: one realistic course, event by event.

#include "dates.hpp"
#include "mentorcore/course.hpp"

namespace fixtures {

using namespace mentorcore;

inline const staff_id& caseworker() {
  static const staff_id id("cw-17");
  return id;
}
inline const staff_id& mentor() {
  static const staff_id id("mentor-4");
  return id;
}

inline event order(const date& on, const std::string& id = "K-1") {
  course_ordered o;
  o.course = course_id(id);
  o.citizen = citizen_key("P-8d2f");
  o.municipality = municipality_code(101);
  o.target_group = "kontanthjaelp_aktivitetsparat";
  o.assessment_category = "aktivitetsparat";
  o.caseworker = caseworker();
  return {on, caseworker(), o};
}

inline event grant(const date& on, const std::string& id, const date& start, const date& end,
                   double hours = 2.0, std::optional<std::string> predecessor = std::nullopt,
                   std::optional<std::string> provider = std::nullopt) {
  grant_made g;
  g.grant = grant_id(id);
  g.goal = "Stabil hverdag og afklaring af jobmål";
  g.mentor = mentor();
  g.mentor_contact = "mentor-4 via udbyderens hovednummer";
  g.tasks = "Ugentlige samtaler, følge til aftaler";
  g.hours_per_week = hours;
  g.start = start;
  g.end = end;
  g.legal_basis = "LAB-167";
  if (predecessor) g.predecessor = grant_id(*predecessor);
  if (provider) g.provider = provider_id(*provider);
  return {on, caseworker(), g};
}

inline event to_phase(const date& on, phase to, std::string reason = "plan") {
  return {on, mentor(), phase_changed{to, std::move(reason)}};
}

inline event contact(const date& on, location where, attendance attended = attendance::attended,
                     int minutes = 60) {
  contact_logged c;
  c.mentor = mentor();
  c.where = where;
  c.attended = attended;
  c.planned_minutes = 60;
  c.actual_minutes = attended == attendance::attended ? minutes : 0;
  c.billable = attended == attendance::attended;
  if (!c.billable) c.non_billable = non_billable_reason::citizen_absent;
  return {on, mentor(), c};
}

inline event job_start(const date& on, start_type type = start_type::ordinary_job) {
  return {on, mentor(), start_recorded{type, "Bageriet A/S", 25}};
}

// A piece of knowledge about the citizen, with the text "om <id>" and, by default, shared under
// consent "C-1".
inline event know(const date& on, const std::string& id, const std::string& category,
                  data_category data, sharing_basis basis = sharing_basis::consent,
                  std::string reference = "C-1") {
  return {on, mentor(),
          knowledge_recorded{knowledge_id(id), category, "om " + id, data, basis,
                             std::move(reference)}};
}

inline event pause(const date& on, pause_reason why = pause_reason::illness) {
  return {on, mentor(), course_paused{why}};
}
inline event resume(const date& on) {
  return {on, mentor(), course_resumed{}};
}
inline event close(const date& on, closure_reason why = closure_reason::job) {
  return {on, caseworker(), course_closed{why, ""}};
}
inline event start_end(const date& on, start_end_cause cause, std::string note = "") {
  return {on, mentor(), start_ended{cause, std::move(note)}};
}
inline event status(const date& on, followup_status status,
                    status_source source = status_source::register_data) {
  return {on, caseworker(), status_recorded{status, source}};
}
inline event reopen(const date& on) {
  return {on, caseworker(), course_reopened{"job ended in trial period"}};
}

// A course through every phase: ordered 2024-01-08, started 15 Jan, work trial in April, job
// start 3 June and retention until closure on 2 December 2024.
inline std::vector<event> full_history() {
  return {
      order(d(2024, 1, 8)),
      grant(d(2024, 1, 10), "G1", d(2024, 1, 15), d(2024, 7, 14)),
      to_phase(d(2024, 1, 15), phase::pre_employment, "first meeting at home"),
      contact(d(2024, 1, 15), location::home),
      contact(d(2024, 1, 22), location::home),
      contact(d(2024, 1, 29), location::home, attendance::no_show),
      contact(d(2024, 2, 5), location::provider_office),
      contact(d(2024, 2, 19), location::provider_office),
      pause(d(2024, 2, 20), pause_reason::admission),
      resume(d(2024, 3, 1)),
      to_phase(d(2024, 3, 4), phase::clarification, "ready to look at work"),
      contact(d(2024, 3, 4), location::provider_office, attendance::attended, 90),
      to_phase(d(2024, 4, 2), phase::work_trial, "work trial at a bakery"),
      contact(d(2024, 4, 8), location::workplace),
      job_start(d(2024, 6, 3)),
      to_phase(d(2024, 6, 3), phase::retention, "hired 25 hours a week"),
      grant(d(2024, 7, 1), "G2", d(2024, 7, 15), d(2025, 1, 14), 1.0, "G1", "provider-7"),
      contact(d(2024, 7, 16), location::workplace, attendance::attended, 30),
      close(d(2024, 12, 2), closure_reason::job),
  };
}

}  // namespace fixtures

namespace fixtures {

// Reference data with two instruments, for courses that record ratings.
inline std::shared_ptr<const reference_data> reference_with_scales() {
  static const auto reference = [] {
    reference_data extra;
    extra.add_instrument(instrument("outcome", "1", std::vector<item_bounds>(4, item_bounds{0, 10}),
                                    {}, {{"adult", 25}}, 5, true,
                                    {{alert_rule_kind::no_reliable_improvement, 1, 3}}));
    return std::make_shared<const reference_data>(reference_data::builtin()->extended(extra));
  }();
  return reference;
}

// A course that uses every event type, with every optional field both set and unset somewhere.
inline course every_event_type_course(const std::string& id = "K-ALL") {
  course c(order(d(2024, 1, 8), id), reference_with_scales());
  for (const auto& e : full_history()) {
    if (holds_alternative<course_ordered>(e.data) || holds_alternative<course_closed>(e.data))
      continue;
    c.append(e);
  }
  const date day = d(2024, 8, 1);
  stage_assessed ruler;
  ruler.behaviour = "looks_for_work";
  ruler.assessed = stage::action;
  ruler.method = assessment_method::ruler;
  ruler.assessor = mentor();
  ruler.score = 12.25;
  ruler.importance = 9;
  ruler.confidence = 6.5;
  ruler.ruler_min = 1;
  c.append({day, mentor(), ruler});
  c.append({day, mentor(), talk_counted{1, 2, 3, 4, 5, 6, 7, 8}});
  c.append({day, mentor(),
            rating_recorded{"outcome", {1.5, 2, 3, 4}, rater::citizen, std::string("adult")}});
  c.append({day, mentor(), rating_recorded{"outcome", {5, 5, 5, 5}, rater::mentor, std::nullopt}});
  c.append(
      {day, mentor(), goal_set{goal_id("g1"), "Fast arbejde, \"rigtigt\" arbejde\nmed æ, ø og å"}});
  c.append({day, mentor(), step_planned{step_id("s1"), goal_id("g1"), "Ring", d(2024, 8, 9)}});
  c.append({day, mentor(), step_planned{step_id("s2"), goal_id("g1"), "Skriv", std::nullopt}});
  c.append({day, mentor(), step_done{step_id("s1"), step_doer::citizen_with_support}});
  c.append({day, mentor(),
            goal_updated{goal_id("g1"), goal_status::active, std::string("Arbejde 25 timer")}});
  c.append({day, mentor(), success_logged{"Mødte op alene"}});
  c.append({day, mentor(),
            knowledge_recorded{knowledge_id("k1"), "fear", "Angst", data_category::health,
                               sharing_basis::consent, "C-1"}});
  c.append({day, mentor(),
            knowledge_recorded{knowledge_id("k2"), "music", "Guitar", data_category::ordinary,
                               sharing_basis::necessary_for_task, ""}});
  knowledge_revised revision;
  revision.item = knowledge_id("k1");
  revision.text = "Angst i butikker";
  revision.data = data_category::confidential;
  c.append({day, mentor(), revision});
  consent_given consent;
  consent.consent = consent_id("C-1");
  consent.recipient_role = party_role::mentor;
  consent.purposes = {"continuity", "retention"};
  consent.data_categories = {data_category::ordinary, data_category::confidential};
  consent.valid_from = day;
  consent.valid_to = d(2025, 8, 1);
  c.append({day, caseworker(), consent});
  handover_made h;
  h.handover = handover_id("H1");
  h.from = mentor();
  h.to = staff_id("mentor-9");
  h.purpose = "continuity";
  h.citizen_severity = severity::watch;
  h.summary_note = "Note";
  h.knowledge_items = {knowledge_id("k1"), knowledge_id("k2")};
  h.actions = {{"Ring", "mentor-9", d(2024, 8, 5)}, {"Skriv", "citizen", std::nullopt}};
  h.contingencies = {{"udebliver", "ring"}};
  h.commitments = {"Tirsdage"};
  h.open_appointments = {{d(2024, 8, 12), "Læge"}};
  c.append({day, mentor(), h});
  c.append(
      {d(2024, 8, 2), staff_id("mentor-9"), handover_acknowledged{handover_id("H1"), "Modtaget"}});
  handover_made second = h;
  second.handover = handover_id("H2");
  second.from = staff_id("mentor-9");
  second.to = mentor();
  second.type = handover_type::unplanned;
  second.planned = false;
  second.actions.clear();
  c.append({d(2024, 8, 3), staff_id("mentor-9"), second});
  c.append({d(2024, 8, 3), mentor(), handover_rejected{handover_id("H2"), "Nej"}});
  second.handover = handover_id("H3");
  c.append({d(2024, 8, 4), staff_id("mentor-9"), second});
  c.append({d(2024, 8, 4), staff_id("mentor-9"), handover_revoked{handover_id("H3"), "Fortrudt"}});
  c.append({d(2024, 8, 5), caseworker(), consent_withdrawn{consent_id("C-1")}});
  c.append({d(2024, 8, 6), mentor(), knowledge_retired{knowledge_id("k2"), "Ikke længere"}});
  c.append({d(2024, 8, 7), mentor(), milestone_recorded{milestone::first_own_appointment_alone}});
  c.append({d(2024, 8, 8), mentor(),
            clarification_concluded{clarification_outcome::flex_job, "fleksjob"}});
  c.append(close(d(2024, 12, 2)));
  c.append(start_end(d(2024, 12, 5), start_end_cause::quit, "sagde op"));
  c.append(status(d(2024, 12, 6), followup_status::on_benefit));
  c.append(reopen(d(2024, 12, 10)));
  c.append(job_start(d(2024, 12, 16), start_type::education));
  c.append(start_end(d(2025, 1, 10), start_end_cause::education_dropped));
  return c;
}

}  // namespace fixtures
