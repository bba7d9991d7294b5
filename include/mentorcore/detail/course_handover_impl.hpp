#pragma once
/// \file detail/course_handover_impl.hpp
/// Definitions of the consent and handover rules, the handover view and its rendering.
///
/// Included by the concept header, inline, in the header-only model; compiled once into
/// mentorcore::io by src/model_course.cpp (MENTORCORE_DECL, detail/decl.hpp).

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#include "mentorcore/course.hpp"
#include "mentorcore/detail/course_support.hpp"
#include "mentorcore/detail/decl.hpp"
#include "mentorcore/detail/format.hpp"
#include "mentorcore/detail/redact.hpp"
#include "mentorcore/detail/text.hpp"

namespace mentorcore {

// ---- rules ---------------------------------------------------------------------------------

MENTORCORE_DECL const course::state::handover_status* course::open_handover() const {
  // At most one handover is open (check() refuses a new one while one is), and it is the latest:
  // every earlier one was settled before it was made. So this is O(1), not a scan per event.
  if (!state_.handovers.empty() && state_.handovers.back().state == handover_state::made)
    return &state_.handovers.back();
  return nullptr;
}

MENTORCORE_DECL const course::state::handover_status* course::find_handover(
    const handover_id& id_to_find) const {
  for (const auto& h : state_.handovers) {
    if (get<handover_made>(events_[h.event_index].data).handover == id_to_find) return &h;
  }
  return nullptr;
}

MENTORCORE_DECL void course::check(const event& e, const consent_given& p) const {
  if (p.consent.empty()) reject(e, "consent (an id) is required", "consent");
  for (const auto& c : state_.consents) {
    if (c.id == p.consent) reject(e, "consent " + p.consent.str() + " already exists", "consent");
  }
  if (!p.recipient && !p.recipient_role)
    reject(e, "a consent names a recipient or a recipient_role");
  if (p.purposes.empty()) reject(e, "a consent names at least one purpose", "purposes");
  for (const auto& purpose : p.purposes) {
    if (!detail::text_ok(purpose)) reject(e, "purposes must be non-empty texts", "purposes");
  }
  if (p.data_categories.empty())
    reject(e, "a consent names at least one data category", "data_categories");
  try {
    require_calendar_day(p.valid_from, "valid_from");
    if (p.valid_to) require_calendar_day(*p.valid_to, "valid_to");
  } catch (const error& failure) {
    reject(e, failure);
  }
  if (p.valid_to && *p.valid_to < p.valid_from) {
    reject(e, "valid_to " + to_iso(*p.valid_to) + " is before valid_from " + to_iso(p.valid_from),
           "valid_to");
  }
}

MENTORCORE_DECL void course::check(const event& e, const consent_withdrawn& p) const {
  const auto it = std::find_if(state_.consents.begin(), state_.consents.end(),
                               [&](const consent_record& c) { return c.id == p.consent; });
  if (it == state_.consents.end())
    reject(e, "consent " + p.consent.str() + " does not exist", "consent");
  if (it->withdrawn_on)
    reject(e,
           "consent " + p.consent.str() + " was already withdrawn on " + to_iso(*it->withdrawn_on),
           "consent");
}

MENTORCORE_DECL void course::check(const event& e, const handover_made& p) const {
  if (p.handover.empty()) reject(e, "handover (an id) is required", "handover");
  if (find_handover(p.handover))
    reject(e, "handover " + p.handover.str() + " already exists", "handover");
  if (const auto* open = open_handover()) {
    const auto& made = get<handover_made>(events_[open->event_index].data);
    reject(e, "handover " + made.handover.str() + " made on " +
                  to_iso(events_[open->event_index].date) +
                  " is still open: acknowledge, reject or revoke it first");
  }
  if (p.from.empty() || p.to.empty())
    reject(e, "a handover names its sender (from) and receiver (to)",
           p.from.empty() ? "from" : "to");
  if (p.from == p.to)
    reject(e, "a handover goes from one person to another, not to " + p.to.str() + " themself",
           "to");
  if (!detail::text_ok(p.purpose))
    reject(e, "a handover states its purpose (what the sharing is for)", "purpose");
  if (p.summary_note.size() > detail::max_text_length)
    reject(e,
           "summary_note is longer than " + std::to_string(detail::max_text_length) + " characters",
           "summary_note");
  std::set<knowledge_id> seen;
  for (const auto& id : p.knowledge_items) {
    if (!seen.insert(id).second)
      reject(e, "knowledge item " + id.str() + " is included twice", "knowledge_items");
    const auto it = std::find_if(state_.knowledge.begin(), state_.knowledge.end(),
                                 [&](const knowledge_item& k) { return k.id == id; });
    if (it == state_.knowledge.end())
      reject(e, "knowledge item " + id.str() + " does not exist", "knowledge_items");
    if (it->retired_on)
      reject(e, "knowledge item " + id.str() + " was retired on " + to_iso(*it->retired_on),
             "knowledge_items");
  }
  for (const auto& action : p.actions) {
    if (!detail::text_ok(action.task) || action.owner.empty())
      reject(e, "every action has a task and an owner",
             detail::text_ok(action.task) ? "actions.owner" : "actions.task");
    if (action.due) {
      try {
        require_calendar_day(*action.due, "actions.due");
      } catch (const error& failure) {
        reject(e, failure);
      }
    }
  }
  for (const auto& c : p.contingencies) {
    if (!detail::text_ok(c.if_) || !detail::text_ok(c.then))
      reject(e, "every contingency has an if and a then",
             detail::text_ok(c.if_) ? "contingencies.then" : "contingencies.if");
  }
  for (const auto& commitment : p.commitments) {
    if (!detail::text_ok(commitment))
      reject(e, "commitments must be non-empty texts", "commitments");
  }
  for (const auto& a : p.open_appointments) {
    if (!detail::text_ok(a.what))
      reject(e, "every open appointment says what it is", "open_appointments.what");
    try {
      require_calendar_day(a.on, "open_appointments.date");
    } catch (const error& failure) {
      reject(e, failure);
    }
  }
}

MENTORCORE_DECL const handover_made& course::open_target(const event& e,
                                                         const handover_id& id_to_settle) const {
  // The usual case, the open handover, without a scan; find_handover for the errors.
  if (const auto* open = open_handover()) {
    const auto& made = get<handover_made>(events_[open->event_index].data);
    if (made.handover == id_to_settle) return made;
  }
  const auto* status = find_handover(id_to_settle);
  if (!status) reject(e, "handover " + id_to_settle.str() + " does not exist", "handover");
  if (status->state != handover_state::made) {
    reject(e,
           "handover " + id_to_settle.str() + " is already " +
               std::string(to_string(status->state)) + " (on " + to_iso(*status->settled_on) + ")",
           "handover");
  }
  return get<handover_made>(events_[status->event_index].data);
}

MENTORCORE_DECL void course::check(const event& e, const handover_acknowledged& p) const {
  const auto& made = open_target(e, p.handover);
  if (e.recorded_by != made.to) {
    reject(e,
           "the receiver acknowledges: recorded by " + e.recorded_by.str() +
               ", but the receiver is " + made.to.str(),
           "recorded_by");
  }
  if (!detail::text_ok(p.read_back)) reject(e, "the receiver's read-back is required", "read_back");
}

MENTORCORE_DECL void course::check(const event& e, const handover_rejected& p) const {
  const auto& made = open_target(e, p.handover);
  if (e.recorded_by != made.to) {
    reject(e,
           "the receiver rejects: recorded by " + e.recorded_by.str() + ", but the receiver is " +
               made.to.str(),
           "recorded_by");
  }
  if (!detail::text_ok(p.reason)) reject(e, "a reason for rejecting is required", "reason");
}

MENTORCORE_DECL void course::check(const event& e, const handover_revoked& p) const {
  const auto& made = open_target(e, p.handover);
  if (e.recorded_by != made.from) {
    reject(e,
           "the sender revokes: recorded by " + e.recorded_by.str() + ", but the sender is " +
               made.from.str(),
           "recorded_by");
  }
  if (!detail::text_ok(p.reason)) reject(e, "a reason for revoking is required", "reason");
}

MENTORCORE_DECL void course::record_handover_event(const event& e, std::size_t index) {
  auto& s = state_;
  const auto settle = [&](const handover_id& id, handover_state to, std::string text,
                          bool is_read_back) {
    // Only the open handover can be settled, and it is the latest (see open_handover): look
    // there first, so replaying thousands of handovers stays linear.
    if (!s.handovers.empty() &&
        get<handover_made>(events_[s.handovers.back().event_index].data).handover == id) {
      auto& h = s.handovers.back();
      h.state = to;
      h.settled_on = e.date;
      (is_read_back ? h.read_back : h.reason) = std::move(text);
      return;
    }
    for (auto& h : s.handovers) {
      if (get<handover_made>(events_[h.event_index].data).handover != id) continue;
      h.state = to;
      h.settled_on = e.date;
      (is_read_back ? h.read_back : h.reason) = std::move(text);
      return;  // handover ids are unique (check() rejects a second handover_made with one)
    }
  };
  visit(
      [&](const auto& p) {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, consent_given>) {
          s.consents.push_back(consent_record{p.consent, p.recipient, p.recipient_role, p.purposes,
                                              p.data_categories, p.valid_from, p.valid_to, p.form,
                                              e.date, std::nullopt});
        } else if constexpr (std::is_same_v<P, consent_withdrawn>) {
          for (auto& c : s.consents) {
            if (c.id == p.consent) c.withdrawn_on = e.date;
          }
        } else if constexpr (std::is_same_v<P, handover_made>) {
          s.handovers.push_back(
              state::handover_status{index, handover_state::made, std::nullopt, {}, {}});
        } else if constexpr (std::is_same_v<P, handover_acknowledged>) {
          settle(p.handover, handover_state::acknowledged, p.read_back, true);
        } else if constexpr (std::is_same_v<P, handover_rejected>) {
          settle(p.handover, handover_state::rejected, p.reason, false);
        } else if constexpr (std::is_same_v<P, handover_revoked>) {
          settle(p.handover, handover_state::revoked, p.reason, false);
        }
      },
      e.data);
}

