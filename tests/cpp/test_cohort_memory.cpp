// The cohort's memory bound: at most 32 bytes per contact in all (tables, offsets and
// dictionaries), measured on a synthetic municipality of 100,000 courses, built as a national
// reader builds it: course by course, never holding the courses together.

#include <catch2/catch.hpp>

#include <cstddef>
#include <span>

#include "mentorcore/analytics/cohort.hpp"
#include "mentorcore/detail/sanitizers.hpp"
#include "mentorcore/synthetic.hpp"

using namespace mentorcore;

namespace {

// Under AddressSanitizer the generator is several times slower and its memory figures are not
// the product's: the sanitized run checks the same bound on a tenth of the courses.
constexpr std::size_t memory_bound_courses = detail::address_sanitizer ? 10'000 : 100'000;

}  // namespace

TEST_CASE("a cohort of 100,000 synthetic courses takes at most 32 bytes per contact in all",
          "[cohort][memory]") {
  synthetic_options options;
  options.courses = memory_bound_courses;
  options.seed = 2026;
  options.threads = 0;
  cohort::builder build;
  generate_courses(options, [&](std::span<const course> block) {
    for (const auto& c : block) build.add(c);
  });
  const cohort all = build.finish();
  REQUIRE(all.size() == memory_bound_courses);
  const std::size_t contacts = row_count(all.contacts());
  REQUIRE(contacts > 40 * memory_bound_courses);  // about 47 a course
  const double bytes_per_contact =
      static_cast<double>(all.memory_bytes()) / static_cast<double>(contacts);
  INFO("bytes per contact: " << bytes_per_contact << " (" << all.memory_bytes() << " bytes, "
                             << contacts << " contacts)");
  CHECK(bytes_per_contact <= 32.0);
  // What memory_bytes counts is what is there: every column at its size, nothing spare.
  std::size_t column_bytes = 0;
  all.for_each_table([&](const auto& table) {
    for_each_column(table, [&](const auto&, const auto& values) {
      CHECK(values.capacity() == values.size());
      column_bytes += values.size() * sizeof(values.front());
    });
  });
  CHECK(all.memory_bytes() > column_bytes);
}
