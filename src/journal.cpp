// The journal: courses in one SQLite file (docs/embedding.md). Each event is stored as its
// event-log line, exactly as event_to_json writes it, so an export is the stored lines behind
// the header and a stored course reads back through the event-log reader, with the same
// validation as everywhere else.

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
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <sqlite3.h>

#include "atomic_file.hpp"
#include "gzip.hpp"
#include "journal_sqlite.hpp"
#include "log_header.hpp"
#include "log_lines.hpp"
#include "log_reader.hpp"
#include "mentorcore/detail/redact.hpp"
#include "mentorcore/detail/text.hpp"

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

namespace {

constexpr std::array<std::string_view, 5> journal_audit_action_names = {
    "read_course", "read_course_as_of", "read_courses", "export_log", "read_cohort"};

}  // namespace

std::string_view to_string(audit_action action) noexcept {
  const auto index = static_cast<std::size_t>(action);
  return index < journal_audit_action_names.size() ? journal_audit_action_names[index] : "unknown";
}

namespace {

using detail::journal_statement;

// The application_id in a mentorcore journal's header ("MCJ1"), so that a journal is recognised
// as one and another application's SQLite file is refused rather than written into.
constexpr std::int64_t journal_application_id = 0x4D434A31;

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

// How many replayed courses a journal keeps between appends. A case system appends to the
// course it works on again and again; the bound keeps memory small for one that touches many.
constexpr std::size_t journal_cache_limit = 256;

// The current UTC time as ISO 8601 with milliseconds ("2026-11-30T09:15:02.123Z").
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

// A transaction that rolls back unless committed: an exception anywhere inside leaves the
// journal as it was.
class journal_transaction {
 public:
  // write: BEGIN IMMEDIATE, which takes the write lock now (waiting up to the busy timeout), so
  // that what is read inside is what the writes build on.
  journal_transaction(sqlite3* db, const std::string& file, bool write) : db_(db), file_(file) {
    detail::journal_exec(db, file, write ? "BEGIN IMMEDIATE" : "BEGIN",
                         write ? "cannot start writing" : "cannot start reading");
  }
  journal_transaction(const journal_transaction&) = delete;
  journal_transaction& operator=(const journal_transaction&) = delete;
  journal_transaction(journal_transaction&&) = delete;
  journal_transaction& operator=(journal_transaction&&) = delete;
  ~journal_transaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void commit() {
    detail::journal_exec(db_, file_, "COMMIT", "cannot commit");
    open_ = false;
  }

 private:
  sqlite3* db_;
  const std::string& file_;
  bool open_ = true;
};

// A course's stored lines replayed through the event-log reader, with the journal's reference
// data. A stored course that no longer reads back is a damaged journal.
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
}

std::string journal_join_ids(std::span<const course_id> ids) {
  std::string joined;
  for (const auto& id : ids) {
    if (!joined.empty()) joined += '\n';
    joined += id.str();
  }
  return joined;
}

}  // namespace

namespace detail {

// A course as stored, with its row in the courses table.
struct journal_cached_course {
  std::int64_t seq = 0;
  mentorcore::course course;
};

// Everything an open journal holds (journal::impl is this; the helpers below take it by this
// name, as journal::impl is private).
struct journal_state {
  std::string path;
  journal_options options;
  std::shared_ptr<const reference_data> reference;
  detail::journal_connection db;
  std::unordered_map<std::string, journal_cached_course> cache;

  [[nodiscard]] sqlite3* handle() const noexcept { return db.get(); }

  void refuse_if_read_only(std::string_view what) const {
    if (options.read_only) {
      throw journal_error(path, journal_fault::read_only,
                          std::string(what) + ": the journal is open read-only");
    }
  }

  // The stored course's sequence number and event count, if it is stored.
  [[nodiscard]] std::optional<std::pair<std::int64_t, std::size_t>> stored(
      const course_id& id) const {
    journal_statement find(handle(), path,
                           "SELECT seq, (SELECT count(*) FROM events WHERE course = seq) "
                           "FROM courses WHERE id = ?1");
    find.bind(1, std::string_view(id.str()));
    if (!find.step("cannot read the journal")) return std::nullopt;
    return std::pair{find.integer(0), static_cast<std::size_t>(find.integer(1))};
  }

