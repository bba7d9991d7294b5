#pragma once
/// \file field_table.hpp
/// Field tables: each payload lists its fields once, in payload_traits<T>::fields, with their
/// stable names. That one list drives conversion to and from Python, the DataFrame views, the
/// event-log format and its JSON Schema, so a field is named the same everywhere. The payloads
/// and their tables are in mentorcore/event/ (lifecycle.hpp, relationship.hpp, handover.hpp),
/// each payload directly above its table.
///
/// Naming rule: a member has its field's wire name, with two exceptions, and only these:
/// - the wire name is a C++ keyword: the member is the keyword and an underscore
///   ("if" -> contingency::if_);
/// - the wire name is the name of the member's own type (its enum, or `date`): a member named
///   like its type would hide the type inside the struct. The wire name is then the name of the
///   vocabulary (what a reader of the file looks up), and the member is named for the role the
///   value plays in its payload (as the derived records in course.hpp and handover.hpp name it
///   too: attendance_counts::where, knowledge_item::data, handover_record::citizen_severity, ...):
///     "location" -> where, "attendance" -> attended, "non_billable_reason" -> non_billable
///     (contact_logged); "milestone" -> reached (milestone_recorded); "stage" -> assessed
///     (stage_assessed); "start_type" -> type (start_recorded); "handover_type" -> type and
///     "severity" -> citizen_severity (handover_made); "data_category" -> data and
///     "sharing_basis" -> basis (knowledge_recorded, knowledge_revised); "date" -> on
///     (appointment).
/// Every other member is spelt as on the wire. A new field follows the same rule; the wire names
/// never change, as the event log and the Python API are keyed by them.

#include <string_view>
#include <tuple>
#include <type_traits>

namespace mentorcore {

/// One field of a payload: its stable name, the member, and whether input must supply it.
template <class Payload, class Member>
struct field_info {
  std::string_view name;
  Member Payload::*member;
  bool required = false;
};

template <class Payload, class Member>
constexpr field_info<Payload, Member> required_field(std::string_view name,
                                                     Member Payload::*member) {
  return {name, member, true};
}
template <class Payload, class Member>
constexpr field_info<Payload, Member> optional_field(std::string_view name,
                                                     Member Payload::*member) {
  return {name, member, false};
}

/// Specialised for each payload (and each record nested in one): its type name and its fields.
template <class Payload>
struct payload_traits;

/// Calls `visit(name, member_reference, required)` for each field of `payload`.
template <class Payload, class Visitor>
constexpr void for_each_field(Payload& payload, Visitor&& visit) {
  using traits = payload_traits<std::remove_const_t<Payload>>;
  std::apply(
      [&](const auto&... field) {
        (visit(field.name, payload.*(field.member), field.required), ...);
      },
      traits::fields);
}

}  // namespace mentorcore
