// The journal and event-log files: import, export (byte for byte what write_events_file
// writes), the stream of courses, the cohort, and the faults of the file itself (full, busy,
// reference data).

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
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

namespace {

// A journal at `path` holding the first `count` synthetic courses.
journal journal_with_courses(const std::string& path, std::size_t count) {
  auto j = journal::open(path, journal_on_synthetic_reference());
  for (const auto& c : journal_synthetic_courses(count)) {
    std::vector<journal_event> batch;
    for (const auto& e : c.events()) batch.push_back({c.id(), e});
    j.append_many(batch);
  }
  return j;
}

// The names in `dir`, to show that a failure left no temporary file behind.
std::vector<std::string> journal_dir_names(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

bool journal_names_path(const invalid_value_error& e) {
  return e.field() == "path";
}

}  // namespace

TEST_CASE("journal: a failed backup leaves the file at its path as it was", "[journal][files]") {
  const fixtures::journal_directory dir;
  auto j = journal_with_courses(dir.file("j.db"), 2);

  // Not a journal: refused before anything is written, and left as it was.
  const auto notes = dir.file("notes.txt");
  { std::ofstream(notes) << "precious notes\n"; }
  try {
    j.backup(notes);
    FAIL("a backup overwrote a text file");
  } catch (const journal_error& e) {
    CHECK(e.fault() == journal_fault::not_a_journal);
    CHECK(e.file() == notes);
  }
  CHECK(fixtures::file_bytes(notes) == "precious notes\n");
  { fixtures::raw_sqlite(dir.file("other.sqlite")).exec("CREATE TABLE t (x)"); }
  CHECK(fixtures::journal_fault_of([&] { j.backup(dir.file("other.sqlite")); }) ==
        journal_fault::not_a_journal);
  CHECK(fixtures::raw_sqlite(dir.file("other.sqlite")).text("SELECT count(*) FROM t") == "0");

  // Another journal whose write lock another connection holds: busy, and kept whole.
  const auto other = dir.file("other.db");
  { (void)journal_with_courses(other, 1); }
  journal_options quick = journal_on_synthetic_reference();
  quick.busy_timeout = std::chrono::milliseconds(50);
  auto q = journal::open(dir.file("j.db"), quick);
  {
    fixtures::raw_sqlite lock(other);
    REQUIRE(lock.exec("BEGIN IMMEDIATE") == SQLITE_OK);
    CHECK(fixtures::journal_fault_of([&] { q.backup(other); }) == journal_fault::busy);
    REQUIRE(lock.exec("ROLLBACK") == SQLITE_OK);
  }
  REQUIRE(std::filesystem::exists(other));
  CHECK(journal::open(other).course_ids().size() == 1);
  // Unlocked, a journal at the path is overwritten with the copy.
  q.backup(other);
  CHECK(journal::open(other).course_ids() == j.course_ids());

  // A directory that does not exist: io with the system's reason, and nothing left behind.
  const auto before = journal_dir_names(dir.path);
  try {
    j.backup(dir.file("no-such-dir/copy.db"));
    FAIL("a backup went nowhere");
  } catch (const journal_error& e) {
    CHECK(e.fault() == journal_fault::io);
    CHECK_THAT(e.what(), Catch::Contains("No such file or directory"));
  }
  CHECK(journal_dir_names(dir.path) == before);
  // A new path: the copy, and no temporary file beside it.
  j.backup(dir.file("copy.db"));
  CHECK(journal::open(dir.file("copy.db")).course_ids() == j.course_ids());
  auto expected = before;
  expected.push_back("copy.db");
  std::sort(expected.begin(), expected.end());
  CHECK(journal_dir_names(dir.path) == expected);
}

TEST_CASE("journal: an export or a backup onto the journal's own files is refused",
          "[journal][files]") {
  const fixtures::journal_directory dir;
  const auto path = dir.file("j.db");
  auto j = journal_with_courses(path, 2);
  const auto ids = j.course_ids();
  const auto who = fixtures::reader_access();
  for (const std::string& target :
       {path, path + "-wal", path + "-shm", path + "-journal", dir.file("./j.db"),
        (dir.path / ".." / dir.path.filename() / "j.db").string()}) {
    CAPTURE(target);
    CHECK_THROWS_MATCHES(j.export_log(target, who), invalid_value_error,
                         Catch::Predicate<invalid_value_error>(journal_names_path));
    CHECK_THROWS_MATCHES(j.backup(target), invalid_value_error,
                         Catch::Predicate<invalid_value_error>(journal_names_path));
  }
  // A hard link to the journal is the journal too.
  std::filesystem::create_hard_link(path, dir.file("linked.db"));
  CHECK_THROWS_MATCHES(j.export_log(dir.file("linked.db"), who), invalid_value_error,
                       Catch::Predicate<invalid_value_error>(journal_names_path));
  CHECK_FALSE(std::filesystem::exists(path + "-journal"));
  CHECK(j.audit().empty());
  j = journal::open(path);
  CHECK(j.course_ids() == ids);
  fixtures::raw_sqlite raw(path);
  CHECK(raw.text("PRAGMA integrity_check") == "ok");
}

TEST_CASE("journal: a failed export leaves its file as it was and records nothing",
          "[journal][files]") {
  const fixtures::journal_directory dir;
  const auto path = dir.file("j.db");
  auto j = journal_with_courses(path, 3);
  const auto who = fixtures::reader_access();

  // A directory that does not exist: io naming the file and the system's reason.
  const auto nowhere = dir.file("no-such-dir/out.jsonl");
  try {
    j.export_log(nowhere, who);
    FAIL("an export went nowhere");
  } catch (const journal_error& e) {
    CHECK(e.fault() == journal_fault::io);
    CHECK(e.file() == nowhere);
    CHECK_THAT(e.what(), Catch::Contains("No such file or directory"));
  }
  CHECK(j.audit().empty());

  // A directory (found by adversarial testing through the C interface: its entry was committed
  // every time, before the rename onto the directory failed).
  for (const auto& directory : {dir.path.string(), dir.path.string() + "/"}) {
    CHECK(fixtures::journal_fault_of([&] { j.export_log(directory, who); }) == journal_fault::io);
  }
  CHECK(j.audit().empty());

  // A stored line damaged on disk: corrupt, as a read of the course is, whether the course is
  // asked for or all are exported; the earlier file stays and nothing is recorded.
  const auto ids = j.course_ids();
  const auto out = dir.file("out.jsonl");
  { std::ofstream(out) << "the earlier export\n"; }
  {
    fixtures::raw_sqlite raw(path);
    REQUIRE(raw.exec("DROP TRIGGER events_are_append_only_update; "
                     "UPDATE events SET line = substr(line, 1, 30) || CAST(X'FFFFFFFF' AS TEXT) "
                     "|| substr(line, 35) WHERE course = (SELECT seq FROM courses WHERE id = '" +
                     ids[1].str() + "') AND position = 1") == SQLITE_OK);
  }
  j = journal::open(path);  // without the courses it keeps between calls
  const auto before = journal_dir_names(dir.path);
  const std::vector<course_id> damaged = {ids[1]};
  CHECK(fixtures::journal_fault_of([&] { (void)j.course(ids[1], who); }) == journal_fault::corrupt);
  CHECK(fixtures::journal_fault_of([&] { j.export_log(out, who, damaged); }) ==
        journal_fault::corrupt);
  CHECK(fixtures::journal_fault_of([&] { j.export_log(out, who); }) == journal_fault::corrupt);
  CHECK(fixtures::file_bytes(out) == "the earlier export\n");
  CHECK(journal_dir_names(dir.path) == before);
  CHECK(j.audit().empty());
  // The other courses still export, each once however often they are named.
  std::vector<course_id> repeated(5000, ids[2]);
  repeated.push_back(ids[0]);
  j.export_log(out, who, repeated);
  CHECK(j.audit().size() == 1);
  CHECK(j.audit().front().courses == std::vector<course_id>{ids[0], ids[2]});
  auto copy = journal::open(dir.file("copy.db"), journal_on_synthetic_reference());
  CHECK(copy.import_log(out).courses == 2);
}
