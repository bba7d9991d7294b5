// The journal and event-log files: import, export (byte for byte what write_events_file
// writes), the stream of courses, the cohort, and the faults of the file itself (full, busy,
// reference data).

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "files.hpp"
#include "journal_fixtures.hpp"
#include "mentorcore/analytics/cohort.hpp"
#include "mentorcore/interchange.hpp"
#include "mentorcore/journal.hpp"
#include "mentorcore/synthetic.hpp"

using namespace mentorcore;

namespace {

std::vector<course> journal_synthetic_courses(std::size_t count, std::uint64_t seed = 3) {
  synthetic_options options;
  options.courses = count;
  options.seed = seed;
  options.threads = 1;
  return generate_courses(options);
}

journal_options journal_on_synthetic_reference() {
  journal_options options;
  options.reference = synthetic_reference();
  return options;
}

}  // namespace

TEST_CASE("journal: a journal exports byte for byte what write_events_file writes",
          "[journal][files]") {
  const fixtures::journal_directory dir;
  const auto courses = journal_synthetic_courses(40);
  const auto log = dir.file("synthetic.jsonl");
  write_events_file(courses, log);

  auto j = journal::open(dir.file("j.db"), journal_on_synthetic_reference());
  const auto imported = j.import_log(log);
  CHECK(imported.courses == courses.size());
  std::size_t events = 0;
  for (const auto& c : courses) events += c.events().size();
  CHECK(imported.events == events);

  const auto who = fixtures::reader_access();
  j.export_log(dir.file("all.jsonl"), who);
  CHECK(fixtures::file_bytes(dir.file("all.jsonl")) == fixtures::file_bytes(log));
  // A log of reference data beyond the built-in set starts with its header.
  CHECK(fixtures::file_bytes(log).rfind(R"({"schema":"mentorcore/2","type":"header")", 0) == 0);

  // Some courses, asked for out of order and twice: journal order, each once.
  const std::vector<course_id> some = {courses[7].id(), courses[2].id(), courses[7].id()};
  j.export_log(dir.file("some.jsonl.gz"), who, some);
  const std::vector<course> chosen = {courses[2], courses[7]};
  write_events_file(chosen, dir.file("expected.jsonl.gz"));
  CHECK(fixtures::file_bytes(dir.file("some.jsonl.gz")) ==
        fixtures::file_bytes(dir.file("expected.jsonl.gz")));

  // An id not stored: named, and nothing written.
  const std::vector<course_id> missing = {courses[1].id(), course_id("K-NONE")};
  try {
    j.export_log(dir.file("missing.jsonl"), who, missing);
    FAIL("an unknown course was exported");
  } catch (const journal_error& e) {
    CHECK(e.fault() == journal_fault::unknown_course);
    CHECK_THAT(e.what(), Catch::Contains("K-NONE"));
  }
  CHECK_FALSE(std::filesystem::exists(dir.file("missing.jsonl")));

  // The stream gives the courses in order, equal to the originals.
  auto stream = j.courses(who);
  std::size_t index = 0;
  while (auto c = stream.next()) {
    REQUIRE(index < courses.size());
    CHECK(*c == courses[index]);
    ++index;
  }
  CHECK(index == courses.size());
  CHECK_FALSE(stream.next().has_value());

  // The cohort equals the one of the courses.
  CHECK(j.cohort(who) == cohort::from_courses(courses));
}

TEST_CASE("journal: an empty journal exports an empty log", "[journal][files]") {
  const fixtures::journal_directory dir;
  auto j = journal::open(dir.file("j.db"), journal_on_synthetic_reference());
  j.export_log(dir.file("empty.jsonl"), fixtures::reader_access());
  const std::vector<course> none;
  write_events_file(none, dir.file("expected.jsonl"));
  CHECK(fixtures::file_bytes(dir.file("empty.jsonl")) ==
        fixtures::file_bytes(dir.file("expected.jsonl")));
  CHECK(j.cohort(fixtures::reader_access()).size() == 0);
}

TEST_CASE("journal: the stream sees the journal as it was when made", "[journal][files]") {
  const fixtures::journal_directory dir;
  const auto courses = journal_synthetic_courses(6);
  auto j = journal::open(dir.file("j.db"), journal_on_synthetic_reference());
  const std::vector<course> first(courses.begin(), courses.begin() + 3);
  write_events_file(first, dir.file("first.jsonl"));
  (void)j.import_log(dir.file("first.jsonl"));
  auto stream = j.courses(fixtures::reader_access());
  // The journal stays writable while a stream is open, and the stream does not see the write.
  const std::vector<course> rest(courses.begin() + 3, courses.end());
  write_events_file(rest, dir.file("rest.jsonl"));
  (void)j.import_log(dir.file("rest.jsonl"));
  std::size_t seen = 0;
  while (stream.next()) ++seen;
  CHECK(seen == 3);
  CHECK(j.course_ids().size() == 6);
}

