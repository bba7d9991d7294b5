#include "log_line_parser.hpp"

#include <cstddef>
#include <optional>

namespace mentorcore::detail {

log_line_parser::log_line_parser() {
#ifdef SIMDJSON_THREADS_ENABLED
  // parse_many would read the next batch on a thread of its own; a run is one batch, and reading
  // uses the threads read_cohort gives it.
  parser_.threaded = false;
#endif
}

simdjson::error_code log_line_parser::parse(const log_line_source& lines, std::string_view content,
                                            simdjson::dom::element& root) {
  if (from_run(lines, content, root)) {
    ++lines_from_runs_;
    return simdjson::SUCCESS;
  }
  return parser_.parse(content.data(), content.size(), false).get(root);
}

bool log_line_parser::from_run(const log_line_source& lines, std::string_view content,
                               simdjson::dom::element& root) {
  const std::uint64_t end = lines.position();
  if (!run_.empty()) {
    // The line is in the run: no line after the run was read, so its bytes are where they were.
    if (end <= run_end_) {
      ++doc_;
      if (is_the_line(content, root)) return true;
      alone_until_ = run_end_;
    }
    run_ = {};
  }
  if (end <= alone_until_) return false;
  const auto held = lines.lines_held(content, run_bytes);
  if (!held) return false;
  // One batch of the run's size: parse_many runs stage 1 over it all, here, and then stage 2 a
  // document at a time, at each ++doc_.
  if (parser_.parse_many(held->text.data(), held->text.size(), held->text.size()).get(stream_) !=
      simdjson::SUCCESS) {
    alone_until_ = held->end;
    return false;
  }
  doc_ = stream_.begin();
  run_ = held->text;
  run_end_ = held->end;
  if (is_the_line(content, root)) return true;
  alone_until_ = run_end_;
  run_ = {};
  return false;
}

bool log_line_parser::is_the_line(std::string_view content, simdjson::dom::element& root) {
  if (!(doc_ != stream_.end()) || (*doc_).get(root) != simdjson::SUCCESS) return false;
  // What JSON allows around a value, within a line. A loop, not find_first_not_of: a line
  // usually has none, and this runs for every line.
  const auto white = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  std::size_t lead = 0;
  while (lead < content.size() && white(content[lead])) ++lead;
  if (lead == content.size() || content[lead] != '{' ||
      &content[lead] != &run_[doc_.current_index()])
    return false;
  // For an object, source() runs to its closing brace.
  std::size_t after = lead + doc_.source().size();
  if (after > content.size()) return false;
  while (after < content.size() && white(content[after])) ++after;
  return after == content.size();
}

}  // namespace mentorcore::detail
