// read_cohort: the cohort of event-log files, streamed, equals cohort::from_courses over what
// read_events reads, in both modes, on one thread or several, whatever the files' layout.

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "cohort_read_work.hpp"
#include "gzip.hpp"
#include "mentorcore/analytics/read_cohort.hpp"
#include "mentorcore/interchange.hpp"
#include "mentorcore/synthetic.hpp"

namespace {

using namespace mentorcore;

// A directory of its own for one test case, removed afterwards. Letters only in its name: error
// messages redact runs of digits.
struct read_cohort_scratch {
  std::filesystem::path path;
  explicit read_cohort_scratch(const std::string& name) {
    std::string tag;
    for (auto pid = static_cast<unsigned>(::getpid()); pid != 0; pid >>= 4U)
      tag += static_cast<char>('a' + (pid & 15U));
    path = std::filesystem::temp_directory_path() / ("mentorcore-read-cohort-" + name + "-" + tag);
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  read_cohort_scratch(const read_cohort_scratch&) = delete;
  read_cohort_scratch& operator=(const read_cohort_scratch&) = delete;
  ~read_cohort_scratch() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  [[nodiscard]] std::string write(const std::string& name, const std::string& bytes) const {
    const auto file = (path / name).string();
    std::ofstream out(file, std::ios::binary);
    out << bytes;
    return file;
  }
};

// A small synthetic municipality's log (with a header: the synthetic scales).
std::string read_cohort_log_of(std::size_t courses) {
  synthetic_options options;
  options.courses = courses;
  options.seed = 7;
  options.threads = 1;
  return write_events(generate_courses(options));
}

const std::string& read_cohort_log() {
  static const std::string text = read_cohort_log_of(40);
  return text;
}

cohort_read_options read_cohort_test_options(bool collect, unsigned threads) {
  cohort_read_options options;
  options.reference = synthetic_reference();
  options.collect_errors = collect;
  options.threads = threads;
  options.min_part_bytes = 1;  // split wherever a cut is possible
  return options;
}

// The course a log line names (lines are as mentorcore writes them).
std::string read_cohort_line_course(const std::string& line) {
  const auto at = line.find("\"course\":\"");
  if (at == std::string::npos) return {};
  const auto from = at + 10;
  return line.substr(from, line.find('"', from) - from);
}

// The lines of `text` with the courses' lines interleaved at random, each course's in order;
// a header stays first.
std::string interleave_read_cohort_log(const std::string& text, unsigned seed) {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> courses;
  std::vector<std::string> names;
  std::size_t from = 0;
  while (from < text.size()) {
    const auto end = text.find('\n', from);
    std::string line = text.substr(from, end - from);
    from = end == std::string::npos ? text.size() : end + 1;
    if (line.find("\"type\":\"header\"") != std::string::npos) {
      header.push_back(line);
      continue;
    }
    const auto name = read_cohort_line_course(line);
    const auto known = std::find(names.begin(), names.end(), name);
    if (known == names.end()) {
      names.push_back(name);
      courses.push_back({line});
    } else {
      courses[static_cast<std::size_t>(known - names.begin())].push_back(line);
    }
  }
  std::vector<std::size_t> order;
  for (std::size_t c = 0; c < courses.size(); ++c) order.insert(order.end(), courses[c].size(), c);
  std::mt19937 random(seed);
  std::shuffle(order.begin(), order.end(), random);
  std::string result;
  for (const auto& line : header) result += line + "\n";
  std::vector<std::size_t> next(courses.size(), 0);
  for (const auto c : order) result += courses[c][next[c]++] + "\n";
  return result;
}

// What read_events gives for the files, one after the other, as a cohort and rejected lines.
cohort_read_result read_cohort_expected(const std::vector<std::string>& paths,
                                        const read_options& options) {
  std::vector<course> courses;
  cohort_read_result expected;
  for (const auto& path : paths) {
    auto result = read_events_file(path, options);
    for (auto& c : result.courses) courses.push_back(std::move(c));
    for (auto& r : result.rejected)
      expected.rejected.push_back({path, r.line, r.course, r.message});
    expected.redacted_texts += result.redacted_texts;
  }
  expected.cohort = cohort::from_courses(courses);
  return expected;
}

void check_read_cohort_equal(const cohort_read_result& got, const cohort_read_result& expected) {
  CHECK(got.cohort.size() == expected.cohort.size());
  CHECK(got.rejected == expected.rejected);
  CHECK(got.redacted_texts == expected.redacted_texts);
  CHECK(got.cohort == expected.cohort);
}

// The message read_events throws for `paths` read in turn (raise mode), or "".
std::string read_events_message(const std::vector<std::string>& paths,
                                const read_options& options) {
  try {
    for (const auto& path : paths) (void)read_events_file(path, options);
  } catch (const error& e) {
    return e.what();
  }
  return {};
}

// A log with bad lines, read on each number of `threads`: collect mode gives `expected` (what
// read_events gives), raise mode raises read_events' message for the first bad line.
void check_read_cohort_bad_log(const std::string& path, std::initializer_list<unsigned> threads,
                               const cohort_read_result& expected) {
  const auto message = read_events_message({path}, read_cohort_test_options(false, 1));
  REQUIRE_FALSE(message.empty());
  for (const unsigned n : threads) {
    INFO(path << ", threads " << n);
    check_read_cohort_equal(read_cohort(path, read_cohort_test_options(true, n)), expected);
    CHECK_THROWS_WITH(read_cohort(path, read_cohort_test_options(false, n)), message);
  }
}

// The progress calls of a read: the last bytes done and total, and whether either went back.
struct read_cohort_progress {
  std::uint64_t done = 0;
  std::uint64_t total = 0;
  bool backwards = false;
  void watch(cohort_read_options& options) {
    options.progress = [this](std::uint64_t now_done, std::uint64_t now_total) {
      backwards = backwards || now_done < done || now_total < total;
      done = now_done;
      total = now_total;
    };
  }
};

}  // namespace

TEST_CASE(
    "a large plain file is cut into eight parts a thread, none under min_part_bytes, a multiple of"
    " the threads when there are more parts than threads",
    "[read_cohort]") {
  constexpr std::uint64_t mib = std::uint64_t{1} << 20;
  using detail::cohort_plain_parts;
  CHECK(cohort_plain_parts(245'160'305, 1, 8 * mib) == 1);   // one thread reads it whole
  CHECK(cohort_plain_parts(245'160'305, 2, 8 * mib) == 16);  // 29 parts of 8 MiB would fit
  CHECK(cohort_plain_parts(245'160'305, 3, 8 * mib) == 24);
  CHECK(cohort_plain_parts(30 * mib, 2, 8 * mib) == 2);  // 3 fit: 2, so no thread reads two alone
  CHECK(cohort_plain_parts(40 * mib, 3, 8 * mib) == 3);  // 5 fit: 3
  CHECK(cohort_plain_parts(17 * mib, 4, 8 * mib) == 2);  // fewer parts than threads
  CHECK(cohort_plain_parts(7 * mib, 2, 8 * mib) == 1);   // too small to cut
  CHECK(cohort_plain_parts(100, 3, 1) == 24);
  CHECK(cohort_plain_parts(100, 3, 0) == 24);  // 0 counts as 1
}

TEST_CASE("read_cohort equals from_courses over read_events, on one thread or two",
          "[read_cohort]") {
  const read_cohort_scratch dir("plain");
  const auto path = dir.write("log.jsonl", read_cohort_log());
  const auto expected = read_cohort_expected({path}, read_cohort_test_options(false, 1));
  REQUIRE(expected.cohort.size() == 40);
  for (const unsigned threads : {1U, 2U, 3U}) {
    INFO("threads " << threads);
    check_read_cohort_equal(read_cohort(path, read_cohort_test_options(false, threads)), expected);
    check_read_cohort_equal(read_cohort(path, read_cohort_test_options(true, threads)), expected);
  }
}

TEST_CASE("read_cohort reads the events of a course spread through the file", "[read_cohort]") {
  const read_cohort_scratch dir("interleaved");
  for (const unsigned seed : {1U, 2U}) {
    const auto text = interleave_read_cohort_log(read_cohort_log(), seed);
    for (const auto& path :
         {dir.write("log.jsonl", text), dir.write("log.jsonl.gz", detail::gzip(text))}) {
      const auto expected = read_cohort_expected({path}, read_cohort_test_options(false, 1));
      REQUIRE(expected.cohort.size() == 40);
      for (const unsigned threads : {1U, 2U, 3U}) {
        INFO(path << ", seed " << seed << ", threads " << threads);
        check_read_cohort_equal(read_cohort(path, read_cohort_test_options(false, threads)),
                                expected);
        check_read_cohort_equal(read_cohort(path, read_cohort_test_options(true, threads)),
                                expected);
      }
    }
  }
}

TEST_CASE("read_cohort reads one gzip file the same on one thread or several (in pieces)",
          "[read_cohort]") {
  const read_cohort_scratch dir("one-gzip");
  const std::string packed = detail::gzip(read_cohort_log());
  const auto path = dir.write("log.jsonl.gz", packed);
  const auto expected = read_cohort_expected({path}, read_cohort_test_options(false, 1));
  REQUIRE(expected.cohort.size() == 40);
  for (const unsigned threads : {1U, 2U, 3U}) {
    for (const std::uint64_t piece :
         {std::uint64_t{1}, std::uint64_t{5000}, std::uint64_t{8} << 20}) {
      INFO("threads " << threads << ", pieces of " << piece << " bytes");
      for (const bool collect : {false, true}) {
        auto options = read_cohort_test_options(collect, threads);
        options.min_part_bytes = piece;
        // Read once, whatever the pieces: two passes' worth of the file's bytes in all.
        read_cohort_progress progress;
        progress.watch(options);
        check_read_cohort_equal(read_cohort(path, options), expected);
        CHECK_FALSE(progress.backwards);
        CHECK(progress.total == 2 * packed.size());
        CHECK(progress.done == progress.total);
      }
    }
  }
  // Cut short: the lines before the cut, then read_events' fault, on several threads as on one.
  const auto cut = dir.write("cut.jsonl.gz", packed.substr(0, packed.size() / 2));
  const auto message = read_events_message({cut}, read_cohort_test_options(false, 1));
  REQUIRE_THAT(message, Catch::Contains("truncated gzip data"));
  for (const unsigned threads : {1U, 2U, 3U}) {
    INFO("threads " << threads);
    CHECK_THROWS_WITH(read_cohort(cut, read_cohort_test_options(false, threads)), message);
    CHECK_THROWS_WITH(read_cohort(cut, read_cohort_test_options(true, threads)), message);
  }
}

// What read_cohort gives for `path` with `options`: its result, or the message it throws.
struct read_cohort_outcome {
  std::optional<cohort_read_result> result;
  std::string message;
};

read_cohort_outcome read_cohort_or_message(const std::string& path,
                                           const cohort_read_options& options) {
  try {
    return {read_cohort(path, options), {}};
  } catch (const error& e) {
    return {std::nullopt, e.what()};
  }
}

// `path` read on 2 and 3 threads, in pieces of 5,000 bytes of text, gives what one thread gives
// (which reads the text in order, as read_events does), in both modes: the same cohort and
// rejected lines, or the same message.
void check_pieces_read_as_one_thread(const std::string& path) {
  for (const bool collect : {false, true}) {
    const auto one = read_cohort_or_message(path, read_cohort_test_options(collect, 1));
    for (const unsigned threads : {2U, 3U}) {
      INFO("threads " << threads << ", collect " << collect);
      auto options = read_cohort_test_options(collect, threads);
      options.min_part_bytes = 5000;
      const auto pieces = read_cohort_or_message(path, options);
      CHECK(pieces.message == one.message);
      REQUIRE(pieces.result.has_value() == one.result.has_value());
      if (one.result) check_read_cohort_equal(*pieces.result, *one.result);
    }
  }
}

TEST_CASE("a gzip log damaged at any byte reads in pieces on several threads as on one thread",
          "[read_cohort]") {
  // Several threads read pieces of the text side by side, and a fault found in any of them (a
  // line the damage broke, corrupt deflate data, a wrong checksum or length at the end) must come
  // out as the one reading in order meets first, in both modes, with nothing read before it lost.
  // Ten courses rather than the forty of the other tests: 150 reads of the log under the
  // sanitizers, and ten courses still give each thread several pieces of 5,000 bytes.
  const read_cohort_scratch dir("damaged");
  const std::string packed = detail::gzip(read_cohort_log_of(10));
  constexpr std::size_t places = 24;
  for (std::size_t k = 0; k <= places; ++k) {
    // Every place from the gzip header (byte 0) to the last byte of the trailer.
    const std::size_t at = std::min(packed.size() - 1, k * (packed.size() - 1) / places);
    std::string damaged = packed;
    damaged[at] = static_cast<char>(static_cast<unsigned char>(damaged[at]) ^ 0x55U);
    INFO("byte " << at << " of " << packed.size());
    check_pieces_read_as_one_thread(dir.write("damaged.jsonl.gz", damaged));
  }
}

TEST_CASE("a gzip log's text in other shapes reads in pieces as it reads in order",
          "[read_cohort]") {
  // The pieces are cut where one course's lines give way to the next's: whatever the line ends,
  // blank lines, a last line without its end, or bytes after the gzip data, the result (or the
  // message) is that of reading the text in order.
  const read_cohort_scratch dir("shapes");
  const std::string& text = read_cohort_log();
  const auto replaced = [&](const std::string& from, const std::string& to) {
    std::string result;
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t found = text.find(from, at);
      const std::size_t end = found == std::string::npos ? text.size() : found;
      result.append(text, at, end - at);
      if (found == std::string::npos) break;
      result += to;
      at = found + from.size();
    }
    return result;
  };
  const std::vector<std::pair<std::string, std::string>> shapes = {
      {"crlf", detail::gzip(replaced("\n", "\r\n"))},
      {"blank lines", detail::gzip(replaced("\n", "\n\n  \t\n"))},
      {"no last line end", detail::gzip(text.substr(0, text.size() - 1))},
      {"zeros after the data", detail::gzip(text) + std::string(64, '\0')},
      {"text after the data", detail::gzip(text) + "not gzip\n"},
      {"an empty member between", detail::gzip(text.substr(0, text.size() / 2)) + detail::gzip("") +
                                      detail::gzip(text.substr(text.size() / 2))},
  };
  for (const auto& [shape, packed] : shapes) {
    INFO(shape);
    check_pieces_read_as_one_thread(dir.write("shape.jsonl.gz", packed));
  }
}

