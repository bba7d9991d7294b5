#pragma once
/// \file analytics/detail/whole_day_block.hpp
/// The first half of the survival estimators' one-pass count (detail/survival_impl.hpp): a block
/// of subjects checked and turned into cells of the count, before any of them is counted.
///
/// The count is a histogram of (day, outcome): the cell of a subject is its day shifted left by
/// `outcome_bits` (enough bits for every outcome), or'd with its outcome, so that counting is one
/// increment at an index computed beside the check. Checking each time (finite, not negative,
/// below the one-pass limit, a whole number) and converting it one at a time costs several times
/// the increment, as the compiler does not vectorise a conversion that must also be checked. With
/// SSE2 (every x86-64 processor) the block is checked and converted four at a time, and eight at a
/// time with AVX2 where the processor has it (chosen when the program runs, so that the library
/// still runs on any x86-64); elsewhere, and for the last few subjects of a block, the same rule
/// runs one subject at a time.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
/// GCC and Clang compile one function for AVX2 (`target` attribute) and ask the processor at run
/// time whether it has it; the rest of the library stays baseline x86-64.
// NOLINTNEXTLINE(cppcoreguidelines-macro-usage): tested by #if, where a constant cannot be.
#define MENTORCORE_WHOLE_DAY_AVX2 1
#endif

namespace mentorcore::detail {

/// Days below this are counted in one pass (a table of at most 2^16 days by outcome).
inline constexpr double max_one_pass_day = 65536.0;
/// Outcomes take at most this many bits of a cell in the one-pass count, so that a cell (16 bits
/// of day above them) stays below 2^31; more outcomes are counted the general way.
inline constexpr int max_outcome_bits = 15;

/// The bits the outcomes 0..max_outcome take in a cell: the fewest b with 2^b > max_outcome.
[[nodiscard]] constexpr int outcome_bits_for(std::int32_t max_outcome) noexcept {
  int bits = 0;
  while (bits < 31 && (std::int64_t{1} << bits) <= max_outcome) ++bits;
  return bits;
}

/// What check_whole_day_block found.
struct whole_day_block {
  /// Every subject fits the one-pass count: a whole-day time in [0, max_one_pass_day) and an
  /// outcome in 0..max_outcome. When false, `cell_of` and `last_day` mean nothing.
  bool fits = true;
  /// The largest day of the block (0 for an empty block).
  std::int32_t last_day = 0;
};

// From this many subjects (12 bytes each, 6 MiB) the count asks for the next block's columns
// while it checks one (whole_day_prefetch). On the 2-core AMD EPYC VM (32 MiB of L3 shared with
// its neighbours) that took the count from 1.3-1.8 to 1.0-1.25 ms at 1,000,000 subjects and from
// 3.9 to 2.8 ms at 2,000,000, 7% off at 600,000, and added 10% at 300,000 and 100,000, whose
// columns the caches still hold (docs/benchmarks.md, "The next block asked for from memory").
inline constexpr std::size_t min_subjects_to_prefetch = std::size_t{1} << 19;

/// Subjects whose columns the vector paths ask the memory for while they check a block: the
/// next block's, one cache line of each column a step, so that they are in the cache when that
/// block is checked. Empty (the default): none; shorter than the block: the block's own, which
/// costs next to nothing. Worth it only where the columns come from memory rather than the
/// caches: tally_whole_days decides (min_subjects_to_prefetch).
struct whole_day_prefetch {
  std::span<const double> durations;
  std::span<const std::int32_t> outcomes;

  /// `ahead` where it has as many subjects as the block, else the block's own columns.
  [[nodiscard]] static whole_day_prefetch or_block(const whole_day_prefetch& ahead,
                                                   std::span<const double> durations,
                                                   std::span<const std::int32_t> outcomes) {
    const bool long_enough =
        ahead.durations.size() >= durations.size() && ahead.outcomes.size() >= durations.size();
    return long_enough ? ahead : whole_day_prefetch{durations, outcomes};
  }

  /// Asks for the lines of subject `i` (below the size of both columns).
  void line_of(std::size_t i) const noexcept {
#if defined(__SSE2__)
    // No bound is checked here: GCC 12 leaves out both prefetches when their address is chosen
    // by a condition (or_block makes sure there is a subject i).
    // NOLINTBEGIN(cppcoreguidelines-pro-type-reinterpret-cast): _mm_prefetch takes a char*.
    _mm_prefetch(reinterpret_cast<const char*>(durations.subspan(i).data()), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(outcomes.subspan(i).data()), _MM_HINT_T0);
    // NOLINTEND(cppcoreguidelines-pro-type-reinterpret-cast)
#else
    static_cast<void>(i);
#endif
  }
};

/// The cell of a subject: day << outcome_bits | outcome.
[[nodiscard]] constexpr std::int32_t whole_day_cell(std::int32_t day, std::int32_t outcome,
                                                    int outcome_bits) noexcept {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(day) << outcome_bits |
                                   static_cast<std::uint32_t>(outcome));
}

