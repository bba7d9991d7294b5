// Parsing the event log: read_events over the whole text in memory (every line parsed and
// validated, every course replayed), beside a scan of the same bytes.
#include <benchmark/benchmark.h>
#include <mentorcore/interchange.hpp>

#include "inputs.hpp"
#include "scan.hpp"

namespace mentorcore::micro {

static void micro_read_events(benchmark::State& state) {
  const std::string& text = inputs().text;
  std::size_t courses = 0;
  for (auto _ : state) {
    const read_result result = read_events(text, "micro");
    courses = result.courses.size();
    benchmark::DoNotOptimize(courses);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
  state.counters["courses"] = static_cast<double>(courses);
}
BENCHMARK(micro_read_events)->Unit(benchmark::kMillisecond)->UseRealTime();

static void micro_read_events_scan(benchmark::State& state) {
  const std::string& text = inputs().text;
  for (auto _ : state) benchmark::DoNotOptimize(scan_bytes(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
}
BENCHMARK(micro_read_events_scan)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace mentorcore::micro
