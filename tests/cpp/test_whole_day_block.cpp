// The block check of the one-pass survival count (analytics/detail/whole_day_block.hpp): the SSE2
// path, where the compiler has it, against the one-subject-at-a-time rule, on blocks of every
// length up to 13 and on a full block, with a misfit at every position; and the largest outcome.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "mentorcore/analytics/detail/whole_day_block.hpp"

using namespace mentorcore::detail;

namespace {

struct block_case {
  std::vector<double> durations;
  std::vector<std::int32_t> outcomes;

  explicit block_case(std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
      durations.push_back(static_cast<double>((i * 7919) % 1201));
      outcomes.push_back(static_cast<std::int32_t>((i * 31) % 4));
    }
  }

  struct checked {
    whole_day_block block;
    std::vector<std::int32_t> days;
  };

  [[nodiscard]] checked by_block(std::int32_t max_outcome) const {
    checked result{{}, std::vector<std::int32_t>(durations.size(), -1)};
    result.block = check_whole_day_block(durations, outcomes, result.days, max_outcome);
    return result;
  }

  [[nodiscard]] checked one_by_one(std::int32_t max_outcome) const {
    checked result{{}, std::vector<std::int32_t>(durations.size(), -1)};
    result.block = check_whole_days_one_by_one(durations, outcomes, result.days, max_outcome);
    return result;
  }
};

}  // namespace

TEST_CASE("a block of whole days gives each subject's day and the last day, as one by one",
          "[survival]") {
  for (const std::size_t size :
       std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 1024}) {
    CAPTURE(size);
    const block_case subjects(size);
    const auto fast = subjects.by_block(3);
    const auto slow = subjects.one_by_one(3);
    CHECK(fast.block.fits);
    CHECK(slow.block.fits);
    CHECK(fast.days == slow.days);
    CHECK(fast.block.last_day == slow.block.last_day);
    for (std::size_t i = 0; i < size; ++i)
      CHECK(fast.days[i] == static_cast<std::int32_t>(subjects.durations[i]));
  }
}

TEST_CASE("the edges of the one-pass count fit: day 0, -0.0, the last day and outcome 0..max",
          "[survival]") {
  block_case subjects(9);
  subjects.durations = {0.0, -0.0, max_one_pass_day - 1, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
  subjects.outcomes = {0, 2, 1, 2, 0, 1, 2, 0, 2};
  const auto fast = subjects.by_block(2);
  CHECK(fast.block.fits);
  CHECK(fast.days == std::vector<std::int32_t>{0, 0, 65535, 1, 2, 3, 4, 5, 6});
  CHECK(fast.block.last_day == 65535);
  CHECK(subjects.one_by_one(2).days == fast.days);
}

TEST_CASE("a misfit anywhere in a block makes it not fit, on both paths", "[survival]") {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> bad_times = {std::nan(""), -1.0, -0.5, 0.5,
                                         1e300,        inf,  -inf, max_one_pass_day};
  const std::vector<std::int32_t> bad_outcomes = {-1, 3, std::numeric_limits<std::int32_t>::min(),
                                                  std::numeric_limits<std::int32_t>::max()};
  for (const std::size_t size : std::vector<std::size_t>{1, 4, 9, 1024}) {
    for (std::size_t at = 0; at<size; at += size> 9 ? 337 : 1) {
      CAPTURE(size, at);
      for (const double time : bad_times) {
        CAPTURE(time);
        block_case subjects(size);
        subjects.durations[at] = time;
        CHECK_FALSE(subjects.by_block(3).block.fits);
        CHECK_FALSE(subjects.one_by_one(3).block.fits);
      }
      for (const std::int32_t outcome : bad_outcomes) {
        CAPTURE(outcome);
        block_case subjects(size);
        for (auto& o : subjects.outcomes) o %= 3;
        subjects.outcomes[at] = outcome;
        CHECK_FALSE(subjects.by_block(2).block.fits);
        CHECK_FALSE(subjects.one_by_one(2).block.fits);
      }
    }
  }
}

TEST_CASE("the largest outcome is found wherever it stands, and is 0 for none", "[survival]") {
  CHECK(largest_outcome({}) == 0);
  const std::vector<std::int32_t> negatives(20, -3);
  CHECK(largest_outcome(negatives) == 0);
  for (const std::size_t size : std::vector<std::size_t>{1, 7, 8, 9, 16, 17, 1000}) {
    for (std::size_t at = 0; at<size; at += size> 17 ? 97 : 1) {
      CAPTURE(size, at);
      std::vector<std::int32_t> outcomes(size, 2);
      outcomes[at] = 5;
      CHECK(largest_outcome(outcomes) == 5);
      outcomes[at] = std::numeric_limits<std::int32_t>::max();
      CHECK(largest_outcome(outcomes) == std::numeric_limits<std::int32_t>::max());
    }
  }
}