TEST_CASE("a gzip log of several members reads in pieces as it reads in order", "[read_cohort]") {
  // `cat a.gz b.gz` is a gzip file (RFC 1952: members one after the other), as rotating logs
  // make them; the pieces may end in one member and start in the next.
  const read_cohort_scratch dir("members");
  const std::string& text = read_cohort_log();
  std::string packed;
  for (std::size_t from = 0; from < text.size();) {
    const std::size_t end = std::min(text.size(), text.find('\n', from + 20000) + 1);
    packed += detail::gzip(text.substr(from, end - from));
    from = end == 0 ? text.size() : end;
  }
  const auto path = dir.write("members.jsonl.gz", packed);
  const auto expected = read_cohort_expected({path}, read_cohort_test_options(false, 1));
  REQUIRE(expected.cohort.size() == 40);
  for (const unsigned threads : {1U, 2U, 3U}) {
    for (const std::uint64_t piece : {std::uint64_t{1}, std::uint64_t{5000}}) {
      INFO("threads " << threads << ", pieces of " << piece << " bytes");
      auto options = read_cohort_test_options(false, threads);
      options.min_part_bytes = piece;
      check_read_cohort_equal(read_cohort(path, options), expected);
    }
  }
}

TEST_CASE("read_cohort reads several files, plain and gzip, in order", "[read_cohort]") {
  const read_cohort_scratch dir("several");
  // Three logs of different courses: the first and last halves of one log and a third of
  // other courses, gzip-compressed, with its events interleaved.
  synthetic_options other;
  other.courses = 15;
  other.seed = 11;
  other.threads = 1;
  auto courses = read_events(read_cohort_log(), "log", read_cohort_test_options(false, 1)).courses;
  const std::vector<course> first(courses.begin(), courses.begin() + 20);
  const std::vector<course> second(courses.begin() + 20, courses.end());
  // Ids of the second generator's courses differ from the first's only by their seed's stories:
  // rename by writing them through a prefix.
  std::string third = interleave_read_cohort_log(write_events(generate_courses(other)), 3);
  for (std::size_t at = third.find("\"course\":\""); at != std::string::npos;
       at = third.find("\"course\":\"", at + 1))
    third.insert(at + 10, "Z");
  const std::vector<std::string> paths = {dir.write("a.jsonl", write_events(first)),
                                          dir.write("b.jsonl", write_events(second)),
                                          dir.write("c.jsonl.gz", detail::gzip(third))};
  const auto expected = read_cohort_expected(paths, read_cohort_test_options(false, 1));
  REQUIRE(expected.cohort.size() == 55);
  for (const unsigned threads : {1U, 2U, 4U}) {
    INFO("threads " << threads);
    check_read_cohort_equal(read_cohort(paths, read_cohort_test_options(false, threads)), expected);
    check_read_cohort_equal(read_cohort(paths, read_cohort_test_options(true, threads)), expected);
  }
}

