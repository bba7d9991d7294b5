// Durability (issue 19, point 2): a writer process killed with SIGKILL at random moments, at
// least 200 times, loses no append it acknowledged and keeps none it refused; the file stays
// intact and every course replays. And a copy taken while a writer appends is a consistent
// journal.

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "journal_fixtures.hpp"
#include "mentorcore/journal.hpp"

extern char** environ;

using namespace mentorcore;

namespace {

// The crash writer (journal_crash_writer.cpp) running as a child process, its stdout in a pipe.
class crash_writer_process {
 public:
  crash_writer_process(const std::string& journal, std::uint64_t seed, std::size_t run) {
    // The test target does not depend on the writer target (that would hold back every test
    // unit until the library is linked); `cmake --build` with no target builds it.
    INFO("the crash writer " << MENTORCORE_JOURNAL_CRASH_WRITER
                             << " (CMake target mentorcore_journal_crash_writer)");
    REQUIRE(std::filesystem::exists(MENTORCORE_JOURNAL_CRASH_WRITER));
    std::array<int, 2> fds{};
    REQUIRE(::pipe(fds.data()) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    std::string program = MENTORCORE_JOURNAL_CRASH_WRITER;
    std::string seed_text = std::to_string(seed);
    std::string run_text = std::to_string(run);
    std::string journal_text = journal;
    std::vector<char*> args = {program.data(), journal_text.data(), seed_text.data(),
                               run_text.data(), nullptr};
    const int spawned =
        posix_spawn(&pid_, program.c_str(), &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    out_ = fds[0];
    REQUIRE(spawned == 0);
  }
  crash_writer_process(const crash_writer_process&) = delete;
  crash_writer_process& operator=(const crash_writer_process&) = delete;
  ~crash_writer_process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
  }

  // Reads until a whole line has come (blocking); false if the writer ended first.
  bool wait_for_line() {
    while (output_.find('\n') == std::string::npos) {
      if (!read_some()) return false;
    }
    return true;
  }
  // Kills the writer with SIGKILL; true if the kill ended it (it was still running).
  bool kill_now() {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    while (read_some()) {
    }
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }
  // Everything the writer wrote (a last line without its newline was cut by the kill).
  [[nodiscard]] const std::string& output() const { return output_; }

 private:
  bool read_some() {
    std::array<char, 4096> buffer{};
    const auto got = ::read(out_, buffer.data(), buffer.size());
    if (got <= 0) return false;
    output_.append(buffer.data(), static_cast<std::size_t>(got));
    return true;
  }
  pid_t pid_ = -1;
  int out_ = -1;
  std::string output_;
};

// What the writers reported, across runs.
struct crash_ledger {
  std::map<std::string, std::size_t> acknowledged;  // course -> acknowledged events (max pos + 1)
  std::set<std::string> refused_unknown;            // ids of unknown courses appended to
  std::size_t acks = 0;
  std::size_t refusals = 0;

