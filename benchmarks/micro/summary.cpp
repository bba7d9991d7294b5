// Counting the summary's tables (count_summary: the whole KPI suite's counts), beside a scan of
// the columns it reads: the contacts' date, location, attendance and minutes, and the columns of
// the other tables and of the courses, once each.
#include <cstdint>
#include <numeric>
#include <span>
#include <vector>

#include <benchmark/benchmark.h>
#include <mentorcore/analytics/summary.hpp>

#include "inputs.hpp"
#include "scan.hpp"

namespace mentorcore::micro {
namespace {

const cohort& summary_cohort() {
  static const cohort built = cohort::from_courses(inputs().courses);
  return built;
}

// The bytes of the columns count_summary reads.
std::size_t summary_bytes_read(const cohort& c) {
  const auto& k = c.courses();
  const auto& t = c.contacts();
  const auto& h = c.handovers();
  const auto& g = c.grants();
  const auto& a = c.assessments();
  const auto& r = c.ratings();
  const auto& m = c.milestones();
  const auto bytes = [](const auto& column) { return column.size() * sizeof(column[0]); };
  return bytes(k.started) + bytes(k.closed) + bytes(k.closure_reason) + 4 * bytes(k.status_1m) +
         bytes(t.offsets) + bytes(t.date) + bytes(t.location) + bytes(t.attendance) +
         bytes(t.actual_minutes) + bytes(h.date) + bytes(h.state) + bytes(h.settled) +
         bytes(h.carried) * 5 + bytes(h.sender_role) * 2 + bytes(g.end_in_force) * 2 +
         bytes(g.hours_granted) * 2 + bytes(a.date) + bytes(a.behaviour) + bytes(a.stage) +
         bytes(r.date) + bytes(r.instrument) + bytes(r.change_from_baseline) + bytes(r.alert) +
         bytes(r.reliably_improved) + bytes(m.date) + bytes(m.milestone);
}

void count_summary_on(benchmark::State& state, unsigned threads) {
  const cohort& c = summary_cohort();
  const std::vector<std::int32_t> groups(c.size(), 0);
  summary_options options;
  options.as_of = to_day_number(c.date_range()->second);
  options.groups = groups;
  options.group_count = 1;
  options.threads = threads;
  for (auto _ : state) {
    const summary_counts counts = count_summary(c, options);
    benchmark::DoNotOptimize(counts.fixed[0].counts.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(summary_bytes_read(c)));
  state.counters["courses"] = static_cast<double>(c.size());
  state.counters["contacts"] = static_cast<double>(c.contacts().date.size());
}

}  // namespace

static void micro_count_summary(benchmark::State& state) {
  count_summary_on(state, 1);
}
BENCHMARK(micro_count_summary)->Unit(benchmark::kMillisecond)->UseRealTime();

static void micro_count_summary_two_threads(benchmark::State& state) {
  count_summary_on(state, 2);
}
BENCHMARK(micro_count_summary_two_threads)->Unit(benchmark::kMillisecond)->UseRealTime();

static void micro_count_summary_scan(benchmark::State& state) {
  const cohort& c = summary_cohort();
  const std::string block(summary_bytes_read(c), '\1');
  for (auto _ : state) benchmark::DoNotOptimize(scan_bytes(block));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(block.size()));
}
BENCHMARK(micro_count_summary_scan)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace mentorcore::micro
