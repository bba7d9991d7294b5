// Builds a cohort from an event-log file with mentorcore::read_cohort and reports MB/s (best and
// median of N runs). With OUT, also writes the cohort's saved bytes there (for comparing builds).
//   bench_read_cohort FILE [RUNS] [THREADS] [OUT] [MIN_PART_BYTES]
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <mentorcore/analytics/cohort_file.hpp>
#include <mentorcore/analytics/read_cohort.hpp>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: bench_read_cohort FILE [RUNS] [THREADS] [OUT] [MIN_PART_BYTES]\n";
    return 2;
  }
  const std::string path = argv[1];
  const int runs = std::max(1, argc > 2 ? std::atoi(argv[2]) : 3);
  mentorcore::cohort_read_options options;
  options.threads = argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 1U;
  if (argc > 5) options.min_part_bytes = std::strtoull(argv[5], nullptr, 10);
  struct stat about {};
  if (::stat(path.c_str(), &about) != 0) {
    std::cerr << "cannot stat " << path << "\n";
    return 2;
  }
  const double size = static_cast<double>(about.st_size);
  std::vector<double> times;
  std::size_t courses = 0;
  std::size_t rejected = 0;
  for (int run = 0; run < runs; ++run) {
    const auto start = std::chrono::steady_clock::now();
    const auto result = mentorcore::read_cohort(path, options);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    times.push_back(elapsed.count());
    courses = result.cohort.size();
    rejected = result.rejected.size();
    if (run == 0 && argc > 4 && std::string(argv[4]) != "-")
      mentorcore::save_cohort(result.cohort, argv[4]);
  }
  std::sort(times.begin(), times.end());
  const double best = times.front();
  const double median = times.size() % 2 == 1
                            ? times[times.size() / 2]
                            : (times[times.size() / 2 - 1] + times[times.size() / 2]) / 2;
  std::printf(
      "%.0f bytes, %zu courses, %zu rejected lines, %u thread(s): best %.3f s = %.0f MB/s, "
      "median %.3f s = %.0f MB/s\n",
      size, courses, rejected, options.threads, best, size / best / 1e6, median,
      size / median / 1e6);
  return 0;
}
