#include "inputs.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>

#include <mentorcore/interchange.hpp>

#include "gzip.hpp"

namespace mentorcore::micro {

micro_inputs& inputs() {
  static micro_inputs loaded;
  return loaded;
}

void load_micro_inputs(const std::string& log_path, std::size_t subjects) {
  micro_inputs& in = inputs();
  in.log_path = log_path;
  in.subjects = subjects;
  // Sized once and read whole (an ostringstream's str() trips GCC 12's -Wrestrict at -O3).
  std::ifstream file(log_path, std::ios::binary | std::ios::ate);
  const std::streamoff size = file ? static_cast<std::streamoff>(file.tellg()) : -1;
  in.text.resize(size > 0 ? static_cast<std::size_t>(size) : 0);
  file.seekg(0);
  if (size < 0 || !file.read(in.text.data(), static_cast<std::streamsize>(in.text.size()))) {
    std::cerr << "mentorcore_micro: cannot read " << log_path << '\n';
    std::exit(2);
  }
  in.courses = read_events(in.text, log_path).courses;
  in.inflated_bytes = std::min(in.text.size(), std::size_t{64} << 20);
  in.packed_text = detail::gzip(std::string_view(in.text).substr(0, in.inflated_bytes));
  // The data of benchmarks/bench_survival.py: 1 to 1,099 days, about a third censored; causes
  // 0 to 3 with its probabilities (0.35, 0.35, 0.2, 0.1).
  std::mt19937_64 random(2026);
  std::uniform_int_distribution<int> day(1, 1099);
  std::bernoulli_distribution outcome(0.65);
  std::discrete_distribution<std::int32_t> cause({35.0, 35.0, 20.0, 10.0});
  in.durations.resize(subjects);
  in.observed.resize(subjects);
  in.causes.resize(subjects);
  for (std::size_t i = 0; i < subjects; ++i) {
    in.durations[i] = day(random);
    in.observed[i] = outcome(random) ? 1 : 0;
    in.causes[i] = cause(random);
  }
}

}  // namespace mentorcore::micro