TEST_CASE("read_cohort rejects the lines read_events rejects, with the same messages",
          "[read_cohort]") {
  const read_cohort_scratch dir("collect");
  std::string text = interleave_read_cohort_log(read_cohort_log(), 5);
  // Bad lines among the others: a line that is not JSON and names no course, one that names a
  // course but is cut short, a bad date, an event that breaks a rule, and a second header.
  std::vector<std::string> lines;
  for (std::size_t from = 0; from < text.size();) {
    const auto end = text.find('\n', from);
    lines.push_back(text.substr(from, end - from));
    from = end + 1;
  }
  const auto course_of = [&](std::size_t i) { return read_cohort_line_course(lines.at(i)); };
  lines.insert(lines.begin() + 30, "this is not an event");
  lines.insert(lines.begin() + 90,
               R"({"schema":"mentorcore/2","course":")" + course_of(95) + R"(","type":"conta)");
  lines.insert(
      lines.begin() + 200,
      R"({"schema":"mentorcore/2","course":")" + course_of(201) +
          R"(","type":"course_paused","date":"2023-02-30","recorded_by":"S-1","reason":"illness"})");
  lines.insert(
      lines.begin() + 400,
      R"({"schema":"mentorcore/2","course":")" + course_of(401) +
          R"(","type":"course_closed","date":"1999-01-01","recorded_by":"S-1","reason":"job"})");
  lines.insert(lines.begin() + 500, lines.front());
  lines.emplace_back("{\"truncated\": ");
  text.clear();
  for (const auto& line : lines) text += line + "\n";
  for (const auto& path :
       {dir.write("bad.jsonl", text), dir.write("bad.jsonl.gz", detail::gzip(text))}) {
    const auto expected = read_cohort_expected({path}, read_cohort_test_options(true, 1));
    REQUIRE(expected.rejected.size() > 6);
    REQUIRE(expected.cohort.size() > 20);
    REQUIRE(expected.cohort.size() < 38);
    check_read_cohort_bad_log(path, {1U, 2U, 3U}, expected);
  }
}

