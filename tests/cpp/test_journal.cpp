#include "mentorcore/journal.hpp"

#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "files.hpp"
#include "journal_fixtures.hpp"
#include "mentorcore/analytics/cohort.hpp"
#include "mentorcore/detail/text.hpp"
#include "mentorcore/interchange.hpp"
#include "mentorcore/synthetic.hpp"

using namespace mentorcore;
using fixtures::d;

namespace {

// A course's first events: the order, a grant and the start of the pre-employment phase.
std::vector<journal_event> journal_course_start(const std::string& id, const date& on) {
  return {
      {course_id(id), fixtures::order(on, id)},
      {course_id(id),
       fixtures::grant(on + boost::gregorian::days(2), "G1", on + boost::gregorian::days(7),
                       on + boost::gregorian::days(180))},
      {course_id(id), fixtures::to_phase(on + boost::gregorian::days(7), phase::pre_employment)}};
}

// Options and queries by name (designated initialisers would leave the rest to
// -Wmissing-field-initializers).
journal_options journal_existing() {
  journal_options options;
  options.create = false;
  return options;
}
journal_options journal_read_only() {
  journal_options options;
  options.read_only = true;
  return options;
}
journal_options journal_keyed(const pseudonymiser& key) {
  journal_options options;
  options.pseudonyms = key;
  return options;
}
audit_query audit_by(const staff_id& actor) {
  audit_query query;
  query.actor = actor;
  return query;
}
audit_query audit_of_action(audit_action action) {
  audit_query query;
  query.action = action;
  return query;
}
audit_query audit_of_course(const course_id& id) {
  audit_query query;
  query.course = id;
  return query;
}
audit_query audit_between(std::optional<std::string> from, std::optional<std::string> until) {
  audit_query query;
  query.from = std::move(from);
  query.until = std::move(until);
  return query;
}

}  // namespace

TEST_CASE("journal: a journal is created, appended to and reopened", "[journal]") {
  const fixtures::journal_directory dir;
  const auto path = dir.file("cases.journal");
  const auto history = fixtures::full_history();
  {
    auto j = journal::open(path);
    CHECK(j.path() == path);
    CHECK(j.course_ids().empty());
    std::size_t expected = 0;
    for (const auto& e : history) CHECK(j.append(course_id("K-1"), e) == expected++);
    CHECK(j.contains(course_id("K-1")));
    CHECK_FALSE(j.contains(course_id("K-2")));
    CHECK(j.event_count(course_id("K-1")) == history.size());
    CHECK(j.event_count(course_id("K-2")) == 0);
  }
  auto j = journal::open(path, journal_existing());
  CHECK(j.course_ids() == std::vector<course_id>{course_id("K-1")});
  const course stored = j.course(course_id("K-1"), fixtures::reader_access());
  CHECK(stored == course::replay(history));
  CHECK(to_string(journal_fault::unknown_course) == "unknown_course");
  CHECK(to_string(audit_action::read_course_as_of) == "read_course_as_of");
}

TEST_CASE("journal: a missing journal is an error without create", "[journal]") {
  const fixtures::journal_directory dir;
  const auto path = dir.file("missing.journal");
  CHECK(fixtures::journal_fault_of([&] { (void)journal::open(path, journal_existing()); }) ==
        journal_fault::io);
  CHECK_FALSE(std::filesystem::exists(path));
  // A directory that does not exist: SQLite cannot open it, and the system says why.
  const auto nowhere = dir.file("no-such-directory/j.db");
  try {
    (void)journal::open(nowhere);
    FAIL("a journal opened in a missing directory");
  } catch (const journal_error& e) {
    CHECK(e.fault() == journal_fault::io);
    CHECK(e.file() == nowhere);
    CHECK_THAT(e.what(), Catch::Contains("No such file or directory"));
  }
}

TEST_CASE("journal: synchronous=NORMAL keeps what was committed", "[journal]") {
  const fixtures::journal_directory dir;
  const auto path = dir.file("normal.db");
  journal_options faster;
  faster.sync = journal_sync::normal;
  {
    auto j = journal::open(path, faster);
    for (const auto& e : fixtures::full_history()) j.append(course_id("K-1"), e);
  }
  auto j = journal::open(path);
  CHECK(j.event_count(course_id("K-1")) == fixtures::full_history().size());
}

