// fwd.hpp first, then the full headers: every forward declaration must agree with its definition
// (an opaque enum with the same underlying type, struct against struct, class against class).
#include "mentorcore/fwd.hpp"

namespace {
// A header that only names the types needs nothing but fwd.hpp.
int count_named(const mentorcore::course* c, const mentorcore::reference_data* r,
                const mentorcore::event* e, const mentorcore::course_id* id) {
  return (c ? 1 : 0) + (r ? 1 : 0) + (e ? 1 : 0) + (id ? 1 : 0);
}
}  // namespace

#include <catch2/catch.hpp>

#include "mentorcore/mentorcore.hpp"

TEST_CASE("fwd.hpp declares the public types as the headers define them", "[fwd]") {
  const mentorcore::course_id id("K-1");
  CHECK(count_named(nullptr, mentorcore::reference_data::builtin().get(), nullptr, &id) == 2);
}
