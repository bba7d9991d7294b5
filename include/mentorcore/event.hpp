#pragma once
/// \file event.hpp
/// The events a course is made of. Every change to a course is a dated, attributed event; a
/// course validates each against its state and appends it, and all state derives from them.
///
/// The payloads are defined by area, each next to its field table (field_table.hpp):
/// event/lifecycle.hpp (order, grant, phase, start, clarification, contact, milestone, pause,
/// resume, close, reopen, end of a start, status after closure), event/relationship.hpp (stage,
/// talk, rating, goal, step, success, knowledge) and event/handover.hpp (consent, handover made,
/// acknowledged, rejected, revoked). This header gathers them into event_payload (a variant whose
/// large alternatives are boxed; detail/boxed_variant.hpp) and defines the event itself.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "mentorcore/date.hpp"
#include "mentorcore/detail/boxed_variant.hpp"
#include "mentorcore/event/handover.hpp"
#include "mentorcore/event/lifecycle.hpp"
#include "mentorcore/event/relationship.hpp"
#include "mentorcore/field_table.hpp"
#include "mentorcore/ids.hpp"

namespace mentorcore {

/// Any event payload. Use mentorcore::get, get_if, holds_alternative and visit on it (unqualified
/// calls find them): the std:: ones do not apply, as some payloads are boxed.
using event_payload =
    basic_event_payload<course_ordered, grant_made, phase_changed, start_recorded,
                        clarification_concluded, contact_logged, milestone_recorded, course_paused,
                        course_resumed, course_closed, course_reopened, start_ended,
                        status_recorded, stage_assessed, talk_counted, rating_recorded, goal_set,
                        goal_updated, step_planned, step_done, success_logged, knowledge_recorded,
                        knowledge_revised, knowledge_retired, consent_given, consent_withdrawn,
                        handover_made, handover_acknowledged, handover_rejected, handover_revoked>;

/// How many event types there are.
inline constexpr std::size_t event_type_count = event_payload::size;
/// The I-th payload type, in event_payload's order.
template <std::size_t I>
using event_payload_type = typename event_payload::template alternative<I>;

/// The stable event type names, indexed like event_payload's types.
inline constexpr auto event_type_names = []<std::size_t... I>(std::index_sequence<I...>) {
  return std::array<std::string_view, sizeof...(I)>{payload_traits<event_payload_type<I>>::name...};
}
(std::make_index_sequence<event_type_count>{});

/// A dated, attributed change to a course.
struct event {
  boost::gregorian::date date;  ///< the day the change took effect
  staff_id recorded_by;         ///< who made the change (a member of staff or a system account)
  event_payload data;

  /// The stable event type name, e.g. "contact_logged".
  [[nodiscard]] std::string_view type() const { return event_type_names[data.index()]; }
  friend bool operator==(const event&, const event&) = default;
};

static_assert(std::is_nothrow_move_constructible_v<event>,
              "events move, not copy, when a course's history grows");

/// Calls `visit(type_tag)` with a value-initialised payload for each event type, in variant
/// order: for building tables of all event types.
template <class Visitor>
constexpr void for_each_event_type(Visitor&& visit) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (visit(event_payload_type<I>{}), ...);
  }
  (std::make_index_sequence<event_type_count>{});
}

/// The payload type index for an event type name, or nothing.
[[nodiscard]] inline std::optional<std::size_t> event_type_index(std::string_view name) {
  for (std::size_t index = 0; index < event_type_names.size(); ++index) {
    if (event_type_names[index] == name) return index;
  }
  return std::nullopt;
}

}  // namespace mentorcore