TEST_CASE("journal: a rejected event leaves the journal as it was", "[journal]") {
  const fixtures::journal_directory dir;
  auto j = journal::open(dir.file("j.db"));
  const auto start = journal_course_start("K-1", d(2024, 1, 8));
  j.append_many(start);
  // Before the order: the course's rule refuses it.
  CHECK_THROWS_AS(j.append(course_id("K-1"), fixtures::contact(d(2023, 12, 1), location::home)),
                  rule_violation_error);
  CHECK(j.event_count(course_id("K-1")) == 3);
  // The next valid event takes the next position: nothing of the rejected one remains.
  CHECK(j.append(course_id("K-1"), fixtures::contact(d(2024, 1, 16), location::home)) == 3);
  const course c = j.course(course_id("K-1"), fixtures::reader_access());
  CHECK(c.events().size() == 4);

  // Unknown course, duplicate order, an order for another course.
  const auto unknown = fixtures::journal_fault_of(
      [&] { j.append(course_id("K-9"), fixtures::contact(d(2024, 1, 16), location::home)); });
  CHECK(unknown == journal_fault::unknown_course);
  CHECK(fixtures::journal_fault_of([&] {
          j.append(course_id("K-1"), fixtures::order(d(2024, 2, 1)));
        }) == journal_fault::duplicate);
  CHECK_THROWS_AS(j.append(course_id("K-2"), fixtures::order(d(2024, 2, 1), "K-3")),
                  invalid_value_error);
  CHECK(j.course_ids() == std::vector<course_id>{course_id("K-1")});
  try {
    j.append(course_id("K-9"), fixtures::contact(d(2024, 1, 16), location::home));
  } catch (const journal_error& e) {
    CHECK(e.file() == j.path());
    CHECK_THAT(e.what(), Catch::Contains("K-9") && Catch::Contains("not in the journal"));
  }
}

TEST_CASE("journal: append_many stores all of a batch or nothing", "[journal]") {
  const fixtures::journal_directory dir;
  auto j = journal::open(dir.file("j.db"));
  auto batch = journal_course_start("K-1", d(2024, 1, 8));
  auto second = journal_course_start("K-2", d(2024, 1, 9));
  batch.insert(batch.end(), second.begin(), second.end());
  // The last event breaks a rule: nothing of the batch is stored, not even the new courses.
  auto bad = batch;
  bad.push_back({course_id("K-1"), fixtures::contact(d(2023, 1, 1), location::home)});
  CHECK_THROWS_AS(j.append_many(bad), rule_violation_error);
  CHECK(j.course_ids().empty());
  j.append_many(batch);
  CHECK(j.course_ids() == std::vector<course_id>{course_id("K-1"), course_id("K-2")});
  CHECK(j.event_count(course_id("K-2")) == 3);
  // A batch that orders a course twice.
  const std::vector<journal_event> twice = {
      {course_id("K-3"), fixtures::order(d(2024, 1, 8), "K-3")},
      {course_id("K-3"), fixtures::order(d(2024, 1, 8), "K-3")}};
  CHECK(fixtures::journal_fault_of([&] { j.append_many(twice); }) == journal_fault::duplicate);
  CHECK_FALSE(j.contains(course_id("K-3")));
}

