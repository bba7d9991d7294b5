// One synthetic course's story (story.cpp): the handovers, between mentors and to an employer
// mentor, and how each one is settled. The chances written inline are calibrated to
// docs/synthetic.md, as in story.cpp.

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "calibration.hpp"
#include "random.hpp"
#include "story_impl.hpp"

namespace mentorcore::detail::synthetic {

// ---- handovers ----

void story::make_handover(date on, const staff_id& from, party_role from_role, const staff_id& to,
                          party_role to_role, std::string_view purpose) {
  // The provider's and the municipality's handover practice scale the weight of warm handovers.
  const auto type = static_cast<handover_type>(
      rng_.weighted(std::array<double, 4>{25 * effect_.warm_odds, 35, 25, 15}));
  handover_made h;
  h.handover = handover_id("H" + std::to_string(++handovers_));
  h.from = from;
  h.from_role = from_role;
  h.to = to;
  h.to_role = to_role;
  h.type = type;
  h.planned = type != handover_type::unplanned;
  h.purpose = std::string(purpose);
  h.citizen_severity = static_cast<severity>(
      rng_.weighted(type == handover_type::unplanned ? std::array<double, 3>{40, 40, 20}
                                                     : std::array<double, 3>{60, 30, 10}));
  const double thorough = type == handover_type::warm                 ? 0.9
                          : type == handover_type::verbal_and_written ? 0.75
                          : type == handover_type::written_only       ? 0.55
                                                                      : 0.3;
  h.summary_note = rng_.chance(thorough) ? "Borgeren er i gang og møder stabilt op" : "";
  if (rng_.chance(thorough))
    h.actions.push_back(
        {"Første samtale med ny kontaktperson", "modtager", on + days(rng_.between(3, 10))});
  if (rng_.chance(thorough * 0.7))
    h.actions.push_back({"Opfølgning med sagsbehandler", "mentor", std::nullopt});
  if (rng_.chance(thorough * 0.8))
    h.contingencies.push_back(
        {"to udeblivelser i træk", "hjemmebesøg og besked til sagsbehandler"});
  if (rng_.chance(thorough * 0.6))
    h.commitments.emplace_back("Mentor følger med til første møde på arbejdspladsen");
  if (rng_.chance(thorough * 0.6))
    h.open_appointments.push_back({on + days(rng_.between(2, 20)), "Lægetid"});
  const double drop = type == handover_type::warm                 ? 0.05
                      : type == handover_type::verbal_and_written ? 0.15
                      : type == handover_type::written_only       ? 0.35
                                                                  : 0.5;
  for (const auto& item : knowledge_) {
    if (!item.retired && !rng_.chance(drop)) h.knowledge_items.push_back(item.id);
  }
  emit(on, from, std::move(h));
  // A warm handover between mentors is a joint meeting with the citizen: the receiver's first
  // contact is that day.
  const bool joint = type == handover_type::warm && from_role == party_role::mentor &&
                     to_role == party_role::mentor;
  if (joint) {
    contact_logged c;
    c.mentor = to;
    c.where = rng_.chance(0.6) ? location::provider_office : location::home;
    c.planned_minutes = 60;
    c.attended = rng_.chance(0.95) ? attendance::attended : attendance::no_show;
    c.actual_minutes = c.attended == attendance::attended ? 60 : 0;
    c.billable = c.attended == attendance::attended;
    if (!c.billable) c.non_billable = non_billable_reason::citizen_absent;
    emit(on, to, std::move(c));
  }

  pending_ = pending_handover{};
  pending_->joint = joint;
  pending_->id = handover_id("H" + std::to_string(handovers_));
  pending_->from = from;
  pending_->to = to;
  pending_->to_role = to_role;
  const double late = type == handover_type::written_only ? 0.25
                      : type == handover_type::unplanned  ? 0.3
                                                          : 0.1;
  const double x = rng_.uniform(0, 1);
  pending_->outcome = x < 0.05   ? handover_state::rejected
                      : x < 0.08 ? handover_state::revoked
                                 : handover_state::acknowledged;
  pending_->due = now_ + days(rng_.chance(late) ? rng_.between(11, 30) : rng_.between(0, 5));
}

void story::settle_due_handover(date week_end) {
  if (!pending_ || pending_->due > week_end) return;
  settle(pending_->due);
}

void story::settle_open_handover_before(date on) {
  if (pending_) settle(std::min(pending_->due, on));
}

void story::settle(date on) {
  auto p = std::move(*pending_);
  pending_.reset();
  switch (p.outcome) {
    case handover_state::acknowledged:
      emit(on, p.to,
           handover_acknowledged{p.id, "Jeg har læst overdragelsen og overtager aftalerne"});
      if (p.to_role == party_role::mentor) {
        mentor_ = p.to;
        // A gap before the new mentor's first contact, unless they have met (a joint meeting).
        if (!p.joint && rng_.chance(0.4)) skip_weeks_ = rng_.between(1, 2);
      }
      break;
    case handover_state::rejected:
      emit(on, p.to, handover_rejected{p.id, "Mangler oplysninger om aftaler og netværk"});
      break;
    case handover_state::revoked:
      emit(on, p.from, handover_revoked{p.id, "Mentor fortsætter alligevel"});
      break;
    case handover_state::made: break;
  }
}

void story::maybe_change_mentor(date monday, phase in) {
  if (pending_ || in == phase::retention) return;
  if (!rng_.chance(0.012)) return;
  const date on = weekday(monday, rng_.between(0, 4));
  const staff_id next = new_mentor();
  make_handover(on, mentor_, party_role::mentor, next, party_role::mentor, "overdragelse");
}

void story::hand_to_employer_mentor(date on) {
  if (pending_) return;
  const staff_id employer_mentor("em-" + municipality_ + "-" +
                                 std::to_string(rng_.between(1, 200)));
  if (rng_.chance(0.5)) {
    consent_given c;
    c.consent = consent_id("C2");
    c.recipient_role = party_role::employer_mentor;
    c.purposes = {"fastholdelse"};
    c.data_categories = {data_category::ordinary};
    c.valid_from = on;
    c.form = consent_form::written;
    emit(on, caseworker_, std::move(c));
  }
  make_handover(on, mentor_, party_role::mentor, employer_mentor, party_role::employer_mentor,
                "fastholdelse");
}

}  // namespace mentorcore::detail::synthetic