TEST_CASE("journal: an import stores all of a log or nothing", "[journal][files]") {
  const fixtures::journal_directory dir;
  const auto courses = journal_synthetic_courses(5);
  auto j = journal::open(dir.file("j.db"), journal_on_synthetic_reference());
  const std::vector<course> first = {courses[0], courses[1]};
  write_events_file(first, dir.file("first.jsonl"));
  (void)j.import_log(dir.file("first.jsonl"));

  // courses[1] is stored already: nothing of the second log is stored.
  const std::vector<course> overlapping = {courses[2], courses[1], courses[3]};
  write_events_file(overlapping, dir.file("overlapping.jsonl"));
  try {
    (void)j.import_log(dir.file("overlapping.jsonl"));
    FAIL("a stored course was imported again");
  } catch (const journal_error& e) {
    CHECK(e.fault() == journal_fault::duplicate);
    CHECK_THAT(e.what(), Catch::Contains(courses[1].id().str()));
  }
  CHECK(j.course_ids() == std::vector<course_id>{courses[0].id(), courses[1].id()});

  // A bad line: a parse_error naming it, and nothing stored.
  const std::vector<course> more = {courses[2], courses[3]};
  std::string text = write_events(more);
  text += "{\"schema\":\"mentorcore/2\",\"course\":\"" + courses[2].id().str() +
          "\",\"type\":\"course_closed\"}\n";
  {
    std::ofstream out(dir.file("bad.jsonl"), std::ios::binary);
    out << text;
  }
  CHECK_THROWS_AS(j.import_log(dir.file("bad.jsonl")), parse_error);
  CHECK(j.course_ids().size() == 2);

  // Reference data the journal does not have (the built-in journal, a synthetic log).
  auto builtin = journal::open(dir.file("builtin.db"));
  CHECK(fixtures::journal_fault_of([&] { (void)builtin.import_log(dir.file("first.jsonl")); }) ==
        journal_fault::reference_data);
  CHECK(builtin.course_ids().empty());
}

TEST_CASE("journal: a journal keeps its reference data", "[journal][files]") {
  const fixtures::journal_directory dir;
  const auto path = dir.file("j.db");
  { (void)journal::open(path, journal_on_synthetic_reference()); }
  // Reopened without reference data: the stored set, which reads synthetic courses.
  {
    auto j = journal::open(path);
    CHECK(*j.reference() == *synthetic_reference());
    const auto courses = journal_synthetic_courses(2);
    write_events_file(courses, dir.file("two.jsonl"));
    CHECK(j.import_log(dir.file("two.jsonl")).courses == 2);
  }
  // Other reference data: refused.
  journal_options builtin;
  builtin.reference = reference_data::builtin();
  CHECK(fixtures::journal_fault_of([&] { (void)journal::open(path, builtin); }) ==
        journal_fault::reference_data);
  // The same again: fine.
  CHECK_NOTHROW(journal::open(path, journal_on_synthetic_reference()));
}

TEST_CASE("journal: a journal at its size limit refuses the write whole", "[journal][faults]") {
  const fixtures::journal_directory dir;
  const auto path = dir.file("small.db");
  const auto courses = journal_synthetic_courses(60);
  journal_options limited = journal_on_synthetic_reference();
  limited.max_bytes = 96 * 1024;
  std::size_t stored = 0;
  std::optional<journal_error> full;
  {
    auto j = journal::open(path, limited);
    for (const auto& c : courses) {
      std::vector<journal_event> batch;
      for (const auto& e : c.events()) batch.push_back({c.id(), e});
      try {
        j.append_many(batch);
        ++stored;
      } catch (const journal_error& e) {
        full.emplace(e);
        break;
      }
    }
    REQUIRE(full.has_value());
    CHECK(full->fault() == journal_fault::full);
    CHECK_THAT(full->what(), Catch::Contains(path));
    CHECK(j.course_ids().size() == stored);
    CHECK_FALSE(j.contains(courses[stored].id()));
    CHECK(stored > 0);
  }
  // Without the limit, every stored course reads back whole.
  auto j = journal::open(path);
  auto stream = j.courses(fixtures::reader_access());
  std::size_t index = 0;
  while (auto c = stream.next()) CHECK(*c == courses[index++]);
  CHECK(index == stored);
  fixtures::raw_sqlite raw(path);
  CHECK(raw.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("journal: a second writer waits for the busy timeout, then gets busy",
          "[journal][faults]") {
  const fixtures::journal_directory dir;
  const auto path = dir.file("j.db");
  journal_options quick;
  quick.busy_timeout = std::chrono::milliseconds(50);
  auto j = journal::open(path, quick);
  j.append(course_id("K-1"), fixtures::order(fixtures::d(2024, 1, 8)));
  fixtures::raw_sqlite other(path);
  REQUIRE(other.exec("BEGIN IMMEDIATE") == SQLITE_OK);
  try {
    j.append(course_id("K-2"), fixtures::order(fixtures::d(2024, 1, 8), "K-2"));
    FAIL("a second writer got the lock");
  } catch (const journal_error& e) {
    CHECK(e.fault() == journal_fault::busy);
    CHECK_THAT(e.what(), Catch::Contains(path) && Catch::Contains("busy"));
  }
  // Readers are not blocked by the writer.
  CHECK(j.course_ids().size() == 1);
  CHECK(j.event_count(course_id("K-1")) == 1);
  REQUIRE(other.exec("ROLLBACK") == SQLITE_OK);
  CHECK(j.append(course_id("K-2"), fixtures::order(fixtures::d(2024, 1, 8), "K-2")) == 0);
}