TEST_CASE("read_cohort cuts a file into parts only where no rejected line's blame crosses",
          "[read_cohort]") {
  // A log written course by course, cut wherever possible, with bad lines between courses:
  // collect mode blames a line whose course cannot be told on the courses before and after it,
  // so no part may start between them.
  const read_cohort_scratch dir("cuts");
  const std::string& text = read_cohort_log();
  std::vector<std::string> lines;
  for (std::size_t from = 0; from < text.size();) {
    const auto end = text.find('\n', from);
    lines.push_back(text.substr(from, end - from));
    from = end + 1;
  }
  std::vector<std::string> out;
  std::string previous;
  int boundary = 0;
  for (const auto& line : lines) {
    const auto course = read_cohort_line_course(line);
    if (!previous.empty() && course != previous) {
      ++boundary;
      if (boundary % 7 == 1) out.emplace_back("{not json");
      if (boundary % 7 == 3) out.emplace_back("[1, 2]");
      if (boundary % 7 == 5) {
        out.emplace_back("garbage");
        out.emplace_back("more garbage");
      }
    }
    out.push_back(line);
    previous = course;
  }
  out.insert(out.begin() + static_cast<std::ptrdiff_t>(out.size() / 2), lines.front());
  std::string bad;
  for (const auto& line : out) bad += line + "\n";
  for (const auto& path :
       {dir.write("cuts.jsonl", bad), dir.write("cuts.jsonl.gz", detail::gzip(bad))}) {
    const auto expected = read_cohort_expected({path}, read_cohort_test_options(true, 1));
    REQUIRE(expected.rejected.size() > 10);
    REQUIRE(expected.cohort.size() > 5);
    REQUIRE(expected.cohort.size() < 35);
    check_read_cohort_bad_log(path, {1U, 2U, 3U, 5U}, expected);
  }
}

