// Reads an event log into courses and reports MB/s (best and median of N runs).
//   bench_read_events FILE [RUNS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include <mentorcore/interchange.hpp>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: bench_read_events FILE [RUNS]\n";
    return 2;
  }
  const int runs = std::max(1, argc > 2 ? std::atoi(argv[2]) : 3);
  std::ifstream in(argv[1], std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  std::vector<double> times;
  std::size_t courses = 0;
  std::size_t events = 0;
  for (int run = 0; run < runs; ++run) {
    const auto start = std::chrono::steady_clock::now();
    const auto result = mentorcore::read_events(text, argv[1]);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    times.push_back(elapsed.count());
    courses = result.courses.size();
    events = 0;
    for (const auto& c : result.courses) events += c.events().size();
  }
  std::sort(times.begin(), times.end());
  const double best = times.front();
  const double median = times.size() % 2 == 1
                            ? times[times.size() / 2]
                            : (times[times.size() / 2 - 1] + times[times.size() / 2]) / 2;
  const double size = static_cast<double>(text.size());
  std::printf(
      "%zu bytes, %zu courses, %zu events: best %.3f s = %.0f MB/s (%.2f M events/s), "
      "median %.3f s = %.0f MB/s\n",
      text.size(), courses, events, best, size / best / 1e6,
      static_cast<double>(events) / best / 1e6, median, size / median / 1e6);
  return 0;
}
