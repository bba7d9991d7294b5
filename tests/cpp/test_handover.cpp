#include "mentorcore/handover.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include "fixtures.hpp"
#include "mentorcore/course.hpp"
#include "mentorcore/synthetic.hpp"

using namespace mentorcore;
using namespace fixtures;

namespace {

const staff_id& next_mentor() {
  static const staff_id id("mentor-9");
  return id;
}

event consent(const date& on, const std::string& id, std::vector<data_category> categories,
              const date& from, std::optional<date> to = std::nullopt) {
  consent_given c;
  c.consent = consent_id(id);
  c.recipient_role = party_role::mentor;
  c.purposes = {"continuity"};
  c.data_categories = std::move(categories);
  c.valid_from = from;
  c.valid_to = to;
  return {on, caseworker(), c};
}

event handover(const date& on, const std::string& id, std::vector<std::string> items,
               const staff_id& to = next_mentor()) {
  handover_made h;
  h.handover = handover_id(id);
  h.from = mentor();
  h.from_role = party_role::mentor;
  h.to = to;
  h.to_role = party_role::mentor;
  h.type = handover_type::warm;
  h.purpose = "continuity";
  h.citizen_severity = severity::watch;
  for (const auto& item : items) h.knowledge_items.emplace_back(item);
  h.actions = {{"Ring til arbejdsgiveren", "mentor-9", on + boost::gregorian::days(5)}};
  h.contingencies = {{"to udeblivelser", "hjemmebesøg og besked til sagsbehandleren"}};
  h.commitments = {"Vi mødes altid på kontoret om tirsdagen"};
  h.open_appointments = {{on + boost::gregorian::days(9), "Lægebesøg"}};
  return {on, mentor(), h};
}

// A started course with four knowledge items: ordinary (consent), health (consent),
// criminal (law), confidential (consent); consent C-1 covers ordinary and health for mentors.
course base() {
  course c(order(d(2024, 1, 8)));
  c.append(to_phase(d(2024, 1, 15), phase::pre_employment));
  c.append(contact(d(2024, 1, 15), location::home));
  c.append(know(d(2024, 1, 15), "k-ordinary", "resource", data_category::ordinary));
  c.append(know(d(2024, 1, 15), "k-health", "fear", data_category::health));
  c.append(know(d(2024, 1, 15), "k-law", "network_contact", data_category::criminal,
                sharing_basis::law, "LAB § 10"));
  c.append(know(d(2024, 1, 15), "k-confidential", "thought_pattern", data_category::confidential));
  c.append(consent(d(2024, 1, 16), "C-1", {data_category::ordinary, data_category::health},
                   d(2024, 1, 16)));
  return c;
}

}  // namespace

TEST_CASE("carried, withheld and dropped against the sender's profile and consent",
          "[handover][consent]") {
  course c = base();
  c.append(handover(d(2024, 2, 1), "H1", {"k-ordinary", "k-health", "k-law", "k-confidential"}));
  auto h = c.handovers().at(0);
  CHECK(h.state == handover_state::made);
  CHECK(h.carried == std::vector<knowledge_id>{knowledge_id("k-ordinary"), knowledge_id("k-health"),
                                               knowledge_id("k-law")});
  CHECK(h.withheld == std::vector<knowledge_id>{knowledge_id("k-confidential")});
  CHECK(h.withheld_by_category[static_cast<std::size_t>(data_category::confidential)] == 1);
  CHECK(h.dropped.empty());
  CHECK(c.responsible().first == caseworker());

  c.append({d(2024, 2, 2), next_mentor(),
            handover_acknowledged{handover_id("H1"), "Jeg ringer til arbejdsgiveren fredag"}});
  h = c.handovers().at(0);
  CHECK(h.state == handover_state::acknowledged);
  CHECK(h.settled_on == d(2024, 2, 2));
  CHECK(c.responsible() == std::pair{next_mentor(), party_role::mentor});
  CHECK(c.mentor_changes() == 1);
  CHECK(h.completeness() == Approx(1.0));
}

