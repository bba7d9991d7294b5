#include "mentorcore/field_table.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace {

// A record of our own: the machinery works for any type with a table, not only the events.
struct visit_note {
  int minutes = 0;
  std::string place;  // wire name "location", as contact_logged::where
  std::optional<std::string> remark;
};

}  // namespace

template <>
struct mentorcore::payload_traits<visit_note> {
  static constexpr std::string_view name = "visit_note";
  static constexpr auto fields = std::make_tuple(required_field("minutes", &visit_note::minutes),
                                                 required_field("location", &visit_note::place),
                                                 optional_field("remark", &visit_note::remark));
};

TEST_CASE("a field table names each member once, in order, with whether it is required",
          "[field_table]") {
  using mentorcore::for_each_field;
  visit_note note{30, "home", std::nullopt};
  std::vector<std::string> names;
  std::vector<bool> required;
  for_each_field(note, [&](std::string_view name, auto& member, bool is_required) {
    names.emplace_back(name);
    required.push_back(is_required);
    if constexpr (std::is_same_v<std::decay_t<decltype(member)>, int>) member += 15;  // a reference
  });
  CHECK(names == std::vector<std::string>{"minutes", "location", "remark"});
  CHECK(required == std::vector<bool>{true, true, false});
  CHECK(note.minutes == 45);

  const visit_note& view = note;
  std::string where;
  for_each_field(view, [&](std::string_view name, const auto& member, bool) {
    if constexpr (std::is_same_v<std::decay_t<decltype(member)>, std::string>) {
      if (name == "location") where = member;
    }
  });
  CHECK(where == "home");
  static_assert(std::get<1>(mentorcore::payload_traits<visit_note>::fields).name == "location");
}