/// One subject at a time: what the vector paths compute four or eight at a time.
inline whole_day_block check_whole_days_one_by_one(std::span<const double> durations,
                                                   std::span<const std::int32_t> outcomes,
                                                   std::span<std::int32_t> cell_of,
                                                   std::int32_t max_outcome, int outcome_bits) {
  whole_day_block block;
  for (std::size_t i = 0; i < durations.size(); ++i) {
    const double t = durations[i];
    // False for NaN: every comparison with it is.
    const bool in_range = t >= 0 && t < max_one_pass_day;
    const auto day = in_range ? static_cast<std::int32_t>(t) : 0;
    const bool outcome_fits =
        static_cast<std::uint32_t>(outcomes[i]) <= static_cast<std::uint32_t>(max_outcome);
    block.fits = block.fits && in_range && static_cast<double>(day) == t && outcome_fits;
    block.last_day = std::max(block.last_day, day);
    cell_of[i] = whole_day_cell(day, outcome_fits ? outcomes[i] : 0, outcome_bits);
  }
  return block;
}

#if defined(__SSE2__)
/// Subjects [0, done) of the block with SSE2, four an iteration; returns `done`, a multiple of 4
/// (the caller checks the rest one by one). Does not branch on the data. With `Prefetch`, asks
/// for the lines of `ahead` (whole_day_prefetch) as it goes.
template <bool Prefetch>
std::size_t check_whole_days_sse2(std::span<const double> durations,
                                  std::span<const std::int32_t> outcomes,
                                  std::span<std::int32_t> cell_of, std::int32_t max_outcome,
                                  int outcome_bits, whole_day_block& block,
                                  const whole_day_prefetch& ahead) {
  std::size_t done = 0;
  const whole_day_prefetch lines = whole_day_prefetch::or_block(ahead, durations, outcomes);
  // Each pair of times is converted to int32 (a time out of int32's range, or NaN, becomes
  // INT32_MIN) and back: a time fits when it comes back unchanged (whole; -0.0 is day 0) and its
  // day has no bit above the 16th (0..65535: a negative day has them all). An outcome fits when,
  // biased by INT32_MIN, it compares not above the biased max_outcome: one signed comparison for
  // 0..max_outcome.
  const __m128i bias = _mm_set1_epi32(std::numeric_limits<std::int32_t>::min());
  const __m128i highest_outcome = _mm_xor_si128(_mm_set1_epi32(max_outcome), bias);
  const __m128i shift = _mm_cvtsi32_si128(outcome_bits);
  __m128d all_whole = _mm_cmpeq_pd(_mm_setzero_pd(), _mm_setzero_pd());
  __m128i day_bits = _mm_setzero_si128();
  __m128i outcome_misfits = _mm_setzero_si128();
  __m128d high = _mm_setzero_pd();
  for (; done + 4 <= durations.size(); done += 4) {
    if constexpr (Prefetch) lines.line_of(done);
    const __m128d low_times = _mm_loadu_pd(durations.subspan(done).data());
    const __m128d high_times = _mm_loadu_pd(durations.subspan(done + 2).data());
    const __m128i low_days = _mm_cvttpd_epi32(low_times);
    const __m128i high_days = _mm_cvttpd_epi32(high_times);
    const __m128d low_back = _mm_cvtepi32_pd(low_days);
    const __m128d high_back = _mm_cvtepi32_pd(high_days);
    all_whole = _mm_and_pd(all_whole, _mm_and_pd(_mm_cmpeq_pd(low_back, low_times),
                                                 _mm_cmpeq_pd(high_back, high_times)));
    high = _mm_max_pd(high, _mm_max_pd(low_back, high_back));
    const __m128i four_days = _mm_unpacklo_epi64(low_days, high_days);
    day_bits = _mm_or_si128(day_bits, four_days);
    // NOLINTBEGIN(cppcoreguidelines-pro-type-reinterpret-cast): SSE2 loads and stores take
    // __m128i pointers; the loop's condition leaves four values from `done` in each span.
    const __m128i outcome =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(outcomes.subspan(done).data()));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(cell_of.subspan(done).data()),
                     _mm_or_si128(_mm_sll_epi32(four_days, shift), outcome));
    // NOLINTEND(cppcoreguidelines-pro-type-reinterpret-cast)
    outcome_misfits = _mm_or_si128(outcome_misfits,
                                   _mm_cmpgt_epi32(_mm_xor_si128(outcome, bias), highest_outcome));
  }
  if (done > 0) {
    const __m128i above_last_day = _mm_srli_epi32(day_bits, 16);
    block.fits = _mm_movemask_pd(all_whole) == 3 && _mm_movemask_epi8(outcome_misfits) == 0 &&
                 _mm_movemask_epi8(_mm_cmpeq_epi32(above_last_day, _mm_setzero_si128())) == 0xffff;
    const double highest =
        std::max(_mm_cvtsd_f64(high), _mm_cvtsd_f64(_mm_unpackhi_pd(high, high)));
    block.last_day = static_cast<std::int32_t>(highest);
  }
  return done;
}
#endif