  // Course `seq`'s stored lines, each followed by a newline.
  [[nodiscard]] std::string lines_of(std::int64_t seq) const {
    journal_statement lines(handle(), path,
                            "SELECT line FROM events WHERE course = ?1 ORDER BY position");
    lines.bind(1, seq);
    std::string text;
    while (lines.step("cannot read the journal")) {
      text += lines.text(0);
      text += '\n';
    }
    return text;
  }

  // The stored course `id` (from the cache when it still matches what is stored), taken out of
  // the cache; unknown_course if it is not stored. Call inside a transaction.
  journal_cached_course take(const course_id& id) {
    const auto found = stored(id);
    if (!found) {
      throw journal_error(path, journal_fault::unknown_course,
                          "course " + id.str() + " is not in the journal");
    }
    const auto [seq, count] = *found;
    if (const auto cached = cache.find(id.str()); cached != cache.end()) {
      // Stored events are never changed or removed, so the same count is the same history.
      auto entry = std::move(cached->second);
      cache.erase(cached);
      if (entry.seq == seq && entry.course.events().size() == count) return entry;
    }
    return {seq, journal_replay(path, lines_of(seq), reference, id.str())};
  }

  void keep(const course_id& id, journal_cached_course entry) {
    if (cache.size() >= journal_cache_limit) cache.clear();
    cache.insert_or_assign(id.str(), std::move(entry));
  }

  void write_audit(audit_action action, const journal_access& who,
                   std::span<const course_id> courses, const std::string& scope) const {
    journal_statement insert(handle(), path,
                             "INSERT INTO audit (at, actor, action, purpose, courses, scope) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    const std::string at = journal_utc_now();
    const std::string ids = journal_join_ids(courses);
    // The purpose is the caller's free text and the scope may hold a file name: both pass the
    // rule every stored text passes, so no CPR number reaches the file (docs/embedding.md).
    std::string purpose = who.purpose;
    detail::accept_free_text(purpose, "purpose");
    const std::string actor = detail::redact_personal_numbers(who.actor.str());
    const std::string stored_scope = detail::redact_personal_numbers(scope);
    insert.bind(1, std::string_view(at))
        .bind(2, std::string_view(actor))
        .bind(3, to_string(action))
        .bind(4, std::string_view(purpose))
        .bind(5, std::string_view(ids))
        .bind(6, std::string_view(stored_scope));
    insert.run("cannot record the read in the audit trail");
  }

  // Checks who reads, and that the read can be recorded.
  void before_read(const journal_access& who) const {
    journal_check_access(who);
    if (options.read_only) {
      throw journal_error(path, journal_fault::read_only,
                          "cannot read courses: every read is recorded in the audit trail, "
                          "which a journal open read-only cannot write");
    }
  }
};

}  // namespace detail

struct journal::impl : detail::journal_state {};

namespace {

using detail::journal_cached_course;
using detail::journal_state;

// The courses one write transaction touches: working copies of the stored ones, validated and
// inserted event by event. Dropped on failure (the transaction rolls back), handed to the
// cache on commit.
class journal_writer {
 public:
  explicit journal_writer(journal_state& journal) : journal_(journal) {}

  std::size_t add(const course_id& id, event e) {
    if (const auto* order = get_if<course_ordered>(&e.data)) {
      if (order->course != id) {
        throw invalid_value_error(
            "course", order->course.str(),
            "the order's course is not " + id.str() + ", the course it is appended to");
      }
      if (touched_.contains(id.str()) || journal_.stored(id)) {
        throw journal_error(journal_.path, journal_fault::duplicate,
                            "course " + id.str() + " is already in the journal");
      }
      mentorcore::course started(std::move(e), journal_.reference);
      journal_statement insert(journal_.handle(), journal_.path,
                               "INSERT INTO courses (id, citizen, ordered_on) VALUES (?1, ?2, ?3)");
      const std::string ordered_on = to_iso(started.ordered_on());
      insert.bind(1, std::string_view(id.str()))
          .bind(2, std::string_view(started.citizen().str()))
          .bind(3, std::string_view(ordered_on));
      insert.run("cannot store the course");
      const std::int64_t seq = sqlite3_last_insert_rowid(journal_.handle());
      auto& entry =
          touched_.insert_or_assign(id.str(), journal_cached_course{seq, std::move(started)})
              .first->second;
      order_.push_back(id);
      store_last(entry, id);
      return 0;
    }
    auto at = touched_.find(id.str());
    if (at == touched_.end()) {
      at = touched_.emplace(id.str(), journal_.take(id)).first;
      order_.push_back(id);
    }
    at->second.course.append(std::move(e));
    store_last(at->second, id);
    return at->second.course.events().size() - 1;
  }

