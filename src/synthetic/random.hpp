#pragma once
// The synthetic generator's random source. Boost.Random's engines and distributions are
// specified code, unlike the standard library's distributions, so the same seed gives the same
// course with any compiler; and each course has a stream of its own, seeded from (seed, index)
// alone, so a course never depends on the thread or the order it was made in.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

namespace mentorcore::detail::synthetic {

inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31U);
}

/// One course's random stream, and the draws a story makes from it.
class random_source {
 public:
  explicit random_source(std::uint64_t seed) : engine_(seed) {}
  bool chance(double p) { return boost::random::bernoulli_distribution<double>(p)(engine_); }
  int between(int lo, int hi) {
    return boost::random::uniform_int_distribution<int>(lo, hi)(engine_);
  }
  double uniform(double lo, double hi) {
    return boost::random::uniform_real_distribution<double>(lo, hi)(engine_);
  }
  double normal(double mean, double sd) {
    return boost::random::normal_distribution<double>(mean, sd)(engine_);
  }
  template <class T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[static_cast<std::size_t>(between(0, static_cast<int>(N) - 1))];
  }
  /// An index drawn with the given weights.
  template <std::size_t N>
  std::size_t weighted(const std::array<double, N>& weights) {
    double total = 0;
    for (const double w : weights) total += w;
    double x = uniform(0, total);
    for (std::size_t i = 0; i < N; ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return N - 1;
  }

 private:
  boost::random::mt19937_64 engine_;
};

inline double clamp_round(double value, double lo, double hi, double step) {
  return std::round(std::clamp(value, lo, hi) / step) * step;
}

/// The seed of course `index`'s stream under the generator's `seed`.
inline std::uint64_t course_seed(std::uint64_t seed, std::size_t index) {
  std::uint64_t state = seed;
  const std::uint64_t base = splitmix64(state);
  state = base ^ (static_cast<std::uint64_t>(index) * 0xD1B54A32D192ED03ULL);
  return splitmix64(state);
}

}  // namespace mentorcore::detail::synthetic