#if defined(MENTORCORE_WHOLE_DAY_AVX2)
/// As check_whole_days_sse2 with AVX2, eight an iteration; returns a multiple of 8. Call only
/// where the processor has AVX2 (cpu_has_avx2).
template <bool Prefetch>
[[gnu::target("avx2")]] std::size_t check_whole_days_avx2(std::span<const double> durations,
                                                          std::span<const std::int32_t> outcomes,
                                                          std::span<std::int32_t> cell_of,
                                                          std::int32_t max_outcome,
                                                          int outcome_bits, whole_day_block& block,
                                                          const whole_day_prefetch& ahead) {
  std::size_t done = 0;
  const whole_day_prefetch lines = whole_day_prefetch::or_block(ahead, durations, outcomes);
  // The SSE2 rule, four times to a conversion instead of two: a time fits when it converts to
  // int32 and back unchanged and its day has no bit above the 16th; an outcome, when biased it
  // compares not above the biased max_outcome.
  const __m256i bias = _mm256_set1_epi32(std::numeric_limits<std::int32_t>::min());
  const __m256i highest_outcome = _mm256_xor_si256(_mm256_set1_epi32(max_outcome), bias);
  const __m128i shift = _mm_cvtsi32_si128(outcome_bits);
  __m256d all_whole = _mm256_castsi256_pd(_mm256_set1_epi32(-1));
  __m256i day_bits = _mm256_setzero_si256();
  __m256i outcome_misfits = _mm256_setzero_si256();
  __m256i high = _mm256_setzero_si256();
  for (; done + 8 <= durations.size(); done += 8) {
    if constexpr (Prefetch) lines.line_of(done);
    const __m256d low_times = _mm256_loadu_pd(durations.subspan(done).data());
    const __m256d high_times = _mm256_loadu_pd(durations.subspan(done + 4).data());
    const __m128i low_days = _mm256_cvttpd_epi32(low_times);
    const __m128i high_days = _mm256_cvttpd_epi32(high_times);
    all_whole = _mm256_and_pd(
        all_whole,
        _mm256_and_pd(_mm256_cmp_pd(_mm256_cvtepi32_pd(low_days), low_times, _CMP_EQ_OQ),
                      _mm256_cmp_pd(_mm256_cvtepi32_pd(high_days), high_times, _CMP_EQ_OQ)));
    const __m256i eight_days =
        _mm256_inserti128_si256(_mm256_castsi128_si256(low_days), high_days, 1);
    day_bits = _mm256_or_si256(day_bits, eight_days);
    high = _mm256_max_epi32(high, eight_days);
    // NOLINTBEGIN(cppcoreguidelines-pro-type-reinterpret-cast): AVX2 loads and stores take
    // __m256i pointers; the loop's condition leaves eight values from `done` in each span.
    const __m256i outcome =
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(outcomes.subspan(done).data()));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(cell_of.subspan(done).data()),
                        _mm256_or_si256(_mm256_sll_epi32(eight_days, shift), outcome));
    // NOLINTEND(cppcoreguidelines-pro-type-reinterpret-cast)
    outcome_misfits = _mm256_or_si256(
        outcome_misfits, _mm256_cmpgt_epi32(_mm256_xor_si256(outcome, bias), highest_outcome));
  }
  if (done > 0) {
    const __m256i above_last_day = _mm256_srli_epi32(day_bits, 16);
    block.fits = _mm256_movemask_pd(all_whole) == 0xf &&
                 _mm256_testz_si256(outcome_misfits, outcome_misfits) != 0 &&
                 _mm256_testz_si256(above_last_day, above_last_day) != 0;
    std::array<std::int32_t, 8> lanes{};
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): as above, for the store.
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(lanes.data()), high);
    block.last_day = *std::max_element(lanes.begin(), lanes.end());
  }
  return done;
}

