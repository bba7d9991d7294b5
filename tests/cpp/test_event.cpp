#include "mentorcore/event.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

using namespace mentorcore;

TEST_CASE("every event type has a unique stable name", "[event]") {
  std::set<std::string> names;
  for_each_event_type([&](const auto& payload) {
    names.insert(std::string(payload_traits<std::decay_t<decltype(payload)>>::name));
  });
  CHECK(names.size() == event_type_count);
  CHECK(event_type_index("contact_logged") == 5U);
  CHECK_FALSE(event_type_index("contact").has_value());
}

TEST_CASE("for_each_field visits every field with its name", "[event]") {
  grant_made g;
  g.goal = "job";
  std::vector<std::string> names;
  for_each_field(g, [&](std::string_view name, auto& member, bool) {
    names.emplace_back(name);
    if constexpr (std::is_same_v<std::decay_t<decltype(member)>, std::string>) {
      if (name == "goal") CHECK(member == "job");
    }
  });
  CHECK(names == std::vector<std::string>{"grant", "goal", "mentor", "mentor_contact", "tasks",
                                          "hours_per_week", "start", "end", "legal_basis",
                                          "predecessor", "provider"});
  const event e{date(2024, 1, 1), staff_id("s"), course_resumed{}};
  CHECK(e.type() == "resumed");
}

TEST_CASE("large payloads are boxed, invisibly: events stay small and are values", "[event]") {
  // A contact is stored in the event; a handover is held behind a pointer.
  CHECK(sizeof(event) <= sizeof(staff_id) + 64);
  static_assert(std::is_same_v<detail::stored_payload<contact_logged>, contact_logged>);
  static_assert(std::is_same_v<detail::stored_payload<handover_made>, boxed<handover_made>>);

  handover_made made;
  made.handover = handover_id("H1");
  made.purpose = "continuity";
  made.commitments = {"ring fredag"};
  event original{date(2024, 3, 1), staff_id("mentor-4"), made};
  CHECK(original.type() == "handover_made");
  CHECK(holds_alternative<handover_made>(original.data));
  CHECK_FALSE(holds_alternative<contact_logged>(original.data));
  CHECK(get<handover_made>(original.data) == made);
  CHECK(get_if<contact_logged>(&original.data) == nullptr);
  CHECK_THROWS_AS((void)get<contact_logged>(original.data), std::bad_variant_access);
  CHECK(visit([](const auto& payload) { return sizeof(payload); }, original.data) ==
        sizeof(handover_made));

  // A copy is a deep copy, and equality compares payloads, not pointers.
  event copy = original;
  CHECK(copy == original);
  get<handover_made>(copy.data).purpose = "other";
  CHECK(copy != original);
  CHECK(get<handover_made>(original.data).purpose == "continuity");
  copy = original;
  CHECK(copy == original);

  // Moving keeps the payload; assigning another payload type replaces it.
  event moved = std::move(copy);
  CHECK(moved == original);
  moved.data = contact_logged{};
  CHECK(moved.type() == "contact_logged");
  CHECK(moved != original);
  moved.data = made;
  CHECK(moved == original);
  const event plain{date(2024, 3, 1), staff_id("mentor-4"), course_resumed{}};
  CHECK(mentorcore::get_if<course_resumed>(&plain.data) != nullptr);
}
