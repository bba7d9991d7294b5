#include "inputs.hpp"

#include <fstream>
#include <random>
#include <sstream>

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
  std::ifstream file(log_path, std::ios::binary);
  std::ostringstream buffer;
  buffer << file.rdbuf();
  in.text = std::move(buffer).str();
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
