#include "mentorcore/event.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

using namespace mentorcore;

TEST_CASE("every event type has a unique stable name", "[event]") {
  std::set<std::string> names;
  for_each_event_type([&](const auto& payload) {
    names.insert(std::string(payload_traits<std::decay_t<decltype(payload)>>::name));
  });
  CHECK(names.size() == std::variant_size_v<event_payload>);
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
                                          "predecessor"});
  const event e{date(2024, 1, 1), staff_id("s"), course_resumed{}};
  CHECK(e.type() == "resumed");
}
