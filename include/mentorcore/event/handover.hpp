#pragma once
/// \file event/handover.hpp
/// The events of sharing and handing over: consent given and withdrawn, and a handover made,
/// acknowledged, rejected or revoked. Each payload is followed by its field table (see
/// field_table.hpp for the naming rule); the records a handover carries (actions, contingencies,
/// appointments, defined in handover.hpp) have tables too, first.

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "mentorcore/date.hpp"
#include "mentorcore/field_table.hpp"
#include "mentorcore/handover.hpp"
#include "mentorcore/ids.hpp"
#include "mentorcore/knowledge.hpp"

namespace mentorcore {

// ---- the records a handover carries --------------------------------------------------------

template <>
struct payload_traits<handover_action> {
  static constexpr std::string_view name = "action";
  static constexpr auto fields = std::make_tuple(required_field("task", &handover_action::task),
                                                 required_field("owner", &handover_action::owner),
                                                 optional_field("due", &handover_action::due));
};

template <>
struct payload_traits<contingency> {
  static constexpr std::string_view name = "contingency";
  static constexpr auto fields = std::make_tuple(required_field("if", &contingency::if_),
                                                 required_field("then", &contingency::then));
};

template <>
struct payload_traits<appointment> {
  static constexpr std::string_view name = "appointment";
  static constexpr auto fields = std::make_tuple(required_field("date", &appointment::on),
                                                 required_field("what", &appointment::what));
};

// ---- consent -------------------------------------------------------------------------------

/// The citizen consents to sharing, scoped by recipient, purposes, data categories and period.
struct consent_given {
  consent_id consent;
  std::optional<staff_id> recipient;
  std::optional<party_role> recipient_role;
  std::vector<std::string> purposes;
  std::vector<data_category> data_categories;
  boost::gregorian::date valid_from;
  std::optional<boost::gregorian::date> valid_to;
  consent_form form = consent_form::written;
  friend bool operator==(const consent_given&, const consent_given&) = default;
};

template <>
struct payload_traits<consent_given> {
  static constexpr std::string_view name = "consent_given";
  static constexpr auto fields =
      std::make_tuple(required_field("consent", &consent_given::consent),
                      optional_field("recipient", &consent_given::recipient),
                      optional_field("recipient_role", &consent_given::recipient_role),
                      required_field("purposes", &consent_given::purposes),
                      required_field("data_categories", &consent_given::data_categories),
                      required_field("valid_from", &consent_given::valid_from),
                      optional_field("valid_to", &consent_given::valid_to),
                      required_field("form", &consent_given::form));
};

/// The citizen withdraws a consent (the event's date): later sharing stops, earlier records stay.
struct consent_withdrawn {
  consent_id consent;
  friend bool operator==(const consent_withdrawn&, const consent_withdrawn&) = default;
};

template <>
struct payload_traits<consent_withdrawn> {
  static constexpr std::string_view name = "consent_withdrawn";
  static constexpr auto fields =
      std::make_tuple(required_field("consent", &consent_withdrawn::consent));
};

// ---- handovers ----------------------------------------------------------------------------

/// A handover is made (I-PASS: severity, summary, actions, situation awareness and contingencies;
/// the receiver's synthesis follows as handover_acknowledged).
struct handover_made {
  handover_id handover;
  staff_id from;
  party_role from_role = party_role::mentor;
  staff_id to;
  party_role to_role = party_role::mentor;
  handover_type type = handover_type::verbal_and_written;
  bool planned = true;
  std::string purpose;  ///< what the sharing is for; a consent must name it
  severity citizen_severity = severity::stable;
  std::string summary_note;
  std::vector<handover_action> actions;
  std::vector<contingency> contingencies;
  std::vector<knowledge_id> knowledge_items;  ///< the items the sender includes
  std::vector<std::string> commitments;       ///< promises made to the citizen
  std::vector<appointment> open_appointments;
  friend bool operator==(const handover_made&, const handover_made&) = default;
};

template <>
struct payload_traits<handover_made> {
  static constexpr std::string_view name = "handover_made";
  static constexpr auto fields = std::make_tuple(
      required_field("handover", &handover_made::handover),
      required_field("from", &handover_made::from),
      required_field("from_role", &handover_made::from_role),
      required_field("to", &handover_made::to), required_field("to_role", &handover_made::to_role),
      required_field("handover_type", &handover_made::type),
      required_field("planned", &handover_made::planned),
      required_field("purpose", &handover_made::purpose),
      required_field("severity", &handover_made::citizen_severity),
      optional_field("summary_note", &handover_made::summary_note),
      optional_field("actions", &handover_made::actions),
      optional_field("contingencies", &handover_made::contingencies),
      optional_field("knowledge_items", &handover_made::knowledge_items),
      optional_field("commitments", &handover_made::commitments),
      optional_field("open_appointments", &handover_made::open_appointments));
};

/// The receiver reads back and accepts the handover: responsibility moves to them.
struct handover_acknowledged {
  handover_id handover;
  std::string read_back;
  friend bool operator==(const handover_acknowledged&, const handover_acknowledged&) = default;
};

template <>
struct payload_traits<handover_acknowledged> {
  static constexpr std::string_view name = "handover_acknowledged";
  static constexpr auto fields =
      std::make_tuple(required_field("handover", &handover_acknowledged::handover),
                      required_field("read_back", &handover_acknowledged::read_back));
};

/// The receiver does not accept the handover.
struct handover_rejected {
  handover_id handover;
  std::string reason;
  friend bool operator==(const handover_rejected&, const handover_rejected&) = default;
};

template <>
struct payload_traits<handover_rejected> {
  static constexpr std::string_view name = "handover_rejected";
  static constexpr auto fields =
      std::make_tuple(required_field("handover", &handover_rejected::handover),
                      required_field("reason", &handover_rejected::reason));
};

/// The sender withdraws the handover before it is settled.
struct handover_revoked {
  handover_id handover;
  std::string reason;
  friend bool operator==(const handover_revoked&, const handover_revoked&) = default;
};

template <>
struct payload_traits<handover_revoked> {
  static constexpr std::string_view name = "handover_revoked";
  static constexpr auto fields =
      std::make_tuple(required_field("handover", &handover_revoked::handover),
                      required_field("reason", &handover_revoked::reason));
};

}  // namespace mentorcore