TEST_CASE("read_cohort reads a pipe once, keeping its courses until it ends", "[read_cohort]") {
  const read_cohort_scratch dir("fifo");
  const auto text = interleave_read_cohort_log(read_cohort_log(), 9);
  const auto file = dir.write("log.jsonl", text);
  const auto expected = read_cohort_expected({file}, read_cohort_test_options(false, 1));
  const auto fifo = (dir.path / "pipe").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::jthread writer([&] {
    std::ofstream out(fifo, std::ios::binary);
    out << text;
  });
  check_read_cohort_equal(read_cohort(fifo, read_cohort_test_options(false, 2)), expected);
}

TEST_CASE("read_cohort: a missing file, a directory, a course in two files", "[read_cohort]") {
  const read_cohort_scratch dir("errors");
  const auto options = read_cohort_test_options(false, 2);
  const auto missing = (dir.path / "missing.jsonl").string();
  CHECK_THROWS_WITH(read_cohort(missing, options),
                    missing + ":0: cannot open the file: No such file or directory");
  const auto directory = dir.path.string();
  CHECK_THROWS_WITH(read_cohort(directory, options),
                    directory + ":0: cannot read the file: it is a directory, not an event log");
  // Checked before anything is read: a good file first changes nothing.
  const auto good = dir.write("good.jsonl", read_cohort_log());
  CHECK_THROWS_AS(read_cohort(std::vector<std::string>{good, missing}, options), parse_error);

  const auto again = dir.write("again.jsonl", read_cohort_log());
  for (const bool collect : {false, true}) {
    try {
      (void)read_cohort(std::vector<std::string>{good, again},
                        read_cohort_test_options(collect, 2));
      FAIL("a course in two files was read");
    } catch (const parse_error& e) {
      CHECK(e.field() == "course");
      CHECK(e.source() == again);
      CHECK_THAT(e.what(), Catch::Contains("is also in " + good));
    }
  }
}