TEST_CASE("journal: append_lines reads event-log lines, pseudonymising a CPR number", "[journal]") {
  const fixtures::journal_directory dir;
  const std::string order_with_cpr =
      R"({"schema":"mentorcore/2","course":"K-7","type":"course_ordered","date":"2024-01-08",)"
      R"("recorded_by":"cw-17","cpr":"0101801234","municipality":101,)"
      R"("target_group":"kontanthjaelp_aktivitetsparat","assessment_category":"aktivitetsparat",)"
      R"("caseworker":"cw-17"})";
  {
    auto j = journal::open(dir.file("plain.db"));
    try {
      (void)j.append_lines(order_with_cpr + "\n", "intake");
      FAIL("a CPR number without a key was accepted");
    } catch (const parse_error& e) {
      CHECK(e.source() == "intake");
      CHECK(e.line() == 1);
      CHECK(e.field() == "cpr");
      CHECK_THAT(e.what(), !Catch::Contains("0101801234"));
    }
    CHECK(j.course_ids().empty());
  }
  const pseudonymiser key("a key of at least sixteen bytes");
  auto j = journal::open(dir.file("keyed.db"), journal_keyed(key));
  // The second line's free text holds a CPR-shaped number: stored redacted.
  const std::string lines =
      order_with_cpr + "\n\n" +
      event_to_json(course_id("K-7"),
                    fixtures::grant(d(2024, 1, 10), "G1", d(2024, 1, 15), d(2024, 7, 14))) +
      "\n";
  CHECK(j.append_lines(lines, "intake") == 2);
  const course c = j.course(course_id("K-7"), fixtures::reader_access());
  CHECK(c.citizen() == key.citizen_for("0101801234"));
  CHECK(c.events().size() == 2);
  const auto bytes = fixtures::file_bytes(j.path());
  CHECK(bytes.find("0101801234") == std::string::npos);

  // A bad line: nothing of the text is stored, and the error names the line.
  const std::string more =
      event_to_json(course_id("K-7"), fixtures::to_phase(d(2024, 1, 15), phase::pre_employment)) +
      "\n" + event_to_json(course_id("K-7"), fixtures::contact(d(2023, 1, 16), location::home)) +
      "\n";
  try {
    (void)j.append_lines(more, "more");
    FAIL("a rule violation was accepted");
  } catch (const parse_error& e) {
    CHECK(e.line() == 2);
  }
  CHECK(j.event_count(course_id("K-7")) == 2);
  // An event of a course not in the journal keeps its fault and names the line.
  try {
    (void)j.append_lines(
        event_to_json(course_id("K-8"), fixtures::contact(d(2024, 1, 16), location::home)) + "\n",
        "other");
    FAIL("an unknown course was accepted");
  } catch (const journal_error& e) {
    CHECK(e.fault() == journal_fault::unknown_course);
    CHECK_THAT(e.what(), Catch::Contains("other:1:"));
  }
  // A CPR-shaped number in a free text is stored redacted.
  const event noted =
      fixtures::to_phase(d(2024, 1, 15), phase::pre_employment, "called 010180-1234 back");
  CHECK(j.append_lines(event_to_json(course_id("K-7"), noted) + "\n") == 1);
  CHECK(j.event_count(course_id("K-7")) == 3);
  CHECK(fixtures::file_bytes(j.path()).find("010180-1234") == std::string::npos);
}

TEST_CASE("journal: a course is read as it stood on a date", "[journal]") {
  const fixtures::journal_directory dir;
  auto j = journal::open(dir.file("j.db"));
  const auto history = fixtures::full_history();
  for (const auto& e : history) j.append(course_id("K-1"), e);
  const auto who = fixtures::reader_access();
  const course full = course::replay(history);
  CHECK(j.course_as_of(course_id("K-1"), d(2024, 3, 1), who) == full.as_of(d(2024, 3, 1)));
  CHECK_THROWS_AS(j.course_as_of(course_id("K-1"), d(2023, 3, 1), who), invalid_value_error);
  // The refused read was not recorded; the one that returned data was.
  const auto entries = j.audit();
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].action == audit_action::read_course_as_of);
  CHECK(entries[0].scope == "2024-03-01");
  CHECK(entries[0].courses == std::vector<course_id>{course_id("K-1")});
}