// ---- views ---------------------------------------------------------------------------------

namespace detail {

/// The handover as `made` on `on`, before it is settled or measured.
MENTORCORE_DECL handover_record handover_as_made(const date& on, const handover_made& made) {
  handover_record h;
  h.id = made.handover;
  h.made_on = on;
  h.from = made.from;
  h.from_role = made.from_role;
  h.to = made.to;
  h.to_role = made.to_role;
  h.type = made.type;
  h.planned = made.planned;
  h.purpose = made.purpose;
  h.citizen_severity = made.citizen_severity;
  h.summary_note = made.summary_note;
  h.actions = made.actions;
  h.contingencies = made.contingencies;
  h.commitments = made.commitments;
  h.open_appointments = made.open_appointments;
  return h;
}

/// The contacts a handover is measured against, indexed once for all of a course's handovers
/// (a scan per handover made course::handovers quadratic): no-show dates, and each receiver's
/// attended-contact dates, all in date order (a course's events are).
class handover_contact_index {
 public:
  explicit handover_contact_index(
      const std::vector<std::pair<date, const contact_logged*>>& contacts) {
    for (const auto& [day, c] : contacts) {
      if (c->attended == attendance::no_show) no_shows_.push_back(day);
      if (c->attended == attendance::attended) attended_by_[c->mentor].push_back(day);
    }
  }

