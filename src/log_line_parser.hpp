#pragma once
// Parsing an event log's lines as JSON, one document a line, with what simdjson gives for each
// line parsed alone, but faster. simdjson's first stage (finding the structure of the text) has a
// cost per call as well as per byte, and on lines of a few hundred bytes the call's part is
// large: runs of whole lines already in memory go to simdjson's parse_many at once, and each of
// its documents is handed out only if it is exactly its line: it starts at the line's first
// character that is not white space, ends within the line, and only white space follows it there.
// Anything else (a malformed line, two documents on a line, one across lines, a byte-order mark)
// ends the run, and the rest of its lines are parsed one at a time, so results and errors are
// those of parsing each line alone. The run's documents are parsed one by one as their lines are
// read; its bytes stay in place until then (log_line_source::lines_held).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <simdjson.h>

#include "log_lines.hpp"

namespace mentorcore::detail {

class log_line_parser {
 public:
  /// The most bytes parsed together: simdjson's parser then holds about 14 times this. Past 64
  /// KiB (about 250 lines of the synthetic log) the gain levels off.
  static constexpr std::size_t run_bytes = std::size_t{64} << 10;

  log_line_parser();
  log_line_parser(const log_line_parser&) = delete;  // doc_ points into stream_
  log_line_parser& operator=(const log_line_parser&) = delete;
  log_line_parser(log_line_parser&&) = delete;
  log_line_parser& operator=(log_line_parser&&) = delete;
  ~log_line_parser() = default;

  /// Parses `content`, the line `lines` last returned. `root` is valid until the next call.
  /// One parser reads the lines of one source, in order; a line left out ends the run, and the
  /// line given is then parsed alone.
  simdjson::error_code parse(const log_line_source& lines, std::string_view content,
                             simdjson::dom::element& root);
  /// How many lines parse() gave from runs (the rest were parsed alone).
  [[nodiscard]] std::size_t lines_from_runs() const noexcept { return lines_from_runs_; }

 private:
  bool from_run(const log_line_source& lines, std::string_view content,
                simdjson::dom::element& root);
  bool is_the_line(std::string_view content, simdjson::dom::element& root);

  simdjson::dom::parser parser_;
  simdjson::dom::document_stream stream_;
  simdjson::dom::document_stream::iterator doc_;
  std::string_view run_;           // the run's text; empty when no run is open
  std::uint64_t run_end_ = 0;      // position() just after the run's last line
  std::uint64_t alone_until_ = 0;  // lines that end by this position are parsed alone
  std::size_t lines_from_runs_ = 0;
};

}  // namespace mentorcore::detail
