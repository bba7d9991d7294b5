// mentorcore_micro: Google Benchmark micro-benchmarks of the hot loops, each beside a plain scan
// of the bytes it reads (benchmarks/micro/scan.hpp). Run by benchmarks/run.py (bench "micro"):
//   mentorcore_micro --log EVENTS.jsonl [--subjects N] [--benchmark_* flags]
// The benchmarks register themselves in the other files of this directory.
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include <benchmark/benchmark.h>

#include "inputs.hpp"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);  // takes the --benchmark_* flags out of argv
  std::string log;
  std::size_t subjects = 1'000'000;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--log" && i + 1 < argc) {
      log = argv[++i];
    } else if (arg == "--subjects" && i + 1 < argc) {
      subjects = std::stoul(argv[++i]);
    } else {
      std::cerr << "mentorcore_micro: unknown argument " << arg
                << "\nusage: mentorcore_micro --log EVENTS.jsonl [--subjects N] "
                   "[--benchmark_* flags]\n";
      return 2;
    }
  }
  if (log.empty()) {
    std::cerr << "mentorcore_micro: --log EVENTS.jsonl is required\n";
    return 2;
  }
  mentorcore::micro::load_micro_inputs(log, subjects);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
