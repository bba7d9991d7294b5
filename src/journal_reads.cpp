// Reading a journal (src/journal.cpp has the overview): every read and export is recorded in
// the audit trail, in the same transaction, before data is returned; the stream of every course
// reads on a connection of its own; the backup copies the file with SQLite's online backup.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include <sqlite3.h>

#include "atomic_file.hpp"
#include "gzip.hpp"
#include "journal_sqlite.hpp"
#include "journal_state.hpp"
#include "log_header.hpp"
#include "mentorcore/analytics/cohort.hpp"
#include "mentorcore/journal.hpp"

namespace mentorcore {

namespace {

using detail::journal_statement;
using detail::journal_transaction;

// Runs `write` (a step of an atomic_file at `target`) and reports its failure as the journal
// reports the file system's: journal_error (io) naming the file and the system's reason.
template <class Write>
void journal_write_target(const std::string& target, std::string_view doing, Write&& write) {
  try {
    std::forward<Write>(write)();
  } catch (const detail::atomic_file_error& e) {
    throw journal_error(target, journal_fault::io, std::string(doing) + ": " + e.reason());
  }
}

// Throws journal_error (not_a_journal) unless the existing file `target` is a mentorcore journal:
// a backup overwrites only a journal, never another file that happens to be at the path.
void journal_refuse_other_file(const std::string& target, std::chrono::milliseconds timeout) {
  auto db = detail::open_journal_connection(target, SQLITE_OPEN_READONLY);
  sqlite3_busy_timeout(db.get(), static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(
                                     timeout.count(), 0, std::numeric_limits<int>::max())));
  if (detail::journal_pragma_integer(db.get(), target, "PRAGMA application_id",
                                     "cannot back up onto it") != detail::journal_application_id) {
    throw journal_error(target, journal_fault::not_a_journal,
                        "cannot back up onto it: it is not a mentorcore journal (it is left as "
                        "it was; give a new path or a journal's)");
  }
}

}  // namespace

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
  const std::optional<std::string> from =
      query.from ? std::optional(detail::journal_audit_time(*query.from, "from")) : std::nullopt;
  const std::optional<std::string> until =
      query.until ? std::optional(detail::journal_audit_time(*query.until, "until")) : std::nullopt;
  if (from) select.bind(3, std::string_view(*from));
  if (until) select.bind(4, std::string_view(*until));
  std::vector<audit_entry> entries;
  while (select.step("cannot read the audit trail")) {
    audit_entry entry;
    entry.sequence = select.integer(0);
    entry.at = select.text(1);
    entry.actor = staff_id(std::string(select.text(2)), "actor");
    const auto action = select.text(3);
    const auto* const named = std::find(detail::journal_audit_action_names.begin(),
                                        detail::journal_audit_action_names.end(), action);
    if (named == detail::journal_audit_action_names.end()) {
      throw journal_error(
          impl_->path, journal_fault::corrupt,
          "audit entry " + std::to_string(entry.sequence) + " has an unknown action");
    }
    entry.action =
        static_cast<audit_action>(std::distance(detail::journal_audit_action_names.begin(), named));
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
  return detail::journal_replay(s.path, lines, s.reference, id);
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
  detail::journal_check_utf8(path, "path");  // it is recorded as the entry's scope
  detail::journal_refuse_own_file(impl_->path, path, "path");
  // All or nothing with the audit entry: the file is written beside `path`, completed, the entry
  // committed, and only then the file put in place. A failure before that (the file cannot be
  // written, a course does not replay, the commit fails) rolls the entry back and removes the
  // temporary file, leaving `path` as it was.
  std::optional<detail::atomic_file> out;
  journal_write_target(path, "cannot write the export", [&] { out.emplace(path); });
  std::string text;
  journal_transaction transaction(impl_->handle(), impl_->path, true);
  // The courses asked for, in journal order, each once (an id named again is not looked up
  // again); the first one not stored is named before anything is read or written.
  std::vector<std::pair<std::int64_t, course_id>> chosen;
  if (ids) {
    std::unordered_set<std::string_view> seen;
    journal_statement find(impl_->handle(), impl_->path, "SELECT seq FROM courses WHERE id = ?1");
    for (const auto& id : *ids) {
      if (!seen.insert(id.str()).second) continue;
      find.bind(1, std::string_view(id.str()));
      if (!find.step("cannot read the journal")) {
        throw journal_error(impl_->path, journal_fault::unknown_course,
                            "cannot export course " + id.str() + ": it is not in the journal");
      }
      chosen.emplace_back(find.integer(0), id);
      find.reset();
    }
    std::sort(chosen.begin(), chosen.end());
  }
  std::vector<course_id> audited;
  audited.reserve(chosen.size());
  for (const auto& item : chosen) audited.push_back(item.second);
  impl_->write_audit(audit_action::export_log, who, audited, detail::redact_personal_numbers(path));
  // As write_events: the header (when the reference data goes beyond the built-in set and
  // there is a course), then every course's lines in order. Each course is replayed first, as
  // a read is: a stored course that no longer reads back is refused (corrupt), not exported.
  const auto add_course = [&](std::string_view id, const std::string& lines) {
    (void)detail::journal_replay(impl_->path, lines, impl_->reference, id);
    text += lines;
  };
  if (ids) {
    for (const auto& item : chosen) add_course(item.second.str(), impl_->lines_of(item.first));
  } else {
    journal_statement rows(impl_->handle(), impl_->path,
                           "SELECT c.id, e.line FROM courses c JOIN events e ON e.course = c.seq "
                           "ORDER BY c.seq, e.position");
    std::string id;
    std::string lines;
    while (rows.step("cannot read the journal")) {
      if (rows.text(0) != id) {
        if (!lines.empty()) add_course(id, lines);
        id = rows.text(0);
        lines.clear();
      }
      lines += rows.text(1);
      lines += '\n';
    }
    if (!lines.empty()) add_course(id, lines);
  }
  if (!text.empty()) {
    const std::array<const reference_data*, 1> references = {impl_->reference.get()};
    const std::string header = detail::log_header_line(references);
    if (!header.empty()) text.insert(0, header + '\n');
  }
  if (path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0) text = detail::gzip(text);
  journal_write_target(path, "cannot write the export", [&] {
    out->write(text);
    out->finish();
  });
  transaction.commit();
  // Only the rename is left, which within one directory does not fail short of the directory
  // itself going away; if it does, the committed entry records an export that was attempted.
  journal_write_target(path, "cannot write the export", [&] { out->commit(); });
}