TEST_CASE("journal: every read is audited, and a read without a purpose is refused",
          "[journal][audit]") {
  const fixtures::journal_directory dir;
  auto j = journal::open(dir.file("j.db"));
  j.append_many(journal_course_start("K-1", d(2024, 1, 8)));
  j.append_many(journal_course_start("K-2", d(2024, 1, 9)));
  const journal_access caseworker{staff_id("cw-17"), "handover to new mentor"};
  const journal_access auditor{staff_id("dpo-1"), "annual review"};

  CHECK_THROWS_MATCHES(
      j.course(course_id("K-1"), {staff_id("cw-17"), ""}), invalid_value_error,
      Catch::Predicate<invalid_value_error>([](const auto& e) { return e.field() == "purpose"; }));
  CHECK_THROWS_MATCHES(
      j.course(course_id("K-1"), {staff_id(), "review"}), invalid_value_error,
      Catch::Predicate<invalid_value_error>([](const auto& e) { return e.field() == "actor"; }));
  CHECK_THROWS_AS(j.export_log(dir.file("out.jsonl"), {staff_id("cw-17"), " "}),
                  invalid_value_error);
  CHECK_THROWS_AS(j.cohort({staff_id("cw-17"), ""}), invalid_value_error);
  CHECK_THROWS_AS(j.courses({staff_id("cw-17"), ""}), invalid_value_error);
  CHECK_FALSE(std::filesystem::exists(dir.file("out.jsonl")));
  CHECK(j.audit().empty());

  (void)j.course(course_id("K-1"), caseworker);
  (void)j.course_as_of(course_id("K-2"), d(2024, 1, 10), caseworker);
  {
    auto stream = j.courses(auditor);
    while (stream.next()) {
    }
  }
  const std::vector<course_id> only = {course_id("K-2")};
  j.export_log(dir.file("out.jsonl"), auditor, only);
  (void)j.cohort(auditor);
  // Reading an unknown course throws and records nothing.
  CHECK(fixtures::journal_fault_of([&] { (void)j.course(course_id("K-9"), caseworker); }) ==
        journal_fault::unknown_course);

  const auto entries = j.audit();
  REQUIRE(entries.size() == 5);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    CHECK(entries[i].sequence == static_cast<std::int64_t>(i + 1));
    CHECK(entries[i].at.size() == 24);
    CHECK(entries[i].at.back() == 'Z');
  }
  CHECK(entries[0].action == audit_action::read_course);
  CHECK(entries[0].actor == staff_id("cw-17"));
  CHECK(entries[0].purpose == "handover to new mentor");
  CHECK(entries[0].scope.empty());
  CHECK(entries[1].scope == "2024-01-10");
  CHECK(entries[2].action == audit_action::read_courses);
  CHECK(entries[2].courses.empty());
  CHECK(entries[2].scope == "all courses");
  CHECK(entries[3].action == audit_action::export_log);
  CHECK(entries[3].courses == only);
  CHECK(entries[3].scope == dir.file("out.jsonl"));
  CHECK(entries[4].action == audit_action::read_cohort);

  CHECK(j.audit(audit_by(staff_id("dpo-1"))).size() == 3);
  CHECK(j.audit(audit_of_action(audit_action::read_course)).size() == 1);
  // K-1: its own read, and the reads of every course.
  const auto of_k1 = j.audit(audit_of_course(course_id("K-1")));
  REQUIRE(of_k1.size() == 3);
  CHECK(of_k1[0].sequence == 1);
  CHECK(of_k1[1].sequence == 3);
  CHECK(of_k1[2].sequence == 5);
  // Times are to the millisecond, so entries may share one: bounds at the first and the last.
  CHECK(j.audit(audit_between(entries[0].at, std::nullopt)).size() == 5);
  CHECK(j.audit(audit_between("9999", std::nullopt)).empty());
  CHECK(j.audit(audit_between(std::nullopt, "9999")).size() == 5);
  CHECK(j.audit(audit_between(std::nullopt, entries[0].at)).empty());
}

TEST_CASE("journal: no CPR number reaches the audit trail through a purpose or a file name",
          "[journal][audit]") {
  const fixtures::journal_directory dir;
  auto j = journal::open(dir.file("j.db"));
  j.append_many(journal_course_start("K-1", d(2024, 1, 8)));
  (void)j.course(course_id("K-1"), {staff_id("cw-17"), "asked by 010180-1234's lawyer"});
  const std::string export_path = dir.file("0101801234.jsonl");
  j.export_log(export_path, {staff_id("cw-17"), "case transfer"});
  const auto entries = j.audit();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].purpose == "asked by " + std::string(detail::redacted_cpr) + "'s lawyer");
  CHECK(entries[1].scope.find("0101801234") == std::string::npos);
  for (const std::string name : {"j.db", "j.db-wal"}) {  // the committed pages may be in either
    if (std::filesystem::exists(dir.file(name)))
      CHECK(fixtures::file_bytes(dir.file(name)).find("0101801234") == std::string::npos);
  }
  // A purpose longer than any text may be is refused before anything is read or recorded.
  CHECK_THROWS_MATCHES(
      j.course(course_id("K-1"),
               {staff_id("cw-17"), std::string(detail::max_text_length + 1, 'x')}),
      invalid_value_error,
      Catch::Predicate<invalid_value_error>([](const auto& e) { return e.field() == "purpose"; }));
  CHECK(j.audit().size() == 2);
}

