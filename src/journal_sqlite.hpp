#pragma once
// The journal's thin layer over SQLite's C API: a connection and a prepared statement that free
// themselves, and the one place where SQLite's result codes become journal_error faults. Kept
// small on purpose: every SQL statement of the journal is in journal.cpp, next to its meaning.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include "mentorcore/journal.hpp"

namespace mentorcore::detail {

/// The fault a SQLite result code stands for (busy, full, read-only, corrupt, ...).
[[nodiscard]] journal_fault journal_fault_of_sqlite(int code) noexcept;

/// The journal_error for SQLite result `code` (see throw_journal_sqlite_error).
[[nodiscard]] journal_error journal_sqlite_error(const std::string& file, sqlite3* db, int code,
                                                 std::string_view doing);

/// Throws journal_error for SQLite result `code` on `db` (which may be null), naming `file`,
/// what was being done and SQLite's (and, for a failed open or I/O, the system's) reason.
[[noreturn]] void throw_journal_sqlite_error(const std::string& file, sqlite3* db, int code,
                                             std::string_view doing);

struct journal_sqlite_closer {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
/// An open connection; closing it (also after a failed open) is the deleter's job.
using journal_connection = std::unique_ptr<sqlite3, journal_sqlite_closer>;

/// Opens `file` with SQLite's open `flags`. Throws journal_error (io with the system's reason,
/// or what the result code says) if it cannot.
[[nodiscard]] journal_connection open_journal_connection(const std::string& file, int flags);

/// Runs SQL that returns no rows (several statements separated by ';' are allowed).
void journal_exec(sqlite3* db, const std::string& file, const std::string& sql,
                  std::string_view doing);

/// A prepared statement. Text bound with bind() is not copied: it must outlive the next step().
class journal_statement {
 public:
  journal_statement(sqlite3* db, const std::string& file, std::string_view sql);
  journal_statement(const journal_statement&) = delete;
  journal_statement& operator=(const journal_statement&) = delete;
  journal_statement(journal_statement&&) = delete;
  journal_statement& operator=(journal_statement&&) = delete;
  ~journal_statement();

  /// Binds parameter `index` (1-based). The text must stay valid until the statement is reset.
  journal_statement& bind(int index, std::string_view text);
  journal_statement& bind(int index, std::int64_t value);
  /// Runs the statement to its next row: true with a row, false when done. Throws journal_error
  /// naming `doing` on a failure.
  bool step(std::string_view doing);
  /// Runs a statement that returns no rows (or ignores them), then resets it.
  void run(std::string_view doing);
  /// Makes the statement ready to run again (bindings are kept until rebound).
  void reset() noexcept;

  [[nodiscard]] std::string_view text(int column) const noexcept;
  [[nodiscard]] std::int64_t integer(int column) const noexcept;
  [[nodiscard]] bool is_null(int column) const noexcept;

 private:
  sqlite3* db_;
  const std::string* file_;
  sqlite3_stmt* statement_ = nullptr;
};

}  // namespace mentorcore::detail
