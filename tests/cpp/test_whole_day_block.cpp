// The block check of the one-pass survival count (analytics/detail/whole_day_block.hpp): each
// vector path this machine has (SSE2, AVX2) against the one-subject-at-a-time rule, on blocks of
// every length up to 19 and on a full block, with a misfit at every position, and with the next
// block asked for from memory; and the largest outcome.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "mentorcore/analytics/detail/whole_day_block.hpp"

using namespace mentorcore::detail;

namespace {

// The paths this machine can run: one by one always, the vector paths where compiler and
// processor have them.
std::vector<whole_day_path> paths_here() {
  std::vector<whole_day_path> paths{whole_day_path::one_by_one};
#if defined(__SSE2__)
  paths.push_back(whole_day_path::sse2);
#endif
#if defined(MENTORCORE_WHOLE_DAY_AVX2)
  if (cpu_has_avx2()) paths.push_back(whole_day_path::avx2);
#endif
  return paths;
}

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
    std::vector<std::int32_t> cells;
  };

  [[nodiscard]] checked by_block(std::int32_t max_outcome, whole_day_path path) const {
    checked result{{}, std::vector<std::int32_t>(durations.size(), -1)};
    result.block = check_whole_day_block(durations, outcomes, result.cells, max_outcome,
                                         outcome_bits_for(max_outcome), path);
    return result;
  }

  // As by_block, asking for `ahead` as it goes (which must change nothing but the cache).
  [[nodiscard]] checked by_block_asking_for(std::int32_t max_outcome, whole_day_path path,
                                            const whole_day_prefetch& ahead) const {
    checked result{{}, std::vector<std::int32_t>(durations.size(), -1)};
    result.block = check_whole_day_block(durations, outcomes, result.cells, max_outcome,
                                         outcome_bits_for(max_outcome), path, ahead);
    return result;
  }

  [[nodiscard]] checked one_by_one(std::int32_t max_outcome) const {
    checked result{{}, std::vector<std::int32_t>(durations.size(), -1)};
    result.block = check_whole_days_one_by_one(durations, outcomes, result.cells, max_outcome,
                                               outcome_bits_for(max_outcome));
    return result;
  }
};

}  // namespace

TEST_CASE("the bits of the outcomes are the fewest that hold 0..max_outcome", "[survival]") {
  CHECK(outcome_bits_for(0) == 0);
  CHECK(outcome_bits_for(1) == 1);
  CHECK(outcome_bits_for(2) == 2);
  CHECK(outcome_bits_for(3) == 2);
  CHECK(outcome_bits_for(4) == 3);
  CHECK(outcome_bits_for((1 << max_outcome_bits) - 1) == max_outcome_bits);
  CHECK(outcome_bits_for(1 << max_outcome_bits) == max_outcome_bits + 1);
  CHECK(outcome_bits_for(std::numeric_limits<std::int32_t>::max()) == 31);
  // The largest cell of the one-pass count is the largest int32.
  CHECK(whole_day_cell(65535, (1 << max_outcome_bits) - 1, max_outcome_bits) ==
        std::numeric_limits<std::int32_t>::max());
}

TEST_CASE("a block of whole days gives each subject's cell and the last day, as one by one",
          "[survival]") {
  for (const whole_day_path path : paths_here()) {
    for (std::size_t size = 0; size <= 19; ++size) {
      CAPTURE(static_cast<int>(path), size);
      const block_case subjects(size);
      const auto fast = subjects.by_block(3, path);
      const auto slow = subjects.one_by_one(3);
      CHECK(fast.block.fits);
      CHECK(slow.block.fits);
      CHECK(fast.cells == slow.cells);
      CHECK(fast.block.last_day == slow.block.last_day);
      for (std::size_t i = 0; i < size; ++i) {
        CHECK(fast.cells[i] ==
              static_cast<std::int32_t>(subjects.durations[i]) * 4 + subjects.outcomes[i]);
      }
    }
    const block_case full(1024);
    const auto fast = full.by_block(3, path);
    CHECK(fast.block.fits);
    CHECK(fast.cells == full.one_by_one(3).cells);
    CHECK(fast.block.last_day == 1200);
  }
}

TEST_CASE("asking for the next block's subjects, or a block too short, changes no result",
          "[survival]") {
  const block_case next(1024);
  const block_case shorter(5);
  for (const whole_day_path path : paths_here()) {
    for (const std::size_t size : std::vector<std::size_t>{0, 3, 8, 17, 1024}) {
      CAPTURE(static_cast<int>(path), size);
      block_case subjects(size);
      if (size > 3) subjects.durations[3] = 0.5;  // a misfit, found as without asking
      const auto plain = subjects.by_block(3, path);
      for (const block_case* ahead : {&next, &shorter}) {
        const auto asking =
            subjects.by_block_asking_for(3, path, {ahead->durations, ahead->outcomes});
        CHECK(asking.block.fits == plain.block.fits);
        CHECK(asking.block.last_day == plain.block.last_day);
        if (plain.block.fits) CHECK(asking.cells == plain.cells);
      }
    }
  }
}

TEST_CASE("the edges of the one-pass count fit: day 0, -0.0, the last day and outcome 0..max",
          "[survival]") {
  for (const whole_day_path path : paths_here()) {
    CAPTURE(static_cast<int>(path));
    block_case subjects(9);
    subjects.durations = {0.0, -0.0, max_one_pass_day - 1, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
    subjects.outcomes = {0, 2, 1, 2, 0, 1, 2, 0, 2};
    const auto fast = subjects.by_block(2, path);
    CHECK(fast.block.fits);
    CHECK(fast.cells == std::vector<std::int32_t>{0, 2, 65535 * 4 + 1, 6, 8, 13, 18, 20, 26});
    CHECK(fast.block.last_day == 65535);
    CHECK(subjects.one_by_one(2).cells == fast.cells);
  }
}

TEST_CASE("a misfit anywhere in a block makes it not fit, on every path", "[survival]") {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> bad_times = {std::nan(""), -1.0, -0.5, 0.5,
                                         1e300,        inf,  -inf, max_one_pass_day};
  const std::vector<std::int32_t> bad_outcomes = {-1, 3, std::numeric_limits<std::int32_t>::min(),
                                                  std::numeric_limits<std::int32_t>::max()};
  for (const whole_day_path path : paths_here()) {
    for (const std::size_t size : std::vector<std::size_t>{1, 4, 9, 17, 1024}) {
      for (std::size_t at = 0; at<size; at += size> 17 ? 337 : 1) {
        CAPTURE(static_cast<int>(path), size, at);
        for (const double time : bad_times) {
          CAPTURE(time);
          block_case subjects(size);
          subjects.durations[at] = time;
          CHECK_FALSE(subjects.by_block(3, path).block.fits);
          CHECK_FALSE(subjects.one_by_one(3).block.fits);
        }
        for (const std::int32_t outcome : bad_outcomes) {
          CAPTURE(outcome);
          block_case subjects(size);
          for (auto& o : subjects.outcomes) o %= 3;
          subjects.outcomes[at] = outcome;
          CHECK_FALSE(subjects.by_block(2, path).block.fits);
          CHECK_FALSE(subjects.one_by_one(2).block.fits);
        }
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