TEST_CASE("journal: the audit trail cannot be changed or deleted, even with SQL",
          "[journal][audit]") {
  const fixtures::journal_directory dir;
  const auto path = dir.file("j.db");
  {
    auto j = journal::open(path);
    j.append_many(journal_course_start("K-1", d(2024, 1, 8)));
    (void)j.course(course_id("K-1"), fixtures::reader_access());
  }
  fixtures::raw_sqlite raw(path);
  std::string message;
  CHECK(raw.exec("UPDATE audit SET purpose = 'nothing'", &message) == SQLITE_CONSTRAINT);
  CHECK_THAT(message, Catch::Contains("append-only"));
  CHECK(raw.exec("DELETE FROM audit", &message) == SQLITE_CONSTRAINT);
  CHECK(raw.exec("DELETE FROM events", &message) == SQLITE_CONSTRAINT);
  CHECK(raw.text("SELECT count(*) FROM audit") == "1");
  CHECK(raw.text("PRAGMA journal_mode") == "wal");
}

TEST_CASE("journal: a file that is not a journal is refused, and left as it was",
          "[journal][faults]") {
  const fixtures::journal_directory dir;
  const auto text = dir.file("notes.txt");
  {
    std::ofstream out(text);
    out << "these are not the courses you are looking for\n";
  }
  const auto before = fixtures::file_bytes(text);
  try {
    (void)journal::open(text);
    FAIL("a text file opened as a journal");
  } catch (const journal_error& e) {
    CHECK(e.fault() == journal_fault::not_a_journal);
    CHECK(e.file() == text);
    CHECK_THAT(e.what(), Catch::Contains(text) && Catch::Contains("not a mentorcore journal"));
  }
  CHECK(fixtures::file_bytes(text) == before);

  const auto other = dir.file("other.sqlite");
  {
    fixtures::raw_sqlite raw(other);
    raw.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)");
  }
  CHECK(fixtures::journal_fault_of([&] { (void)journal::open(other); }) ==
        journal_fault::not_a_journal);
  {
    fixtures::raw_sqlite raw(other);
    raw.exec("PRAGMA application_id = 42");
  }
  CHECK(fixtures::journal_fault_of([&] { (void)journal::open(other); }) ==
        journal_fault::not_a_journal);
  fixtures::raw_sqlite raw(other);
  CHECK(raw.text("SELECT count(*) FROM sqlite_master") == "1");
}

TEST_CASE("journal: a journal of a newer schema is refused, naming both versions",
          "[journal][faults]") {
  const fixtures::journal_directory dir;
  const auto path = dir.file("j.db");
  { (void)journal::open(path); }
  {
    fixtures::raw_sqlite raw(path);
    raw.exec("PRAGMA user_version = 7");
  }
  try {
    (void)journal::open(path);
    FAIL("a newer journal opened");
  } catch (const journal_error& e) {
    CHECK(e.fault() == journal_fault::newer_schema);
    CHECK_THAT(e.what(), Catch::Contains("version 7") && Catch::Contains("up to 1"));
  }
  CHECK(fixtures::journal_fault_of([&] { (void)journal::open(path, journal_read_only()); }) ==
        journal_fault::newer_schema);
}

TEST_CASE("journal: a journal opened read-only refuses writes and unrecordable reads",
          "[journal][faults]") {
  const fixtures::journal_directory dir;
  const auto path = dir.file("j.db");
  {
    auto j = journal::open(path);
    j.append_many(journal_course_start("K-1", d(2024, 1, 8)));
  }
  auto j = journal::open(path, journal_read_only());
  CHECK(j.course_ids().size() == 1);
  CHECK(j.event_count(course_id("K-1")) == 3);
  CHECK(j.audit().empty());
  CHECK(fixtures::journal_fault_of([&] {
          j.append(course_id("K-1"), fixtures::contact(d(2024, 1, 16), location::home));
        }) == journal_fault::read_only);
  CHECK(fixtures::journal_fault_of([&] {
          (void)j.course(course_id("K-1"), fixtures::reader_access());
        }) == journal_fault::read_only);
  CHECK(fixtures::journal_fault_of([&] { (void)j.import_log(dir.file("none.jsonl")); }) ==
        journal_fault::read_only);
  CHECK(fixtures::journal_fault_of([&] {
          (void)journal::open(dir.file("new.db"), journal_read_only());
        }).has_value());

  // A file the process may not write: as root, permissions do not stop writes, so this part
  // only runs for other users.
  if (::geteuid() != 0) {
    const auto locked = dir.file("locked.db");
    {
      auto w = journal::open(locked);
      w.append_many(journal_course_start("K-1", d(2024, 1, 8)));
    }
    std::filesystem::permissions(locked, std::filesystem::perms::owner_read |
                                             std::filesystem::perms::group_read |
                                             std::filesystem::perms::others_read);
    CHECK(fixtures::journal_fault_of([&] { (void)journal::open(locked); }) ==
          journal_fault::read_only);
  }
}

