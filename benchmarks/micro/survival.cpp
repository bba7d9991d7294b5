// The Kaplan-Meier and Aalen-Johansen estimators (include/mentorcore/analytics/survival.hpp) on
// --subjects subjects, each beside a scan of the two columns it reads (durations, and outcomes or
// causes).
#include <span>

#include <benchmark/benchmark.h>
#include <mentorcore/analytics/survival.hpp>

#include "inputs.hpp"
#include "scan.hpp"

namespace mentorcore::micro {

// The bytes an estimator reads: the durations and one outcome column.
static std::int64_t survival_input_bytes(std::span<const std::int32_t> outcomes) {
  return static_cast<std::int64_t>(inputs().durations.size() * sizeof(double) +
                                   outcomes.size_bytes());
}

// Times `estimate` on the durations and `outcomes`; the value it returns (one figure of the
// result) is kept from the optimiser.
template <typename Estimate>
static void time_estimator(benchmark::State& state, std::span<const std::int32_t> outcomes,
                           Estimate estimate) {
  const micro_inputs& in = inputs();
  const survival_input input{.durations = in.durations, .outcomes = outcomes};
  for (auto _ : state) benchmark::DoNotOptimize(estimate(input));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          survival_input_bytes(outcomes));
  state.counters["subjects"] = static_cast<double>(in.durations.size());
}

// The scan beside an estimator: the same two columns, read once.
static void scan_survival_columns(benchmark::State& state, std::span<const std::int32_t> outcomes) {
  const micro_inputs& in = inputs();
  for (auto _ : state) {
    benchmark::DoNotOptimize(scan_column(std::span<const double>(in.durations)) +
                             scan_column(outcomes));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          survival_input_bytes(outcomes));
}

static void micro_kaplan_meier(benchmark::State& state) {
  time_estimator(state, inputs().observed,
                 [](const survival_input& input) { return kaplan_meier(input).survival.back(); });
}
BENCHMARK(micro_kaplan_meier)->Unit(benchmark::kMillisecond)->UseRealTime();

static void micro_kaplan_meier_scan(benchmark::State& state) {
  scan_survival_columns(state, inputs().observed);
}
BENCHMARK(micro_kaplan_meier_scan)->Unit(benchmark::kMillisecond)->UseRealTime();

// Three competing outcomes, the largest found while counting (outcomes = 0), on one thread: the
// case benchmarks/bench_survival.py times against statsmodels, lifelines and scikit-survival.
static void micro_aalen_johansen(benchmark::State& state) {
  time_estimator(state, inputs().causes, [](const survival_input& input) {
    return aalen_johansen(input).incidence.front().back();
  });
}
BENCHMARK(micro_aalen_johansen)->Unit(benchmark::kMillisecond)->UseRealTime();

static void micro_aalen_johansen_scan(benchmark::State& state) {
  scan_survival_columns(state, inputs().causes);
}
BENCHMARK(micro_aalen_johansen_scan)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace mentorcore::micro