/// Whether this processor has AVX2, asked once.
inline bool cpu_has_avx2() noexcept {
  // An int with GCC, a bool with Clang: either converts to bool.
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
#endif

/// Which vector path check_whole_day_block takes (the tests run each one the machine has).
enum class whole_day_path { one_by_one, sse2, avx2 };

/// The fastest path this machine has.
inline whole_day_path fastest_whole_day_path() noexcept {
#if defined(MENTORCORE_WHOLE_DAY_AVX2)
  if (cpu_has_avx2()) return whole_day_path::avx2;
#endif
#if defined(__SSE2__)
  return whole_day_path::sse2;
#else
  return whole_day_path::one_by_one;
#endif
}

/// Checks subjects [0, durations.size()) and writes each one's cell (whole_day_cell) into
/// `cell_of` (of the same size), on `path` (which this machine must have). Does not branch on
/// the data, so a block costs the same whatever it holds. `outcome_bits` is
/// outcome_bits_for(max_outcome), at most max_outcome_bits. The vector paths ask the memory for
/// the subjects of `ahead` as they go.
inline whole_day_block check_whole_day_block(std::span<const double> durations,
                                             std::span<const std::int32_t> outcomes,
                                             std::span<std::int32_t> cell_of,
                                             std::int32_t max_outcome, int outcome_bits,
                                             whole_day_path path = fastest_whole_day_path(),
                                             const whole_day_prefetch& ahead = {}) {
  std::size_t done = 0;
  whole_day_block block;
  [[maybe_unused]] const bool prefetch = !ahead.durations.empty();
#if defined(MENTORCORE_WHOLE_DAY_AVX2)
  if (path == whole_day_path::avx2) {
    done = prefetch ? check_whole_days_avx2<true>(durations, outcomes, cell_of, max_outcome,
                                                  outcome_bits, block, ahead)
                    : check_whole_days_avx2<false>(durations, outcomes, cell_of, max_outcome,
                                                   outcome_bits, block, ahead);
  }
#endif
#if defined(__SSE2__)
  if (path == whole_day_path::sse2) {
    done = prefetch ? check_whole_days_sse2<true>(durations, outcomes, cell_of, max_outcome,
                                                  outcome_bits, block, ahead)
                    : check_whole_days_sse2<false>(durations, outcomes, cell_of, max_outcome,
                                                   outcome_bits, block, ahead);
  }
#endif
  const whole_day_block rest =
      check_whole_days_one_by_one(durations.subspan(done), outcomes.subspan(done),
                                  cell_of.subspan(done), max_outcome, outcome_bits);
  block.fits = block.fits && rest.fits;
  block.last_day = std::max(block.last_day, rest.last_day);
  return block;
}

/// The largest of `outcomes`, at least 0: the number of outcomes when the caller gives none. A
/// scalar maximum waits on the previous one at every value; SSE2 keeps eight running maxima.
inline std::int32_t largest_outcome(std::span<const std::int32_t> outcomes) {
  std::int32_t largest = 0;
  std::size_t done = 0;
#if defined(__SSE2__)
  const auto larger = [](__m128i a, __m128i b) {
    const __m128i b_larger = _mm_cmpgt_epi32(b, a);
    return _mm_or_si128(_mm_and_si128(b_larger, b), _mm_andnot_si128(b_larger, a));
  };
  __m128i low = _mm_setzero_si128();
  __m128i high = _mm_setzero_si128();
  for (; done + 8 <= outcomes.size(); done += 8) {
    // NOLINTBEGIN(cppcoreguidelines-pro-type-reinterpret-cast): SSE2 loads take __m128i
    // pointers; the loop's condition leaves eight values from `done`.
    low = larger(low,
                 _mm_loadu_si128(reinterpret_cast<const __m128i*>(outcomes.subspan(done).data())));
    high = larger(
        high, _mm_loadu_si128(reinterpret_cast<const __m128i*>(outcomes.subspan(done + 4).data())));
    // NOLINTEND(cppcoreguidelines-pro-type-reinterpret-cast)
  }
  std::array<std::int32_t, 4> lanes{};
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): as above, for the store.
  _mm_storeu_si128(reinterpret_cast<__m128i*>(lanes.data()), larger(low, high));
  largest = *std::max_element(lanes.begin(), lanes.end());
#endif
  for (const std::int32_t outcome : outcomes.subspan(done)) largest = std::max(largest, outcome);
  return largest;
}

}  // namespace mentorcore::detail