TEST_CASE("journal: a purpose or an export path that is not UTF-8 is refused, recording nothing",
          "[journal][audit]") {
  const fixtures::journal_directory dir;
  auto j = journal::open(dir.file("j.db"));
  j.append_many(journal_course_start("K-1", d(2024, 1, 8)));
  const auto names_field = [](std::string field) {
    return Catch::Predicate<invalid_value_error>(
        [field](const invalid_value_error& e) { return e.field() == field; });
  };
  for (const std::string purpose : {"caf\xe9", "x\xc3", "\xff\xfe", "\xed\xa0\x80 surrogate"}) {
    CHECK_THROWS_MATCHES(j.course(course_id("K-1"), {staff_id("cw-17"), purpose}),
                         invalid_value_error, names_field("purpose"));
    CHECK_THROWS_MATCHES(j.export_log(dir.file("out.jsonl"), {staff_id("cw-17"), purpose}),
                         invalid_value_error, names_field("purpose"));
  }
  const auto bad_path = dir.file("e\xff.jsonl");
  CHECK_THROWS_MATCHES(j.export_log(bad_path, fixtures::reader_access()), invalid_value_error,
                       names_field("path"));
  CHECK_FALSE(std::filesystem::exists(bad_path));
  CHECK_FALSE(std::filesystem::exists(dir.file("out.jsonl")));
  CHECK(j.audit().empty());
  // Nor is a journal opened at such a path (every message about it names it), or at none.
  const auto bad_journal = dir.file("j\xff.db");
  CHECK_THROWS_MATCHES(journal::open(bad_journal), invalid_value_error, names_field("path"));
  CHECK_FALSE(std::filesystem::exists(bad_journal));
  CHECK_THROWS_MATCHES(journal::open(""), invalid_value_error, names_field("path"));
  // UTF-8 beyond ASCII is text like any other.
  (void)j.course(course_id("K-1"), {staff_id("cw-17"), "overdragelse til ny mentor, café"});
  CHECK(j.audit().front().purpose == "overdragelse til ny mentor, café");
}

TEST_CASE("journal: the audit filter's times are ISO 8601 as the entries', or refused",
          "[journal][audit]") {
  const fixtures::journal_directory dir;
  auto j = journal::open(dir.file("j.db"));
  j.append_many(journal_course_start("K-1", d(2024, 1, 8)));
  (void)j.course(course_id("K-1"), fixtures::reader_access());
  const std::string at = j.audit().front().at;  // "2026-11-30T09:15:02.123Z"
  // The entry's own time and its prefixes, with or without the Z of a time.
  for (const std::string& bound :
       {at, at.substr(0, 23), at.substr(0, 19) + "Z", at.substr(0, 19), at.substr(0, 16),
        at.substr(0, 13), at.substr(0, 10), at.substr(0, 7), at.substr(0, 4)}) {
    CAPTURE(bound);
    CHECK(j.audit(audit_between(bound, std::nullopt)).size() == 1);
    CHECK(j.audit(audit_between(std::nullopt, bound)).empty());
  }
  CHECK(j.audit(audit_between("2000-02-29", "9999-12-31T23:59:59.999Z")).size() == 1);
  for (const std::string bad :
       {"yesterday", "31/12/2023", "\xff", "", "2024-13-45T99:99", "2024-02-30", "2023-02-29",
        "2024-00-10", "2024-01-01T24:00", "2024-01-01T10:60", "2024-01-01T10:00:60", "2024-01-01Z",
        "2024-01-01T10:00+01:00", "2024-01-01 10:00", "2024-01-01T10:00:00.1234", "24-01-01",
        "2024-1-1", "2024-01-01T10:00ZZ"}) {
    CAPTURE(bad);
    CHECK_THROWS_MATCHES(j.audit(audit_between(bad, std::nullopt)), invalid_value_error,
                         Catch::Predicate<invalid_value_error>(
                             [](const invalid_value_error& e) { return e.field() == "from"; }));
    CHECK_THROWS_MATCHES(j.audit(audit_between(std::nullopt, bad)), invalid_value_error,
                         Catch::Predicate<invalid_value_error>(
                             [](const invalid_value_error& e) { return e.field() == "until"; }));
  }
}
