// The inputs of the micro-benchmarks, made once per process: the event log that the driver
// (benchmarks/run.py) passes with --log, its courses, and survival data of --subjects subjects.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <mentorcore/course.hpp>

namespace mentorcore::micro {

struct micro_inputs {
  std::string log_path;                ///< a plain JSON Lines event log (benchmarks/_data.py)
  std::size_t subjects = 1'000'000;    ///< for the survival estimators
  std::string text;                    ///< the whole log, in memory
  std::vector<course> courses;         ///< the log read once
  std::string packed_text;             ///< the text's first inflated_bytes, gzip (src/gzip.hpp)
  std::size_t inflated_bytes = 0;      ///< at most 64 MiB
  std::vector<double> durations;       ///< whole days, heavy ties (as mentor courses give)
  std::vector<std::int32_t> observed;  ///< 1 = the outcome, 0 = censored
  std::vector<std::int32_t> causes;    ///< 0 = censored, else one of three competing outcomes
};

/// The inputs, loaded by load_micro_inputs before any benchmark runs.
micro_inputs& inputs();

/// Reads the log into text and courses and draws the survival data (fixed seed).
void load_micro_inputs(const std::string& log_path, std::size_t subjects);

}  // namespace mentorcore::micro