namespace {

// Copies the journal `source` (named `source_path`) into the SQLite file `file`, which messages
// name `target`, with SQLite's online backup: all pages in one step, as one transaction on the
// copy, so a failure leaves the copy as it was.
void journal_copy(sqlite3* source, const std::string& source_path, const std::string& file,
                  const std::string& target, std::chrono::milliseconds timeout) {
  auto copy_db = detail::open_journal_connection(file, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3_backup* copy = sqlite3_backup_init(copy_db.get(), "main", source, "main");
  if (copy == nullptr) {
    throw journal_error(
        target, detail::journal_fault_of_sqlite(sqlite3_errcode(copy_db.get())),
        std::string("cannot back up the journal: ") + sqlite3_errmsg(copy_db.get()));
  }
  // All pages in one step: one read transaction on the source, so the copy is one snapshot
  // whatever other processes commit meanwhile. A busy target or source is tried again for up
  // to the busy timeout.
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  int code = SQLITE_OK;
  while (true) {
    code = sqlite3_backup_step(copy, -1);
    if (code != SQLITE_BUSY && code != SQLITE_LOCKED) break;
    if (std::chrono::steady_clock::now() > give_up) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  sqlite3_backup_finish(copy);
  if (code != SQLITE_DONE) {
    throw journal_error(target, detail::journal_fault_of_sqlite(code),
                        std::string("cannot back up the journal ") +
                            detail::redact_personal_numbers(source_path) + ": " +
                            sqlite3_errstr(code));
  }
}

}  // namespace

void journal::backup(const std::string& path) const {
  detail::journal_refuse_own_file(impl_->path, path, "path");
  const auto timeout = impl_->options.busy_timeout;
  std::error_code failed;
  if (std::filesystem::exists(path, failed)) {
    // An existing journal is overwritten through SQLite, which takes its write lock and rolls
    // back on failure; any other file is refused and left alone.
    journal_refuse_other_file(path, timeout);
    journal_copy(impl_->handle(), impl_->path, path, path, timeout);
    return;
  }
  // A new file: copied into a temporary beside `path` and put in place when complete, so that a
  // failure leaves nothing at `path` (and removes nothing that was there).
  std::optional<detail::atomic_file> out;
  journal_write_target(path, "cannot write the backup", [&] { out.emplace(path); });
  journal_copy(impl_->handle(), impl_->path, out->temporary_path(), path, timeout);
  journal_write_target(path, "cannot write the backup", [&] { out->commit(); });
}

}  // namespace mentorcore