  /// Sets the days to the receiver's first attended contact on or after the handover, and the
  /// no-shows in the 30 days from it.
  void measure(handover_record& h) const {
    if (const auto it = attended_by_.find(h.to); it != attended_by_.end()) {
      const auto first = std::lower_bound(it->second.begin(), it->second.end(), h.made_on);
      if (first != it->second.end())
        h.days_to_first_contact = static_cast<int>((*first - h.made_on).days());
    }
    const auto from = std::lower_bound(no_shows_.begin(), no_shows_.end(), h.made_on);
    const auto to = std::lower_bound(from, no_shows_.end(), h.made_on + boost::gregorian::days(30));
    h.no_shows_within_30_days = static_cast<int>(to - from);
  }

 private:
  std::vector<date> no_shows_;
  std::map<staff_id, std::vector<date>> attended_by_;
};

/// Each instrument's rating totals by date, indexed once for all of a course's handovers.
class handover_rating_index {
 public:
  explicit handover_rating_index(const std::vector<scored_rating>& ratings) {
    for (const auto& r : ratings) {
      auto it = std::find_if(by_instrument_.begin(), by_instrument_.end(),
                             [&](const auto& entry) { return entry.first == r.instrument; });
      if (it == by_instrument_.end()) {
        by_instrument_.emplace_back(r.instrument, std::vector<std::pair<date, double>>{});
        it = std::prev(by_instrument_.end());
      }
      it->second.emplace_back(r.on, r.score.total);
    }
  }

