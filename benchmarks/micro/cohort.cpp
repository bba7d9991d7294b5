// Building a cohort's tables from courses (cohort::from_courses), beside a scan of as many bytes
// as the tables it writes hold (the courses it reads are an object graph, not columns).
#include <vector>

#include <benchmark/benchmark.h>
#include <mentorcore/analytics/cohort.hpp>

#include "inputs.hpp"
#include "scan.hpp"

namespace mentorcore::micro {

static void micro_cohort_from_courses(benchmark::State& state) {
  const std::vector<course>& courses = inputs().courses;
  std::size_t bytes = 0;
  std::size_t contacts = 0;
  for (auto _ : state) {
    const cohort built = cohort::from_courses(courses);
    bytes = built.memory_bytes();
    contacts = built.contacts().date.size();
    benchmark::DoNotOptimize(bytes);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(bytes));
  state.counters["courses"] = static_cast<double>(courses.size());
  state.counters["contacts"] = static_cast<double>(contacts);
  state.counters["bytes_per_contact"] =
      contacts == 0 ? 0.0 : static_cast<double>(bytes) / static_cast<double>(contacts);
}
BENCHMARK(micro_cohort_from_courses)->Unit(benchmark::kMillisecond)->UseRealTime();

static void micro_cohort_from_courses_scan(benchmark::State& state) {
  const std::size_t bytes = cohort::from_courses(inputs().courses).memory_bytes();
  const std::string block(bytes, '\1');
  for (auto _ : state) benchmark::DoNotOptimize(scan_bytes(block));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(bytes));
}
BENCHMARK(micro_cohort_from_courses_scan)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace mentorcore::micro
