#pragma once
/// \file handover.hpp
/// Handovers: carrying what is known about the person to the next mentor or caseworker, gated by
/// consent and acknowledged by the receiver (modelled on I-PASS), and measuring what was lost.
///
/// The record itself is a set of events on the course (handover_made, handover_acknowledged,
/// handover_rejected, handover_revoked, consent_given, consent_withdrawn; see event.hpp); this
/// header holds the vocabulary and the derived view with its measures.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorcore/date.hpp"
#include "mentorcore/enum.hpp"
#include "mentorcore/ids.hpp"
#include "mentorcore/knowledge.hpp"

namespace mentorcore {

/// The role of a party to a handover or a consent.
enum class party_role : std::uint8_t {
  mentor,
  caseworker,
  provider,
  employer_mentor,
  education_mentor
};

template <>
struct enum_traits<party_role> {
  static constexpr std::string_view type_name = "party_role";
  static constexpr std::array<std::string_view, 5> names = {"mentor", "caseworker", "provider",
                                                            "employer_mentor", "education_mentor"};
};

/// How the handover happened.
enum class handover_type : std::uint8_t {
  warm,                ///< a joint meeting with the citizen
  verbal_and_written,  ///< a conversation between the two, and a written record
  written_only,
  unplanned,  ///< sudden (sickness, resignation): whatever could be passed on
};

template <>
struct enum_traits<handover_type> {
  static constexpr std::string_view type_name = "handover_type";
  static constexpr std::array<std::string_view, 4> names = {"warm", "verbal_and_written",
                                                            "written_only", "unplanned"};
};

/// I-PASS's first section: how stable the citizen's situation is.
enum class severity : std::uint8_t { stable, watch, unstable };

template <>
struct enum_traits<severity> {
  static constexpr std::string_view type_name = "severity";
  static constexpr std::array<std::string_view, 3> names = {"stable", "watch", "unstable"};
};

/// How a consent was given.
enum class consent_form : std::uint8_t { written, oral, digital };

template <>
struct enum_traits<consent_form> {
  static constexpr std::string_view type_name = "consent_form";
  static constexpr std::array<std::string_view, 3> names = {"written", "oral", "digital"};
};

/// Where a handover stands.
enum class handover_state : std::uint8_t { made, acknowledged, rejected, revoked };

template <>
struct enum_traits<handover_state> {
  static constexpr std::string_view type_name = "handover_state";
  static constexpr std::array<std::string_view, 4> names = {"made", "acknowledged", "rejected",
                                                            "revoked"};
};

/// Sections a handover can be checked for (completeness).
enum class handover_section : std::uint8_t {
  actions,
  contingencies,
  relational_knowledge,
  commitments,
  open_appointments,
  read_back,
};

template <>
struct enum_traits<handover_section> {
  static constexpr std::string_view type_name = "handover_section";
  static constexpr std::array<std::string_view, 6> names = {
      "actions",     "contingencies",     "relational_knowledge",
      "commitments", "open_appointments", "read_back"};
};

/// One task on the action list.
struct handover_action {
  std::string task;
  std::string owner;  ///< who does it (a role or a person's key)
  std::optional<boost::gregorian::date> due;
  friend bool operator==(const handover_action&, const handover_action&) = default;
};

/// If this happens, then do that ("if two no-shows, home visit and tell the caseworker").
struct contingency {
  std::string if_;
  std::string then;
  friend bool operator==(const contingency&, const contingency&) = default;
};

/// An appointment the receiver inherits.
struct appointment {
  boost::gregorian::date on;
  std::string what;
  friend bool operator==(const appointment&, const appointment&) = default;
};

/// A consent to share, scoped by recipient, purpose, data categories and period.
struct consent_record {
  consent_id id;
  std::optional<staff_id> recipient;         ///< a named recipient, or
  std::optional<party_role> recipient_role;  ///< anyone in this role
  std::vector<std::string> purposes;
  std::vector<data_category> data_categories;
  boost::gregorian::date valid_from;
  std::optional<boost::gregorian::date> valid_to;
  consent_form form = consent_form::written;
  boost::gregorian::date given_on;
  std::optional<boost::gregorian::date> withdrawn_on;

