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
  // Cut at the NUL, the name would be /dev/null, an empty log: refused instead.
  CHECK_THROWS_WITH(read_events_file(std::string("/dev/null\0.jsonl", 16)),
                    Catch::Contains("path = /dev/null\\u0000.jsonl: holds a NUL byte"));
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

namespace {

// Lines until the end or the first fault: what was read, and the fault's message ("" if none).
std::pair<log_lines_seen, std::string> log_lines_until_fault(
    mentorcore::detail::log_line_source& source) {
  log_lines_seen seen;
  try {
    while (const auto line = source.next()) {
      seen.lines.emplace_back(*line);
      seen.numbers.push_back(source.line());
      seen.last_unterminated = source.unterminated();
    }
  } catch (const mentorcore::error& e) {
    return {seen, e.what()};
  }
  return {seen, ""};
}

// About 7.6 MB of lines of varying length, with empty lines and CRLF: more chunks than
// inflate_ahead keeps ready, so its thread waits for the reader as well as the other way round.
const std::string& inflated_ahead_text() {
  static const std::string text = [] {
    std::string out;
    for (int i = 0; i < 300000; ++i) {
      out += "line " + std::to_string(i) + std::string(static_cast<std::size_t>(i % 37), 'x');
      out += i % 101 == 0 ? "\r\n\n" : "\n";
    }
    return out + "last";
  }();
  return text;
}

}  // namespace

TEST_CASE("inflating ahead gives the lines, their numbers and faults of inflating in step",
          "[log_lines]") {
  using mentorcore::detail::log_line_source;
  const std::string packed = mentorcore::detail::gzip(inflated_ahead_text());
  std::string corrupt = packed;
  corrupt[corrupt.size() / 2] = static_cast<char>(corrupt[corrupt.size() / 2] ^ 0x55);
  const std::vector<std::pair<std::string, std::string>> inputs = {
      {"whole", packed},
      {"truncated", packed.substr(0, packed.size() * 3 / 4)},
      {"corrupt", corrupt},
      {"plain", inflated_ahead_text()},  // nothing to inflate: inflate_ahead does nothing
  };
  for (const auto& [name, data] : inputs) {
    INFO(name);
    log_line_source in_step(data, name, 1000);
    log_line_source ahead(data, name, 1000);
    ahead.inflate_ahead();
    const auto [expected, expected_fault] = log_lines_until_fault(in_step);
    const auto [seen, fault] = log_lines_until_fault(ahead);
    CHECK(seen.lines.size() == expected.lines.size());
    CHECK(seen.lines == expected.lines);
    CHECK(seen.numbers == expected.numbers);
    CHECK(seen.last_unterminated == expected.last_unterminated);
    CHECK(fault == expected_fault);
    CHECK(ahead.bytes_read() == in_step.bytes_read());
    if (name == "whole") {
      CHECK(seen.lines.back() == "last");
      CHECK(fault.empty());
    } else if (name != "plain") {
      CHECK_FALSE(fault.empty());
    }
  }
}

TEST_CASE("a source inflating ahead can be dropped at any point", "[log_lines]") {
  using mentorcore::detail::log_line_source;
  const std::string packed = mentorcore::detail::gzip(inflated_ahead_text());
  for (const std::size_t read : std::vector<std::size_t>{0, 1, 100000}) {
    INFO(read);
    // Its thread is waiting for room (four chunks ready) or still inflating: destroying the
    // source stops and joins it.
    log_line_source source(packed, "t.gz", 1000);
    source.inflate_ahead();
    std::size_t got = 0;
    while (got < read && source.next()) ++got;
    REQUIRE(got == read);
  }
  log_line_source twice(packed, "t.gz", 1000);
  twice.inflate_ahead();
  twice.inflate_ahead();  // a second call changes nothing
  CHECK(log_lines_until_fault(twice).first.lines.back() == "last");
}

TEST_CASE("a byte order mark is skipped at the very start of the input and only there",
          "[log_lines]") {
  using mentorcore::detail::log_line_source;
  const std::string bom = "\xEF\xBB\xBF";
  const std::string text = bom + "{\"a\":1}\r\n" + bom + "{\"b\":2}\n";
  const std::vector<std::string> expected = {"{\"a\":1}", bom + "{\"b\":2}"};
  // In memory, plain and gzip (also split so that the mark spans two gzip members).
  for (const std::string& data :
       {text, mentorcore::detail::gzip(text),
        mentorcore::detail::gzip(text.substr(0, 1)) + mentorcore::detail::gzip(text.substr(1))}) {
    log_line_source source(data, "t", 100);
    CHECK(all_log_lines(source).lines == expected);
  }
  const std::string path = log_lines_temp_path("bom.jsonl");
  for (const bool packed : {false, true}) {
    INFO("gzip " << packed);
    std::ofstream(path, std::ios::binary) << (packed ? mentorcore::detail::gzip(text) : text);
    const auto whole = log_line_source::open_file(path, 100);
    if (packed) whole->inflate_ahead();
    const auto seen = all_log_lines(*whole);
    CHECK(seen.lines == expected);
    CHECK(seen.numbers == std::vector<std::size_t>{1, 2});
  }
  // A part of a plain file: only the part that starts the file skips it.
  std::ofstream(path, std::ios::binary) << text;
  const auto first = log_line_source::open_file(path, 100, {0, 12, 0});
  CHECK(all_log_lines(*first).lines == std::vector<std::string>{"{\"a\":1}"});
  const auto second = log_line_source::open_file(path, 100, {12, text.size() - 12, 1});
  const auto later = all_log_lines(*second);
  CHECK(later.lines == std::vector<std::string>{bom + "{\"b\":2}"});
  CHECK(later.numbers == std::vector<std::size_t>{2});
  std::remove(path.c_str());
  // Nothing but the mark, or the mark cut short, is no line / the line as it is.
  log_line_source only(bom, "t", 100);
  CHECK(all_log_lines(only).lines.empty());
  const std::string cut_short = bom.substr(0, 2) + "x";
  log_line_source cut(cut_short, "t", 100);
  CHECK(all_log_lines(cut).lines == std::vector<std::string>{cut_short});
}