TEST_CASE("an item the sender leaves out is dropped, not withheld", "[handover]") {
  course c = base();
  c.append(handover(d(2024, 2, 1), "H1", {"k-ordinary"}));
  const auto h = c.handovers().at(0);
  CHECK(h.carried.size() == 1);
  CHECK(h.withheld.empty());
  CHECK(h.dropped.size() == 3);
  CHECK(h.completeness() == Approx(5.0 / 6.0));  // all but the read-back
  handover_checklist only_actions;
  only_actions.sections = {handover_section::actions};
  CHECK(h.completeness(only_actions) == Approx(1.0));
}

TEST_CASE("consent edge cases on the handover date", "[handover][consent]") {
  SECTION("a consent starting on the handover date covers it") {
    course c(order(d(2024, 1, 8)));
    c.append(know(d(2024, 1, 15), "k-health", "fear", data_category::health));
    c.append(consent(d(2024, 2, 1), "C-1", {data_category::health}, d(2024, 2, 1)));
    c.append(handover(d(2024, 2, 1), "H1", {"k-health"}));
    CHECK(c.handovers().at(0).carried.size() == 1);
  }
  SECTION(
      "a consent withdrawn on the handover date does not; earlier handovers keep what they "
      "carried") {
    course c = base();
    c.append(handover(d(2024, 2, 1), "H1", {"k-health"}));
    c.append({d(2024, 2, 2), next_mentor(), handover_acknowledged{handover_id("H1"), "ok"}});
    c.append({d(2024, 3, 1), caseworker(), consent_withdrawn{consent_id("C-1")}});
    c.append(handover(d(2024, 3, 1), "H2", {"k-health"}, staff_id("mentor-12")));
    const auto all = c.handovers();
    CHECK(all[0].carried.size() == 1);  // withdrawal stops later sharing, not earlier records
    CHECK(all[1].carried.empty());
    CHECK(all[1].withheld.size() == 1);
    CHECK(all[1].withheld_by_category[static_cast<std::size_t>(data_category::health)] == 1);
  }
  SECTION("an art. 9 health item without any consent is withheld") {
    course c(order(d(2024, 1, 8)));
    c.append(know(d(2024, 1, 15), "k-health", "fear", data_category::health));
    c.append(handover(d(2024, 2, 1), "H1", {"k-health"}));
    CHECK(c.handovers().at(0).withheld.size() == 1);
  }
  SECTION("a consent for another recipient, purpose, category or period does not cover") {
    course c(order(d(2024, 1, 8)));
    c.append(know(d(2024, 1, 15), "k-health", "fear", data_category::health));
    consent_given other_person;
    other_person.consent = consent_id("C-2");
    other_person.recipient = staff_id("mentor-77");
    other_person.purposes = {"continuity"};
    other_person.data_categories = {data_category::health};
    other_person.valid_from = d(2024, 1, 1);
    c.append({d(2024, 1, 20), caseworker(), other_person});
    c.append(consent(d(2024, 1, 20), "C-3", {data_category::ordinary}, d(2024, 1, 1)));
    c.append(
        consent(d(2024, 1, 20), "C-4", {data_category::health}, d(2024, 1, 1), d(2024, 1, 31)));
    c.append(handover(d(2024, 2, 1), "H1", {"k-health"}));
    CHECK(c.handovers().at(0).withheld.size() == 1);
  }
}

