// The journal: courses in one SQLite file (docs/embedding.md). Each event is stored as its
// event-log line, exactly as event_to_json writes it, so an export is the stored lines behind
// the header and a stored course reads back through the event-log reader, with the same
// validation as everywhere else. This file opens a journal, creates and migrates its schema,
// and holds the helpers of src/journal_state.hpp; appending is in journal_writes.cpp, reading
// in journal_reads.cpp.

#include "mentorcore/journal.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <simdjson.h>
#include <sqlite3.h>

#include "file_path.hpp"
#include "journal_sqlite.hpp"
#include "journal_state.hpp"
#include "log_header.hpp"

namespace mentorcore {

std::string_view to_string(journal_fault fault) noexcept {
  switch (fault) {
    case journal_fault::not_a_journal: return "not_a_journal";
    case journal_fault::newer_schema: return "newer_schema";
    case journal_fault::read_only: return "read_only";
    case journal_fault::full: return "full";
    case journal_fault::busy: return "busy";
    case journal_fault::corrupt: return "corrupt";
    case journal_fault::io: return "io";
    case journal_fault::unknown_course: return "unknown_course";
    case journal_fault::duplicate: return "duplicate";
    case journal_fault::reference_data: return "reference_data";
  }
  return "unknown";
}

std::string_view to_string(audit_action action) noexcept {
  const auto index = static_cast<std::size_t>(action);
  const auto& names = detail::journal_audit_action_names;
  return index < names.size() ? names[index] : "unknown";
}

namespace detail {

std::string journal_utc_now() {
  const auto now = std::chrono::system_clock::now();
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const auto seconds = static_cast<std::time_t>(millis / 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  std::array<char, 32> text{};
  const std::size_t length = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%S", &parts);
  std::string result(text.data(), length);
  const auto fraction = std::to_string(millis % 1000);
  result += '.';
  result.append(3 - fraction.size(), '0');
  result += fraction;
  result += 'Z';
  return result;
}

std::int64_t journal_pragma_integer(sqlite3* db, const std::string& file, std::string_view sql,
                                    std::string_view doing) {
  journal_statement statement(db, file, sql);
  if (!statement.step(doing)) return 0;
  return statement.integer(0);
}

mentorcore::course journal_replay(const std::string& file, const std::string& lines,
                                  const std::shared_ptr<const reference_data>& reference,
                                  std::string_view id) {
  read_options options;
  options.reference = reference;
  try {
    auto result = read_events(lines, file, options);
    if (result.courses.size() != 1) {
      throw journal_error(file, journal_fault::corrupt,
                          "course " + std::string(id) + ": its stored events are not one course");
    }
    return std::move(result.courses.front());
  } catch (const journal_error&) {
    throw;
  } catch (const error& e) {
    throw journal_error(file, journal_fault::corrupt,
                        "course " + std::string(id) +
                            ": its stored events do not replay: " + std::string(e.what()));
  }
}

void journal_check_access(const journal_access& who) {
  if (who.actor.str().empty())
    throw invalid_value_error("actor", "\"\"", "every read names who reads (a staff id)");
  if (who.purpose.find_first_not_of(" \t\r\n") == std::string::npos)
    throw invalid_value_error("purpose", "\"" + who.purpose + "\"",
                              "every read gives its purpose, for the audit trail");
  if (who.purpose.size() > detail::max_text_length)
    throw invalid_value_error("purpose", std::to_string(who.purpose.size()) + " bytes",
                              "longer than a text may be (" + detail::text_length_range() + ")");
  journal_check_utf8(who.purpose, "purpose");
}

void journal_check_utf8(std::string_view text, std::string_view field) {
  // The check the event-log writer makes of every text it writes (src/event_writer.cpp).
  if (!simdjson::validate_utf8(text.data(), text.size()))
    throw invalid_value_error(std::string(field), "(not shown)", "not valid UTF-8");
}

void journal_refuse_own_file(const std::string& journal_path, const std::string& target,
                             std::string_view field) {
  namespace fs = std::filesystem;
  for (const std::string_view suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::string own = journal_path + std::string(suffix);
    // The same file by another name (a link, "./", "../"), when both exist; else the same
    // path once made absolute and normal.
    std::error_code failed;
    bool same = fs::equivalent(target, own, failed);
    if (failed || !same) {
      std::error_code absolute_failed;
      const auto a = fs::weakly_canonical(target, absolute_failed);
      const auto b = fs::weakly_canonical(own, absolute_failed);
      same = !absolute_failed && a == b;
    }
    if (same) {
      throw invalid_value_error(
          std::string(field), "\"" + target + "\"",
          suffix.empty() ? "the journal's own file: it would be overwritten; give another path"
                         : "the journal's " + std::string(suffix.substr(1)) +
                               " file: it would be overwritten; give another path");
    }
  }
}

std::string journal_audit_time(std::string_view text, std::string_view field) {
  // The full form and where a prefix may end: after the year, month, day, hour, minute,
  // second or milliseconds. '0' stands for a digit.
  static constexpr std::string_view form = "0000-00-00T00:00:00.000";
  static constexpr std::array<std::size_t, 7> ends = {4, 7, 10, 13, 16, 19, 23};
  std::string_view time = text;
  if (time.size() > 13 && time.back() == 'Z') time.remove_suffix(1);  // after a time: UTC, as `at`
  const auto refuse = [&] {
    const bool printable = std::all_of(text.begin(), text.end(), [](char c) {
      return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f;
    });
    throw invalid_value_error(
        std::string(field),
        printable ? "\"" + detail::redacted_excerpt(text, 40) + "\"" : std::string("(not shown)"),
        "expected a UTC time in ISO 8601 as an audit entry's `at` "
        "(2026-11-30T09:15:02.123Z) or a prefix of it (2026-11, "
        "2026-11-30, 2026-11-30T09:15)");
  };
  if (std::find(ends.begin(), ends.end(), time.size()) == ends.end()) refuse();
  for (std::size_t i = 0; i < time.size(); ++i) {
    const bool digit = time[i] >= '0' && time[i] <= '9';
    if (form[i] == '0' ? !digit : time[i] != form[i]) refuse();
  }
  const auto number = [&](std::size_t at, std::size_t length) {
    int value = 0;
    for (std::size_t i = at; i < at + length; ++i) value = value * 10 + (time[i] - '0');
    return value;
  };
  const auto within = [&](std::size_t at, int low, int high) {
    if (time.size() < at + 2) return true;
    const int value = number(at, 2);
    return value >= low && value <= high;
  };
  if (!within(5, 1, 12) || !within(11, 0, 23) || !within(14, 0, 59) || !within(17, 0, 59)) refuse();
  if (time.size() >= 10) {
    const int year = number(0, 4);
    const int month = number(5, 2);
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    static constexpr std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int last = days.at(static_cast<std::size_t>(month - 1)) + (month == 2 && leap ? 1 : 0);
    if (!within(8, 1, last)) refuse();
  }
  return std::string(time);
}

std::string journal_join_ids(std::span<const course_id> ids) {
  std::string joined;
  for (const auto& id : ids) {
    if (!joined.empty()) joined += '\n';
    joined += id.str();
  }
  return joined;
}

std::string journal_reference_text(const reference_data& reference) {
  const auto extra = detail::reference_beyond_builtin(reference);
  if (extra.entries().empty() && extra.instruments().empty()) return {};
  return extra.to_json();
}

}  // namespace detail

namespace {

using detail::journal_application_id;
using detail::journal_pragma_integer;
using detail::journal_reference_text;
using detail::journal_state;
using detail::journal_statement;
using detail::journal_transaction;

// One step of the schema: the SQL that brings a journal of version to_version - 1 to
// to_version. Open applies every step above the file's version in one transaction; a step is
// never changed once released (a new version adds a step).
struct journal_migration {
  int to_version;
  std::string_view sql;
};

constexpr std::array<journal_migration, 1> journal_migrations = {{
    {1, R"sql(
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE courses (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  citizen TEXT NOT NULL,
  ordered_on TEXT NOT NULL
);
CREATE TABLE events (
  course INTEGER NOT NULL REFERENCES courses(seq),
  position INTEGER NOT NULL,
  date TEXT NOT NULL,
  type TEXT NOT NULL,
  line TEXT NOT NULL,
  PRIMARY KEY (course, position)
) WITHOUT ROWID;
CREATE TABLE audit (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  purpose TEXT NOT NULL,
  courses TEXT NOT NULL,
  scope TEXT NOT NULL
);
CREATE INDEX audit_by_at ON audit (at);
CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'stored events are never changed'); END;
CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'stored events are never removed'); END;
)sql"},
}};

// Creates the schema of a new journal, or migrates an older one, in one transaction.
void journal_migrate(journal_state& j, const std::optional<std::string>& new_reference) {
  journal_transaction transaction(j.handle(), j.path, true);
  // Read again under the write lock: another process may have created or migrated it.
  const auto version = journal_pragma_integer(j.handle(), j.path, "PRAGMA user_version",
                                              "cannot read the schema version");
  const auto application = journal_pragma_integer(j.handle(), j.path, "PRAGMA application_id",
                                                  "cannot read the journal's header");
  if (application != 0 && application != journal_application_id) {
    throw journal_error(j.path, journal_fault::not_a_journal,
                        "not a mentorcore journal (a SQLite file of another application)");
  }
  if (version >= journal_schema_version) return;
  for (const auto& step : journal_migrations) {
    if (step.to_version <= version) continue;
    detail::journal_exec(
        j.handle(), j.path, std::string(step.sql),
        "cannot migrate the journal to schema version " + std::to_string(step.to_version));
  }
  if (version == 0) {
    journal_statement insert(j.handle(), j.path,
                             "INSERT INTO meta (key, value) VALUES ('reference', ?1)");
    const std::string text = new_reference.value_or("");
    insert.bind(1, std::string_view(text));
    insert.run("cannot store the reference data");
  }
  detail::journal_exec(j.handle(), j.path,
                       "PRAGMA application_id = " + std::to_string(journal_application_id) +
                           "; PRAGMA user_version = " + std::to_string(journal_schema_version),
                       "cannot write the schema version");
  transaction.commit();
}

void journal_load_reference(journal_state& j) {
  std::string stored;
  {
    journal_statement read(j.handle(), j.path, "SELECT value FROM meta WHERE key = 'reference'");
    if (read.step("cannot read the reference data")) stored = std::string(read.text(0));
  }
  if (j.options.reference) {
    if (journal_reference_text(*j.options.reference) != stored) {
      throw journal_error(j.path, journal_fault::reference_data,
                          "the reference data given is not the journal's (open it without "
                          "reference data to use the journal's own)");
    }
    j.reference = j.options.reference;
    return;
  }
  if (stored.empty()) {
    j.reference = reference_data::builtin();
    return;
  }
  try {
    const auto declared = reference_data::from_json(stored, j.path + " (stored reference data)");
    j.reference = std::make_shared<const reference_data>(
        detail::merged_reference(*reference_data::builtin(), declared, "reference"));
  } catch (const error& e) {
    throw journal_error(j.path, journal_fault::corrupt,
                        "the stored reference data cannot be read: " + std::string(e.what()));
  }
}

}  // namespace

