#pragma once
// What the journal's source files share (src/journal.cpp opens a journal and keeps its schema,
// src/journal_writes.cpp appends and imports, src/journal_reads.cpp reads, exports and backs
// up): the state of an open journal, its transactions, and the helpers both sides use.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <sqlite3.h>

#include "journal_sqlite.hpp"
#include "mentorcore/detail/redact.hpp"
#include "mentorcore/detail/text.hpp"
#include "mentorcore/journal.hpp"

namespace mentorcore::detail {

/// The stored names of the audit actions, indexed by audit_action.
inline constexpr std::array<std::string_view, 5> journal_audit_action_names = {
    "read_course", "read_course_as_of", "read_courses", "export_log", "read_cohort"};

// How many replayed courses a journal keeps between appends. A case system appends to the
// course it works on again and again; the bound keeps memory small for one that touches many.
inline constexpr std::size_t journal_cache_limit = 256;

// The application_id in a mentorcore journal's header ("MCJ1"), so that a journal is recognised
// as one and another application's SQLite file is refused rather than written into.
inline constexpr std::int64_t journal_application_id = 0x4D434A31;

// The current UTC time as ISO 8601 with milliseconds ("2026-11-30T09:15:02.123Z").
std::string journal_utc_now();

// An integer a PRAGMA or a query returns (0 when it returns no row).
std::int64_t journal_pragma_integer(sqlite3* db, const std::string& file, std::string_view sql,
                                    std::string_view doing);

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
                                  std::string_view id);

// Refuses a read without an actor or a purpose, or with a purpose longer than a text may be or
// not UTF-8.
void journal_check_access(const journal_access& who);

// Throws invalid_value_error naming `field` if `text` is not valid UTF-8 (what the journal stores
// and the audit trail hands out as JSON must be).
void journal_check_utf8(std::string_view text, std::string_view field);

// Throws invalid_value_error naming `field` if `target` is the journal at `journal_path` or one
// of its -wal, -shm or -journal files (the same file, by any path): an export or a backup there
// would overwrite the journal.
void journal_refuse_own_file(const std::string& journal_path, const std::string& target,
                             std::string_view field);

// Course ids one per line, as the audit table stores them.
std::string journal_join_ids(std::span<const course_id> ids);

// What `reference` adds to the built-in set, as stored in the journal ("" for nothing).
std::string journal_reference_text(const reference_data& reference);

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

}  // namespace mentorcore::detail

namespace mentorcore {

struct journal::impl : detail::journal_state {};

}  // namespace mentorcore