  // After commit: the courses as stored, for the next append.
  void keep_all() {
    for (const auto& id : order_) {
      if (auto at = touched_.find(id.str()); at != touched_.end()) {
        journal_.keep(id, std::move(at->second));
        touched_.erase(at);
      }
    }
  }

 private:
  void store_last(const journal_cached_course& entry, const course_id& id) {
    const auto& events = entry.course.events();
    const event& last = events.back();
    const std::string line = event_to_json(id, last);
    if (line.size() > max_event_line_bytes) {
      throw invalid_value_error("course", id.str(),
                                "the event would be a line longer than an event log allows");
    }
    const std::string day = to_iso(last.date);
    const auto position = static_cast<std::int64_t>(events.size() - 1);
    journal_statement insert(
        journal_.handle(), journal_.path,
        "INSERT INTO events (course, position, date, type, line) VALUES (?1, ?2, ?3, ?4, ?5)");
    insert.bind(1, entry.seq)
        .bind(2, position)
        .bind(3, std::string_view(day))
        .bind(4, last.type())
        .bind(5, std::string_view(line));
    insert.run("cannot store the event");
  }

  journal_state& journal_;
  std::unordered_map<std::string, journal_cached_course> touched_;
  std::vector<course_id> order_;
};

// Thrown through the event-log reader (which turns every mentorcore::error into a parse_error
// naming the line) to carry a journal_error out unchanged.
struct journal_line_fault : std::exception {
  [[nodiscard]] const char* what() const noexcept override { return "journal fault"; }
};

// append_lines' sink: each event read goes straight to the write transaction.
class journal_line_sink final : public detail::log_course_sink {
 public:
  explicit journal_line_sink(journal_writer& writer) : writer_(writer) {}

  void add(std::string_view id, event&& e,
           const std::shared_ptr<const reference_data>& /*reference*/) override {
    try {
      writer_.add(course_id(std::string(id)), std::move(e));
      ++stored_;
    } catch (const journal_error& fault) {
      fault_.emplace(fault);
      throw journal_line_fault{};
    }
  }
  void line_read(std::size_t /*line*/,
                 const detail::collect_course_attribution& /*failed*/) override {}

  [[nodiscard]] std::size_t stored() const noexcept { return stored_; }
  [[nodiscard]] const std::optional<journal_error>& fault() const noexcept { return fault_; }

