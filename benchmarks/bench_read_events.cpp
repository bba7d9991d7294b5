// Reads an event log into courses and reports MB/s (best of N runs).
//   bench_read_events FILE [RUNS]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <mentorcore/interchange.hpp>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: bench_read_events FILE [RUNS]\n";
    return 2;
  }
  const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
  std::ifstream in(argv[1], std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  double best = 1e100;
  std::size_t courses = 0;
  std::size_t events = 0;
  for (int run = 0; run < runs; ++run) {
    const auto start = std::chrono::steady_clock::now();
    const auto result = mentorcore::read_events(text, argv[1]);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    best = std::min(best, elapsed.count());
    courses = result.courses.size();
    events = 0;
    for (const auto& c : result.courses) events += c.events().size();
  }
  std::printf("%zu bytes, %zu courses, %zu events: best %.3f s = %.0f MB/s (%.2f M events/s)\n",
              text.size(), courses, events, best, static_cast<double>(text.size()) / best / 1e6,
              static_cast<double>(events) / best / 1e6);
  return 0;
}
