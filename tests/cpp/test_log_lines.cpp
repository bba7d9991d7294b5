// The event log's line source (src/, private) and reading files that are not regular files:
// pipes, devices, /proc files, directories.
#include "log_lines.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "fixtures.hpp"
#include "gzip.hpp"
#include "mentorcore/error.hpp"
#include "mentorcore/interchange.hpp"

namespace {

struct log_lines_seen {
  std::vector<std::string> lines;
  std::vector<std::size_t> numbers;
  bool last_unterminated = false;
};

log_lines_seen all_log_lines(mentorcore::detail::log_line_source& source) {
  log_lines_seen seen;
  while (const auto line = source.next()) {
    seen.lines.emplace_back(*line);
    seen.numbers.push_back(source.line());
    seen.last_unterminated = source.unterminated();
  }
  return seen;
}

std::string log_lines_temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("mentorcore-log-lines-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

}  // namespace

TEST_CASE("the line source gives every non-empty line with its number, plain or gzip",
          "[log_lines]") {
  using mentorcore::detail::log_line_source;
  const std::string text = "a\n\n\nbb\r\n \n\r\nccc";
  for (const bool packed : {false, true}) {
    INFO("gzip " << packed);
    // Two gzip members, split mid-line: one stream.
    const std::string data = packed ? mentorcore::detail::gzip(text.substr(0, 5)) +
                                          mentorcore::detail::gzip(text.substr(5))
                                    : text;
    log_line_source source(data, "t", 100);
    const auto seen = all_log_lines(source);
    CHECK(seen.lines == std::vector<std::string>{"a", "bb", " ", "ccc"});
    CHECK(seen.numbers == std::vector<std::size_t>{1, 4, 5, 7});
    CHECK(seen.last_unterminated);
  }
  log_line_source ended("x\n", "t", 100);
  CHECK(all_log_lines(ended).last_unterminated == false);
}

TEST_CASE("the line source holds one line: endless input stops at the limit", "[log_lines]") {
  using mentorcore::detail::log_line_source;
  // 64 MB of line ends decompress and are counted, a piece at a time.
  const std::string newlines =
      mentorcore::detail::gzip(std::string(std::size_t{64} << 20, '\n') + "last");
  log_line_source source(newlines, "nl.gz", 100);
  const auto seen = all_log_lines(source);
  CHECK(seen.lines == std::vector<std::string>{"last"});
  CHECK(seen.numbers == std::vector<std::size_t>{(std::size_t{64} << 20) + 1});
  // One endless line (gzip of zeros) is refused at the limit, naming the line.
  const std::string zeros = mentorcore::detail::gzip(std::string(std::size_t{16} << 20, '0'));
  log_line_source endless(zeros, "zeros.gz", std::size_t{1} << 20);
  CHECK_THROWS_WITH(endless.next(), Catch::Contains("zeros.gz:1: the line is longer than 1048576"));
  // Truncated gzip is still an error naming the source.
  const std::string cut = mentorcore::detail::gzip("a\nb\n").substr(0, 12);
  log_line_source truncated(cut, "cut.gz", 100);
  CHECK_THROWS_WITH(all_log_lines(truncated), Catch::Contains("cut.gz:0: truncated gzip data"));
}

TEST_CASE("reading a file says why it cannot, and reads pipes, devices and /proc files",
          "[log_lines][interchange]") {
  using mentorcore::parse_error;
  using mentorcore::read_events_file;
  CHECK_THROWS_WITH(read_events_file("/nonexistent/x.jsonl"),
                    Catch::Contains("cannot open the file: No such file or directory"));
  CHECK_THROWS_WITH(read_events_file(std::filesystem::temp_directory_path().string()),
                    Catch::Contains("cannot read the file: Is a directory"));
  // /dev/zero is an endless line, not an empty log.
  CHECK_THROWS_WITH(read_events_file("/dev/zero"),
                    Catch::Contains("/dev/zero:1: the line is longer than"));
  // A /proc file reports a size of 0 but has content: it is read, and is not a log.
  CHECK_THROWS_WITH(read_events_file("/proc/self/status"),
                    Catch::Contains("/proc/self/status:1: malformed JSON"));

  // A named pipe (as process substitution gives, /dev/fd/N): read as it is written.
  const std::vector<mentorcore::course> courses = {
      mentorcore::course::replay(fixtures::full_history())};
  const std::string text = mentorcore::write_events(courses);
  for (const bool packed : {false, true}) {
    const std::string fifo = log_lines_temp_path(packed ? "fifo.gz" : "fifo");
    std::filesystem::remove(fifo);
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::thread writer([&] {
      std::ofstream out(fifo, std::ios::binary);
      const std::string bytes = packed ? mentorcore::detail::gzip(text) : text;
      for (std::size_t at = 0; at < bytes.size(); at += 7) {
        out << bytes.substr(at, 7);
        out.flush();
      }
    });
    const auto result = read_events_file(fifo);
    writer.join();
    std::filesystem::remove(fifo);
    CHECK(result.courses == courses);
  }
}
