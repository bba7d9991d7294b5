#include "inputs.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>

#include <mentorcore/interchange.hpp>

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
  // The data of benchmarks/bench_survival.py: 1 to 1,099 days, about a third censored.
  std::mt19937_64 random(2026);
  std::uniform_int_distribution<int> day(1, 1099);
  std::bernoulli_distribution outcome(0.65);
  in.durations.resize(subjects);
  in.observed.resize(subjects);
  for (std::size_t i = 0; i < subjects; ++i) {
    in.durations[i] = day(random);
    in.observed[i] = outcome(random) ? 1 : 0;
  }
}

}  // namespace mentorcore::micro
