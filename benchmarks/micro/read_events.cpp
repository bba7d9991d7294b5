// Parsing the event log: read_events over the whole text in memory (every line parsed and
// validated, every course replayed), beside a scan of the same bytes and beside the JSON parse
// alone (the part of reading that simdjson does), so that reading's time splits into the parse
// and what mentorcore does with each value.
#include <benchmark/benchmark.h>
#include <simdjson.h>
#include <mentorcore/interchange.hpp>

#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "inputs.hpp"
#include "log_line_parser.hpp"
#include "log_lines.hpp"
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

// Every value of a parsed line, visited once: strings' lengths, numbers and flags summed, so that
// nothing the parse produced is left unread (as the reader reads every value).
static std::uint64_t visit_values(const simdjson::dom::element& value) {
  using simdjson::dom::element_type;
  switch (value.type()) {
    case element_type::OBJECT: {
      std::uint64_t sum = 0;
      for (const auto member : simdjson::dom::object(value))
        sum += member.key.size() + visit_values(member.value);
      return sum;
    }
    case element_type::ARRAY: {
      std::uint64_t sum = 0;
      for (const auto item : simdjson::dom::array(value)) sum += visit_values(item);
      return sum;
    }
    case element_type::STRING: return std::string_view(value).size();
    case element_type::INT64: return static_cast<std::uint64_t>(std::int64_t(value));
    case element_type::UINT64: return std::uint64_t(value);
    case element_type::DOUBLE: return static_cast<std::uint64_t>(double(value));
    case element_type::BOOL: return bool(value) ? 1 : 0;
    case element_type::NULL_VALUE: return 0;
  }
  return 0;
}

// The JSON parse alone: the lines found and parsed as the reader finds and parses them (the
// line source over the text in memory, and the line parser, which hands runs of lines to
// simdjson's parse_many), and every value visited; no value is checked or kept. The floor under
// any reader built on this parse.
static void micro_read_events_parse(benchmark::State& state) {
  const std::string& text = inputs().text;
  std::uint64_t sum = 0;
  for (auto _ : state) {
    detail::log_line_source lines(text, "micro", max_event_line_bytes);
    detail::log_line_parser parser;
    while (const auto line = lines.next()) {
      simdjson::dom::element root;
      if (parser.parse(lines, *line, root) != simdjson::SUCCESS)
        throw std::runtime_error("micro_read_events_parse: a line is not JSON");
      sum += visit_values(root);
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
}
BENCHMARK(micro_read_events_parse)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace mentorcore::micro
