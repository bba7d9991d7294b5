// Parsing the event log: read_events over the whole text in memory (every line parsed and
// validated, every course replayed), beside a scan of the same bytes and beside the JSON parse
// alone (the part of reading that simdjson does), so that reading's time splits into the parse
// and what mentorcore does with each value.
#include <benchmark/benchmark.h>
#include <simdjson.h>
#include <mentorcore/interchange.hpp>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string_view>

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

// The JSON parse alone: each line found (memchr, as the reader), parsed by simdjson's DOM parser
// (as the reader, one line at a time) and every value visited; no value is checked or kept. The
// floor under any reader built on this parse.
static void micro_read_events_parse(benchmark::State& state) {
  const std::string& text = inputs().text;
  simdjson::dom::parser parser;
  std::string last_line;  // the last line, padded: simdjson reads up to SIMDJSON_PADDING bytes
                          // beyond a line, which the text has after every line but its last
  std::uint64_t sum = 0;
  for (auto _ : state) {
    std::size_t at = 0;
    while (at < text.size()) {
      const auto* end = static_cast<const char*>(std::memchr(&text[at], '\n', text.size() - at));
      const std::size_t line_end = end ? static_cast<std::size_t>(end - text.data()) : text.size();
      if (line_end > at) {
        const char* line = &text[at];
        if (line_end + simdjson::SIMDJSON_PADDING > text.size()) {
          last_line.assign(text, at, line_end - at);
          last_line.append(simdjson::SIMDJSON_PADDING, ' ');
          line = last_line.data();
        }
        simdjson::dom::element root;
        if (parser.parse(line, line_end - at, false).get(root) != simdjson::SUCCESS)
          throw std::runtime_error("micro_read_events_parse: a line is not JSON");
        sum += visit_values(root);
      }
      at = line_end + 1;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
}
BENCHMARK(micro_read_events_parse)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace mentorcore::micro