 private:
  journal_writer& writer_;
  std::size_t stored_ = 0;
  std::optional<journal_error> fault_;
};

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

// What `reference` adds to the built-in set, as stored in the journal ("" for nothing).
std::string journal_reference_text(const reference_data& reference) {
  const auto extra = detail::reference_beyond_builtin(reference);
  if (extra.entries().empty() && extra.instruments().empty()) return {};
  return extra.to_json();
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

std::size_t journal::append(const course_id& course, event e) {
  impl_->refuse_if_read_only("cannot append");
  journal_transaction transaction(impl_->handle(), impl_->path, true);
  journal_writer writer(*impl_);
  const std::size_t position = writer.add(course, std::move(e));
  transaction.commit();
  writer.keep_all();
  return position;
}

void journal::append_many(std::span<const journal_event> events) {
  impl_->refuse_if_read_only("cannot append");
  if (events.empty()) return;
  journal_transaction transaction(impl_->handle(), impl_->path, true);
  journal_writer writer(*impl_);
  for (const auto& item : events) writer.add(item.course, item.event);
  transaction.commit();
  writer.keep_all();
}

std::size_t journal::append_lines(std::string_view lines, std::string_view source) {
  impl_->refuse_if_read_only("cannot append");
  read_options options;
  options.reference = impl_->reference;
  options.pseudonyms = impl_->options.pseudonyms;
  read_result ignored;
  detail::log_line_source text(lines, std::string(source), options.max_line_bytes);
  journal_transaction transaction(impl_->handle(), impl_->path, true);
  journal_writer writer(*impl_);
  journal_line_sink sink(writer);
  try {
    // Not at the start of a log: a header line is refused, the journal's reference data used.
    (void)detail::read_log_lines(text, source, options, sink, ignored,
                                 detail::log_part_start{false, impl_->reference});
  } catch (const journal_line_fault&) {
    // The same fault, its message ("<file>: <cause>") with the line in front of the cause.
    const auto& fault = *sink.fault();
    std::string cause = fault.what();
    const std::string prefix = fault.file() + ": ";
    if (cause.rfind(prefix, 0) == 0) cause.erase(0, prefix.size());
    throw journal_error(impl_->path, fault.fault(),
                        std::string(source) + ":" + std::to_string(text.line()) + ": " + cause);
  }
  transaction.commit();
  writer.keep_all();
  return sink.stored();
}

journal_import_result journal::import_log(const std::string& path) {
  impl_->refuse_if_read_only("cannot import");
  read_options options;
  options.reference = impl_->reference;
  options.pseudonyms = impl_->options.pseudonyms;
  auto read = read_events_file(path, options);
  // A header may declare reference data; the courses must need nothing the journal lacks.
  const std::string own = journal_reference_text(*impl_->reference);
  std::vector<const reference_data*> checked = {impl_->reference.get()};
  for (const auto& c : read.courses) {
    if (std::find(checked.begin(), checked.end(), &c.reference()) != checked.end()) continue;
    if (journal_reference_text(c.reference()) != own) {
      throw journal_error(impl_->path, journal_fault::reference_data,
                          "cannot import " + path +
                              ": its header declares reference data the journal does not have");
    }
    checked.push_back(&c.reference());
  }
  journal_transaction transaction(impl_->handle(), impl_->path, true);
  journal_import_result result;
  journal_statement insert_course(
      impl_->handle(), impl_->path,
      "INSERT INTO courses (id, citizen, ordered_on) VALUES (?1, ?2, ?3)");
  journal_statement insert_event(
      impl_->handle(), impl_->path,
      "INSERT INTO events (course, position, date, type, line) VALUES (?1, ?2, ?3, ?4, ?5)");
  for (const auto& c : read.courses) {
    if (impl_->stored(c.id())) {
      throw journal_error(
          impl_->path, journal_fault::duplicate,
          "cannot import " + path + ": course " + c.id().str() + " is already in the journal");
    }
    const std::string ordered_on = to_iso(c.ordered_on());
    insert_course.bind(1, std::string_view(c.id().str()))
        .bind(2, std::string_view(c.citizen().str()))
        .bind(3, std::string_view(ordered_on));
    insert_course.run("cannot store the course");
    const std::int64_t seq = sqlite3_last_insert_rowid(impl_->handle());
    std::int64_t position = 0;
    for (const auto& e : c.events()) {
      const std::string line = event_to_json(c.id(), e);
      const std::string day = to_iso(e.date);
      insert_event.bind(1, seq)
          .bind(2, position++)
          .bind(3, std::string_view(day))
          .bind(4, e.type())
          .bind(5, std::string_view(line));
      insert_event.run("cannot store the event");
    }
    result.events += c.events().size();
    ++result.courses;
  }
  transaction.commit();
  result.redacted_texts = read.redacted_texts;
  return result;
}

mentorcore::course journal::course(const course_id& id, const journal_access& who) {
  impl_->before_read(who);
  journal_transaction transaction(impl_->handle(), impl_->path, true);
  auto entry = impl_->take(id);
  const std::array<course_id, 1> ids = {id};
  impl_->write_audit(audit_action::read_course, who, ids, "");
  transaction.commit();
  mentorcore::course result = entry.course;
  impl_->keep(id, std::move(entry));
  return result;
}

mentorcore::course journal::course_as_of(const course_id& id, const date& day,
                                         const journal_access& who) {
  impl_->before_read(who);
  journal_transaction transaction(impl_->handle(), impl_->path, true);
  auto entry = impl_->take(id);
  mentorcore::course result = entry.course.as_of(day);
  const std::array<course_id, 1> ids = {id};
  impl_->write_audit(audit_action::read_course_as_of, who, ids, to_iso(day));
  transaction.commit();
  impl_->keep(id, std::move(entry));
  return result;
}

std::vector<course_id> journal::course_ids() const {
  journal_statement list(impl_->handle(), impl_->path, "SELECT id FROM courses ORDER BY seq");
  std::vector<course_id> ids;
  while (list.step("cannot read the journal")) ids.emplace_back(std::string(list.text(0)));
  return ids;
}

bool journal::contains(const course_id& id) const {
  return impl_->stored(id).has_value();
}

std::size_t journal::event_count(const course_id& id) const {
  const auto found = impl_->stored(id);
  return found ? found->second : 0;
}

std::vector<audit_entry> journal::audit(const audit_query& query) const {
  journal_statement select(impl_->handle(), impl_->path,
                           "SELECT sequence, at, actor, action, purpose, courses, scope FROM audit "
                           "WHERE (?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR action = ?2) "
                           "AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at < ?4) "
                           "ORDER BY sequence");
  if (query.actor) select.bind(1, std::string_view(query.actor->str()));
  if (query.action) select.bind(2, to_string(*query.action));
  if (query.from) select.bind(3, std::string_view(*query.from));
  if (query.until) select.bind(4, std::string_view(*query.until));
  std::vector<audit_entry> entries;
  while (select.step("cannot read the audit trail")) {
    audit_entry entry;
    entry.sequence = select.integer(0);
    entry.at = select.text(1);
    entry.actor = staff_id(std::string(select.text(2)), "actor");
    const auto action = select.text(3);
    const auto* const named =
        std::find(journal_audit_action_names.begin(), journal_audit_action_names.end(), action);
    if (named == journal_audit_action_names.end()) {
      throw journal_error(
          impl_->path, journal_fault::corrupt,
          "audit entry " + std::to_string(entry.sequence) + " has an unknown action");
    }
    entry.action =
        static_cast<audit_action>(std::distance(journal_audit_action_names.begin(), named));
    entry.purpose = select.text(4);
    std::string_view courses = select.text(5);
    while (!courses.empty()) {
      const auto end = courses.find('\n');
      entry.courses.emplace_back(std::string(courses.substr(0, end)));
      courses = end == std::string_view::npos ? std::string_view() : courses.substr(end + 1);
    }
    entry.scope = select.text(6);
    if (query.course && !entry.courses.empty() &&
        std::find(entry.courses.begin(), entry.courses.end(), *query.course) == entry.courses.end())
      continue;
    entries.push_back(std::move(entry));
  }
  return entries;
}

// ---- the stream of every course ------------------------------------------------------------

struct journal_course_stream::state {
  std::string path;
  std::shared_ptr<const reference_data> reference;
  // A connection of its own, holding a read transaction: the stream sees the journal as it
  // was when made, and the journal stays free for appends meanwhile. Declared before the
  // statement, so that the statement is finalised first.
  detail::journal_connection db;
  std::unique_ptr<journal_statement> rows;
  bool has_row = false;
  bool ended = false;
};

journal_course_stream::journal_course_stream(std::unique_ptr<state> s) : state_(std::move(s)) {}
journal_course_stream::journal_course_stream(journal_course_stream&&) noexcept = default;
journal_course_stream& journal_course_stream::operator=(journal_course_stream&&) noexcept = default;
journal_course_stream::~journal_course_stream() = default;

std::optional<course> journal_course_stream::next() {
  auto& s = *state_;
  if (s.ended) return std::nullopt;
  if (!s.has_row) {
    s.has_row = s.rows->step("cannot read the journal");
    if (!s.has_row) {
      s.ended = true;
      return std::nullopt;
    }
  }
  const std::string id(s.rows->text(0));
  std::string lines;
  while (s.has_row && s.rows->text(0) == id) {
    lines += s.rows->text(1);
    lines += '\n';
    s.has_row = s.rows->step("cannot read the journal");
  }
  if (!s.has_row) s.ended = true;
  return journal_replay(s.path, lines, s.reference, id);
}

journal_course_stream journal::stream_courses() const {
  auto s = std::make_unique<journal_course_stream::state>();
  s->path = impl_->path;
  s->reference = impl_->reference;
  s->db = detail::open_journal_connection(s->path, SQLITE_OPEN_READWRITE);
  sqlite3_busy_timeout(
      s->db.get(), static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(
                       impl_->options.busy_timeout.count(), 0, std::numeric_limits<int>::max())));
  s->rows = std::make_unique<journal_statement>(
      s->db.get(), s->path,
      "SELECT c.id, e.line FROM courses c JOIN events e ON e.course = c.seq "
      "ORDER BY c.seq, e.position");
  // The first step starts the read transaction: from here on the stream sees one snapshot.
  s->has_row = s->rows->step("cannot read the journal");
  s->ended = !s->has_row;
  return journal_course_stream(std::move(s));
}

journal_course_stream journal::courses(const journal_access& who) {
  impl_->before_read(who);
  {
    journal_transaction transaction(impl_->handle(), impl_->path, true);
    impl_->write_audit(audit_action::read_courses, who, {}, "all courses");
    transaction.commit();
  }
  return stream_courses();
}

mentorcore::cohort journal::cohort(const journal_access& who) {
  impl_->before_read(who);
  {
    journal_transaction transaction(impl_->handle(), impl_->path, true);
    impl_->write_audit(audit_action::read_cohort, who, {}, "all courses");
    transaction.commit();
  }
  journal_course_stream stream = stream_courses();
  mentorcore::cohort::builder builder;
  while (auto c = stream.next()) builder.add(*c);
  return builder.finish();
}

void journal::export_log(const std::string& path, const journal_access& who,
                         std::optional<std::span<const course_id>> ids) {
  impl_->before_read(who);
  std::string text;
  {
    journal_transaction transaction(impl_->handle(), impl_->path, true);
    // The courses asked for, in journal order, each once; the first one not stored is named
    // before anything is read or written.
    std::vector<std::pair<std::int64_t, course_id>> chosen;
    if (ids) {
      for (const auto& id : *ids) {
        const auto found = impl_->stored(id);
        if (!found) {
          throw journal_error(impl_->path, journal_fault::unknown_course,
                              "cannot export course " + id.str() + ": it is not in the journal");
        }
        chosen.emplace_back(found->first, id);
      }
      std::sort(chosen.begin(), chosen.end());
      chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
    }
    std::vector<course_id> audited;
    audited.reserve(chosen.size());
    for (const auto& item : chosen) audited.push_back(item.second);
    impl_->write_audit(audit_action::export_log, who, audited,
                       detail::redact_personal_numbers(path));
    // As write_events: the header (when the reference data goes beyond the built-in set and
    // there is a course), then every course's lines in order.
    const auto append_lines_of = [&](journal_statement& rows) {
      while (rows.step("cannot read the journal")) {
        text += rows.text(0);
        text += '\n';
      }
    };
    if (ids) {
      journal_statement rows(impl_->handle(), impl_->path,
                             "SELECT line FROM events WHERE course = ?1 ORDER BY position");
      for (const auto& item : chosen) {
        rows.bind(1, item.first);
        append_lines_of(rows);
        rows.reset();
      }
    } else {
      journal_statement rows(impl_->handle(), impl_->path,
                             "SELECT e.line FROM courses c JOIN events e ON e.course = c.seq "
                             "ORDER BY c.seq, e.position");
      append_lines_of(rows);
    }
    transaction.commit();
  }
  if (!text.empty()) {
    const std::array<const reference_data*, 1> references = {impl_->reference.get()};
    const std::string header = detail::log_header_line(references);
    if (!header.empty()) text.insert(0, header + '\n');
  }
  if (path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0) text = detail::gzip(text);
  detail::write_file_atomically(path, text);
}

void journal::backup(const std::string& path) const {
  auto target = detail::open_journal_connection(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3_backup* copy = sqlite3_backup_init(target.get(), "main", impl_->handle(), "main");
  if (copy == nullptr) {
    throw journal_error(path, detail::journal_fault_of_sqlite(sqlite3_errcode(target.get())),
                        std::string("cannot back up the journal: ") + sqlite3_errmsg(target.get()));
  }
  // All pages in one step: one read transaction on the source, so the copy is one snapshot
  // whatever other processes commit meanwhile. A busy target or source is tried again for up
  // to the busy timeout.
  const auto give_up = std::chrono::steady_clock::now() + impl_->options.busy_timeout;
  int code = SQLITE_OK;
  while (true) {
    code = sqlite3_backup_step(copy, -1);
    if (code != SQLITE_BUSY && code != SQLITE_LOCKED) break;
    if (std::chrono::steady_clock::now() > give_up) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  sqlite3_backup_finish(copy);
  if (code != SQLITE_DONE) {
    target.reset();
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    throw journal_error(path, detail::journal_fault_of_sqlite(code),
                        std::string("cannot back up the journal ") +
                            detail::redact_personal_numbers(impl_->path) + ": " +
                            sqlite3_errstr(code));
  }
}

}  // namespace mentorcore