  /// For each instrument rated both before and on or after `on` (in the order of their first
  /// rating): the last score before and the first score after.
  [[nodiscard]] std::vector<rating_across_handover> across(const date& on) const {
    std::vector<rating_across_handover> result;
    for (const auto& [name, totals] : by_instrument_) {
      const auto after = std::lower_bound(
          totals.begin(), totals.end(), on,
          [](const std::pair<date, double>& rated, const date& day) { return rated.first < day; });
      if (after == totals.begin() || after == totals.end()) continue;
      result.push_back({name, std::prev(after)->second, after->second});
    }
    return result;
  }

 private:
  std::vector<std::pair<std::string, std::vector<std::pair<date, double>>>> by_instrument_;
};

}  // namespace detail

MENTORCORE_DECL void course::sort_handed_knowledge(handover_record& h, const handover_made& made,
                                                   const course& before) const {
  const std::set<knowledge_id> included(made.knowledge_items.begin(), made.knowledge_items.end());
  for (const auto& item : before.state_.knowledge) {
    if (item.retired_on) continue;  // the sender's current profile only
    if (!included.contains(item.id)) {
      h.dropped.push_back(item.id);
      continue;
    }
    bool covered = item.basis != sharing_basis::consent;
    for (const auto& consent : state_.consents) {
      covered =
          covered || consent.covers(h.made_on, made.to, made.to_role, made.purpose, item.data);
    }
    if (covered) {
      h.carried.push_back(item.id);
    } else {
      h.withheld.push_back(item.id);
      ++h.withheld_by_category[static_cast<std::size_t>(item.data)];
    }
  }
}

MENTORCORE_DECL std::vector<handover_record> course::handovers() const {
  if (state_.handovers.empty()) return {};
  return handovers_with(contacts(), ratings());
}

MENTORCORE_DECL std::vector<handover_record> course::handovers_with(
    const std::vector<std::pair<date, const contact_logged*>>& contacts,
    const std::vector<scored_rating>& ratings) const {
  if (contacts.size() != state_.contact_events.size()) {
    throw invalid_value_error(
        "contacts", std::to_string(contacts.size()) + " contacts",
        "not this course's contacts(): it has " + std::to_string(state_.contact_events.size()));
  }
  if (ratings.size() != state_.rating_events.size()) {
    throw invalid_value_error(
        "ratings", std::to_string(ratings.size()) + " ratings",
        "not this course's ratings(): it has " + std::to_string(state_.rating_events.size()));
  }
  std::vector<handover_record> result;
  if (state_.handovers.empty()) return result;
  result.reserve(state_.handovers.size());
  const detail::handover_contact_index contact_index(contacts);
  const detail::handover_rating_index rating_index(ratings);
  // The sender's profile as each handover was made: one course rolled forward through the
  // history once, not rebuilt from the order for every handover (which was quadratic). Only
  // its knowledge is read (sort_handed_knowledge), and only the knowledge events change that
  // (record): the other events are not copied into it.
  course before;
  before.reference_ = reference_;
  std::size_t applied = 0;
  for (const auto& status : state_.handovers) {
    for (; applied < status.event_index; ++applied) {
      const auto& data = events_[applied].data;
      if (holds_alternative<knowledge_recorded>(data) ||
          holds_alternative<knowledge_revised>(data) || holds_alternative<knowledge_retired>(data))
        before.apply(event(events_[applied]));
    }
    const event& e = events_[status.event_index];
    const auto& made = get<handover_made>(e.data);
    handover_record h = detail::handover_as_made(e.date, made);
    h.state = status.state;
    h.settled_on = status.settled_on;
    h.read_back = status.read_back;
    h.reason = status.reason;
    sort_handed_knowledge(h, made, before);
    contact_index.measure(h);
    h.ratings = rating_index.across(e.date);
    result.push_back(std::move(h));
  }
  return result;
}

MENTORCORE_DECL std::pair<staff_id, party_role> course::responsible() const {
  std::pair<staff_id, party_role> holder{order().caseworker, party_role::caseworker};
  for (const auto& status : state_.handovers) {
    if (status.state != handover_state::acknowledged) continue;
    const auto& made = get<handover_made>(events_[status.event_index].data);
    holder = {made.to, made.to_role};
  }
  return holder;
}