journal journal::open(const std::string& path, journal_options options) {
  // The path is part of every message about the journal, and those are UTF-8 (the C interface
  // promises it), as export and backup require of theirs.
  detail::check_file_path(path);
  detail::journal_check_utf8(path, "path");
  auto j = std::make_unique<impl>();
  j->path = path;
  j->options = std::move(options);
  const auto& opts = j->options;
  int flags = opts.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (!opts.read_only && opts.create) flags |= SQLITE_OPEN_CREATE;
  if (!opts.create && !opts.read_only) {
    std::error_code ignored;
    if (!std::filesystem::exists(path, ignored)) {
      throw journal_error(path, journal_fault::io, "cannot open: no such file (create is off)");
    }
  }
  j->db = detail::open_journal_connection(path, flags);
  sqlite3* db = j->handle();
  const auto timeout = std::clamp<std::chrono::milliseconds::rep>(opts.busy_timeout.count(), 0,
                                                                  std::numeric_limits<int>::max());
  sqlite3_busy_timeout(db, static_cast<int>(timeout));

  // What the file is, before anything is written to it.
  const auto application =
      journal_pragma_integer(db, path, "PRAGMA application_id", "cannot read the journal's header");
  const auto version =
      journal_pragma_integer(db, path, "PRAGMA user_version", "cannot read the schema version");
  const auto objects = journal_pragma_integer(db, path, "SELECT count(*) FROM sqlite_master",
                                              "cannot read the journal's schema");
  const bool fresh = application == 0 && version == 0 && objects == 0;
  if (!fresh && application != journal_application_id) {
    throw journal_error(path, journal_fault::not_a_journal,
                        "not a mentorcore journal (a SQLite file of another application)");
  }
  if (fresh && opts.read_only) {
    throw journal_error(path, journal_fault::not_a_journal,
                        "not a mentorcore journal (an empty file), and it is open read-only");
  }
  if (version > journal_schema_version) {
    throw journal_error(path, journal_fault::newer_schema,
                        "written with journal schema version " + std::to_string(version) +
                            "; this mentorcore reads versions up to " +
                            std::to_string(journal_schema_version) + " (upgrade mentorcore)");
  }
  if (!opts.read_only && sqlite3_db_readonly(db, "main") == 1) {
    throw journal_error(path, journal_fault::read_only,
                        "cannot be written (the file or its directory is read-only); open it "
                        "with read_only to query it");
  }
  if (opts.read_only) {
    if (version < journal_schema_version) {
      throw journal_error(path, journal_fault::read_only,
                          "written with an older journal schema; open it once for writing to "
                          "migrate it");
    }
  } else {
    // WAL: readers never block the writer nor it them; a commit is one append to the WAL.
    {
      journal_statement mode(db, path, "PRAGMA journal_mode = WAL");
      if (!mode.step("cannot switch the journal to WAL mode") || mode.text(0) != "wal") {
        throw journal_error(path, journal_fault::io, "cannot switch the journal to WAL mode");
      }
    }
    detail::journal_exec(db, path,
                         opts.sync == journal_sync::full ? "PRAGMA synchronous = FULL"
                                                         : "PRAGMA synchronous = NORMAL",
                         "cannot set the journal's durability");
    if (version < journal_schema_version) {
      std::optional<std::string> new_reference;
      if (fresh && opts.reference) new_reference = journal_reference_text(*opts.reference);
      journal_migrate(*j, new_reference);
    }
  }
  if (opts.max_bytes > 0) {
    const auto page_size =
        journal_pragma_integer(db, path, "PRAGMA page_size", "cannot read the page size");
    const auto pages = std::max<std::uint64_t>(
        1, opts.max_bytes / static_cast<std::uint64_t>(std::max<std::int64_t>(page_size, 1)));
    const auto limit = std::min<std::uint64_t>(
        pages, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
    detail::journal_exec(db, path, "PRAGMA max_page_count = " + std::to_string(limit),
                         "cannot set the size limit");
  }
  journal_load_reference(*j);
  return journal(std::move(j));
}

journal::journal(std::unique_ptr<impl> state) : impl_(std::move(state)) {}
journal::journal(journal&&) noexcept = default;
journal& journal::operator=(journal&&) noexcept = default;
journal::~journal() = default;

const std::string& journal::path() const noexcept {
  return impl_->path;
}
const std::shared_ptr<const reference_data>& journal::reference() const noexcept {
  return impl_->reference;
}

}  // namespace mentorcore
