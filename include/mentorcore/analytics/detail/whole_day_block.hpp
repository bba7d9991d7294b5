#pragma once
/// \file analytics/detail/whole_day_block.hpp
/// The first half of the survival estimators' one-pass count (detail/survival_impl.hpp): a block
/// of subjects checked and turned into whole days, before any of them is counted.
///
/// The count is a histogram of (day, outcome). Checking each time (finite, not negative, below
/// the one-pass limit, a whole number) and converting it one at a time costs several times the
/// increment, as the compiler does not vectorise a conversion that must also be checked. With
/// SSE2 (every x86-64 processor) the block is checked and converted two or four at a time;
/// elsewhere, and for the last few subjects of a block, the same rule runs one subject at a time.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace mentorcore::detail {

/// Days below this are counted in one pass (a table of at most 2^16 days by outcome).
inline constexpr double max_one_pass_day = 65536.0;

/// What check_whole_day_block found.
struct whole_day_block {
  /// Every subject fits the one-pass count: a whole-day time in [0, max_one_pass_day) and an
  /// outcome in 0..max_outcome. When false, `day_of` and `last_day` mean nothing.
  bool fits = true;
  /// The largest day of the block (0 for an empty block).
  std::int32_t last_day = 0;
};

/// One subject at a time: what the SSE2 path computes two at a time.
inline whole_day_block check_whole_days_one_by_one(std::span<const double> durations,
                                                   std::span<const std::int32_t> outcomes,
                                                   std::span<std::int32_t> day_of,
                                                   std::int32_t max_outcome) {
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
    day_of[i] = day;
  }
  return block;
}

/// Checks subjects [0, durations.size()) and writes each one's day into `day_of` (of the same
/// size). Does not branch on the data, so a block costs the same whatever it holds.
inline whole_day_block check_whole_day_block(std::span<const double> durations,
                                             std::span<const std::int32_t> outcomes,
                                             std::span<std::int32_t> day_of,
                                             std::int32_t max_outcome) {
  std::size_t done = 0;
  whole_day_block block;
#if defined(__SSE2__)
  // Four subjects an iteration. Each pair of times is converted to int32 (a time out of int32's
  // range, or NaN, becomes INT32_MIN) and back: a time fits when it comes back unchanged (whole;
  // -0.0 is day 0) and its day has no bit above the 16th (0..65535: a negative day has them all).
  // An outcome fits when, biased by INT32_MIN, it compares not above the biased max_outcome: one
  // signed comparison for 0..max_outcome.
  const __m128i bias = _mm_set1_epi32(std::numeric_limits<std::int32_t>::min());
  const __m128i highest_outcome = _mm_xor_si128(_mm_set1_epi32(max_outcome), bias);
  __m128d all_whole = _mm_cmpeq_pd(_mm_setzero_pd(), _mm_setzero_pd());
  __m128i day_bits = _mm_setzero_si128();
  __m128i outcome_misfits = _mm_setzero_si128();
  __m128d high = _mm_setzero_pd();
  for (; done + 4 <= durations.size(); done += 4) {
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
    _mm_storeu_si128(reinterpret_cast<__m128i*>(day_of.subspan(done).data()), four_days);
    const __m128i outcome =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(outcomes.subspan(done).data()));
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
#endif
  const whole_day_block rest = check_whole_days_one_by_one(
      durations.subspan(done), outcomes.subspan(done), day_of.subspan(done), max_outcome);
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