MENTORCORE_DECL int course::mentor_changes() const {
  int changes = 0;
  for (const auto& status : state_.handovers) {
    if (status.state != handover_state::acknowledged) continue;
    const auto& made = get<handover_made>(events_[status.event_index].data);
    if (made.from_role == party_role::mentor && made.to_role == party_role::mentor &&
        made.from != made.to)
      ++changes;
  }
  return changes;
}

namespace detail {

/// The "Latest ratings" line of a handover's summary: each instrument's last score.
MENTORCORE_DECL void write_latest_ratings(std::ostream& md,
                                          const std::vector<scored_rating>& ratings) {
  std::vector<std::pair<std::string, const scored_rating*>> latest;
  for (const auto& r : ratings) {
    auto it = std::find_if(latest.begin(), latest.end(),
                           [&](const auto& p) { return p.first == r.instrument; });
    if (it == latest.end()) {
      latest.emplace_back(r.instrument, &r);
    } else {
      it->second = &r;
    }
  }
  if (latest.empty()) return;
  md << "- Latest ratings:";
  for (std::size_t i = 0; i < latest.size(); ++i) {
    md << (i == 0 ? " " : "; ") << latest[i].first << " "
       << number_text(latest[i].second->score.total, 1) << " (" << to_iso(latest[i].second->on)
       << ")";
  }
  md << "\n";
}

/// The "P: Summary" list of a handover, assembled from `view` (the course on the handover day).
MENTORCORE_DECL void write_handover_summary(std::ostream& md, const course& view,
                                            const handover_record& h) {
  const auto& phases = view.phases();
  md << "- Phase: " << to_string(view.current_phase()) << " since " << to_iso(phases.back().start)
     << "\n";
  if (view.is_paused()) md << "- Paused since " << to_iso(view.pauses().back().start) << "\n";
  const auto trajectories = view.stage_trajectories();
  if (!trajectories.empty()) {
    md << "- Stages of change:";
    for (std::size_t i = 0; i < trajectories.size(); ++i) {
      const auto& t = trajectories[i];
      md << (i == 0 ? " " : "; ") << t.behaviour << ": " << to_string(t.current) << " since "
         << to_iso(t.since);
    }
    md << "\n";
  }
  write_latest_ratings(md, view.ratings());
  const auto ladder = view.milestones();
  md << "- Independence ladder:";
  if (ladder.empty()) md << " no milestones yet";
  for (std::size_t i = 0; i < ladder.size(); ++i) {
    md << (i == 0 ? " " : ", ") << to_string(ladder[i].which) << " " << to_iso(ladder[i].on);
  }
  md << "\n";
  for (const auto& g : view.grant_usage_by_grant()) {
    if (g.start <= h.made_on && h.made_on <= g.end) {
      md << "- Grant " << g.grant.str() << " (" << to_iso(g.start) << " to " << to_iso(g.end)
         << "): " << number_text(g.hours_delivered, 1) << " of " << number_text(g.hours_granted, 1)
         << " hours delivered\n";
    }
  }
  if (!h.summary_note.empty()) md << "- Sender's note: " << h.summary_note << "\n";
}

/// The "What we know about the person" section: the carried items in full, the withheld ones
/// only as counts by data category.
MENTORCORE_DECL void write_handed_knowledge(std::ostream& md, const course& view,
                                            const handover_record& h) {
  md << "\n### What we know about the person\n\n";
  if (h.carried.empty()) md << "Nothing carried.\n";
  // The profile once, looked up by id (it was rebuilt for every carried item).
  const auto profile = view.knowledge_profile(true);
  std::map<knowledge_id, const knowledge_item*> by_id;
  for (const auto& item : profile) by_id.emplace(item.id, &item);
  for (const auto& id_carried : h.carried) {
    const auto found = by_id.find(id_carried);
    if (found == by_id.end()) continue;
    const auto& item = *found->second;
    md << "- " << item.category << ": " << item.text << " (recorded " << to_iso(item.recorded_on)
       << " by " << item.recorded_by.str() << ")\n";
  }
  if (h.withheld.empty()) return;
  md << "\nWithheld, because no active consent covers them: " << h.withheld.size() << " item"
     << (h.withheld.size() == 1 ? "" : "s") << " (";
  bool first = true;
  for (const auto category : all_values<data_category>()) {
    const int count = h.withheld_by_category[static_cast<std::size_t>(category)];
    if (count == 0) continue;
    md << (first ? "" : ", ") << to_string(category) << ": " << count;
    first = false;
  }
  md << ").\n";
}

/// The "A: Action list" and "S: Situation awareness and contingencies" sections.
MENTORCORE_DECL void write_handover_actions(std::ostream& md, const handover_record& h) {
  md << "\n## A: Action list\n\n";
  if (h.actions.empty()) md << "No actions.\n";
  for (const auto& a : h.actions) {
    md << "- [ ] " << a.task << " (owner: " << a.owner;
    if (a.due) md << ", due " << to_iso(*a.due);
    md << ")\n";
  }
  md << "\n## S: Situation awareness and contingencies\n\n";
  if (h.contingencies.empty()) md << "No contingencies.\n";
  for (const auto& c : h.contingencies) md << "- If " << c.if_ << ", then " << c.then << "\n";
  md << "\nCommitments made to the citizen:\n\n";
  if (h.commitments.empty()) md << "- none\n";
  for (const auto& c : h.commitments) md << "- " << c << "\n";
  md << "\nOpen appointments:\n\n";
  if (h.open_appointments.empty()) md << "- none\n";
  for (const auto& a : h.open_appointments) md << "- " << to_iso(a.on) << ": " << a.what << "\n";
}

/// Refuses a record that handovers() could not have made, before handover_markdown reads it:
/// an enum that no enumerator has, a made_on that is not a date, a settled_on missing from a
/// settled handover (it was read from the empty optional) or given for an open one, or one
/// before made_on. Throws invalid_value_error naming the member.
MENTORCORE_DECL void check_handover_record(const handover_record& h) {
  require_enumerator(h.from_role, "from_role");
  require_enumerator(h.to_role, "to_role");
  require_enumerator(h.type, "type");
  require_enumerator(h.citizen_severity, "citizen_severity");
  require_enumerator(h.state, "state");
  require_real_date(h.made_on, "made_on");
  const std::string state(to_string(h.state));
  if (h.state != handover_state::made && !h.settled_on) {
    throw invalid_value_error("settled_on", "none",
                              "a handover that is " + state + " has the day it was " + state);
  }
  if (h.state == handover_state::made && h.settled_on) {
    throw invalid_value_error("settled_on", to_iso(*h.settled_on),
                              "a handover that is made (still open) is not settled");
  }
  if (h.settled_on && (require_real_date(*h.settled_on, "settled_on") < h.made_on)) {
    throw invalid_value_error("settled_on", to_iso(*h.settled_on),
                              "before the handover was made on " + to_iso(h.made_on));
  }
}

}  // namespace detail

