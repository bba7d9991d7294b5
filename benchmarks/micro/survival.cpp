// The Kaplan-Meier and Aalen-Johansen estimators (include/mentorcore/analytics/survival.hpp) on
// --subjects subjects, each beside a scan of the two columns it reads (durations, and outcomes or
// causes).
#include <span>

#include <benchmark/benchmark.h>
#include <mentorcore/analytics/survival.hpp>

#include "inputs.hpp"
#include "scan.hpp"

namespace mentorcore::micro {

static std::int64_t survival_input_bytes() {
  const micro_inputs& in = inputs();
  return static_cast<std::int64_t>(in.durations.size() * sizeof(double) +
                                   in.observed.size() * sizeof(std::int32_t));
}

static void micro_kaplan_meier(benchmark::State& state) {
  const micro_inputs& in = inputs();
  const survival_input input{.durations = in.durations, .outcomes = in.observed};
  for (auto _ : state) {
    const kaplan_meier_result result = kaplan_meier(input);
    benchmark::DoNotOptimize(result.survival.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * survival_input_bytes());
  state.counters["subjects"] = static_cast<double>(in.durations.size());
}
BENCHMARK(micro_kaplan_meier)->Unit(benchmark::kMillisecond)->UseRealTime();

static void micro_kaplan_meier_scan(benchmark::State& state) {
  const micro_inputs& in = inputs();
  for (auto _ : state) {
    benchmark::DoNotOptimize(scan_column(std::span<const double>(in.durations)) +
                             scan_column(std::span<const std::int32_t>(in.observed)));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * survival_input_bytes());
}
BENCHMARK(micro_kaplan_meier_scan)->Unit(benchmark::kMillisecond)->UseRealTime();

// Three competing outcomes, the largest found while counting (outcomes = 0), on one thread: the
// case benchmarks/bench_survival.py times against statsmodels, lifelines and scikit-survival.
static void micro_aalen_johansen(benchmark::State& state) {
  const micro_inputs& in = inputs();
  const survival_input input{.durations = in.durations, .outcomes = in.causes};
  for (auto _ : state) {
    const aalen_johansen_result result = aalen_johansen(input);
    benchmark::DoNotOptimize(result.incidence.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * survival_input_bytes());
  state.counters["subjects"] = static_cast<double>(in.durations.size());
}
BENCHMARK(micro_aalen_johansen)->Unit(benchmark::kMillisecond)->UseRealTime();

static void micro_aalen_johansen_scan(benchmark::State& state) {
  const micro_inputs& in = inputs();
  for (auto _ : state) {
    benchmark::DoNotOptimize(scan_column(std::span<const double>(in.durations)) +
                             scan_column(std::span<const std::int32_t>(in.causes)));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * survival_input_bytes());
}
BENCHMARK(micro_aalen_johansen_scan)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace mentorcore::micro