TEST_CASE("read_cohort's progress comes from the calling thread, and may stop the read",
          "[read_cohort]") {
  const read_cohort_scratch dir("progress");
  const auto path = dir.write("log.jsonl", read_cohort_log());
  auto options = read_cohort_test_options(false, 2);
  const auto caller = std::this_thread::get_id();
  std::uint64_t last_done = 0;
  std::uint64_t last_total = 0;
  bool elsewhere = false;
  options.progress = [&](std::uint64_t done, std::uint64_t total) {
    elsewhere = elsewhere || std::this_thread::get_id() != caller;
    last_done = done;
    last_total = total;
  };
  (void)read_cohort(path, options);
  CHECK_FALSE(elsewhere);
  CHECK(last_total == 2 * read_cohort_log().size());
  CHECK(last_done == last_total);

  struct stop_reading {};
  options.progress = [](std::uint64_t, std::uint64_t) { throw stop_reading{}; };
  CHECK_THROWS_AS(read_cohort(path, options), stop_reading);
  // A gzip file read in pieces, stopped by the first progress call: the thread that inflates it
  // and those reading its pieces stop, whether waiting for a piece or for room to put one, or
  // reading one. The log is made large enough (26 copies of the small one) that the first call
  // usually comes part-way through the read, every 100 ms; when it does not, the stop at the end
  // is checked as above.
  const std::string& one = read_cohort_log();
  const auto body = one.find('\n') + 1;  // after the header
  std::string larger = one.substr(0, body);
  // Each copy's course ids get a letter in front, appended piece by piece: inserting the letters
  // into a copy in place moved the rest of it each time, 34 of the test's 35 s under the
  // sanitizers.
  constexpr std::string_view course_key = "\"course\":\"";
  for (char copy = 'A'; copy <= 'Z'; ++copy) {
    std::size_t from = body;
    for (std::size_t at = one.find(course_key, from); at != std::string::npos;
         at = one.find(course_key, from)) {
      larger.append(one, from, at + course_key.size() - from);
      larger += copy;
      from = at + course_key.size();
    }
    larger.append(one, from);
  }
  const auto packed = dir.write("log.jsonl.gz", detail::gzip(larger));
  for (const unsigned threads : {2U, 3U}) {
    options.threads = threads;
    options.min_part_bytes = 4096;
    options.progress = [](std::uint64_t, std::uint64_t) { throw stop_reading{}; };
    CHECK_THROWS_AS(read_cohort(packed, options), stop_reading);
  }
}