TEST_CASE("one open handover at a time; who may settle it", "[handover][rules]") {
  course c = base();
  c.append(handover(d(2024, 2, 1), "H1", {}));
  const course before = c;
  CHECK_THROWS_WITH(c.append(handover(d(2024, 2, 2), "H2", {})),
                    Catch::Contains("handover H1 made on 2024-02-01 is still open"));
  CHECK_THROWS_WITH(
      c.append({d(2024, 2, 2), mentor(), handover_acknowledged{handover_id("H1"), "ok"}}),
      Catch::Contains("recorded by mentor-4, but the receiver is mentor-9"));
  CHECK_THROWS_WITH(
      c.append({d(2024, 2, 2), next_mentor(), handover_revoked{handover_id("H1"), "oops"}}),
      Catch::Contains("the sender revokes"));
  CHECK_THROWS_WITH(
      c.append({d(2024, 2, 2), next_mentor(), handover_acknowledged{handover_id("H1"), ""}}),
      Catch::Contains("read-back is required"));
  CHECK(c == before);
  c.append(
      {d(2024, 2, 3), next_mentor(), handover_rejected{handover_id("H1"), "Jeg har ikke tid"}});
  CHECK(c.handovers().at(0).state == handover_state::rejected);
  CHECK(c.responsible().first == caseworker());
  CHECK(c.mentor_changes() == 0);
  CHECK_THROWS_WITH(
      c.append({d(2024, 2, 4), next_mentor(), handover_acknowledged{handover_id("H1"), "ok"}}),
      Catch::Contains("already rejected (on 2024-02-03)"));
  c.append(handover(d(2024, 2, 5), "H2", {}));
  c.append(
      {d(2024, 2, 6), mentor(), handover_revoked{handover_id("H2"), "citizen asked to keep me"}});
  CHECK(c.handovers().at(1).state == handover_state::revoked);
  CHECK_THROWS_WITH(c.append(handover(d(2024, 2, 7), "H3", {"k-nope"})),
                    Catch::Contains("k-nope does not exist"));
  CHECK_THROWS_WITH(c.append({d(2024, 2, 7), caseworker(), consent_withdrawn{consent_id("C-9")}}),
                    Catch::Contains("consent C-9 does not exist"));
}

TEST_CASE("measures after the handover: first contact, no-shows, ratings across it",
          "[handover][measures]") {
  reference_data extra;
  extra.add_instrument(
      instrument("session", "1", std::vector<item_bounds>(4, item_bounds{0, 10}), {}, {}, 0, true));
  course c(order(d(2024, 1, 8)),
           std::make_shared<const reference_data>(reference_data::builtin()->extended(extra)));
  c.append(to_phase(d(2024, 1, 15), phase::pre_employment));
  c.append({d(2024, 1, 20), mentor(),
            rating_recorded{"session", {9, 9, 9, 9}, rater::citizen, std::nullopt}});
  c.append(handover(d(2024, 2, 1), "H1", {}));
  c.append(contact(d(2024, 2, 5), location::home, attendance::no_show));
  contact_logged first = get<contact_logged>(contact(d(2024, 2, 8), location::home).data);
  first.mentor = next_mentor();
  c.append({d(2024, 2, 8), next_mentor(), first});
  c.append({d(2024, 2, 8), next_mentor(),
            rating_recorded{"session", {8, 8, 8, 8}, rater::citizen, std::nullopt}});
  c.append(contact(d(2024, 3, 2), location::home, attendance::no_show));  // 30 days later: outside
  const auto h = c.handovers().at(0);
  CHECK(h.days_to_first_contact == 7);
  CHECK(h.no_shows_within_30_days == 1);
  REQUIRE(h.ratings.size() == 1);
  CHECK(h.ratings[0].before == 36);
  CHECK(h.ratings[0].after == 32);
  CHECK(h.ratings[0].change() == -4);
}

