// The enum check of event payloads (detail/enum_fields.hpp), and course::validate, its one
// caller, refusing what it finds.
#include "mentorcore/detail/enum_fields.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "fixtures.hpp"
#include "mentorcore/course.hpp"

using namespace mentorcore;
using fixtures::d;

namespace {

// Sets `member` to a number no enumerator has (as a caller's cast can), if it holds an enum,
// and returns the name its error should give; nothing for a field that holds no enum.
template <class T>
std::optional<std::string> make_not_an_enumerator(T& member, std::string_view name) {
  const auto past_the_last = [](auto enumerator) {
    using Enum = decltype(enumerator);
    return static_cast<Enum>(enum_traits<Enum>::names.size());
  };
  if constexpr (named_enum<T>) {
    member = past_the_last(T{});
    return std::string(name);
  } else if constexpr (detail::enum_field_optional<T> || detail::enum_field_list<T>) {
    using Element = typename T::value_type;
    if constexpr (named_enum<Element>) {
      if constexpr (detail::enum_field_list<T>) {
        member = {Element{}, past_the_last(Element{})};  // the second one is bad
        return std::string(name) + "[1]";
      } else {
        member = past_the_last(Element{});
        return std::string(name);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("every enum field of every event type is checked and named by its wire name",
          "[enum_fields]") {
  // Driven by the field tables: each enum field (plain, optional or a list) of each payload in
  // turn holds a number past its enum's last enumerator, the rest of the payload as made.
  std::size_t enum_fields = 0;
  for_each_event_type([&](auto made) {
    using payload = decltype(made);
    CHECK_NOTHROW(detail::check_enum_fields(event_payload(made)));
    constexpr std::size_t field_count =
        std::tuple_size_v<std::decay_t<decltype(payload_traits<payload>::fields)>>;
    for (std::size_t k = 0; k < field_count; ++k) {
      payload bad = made;
      std::optional<std::string> expected;
      std::size_t index = 0;
      for_each_field(bad, [&](std::string_view name, auto& member, bool) {
        if (index++ == k) expected = make_not_an_enumerator(member, name);
      });
      if (!expected) continue;
      ++enum_fields;
      INFO(payload_traits<payload>::name << "." << *expected);
      try {
        detail::check_enum_fields(event_payload(bad));
        FAIL("accepted");
      } catch (const invalid_value_error& e) {
        CHECK(e.field() == *expected);
        CHECK_THAT(e.reason(), Catch::StartsWith("not a "));
      }
    }
  });
  // The enum fields the event types have today (a new one is covered without changing this test
  // beyond the count).
  CHECK(enum_fields == 28);
}

TEST_CASE("course::append refuses a cast enum by field and value and keeps the course as it was",
          "[enum_fields][course]") {
  // A contact at location 40 was stored, and attendance_by_location then indexed its table of 9
  // locations at 40 (out of bounds).
  course c(fixtures::order(d(2024, 1, 8)));
  c.append(fixtures::to_phase(d(2024, 1, 10), phase::pre_employment));
  const course before = c;
  event bad = fixtures::contact(d(2024, 1, 11), location::home);
  get<contact_logged>(bad.data).where = static_cast<location>(40);
  CHECK_THROWS_MATCHES(c.append(bad), rule_violation_error,
                       Catch::Matchers::Message(
                           "course K-1, event #2 contact_logged on 2024-01-11: location = 40: not "
                           "a location; expected one of: " +
                           detail::enumerator_names<location>()));
  CHECK(c == before);
  CHECK(c.attendance_by_location().empty());
  c.append(fixtures::contact(d(2024, 1, 11), location::home));  // and a real location is taken
  REQUIRE(c.attendance_by_location().size() == 1);
  CHECK(c.attendance_by_location()[0].where == location::home);
}