  // Takes in one run's whole lines (a last line cut by the kill is not an acknowledgement);
  // returns that run's acknowledged events per course. Fails on a line that reports an error.
  std::map<std::string, std::size_t> take(const std::string& output) {
    std::map<std::string, std::size_t> run;
    std::istringstream lines(output.substr(0, output.rfind('\n') + 1));
    std::string line;
    while (std::getline(lines, line)) {
      std::istringstream words(line);
      std::string kind;
      std::string course;
      std::size_t number = 0;
      words >> kind >> course >> number;
      if (kind == "ready") continue;
      INFO(line);
      REQUIRE((kind == "ok" || kind == "failed"));
      if (kind == "ok") {
        ++acks;
        auto& known = acknowledged[course];
        known = std::max(known, number + 1);
        auto& in_run = run[course];
        in_run = std::max(in_run, number + 1);
      } else {
        ++refusals;
        if (course.rfind("X-", 0) == 0) refused_unknown.insert(course);
      }
    }
    return run;
  }
};

using crash_counts = std::map<std::string, std::size_t>;

crash_counts crash_stored_counts(const std::string& path) {
  crash_counts counts;
  if (!std::filesystem::exists(path)) return counts;
  auto j = journal::open(path);
  for (const auto& id : j.course_ids()) counts[id.str()] = j.event_count(id);
  return counts;
}

// The checks after a kill: every event ever acknowledged is stored; the run added at most one
// event it did not acknowledge (the append the kill interrupted); no refused course exists; the
// file is intact.
void check_journal_after_kill(const std::string& path, const crash_ledger& ledger,
                              const crash_counts& before, const crash_counts& run) {
  const auto after = crash_stored_counts(path);
  for (const auto& [course, count] : ledger.acknowledged) {
    INFO(course);
    REQUIRE(after.contains(course));
    CHECK(after.at(course) >= count);
  }
  std::size_t unacknowledged = 0;
  for (const auto& [course, stored] : after) {
    const auto had = before.contains(course) ? before.at(course) : 0;
    const auto acked = run.contains(course) ? run.at(course) : 0;
    const auto known = std::max(had, acked);
    INFO(course);
    CHECK(stored >= known);
    if (stored > known) unacknowledged += stored - known;
  }
  CHECK(unacknowledged <= 1);
  for (const auto& missing : ledger.refused_unknown) CHECK_FALSE(after.contains(missing));
  fixtures::raw_sqlite raw(path);
  CHECK(raw.text("PRAGMA integrity_check") == "ok");
}

// Every course replays (the stream replays each through the course rules), and none holds the
// refused event (dated before every order).
std::size_t check_every_course_replays(const std::string& path) {
  auto j = journal::open(path);
  auto stream = j.courses({staff_id("crash-test"), "check that every course replays"});
  std::size_t courses = 0;
  while (auto c = stream.next()) {
    ++courses;
    for (const auto& e : c->events()) CHECK(e.date >= fixtures::d(2024, 1, 1));
  }
  CHECK(courses == j.course_ids().size());
  return courses;
}

}  // namespace

TEST_CASE("journal: a writer killed at random moments loses no acknowledged append",
          "[journal][crash]") {
  const fixtures::journal_directory dir;
  const auto path = dir.file("crash.journal");
  std::mt19937_64 random(20261130);
  constexpr std::size_t runs = 200;
  crash_ledger ledger;
  std::size_t kills = 0;
  const auto started = std::chrono::steady_clock::now();
  for (std::size_t run = 0; run < runs; ++run) {
    const auto before = crash_stored_counts(path);
    crash_writer_process writer(path, random(), run);
    if (run % 10 == 0) {
      // Now and then while it opens (and, the first time, creates) the journal.
      std::this_thread::sleep_for(std::chrono::milliseconds(random() % 10));
    } else {
      REQUIRE(writer.wait_for_line());
      std::this_thread::sleep_for(std::chrono::microseconds(2000 + random() % 28000));
    }
    const bool killed = writer.kill_now();
    INFO("run " << run << " wrote:\n" << writer.output());
    REQUIRE(killed);
    ++kills;
    const auto acknowledged = ledger.take(writer.output());
    check_journal_after_kill(path, ledger, before, acknowledged);
    if (run % 50 == 49) (void)check_every_course_replays(path);
  }
  const auto courses = check_every_course_replays(path);
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "journal crash test: " << kills << " kills, " << ledger.acks
            << " acknowledged appends, " << ledger.refusals << " refused appends, " << courses
            << " courses, " << seconds << " s\n";
  CHECK(kills >= 200);
  CHECK(ledger.acks > 0);
  CHECK(ledger.refusals > 0);
}

TEST_CASE("journal: a backup taken while another process appends is a consistent journal",
          "[journal][crash]") {
  const fixtures::journal_directory dir;
  const auto path = dir.file("busy.journal");
  { (void)journal::open(path); }
  crash_writer_process writer(path, 7, 0);
  REQUIRE(writer.wait_for_line());
  std::vector<std::string> copies;
  auto j = journal::open(path);
  for (int i = 0; i < 6; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    copies.push_back(dir.file("copy-" + std::to_string(i) + ".journal"));
    j.backup(copies.back());
  }
  REQUIRE(writer.kill_now());
  crash_ledger ledger;
  (void)ledger.take(writer.output());
  CHECK(ledger.acks > 0);
  std::size_t previous = 0;
  for (const auto& copy : copies) {
    INFO(copy);
    {
      fixtures::raw_sqlite raw(copy);
      CHECK(raw.text("PRAGMA integrity_check") == "ok");
    }
    auto c = journal::open(copy);
    std::size_t events = 0;
    for (const auto& id : c.course_ids()) events += c.event_count(id);
    // Each copy is a later snapshot of the same journal.
    CHECK(events >= previous);
    previous = events;
    (void)check_every_course_replays(copy);
  }
}