TEST_CASE("the handover reads in I-PASS order, withheld items as counts, no CPR",
          "[handover][markdown]") {
  course c = base();
  c.append(handover(d(2024, 2, 1), "H1", {"k-ordinary", "k-confidential"}));
  c.append({d(2024, 2, 2), next_mentor(),
            handover_acknowledged{handover_id("H1"), "Modtaget, ring 0101901234 ikke"}});
  const auto md = c.handover_markdown(c.handovers().at(0));
  const auto at = [&](const char* heading) { return md.find(heading); };
  CHECK(at("## I: Severity") < at("## P: Summary"));
  CHECK(at("## P: Summary") < at("## A: Action list"));
  CHECK(at("## A: Action list") < at("## S: Situation awareness"));
  CHECK(at("## S: Situation awareness") < at("## S: Synthesis by the receiver"));
  CHECK_THAT(md, Catch::Contains("- resource: om k-ordinary (recorded 2024-01-15 by mentor-4)"));
  CHECK_THAT(md, Catch::Contains(
                     "Withheld, because no active consent covers them: 1 item (confidential: 1)."));
  CHECK(md.find("om k-confidential") == std::string::npos);
  CHECK(md.find("0101901234") == std::string::npos);
  CHECK_THAT(md, Catch::Contains("- If to udeblivelser, then hjemmebesøg"));
  CHECK_THAT(md, Catch::Contains("- Phase: pre_employment since 2024-01-15"));
}

TEST_CASE("handover vocabulary has stable names", "[handover]") {
  CHECK(to_string(handover_section::read_back) == "read_back");
  CHECK(to_string(handover_section::relational_knowledge) == "relational_knowledge");
  CHECK(to_string(handover_type::verbal_and_written) == "verbal_and_written");
  CHECK(from_string<party_role>("education_mentor") == party_role::education_mentor);
  CHECK(to_string(handover_state::revoked) == "revoked");
}

TEST_CASE("10,000 handovers on one course: every view complete and correct", "[handover][scale]") {
  // Issue #12: handovers() rebuilt the course up to each handover, and the Markdown rebuilt
  // the knowledge profile per item, so 1,600 handovers took 5 s and 8,000 did not finish.
  // This asserts results, not time; quadratic code would not finish in a test run.
  course c = base();
  const std::size_t n = 10000;
  const auto start = d(2024, 2, 1);
  for (std::size_t i = 0; i < n; ++i) {
    const auto day = start + boost::gregorian::days(static_cast<long>(i / 4));
    const bool forward = i % 2 == 0;
    const staff_id& from = forward ? mentor() : next_mentor();
    const staff_id& to = forward ? next_mentor() : mentor();
    event made = handover(day, "H" + std::to_string(i), {"k-ordinary", "k-confidential"}, to);
    auto& payload = get<handover_made>(made.data);
    payload.from = from;
    made.recorded_by = from;
    c.append(made);
    c.append({day, to, handover_acknowledged{handover_id("H" + std::to_string(i)), "ok"}});
    if (i % 100 == 0) c.append(contact(day, location::home, attendance::no_show));
  }
  const auto all = c.handovers();
  REQUIRE(all.size() == n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& h = all[i];
    REQUIRE(h.id.str() == "H" + std::to_string(i));
    CHECK(h.state == handover_state::acknowledged);
    // ordinary is covered by consent C-1, confidential is not, health and law were left out.
    CHECK(h.carried == std::vector<knowledge_id>{knowledge_id("k-ordinary")});
    CHECK(h.withheld == std::vector<knowledge_id>{knowledge_id("k-confidential")});
    CHECK(h.dropped.size() == 2);
  }
  // A no-show on every 25th day (every 100th handover, four a day): H0 sees days 0 and 25.
  CHECK(all.front().no_shows_within_30_days == 2);
  CHECK(all.front().days_to_first_contact == std::nullopt);
  CHECK(c.mentor_changes() == static_cast<int>(n));
  CHECK(c.responsible().first == mentor());
  const auto md = c.handover_markdown(all.back());
  CHECK_THAT(md, Catch::Contains("# Handover H9999: mentor-9 (mentor) to mentor-4 (mentor)"));
  CHECK_THAT(md, Catch::Contains("- resource: om k-ordinary (recorded 2024-01-15 by mentor-4)"));
  CHECK_THAT(md, Catch::Contains("Read back and acknowledged on"));
}