TEST_CASE(
    "read_cohort reads a log once, or again when its courses' lines are apart, on one thread or"
    " several, plain or gzip; its progress ends at its total and never goes back",
    "[read_cohort]") {
  const read_cohort_scratch dir("one_pass");
  const std::string apart_text = interleave_read_cohort_log(read_cohort_log(), 4);
  struct log_file {
    std::string path;
    std::size_t bytes;
    bool apart;
  };
  std::vector<log_file> logs;
  for (const bool apart : {false, true}) {
    const std::string& text = apart ? apart_text : read_cohort_log();
    const std::string packed = detail::gzip(text);
    const std::string name = apart ? "apart" : "together";
    logs.push_back({dir.write(name + ".jsonl", text), text.size(), apart});
    logs.push_back({dir.write(name + ".jsonl.gz", packed), packed.size(), apart});
  }
  for (const auto& log : logs) {
    for (const unsigned threads : {1U, 2U}) {
      INFO(log.path << ", threads " << threads);
      auto options = read_cohort_test_options(false, threads);
      read_cohort_progress progress;
      progress.watch(options);
      const auto expected = read_cohort_expected({log.path}, options);
      check_read_cohort_equal(read_cohort(log.path, options), expected);
      CHECK_FALSE(progress.backwards);
      CHECK(progress.done == progress.total);
      // Two passes' worth for the log read once; more for the one read again.
      if (log.apart) {
        CHECK(progress.total > 2 * log.bytes);
      } else {
        CHECK(progress.total == 2 * log.bytes);
      }
    }
  }
}