  /// Active on `day`: within its period and not withdrawn on or before `day` (a withdrawal takes
  /// effect on its own date: nothing is shared under it that day).
  [[nodiscard]] bool active_on(const date& day) const {
    return valid_from <= day && (!valid_to || day <= *valid_to) &&
           (!withdrawn_on || day < *withdrawn_on);
  }

  /// Whether it lets `category` go to `to` (in `role`) for `purpose` on `day`.
  [[nodiscard]] bool covers(const date& day, const staff_id& to, party_role role,
                            const std::string& purpose, data_category category) const {
    if (!active_on(day)) return false;
    const bool recipient_ok =
        (recipient && *recipient == to) || (recipient_role && *recipient_role == role);
    bool purpose_ok = false;
    for (const auto& p : purposes) purpose_ok = purpose_ok || p == purpose;
    bool category_ok = false;
    for (const auto c : data_categories) category_ok = category_ok || c == category;
    return recipient_ok && purpose_ok && category_ok;
  }
};

/// Which sections count towards completeness (all six by default).
struct handover_checklist {
  std::vector<handover_section> sections = {handover_section::actions,
                                            handover_section::contingencies,
                                            handover_section::relational_knowledge,
                                            handover_section::commitments,
                                            handover_section::open_appointments,
                                            handover_section::read_back};
};

/// The change in one instrument across a handover: the last rating before it against the first
/// rating on or after it.
struct rating_across_handover {
  std::string instrument;
  double before = 0;
  double after = 0;
  [[nodiscard]] double change() const { return after - before; }
};

/// A handover as it stands, with its measures.
struct handover_record {
  handover_id id;
  boost::gregorian::date made_on;
  staff_id from;
  party_role from_role = party_role::mentor;
  staff_id to;
  party_role to_role = party_role::mentor;
  handover_type type = handover_type::verbal_and_written;
  bool planned = true;
  std::string purpose;
  severity citizen_severity = severity::stable;
  std::string
      summary_note;  ///< the sender's own summary, next to the one assembled from the course
  std::vector<handover_action> actions;
  std::vector<contingency> contingencies;
  std::vector<std::string> commitments;
  std::vector<appointment> open_appointments;

  handover_state state = handover_state::made;
  std::optional<boost::gregorian::date> settled_on;  ///< acknowledged, rejected or revoked on
  std::string read_back;                             ///< the receiver's read-back (acknowledged)
  std::string reason;                                ///< why it was rejected or revoked

  /// Knowledge items: carried (included and covered), withheld (included but no active consent
  /// covers them and no other legal basis applies), dropped (in the profile, left out by the
  /// sender).
  std::vector<knowledge_id> carried;
  std::vector<knowledge_id> withheld;
  std::vector<knowledge_id> dropped;
  /// Withheld items by data category (counts), so the receiver sees what is missing.
  std::array<int, enum_traits<data_category>::names.size()> withheld_by_category{};

  /// Days from the handover to the receiver's first attended contact, if there has been one.
  std::optional<int> days_to_first_contact;
  /// No-shows in the 30 days from the handover (the handover day included).
  int no_shows_within_30_days = 0;
  std::vector<rating_across_handover> ratings;

  /// Share of the checklist's sections that are present (0 to 1).
  [[nodiscard]] double completeness(const handover_checklist& checklist = {}) const;
};

inline double handover_record::completeness(const handover_checklist& checklist) const {
  if (checklist.sections.empty()) return 1.0;
  int present = 0;
  for (const auto section : checklist.sections) {
    switch (section) {
      case handover_section::actions: present += actions.empty() ? 0 : 1; break;
      case handover_section::contingencies: present += contingencies.empty() ? 0 : 1; break;
      case handover_section::relational_knowledge: present += carried.empty() ? 0 : 1; break;
      case handover_section::commitments: present += commitments.empty() ? 0 : 1; break;
      case handover_section::open_appointments: present += open_appointments.empty() ? 0 : 1; break;
      case handover_section::read_back: present += read_back.empty() ? 0 : 1; break;
    }
  }
  return static_cast<double>(present) / static_cast<double>(checklist.sections.size());
}

}  // namespace mentorcore