MENTORCORE_DECL std::string course::handover_markdown(const handover_record& h) const {
  detail::check_handover_record(h);
  if (h.made_on < ordered_on()) {
    throw invalid_value_error("made_on", to_iso(h.made_on),
                              "before the course was ordered on " + to_iso(ordered_on()));
  }
  // The course as it stood at the end of the handover day: what the receiver was handed.
  const course view = as_of(h.made_on);
  std::ostringstream md;
  md << "# Handover " << h.id.str() << ": " << h.from.str() << " (" << to_string(h.from_role)
     << ") to " << h.to.str() << " (" << to_string(h.to_role) << ")\n\n";
  md << "Course " << id().str() << ", citizen " << citizen().str() << ", municipality "
     << order().municipality.value() << ". Made " << to_iso(h.made_on) << ", " << to_string(h.type)
     << (h.planned ? ", planned" : ", unplanned") << ". Purpose: " << h.purpose << ".\n\n";
  md << "State: " << to_string(h.state);
  if (h.settled_on) md << " on " << to_iso(*h.settled_on);
  if (!h.reason.empty()) md << " (" << h.reason << ")";
  md << "\n\n";

  md << "## I: Severity\n\n" << to_string(h.citizen_severity) << "\n\n";

  md << "## P: Summary\n\n";
  detail::write_handover_summary(md, view, h);
  detail::write_handed_knowledge(md, view, h);
  detail::write_handover_actions(md, h);
  md << "\n## S: Synthesis by the receiver\n\n";
  if (h.state == handover_state::acknowledged) {
    md << "Read back and acknowledged on " << to_iso(*h.settled_on) << ": " << h.read_back << "\n";
  } else {
    md << "Not acknowledged (" << to_string(h.state) << ").\n";
  }
  // Free text is typed by people; whatever was typed, no CPR number leaves in a handover.
  return detail::redact_personal_numbers(md.str());
}

}  // namespace mentorcore