TEST_CASE("handovers_with the course's own contacts and ratings gives what handovers() gives",
          "[handover]") {
  synthetic_options options;
  options.courses = 300;
  options.seed = 7;
  const auto courses = generate_courses(options);
  std::size_t compared = 0;
  for (const auto& c : courses) {
    const auto contacts = c.contacts();
    const auto ratings = c.ratings();
    const auto expected = c.handovers();
    const auto measured = c.handovers_with(contacts, ratings);
    REQUIRE(measured.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const auto& a = measured[i];
      const auto& b = expected[i];
      CHECK(a.id == b.id);
      CHECK(a.made_on == b.made_on);
      CHECK(a.state == b.state);
      CHECK(a.settled_on == b.settled_on);
      CHECK(a.carried == b.carried);
      CHECK(a.withheld == b.withheld);
      CHECK(a.dropped == b.dropped);
      CHECK(a.withheld_by_category == b.withheld_by_category);
      CHECK(a.days_to_first_contact == b.days_to_first_contact);
      CHECK(a.no_shows_within_30_days == b.no_shows_within_30_days);
      REQUIRE(a.ratings.size() == b.ratings.size());
      for (std::size_t k = 0; k < b.ratings.size(); ++k) {
        CHECK(a.ratings[k].instrument == b.ratings[k].instrument);
        CHECK(a.ratings[k].before == b.ratings[k].before);
        CHECK(a.ratings[k].after == b.ratings[k].after);
      }
      ++compared;
    }
  }
  CHECK(compared > 50);  // the synthetic municipality hands courses over

  // Views of another length cannot be this course's: refused, naming which.
  const auto with_ratings = std::find_if(courses.begin(), courses.end(), [](const course& c) {
    return !c.ratings().empty() && !c.contacts().empty();
  });
  REQUIRE(with_ratings != courses.end());
  auto fewer_contacts = with_ratings->contacts();
  fewer_contacts.pop_back();
  auto fewer_ratings = with_ratings->ratings();
  fewer_ratings.pop_back();
  const auto refused_field = [&](const auto& contacts, const auto& ratings) -> std::string {
    try {
      static_cast<void>(with_ratings->handovers_with(contacts, ratings));
    } catch (const invalid_value_error& e) {
      return e.field();
    }
    return "";
  };
  CHECK(refused_field(fewer_contacts, with_ratings->ratings()) == "contacts");
  CHECK(refused_field(with_ratings->contacts(), fewer_ratings) == "ratings");
}

TEST_CASE("handover_markdown refuses a record handovers() could not have made, by member",
          "[handover][markdown]") {
  // A record is a plain struct a caller can fill in: one acknowledged without settled_on was
  // rendered by reading the empty optional (undefined behaviour).
  course c = base();
  c.append(handover(d(2024, 2, 1), "H1", {"k-ordinary"}));
  c.append({d(2024, 2, 2), next_mentor(), handover_acknowledged{handover_id("H1"), "Modtaget"}});
  const handover_record made = c.handovers().at(0);
  CHECK_NOTHROW(c.handover_markdown(made));
  const auto refused = [&](const handover_record& h, const char* message) {
    CHECK_THROWS_MATCHES(c.handover_markdown(h), invalid_value_error,
                         Catch::Matchers::Message(message));
  };
  handover_record h = made;
  h.settled_on.reset();
  refused(h, "settled_on = none: a handover that is acknowledged has the day it was acknowledged");
  h = made;
  h.state = handover_state::made;
  refused(h, "settled_on = 2024-02-02: a handover that is made (still open) is not settled");
  h = made;
  h.settled_on = d(2024, 1, 31);
  refused(h, "settled_on = 2024-01-31: before the handover was made on 2024-02-01");
  h = made;
  h.to_role = static_cast<party_role>(9);
  refused(h,
          "to_role = 9: not a party_role; expected one of: mentor, caseworker, provider, "
          "employer_mentor, education_mentor");
  h = made;
  h.made_on = date(boost::gregorian::not_a_date_time);
  refused(h, "made_on = not-a-date-time: not a calendar date");
  h = made;
  h.made_on = d(2023, 12, 1);
  h.settled_on.reset();
  h.state = handover_state::made;
  refused(h, "made_on = 2023-12-01: before the course was ordered on 2024-01-08");
}
