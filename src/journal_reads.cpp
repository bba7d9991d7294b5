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
  if (query.from) select.bind(3, std::string_view(*query.from));
  if (query.until) select.bind(4, std::string_view(*query.until));
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
