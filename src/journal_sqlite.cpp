#include "journal_sqlite.hpp"

#include <limits>
#include <string>
#include <string_view>
#include <system_error>

#include "file_path.hpp"

namespace mentorcore::detail {

journal_fault journal_fault_of_sqlite(int code) noexcept {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return journal_fault::busy;
    case SQLITE_FULL: return journal_fault::full;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH: return journal_fault::read_only;
    case SQLITE_CORRUPT: return journal_fault::corrupt;
    case SQLITE_NOTADB: return journal_fault::not_a_journal;
    default: return journal_fault::io;
  }
}

journal_error journal_sqlite_error(const std::string& file, sqlite3* db, int code,
                                   std::string_view doing) {
  std::string message(doing);
  message += ": ";
  // sqlite3_errmsg describes the connection's last error, which is this one when there is a
  // connection; without one, the code's own text.
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  const int primary = code & 0xff;
  if (db != nullptr && (primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR)) {
    // The operating system's reason (ENOENT, EACCES, ENOSPC, ...), which SQLite's text lacks.
    if (const int system = sqlite3_system_errno(db); system != 0)
      message += " (" + std::generic_category().message(system) + ")";
  }
  switch (journal_fault_of_sqlite(code)) {
    case journal_fault::busy:
      message += " (another connection holds the journal's write lock; the busy timeout passed)";
      break;
    case journal_fault::not_a_journal: message += " (not a mentorcore journal)"; break;
    default: break;
  }
  return {file, journal_fault_of_sqlite(code), message};
}

void throw_journal_sqlite_error(const std::string& file, sqlite3* db, int code,
                                std::string_view doing) {
  throw journal_sqlite_error(file, db, code, doing);
}

journal_connection open_journal_connection(const std::string& file, int flags) {
  check_file_path(file);
  sqlite3* raw = nullptr;
  const int code = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  journal_connection db(raw);
  if (code != SQLITE_OK) throw_journal_sqlite_error(file, db.get(), code, "cannot open");
  sqlite3_extended_result_codes(db.get(), 1);
  return db;
}

void journal_exec(sqlite3* db, const std::string& file, const std::string& sql,
                  std::string_view doing) {
  const int code = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  if (code != SQLITE_OK) throw_journal_sqlite_error(file, db, code, doing);
}

journal_statement::journal_statement(sqlite3* db, const std::string& file, std::string_view sql)
    : db_(db), file_(&file) {
  const int code =
      sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &statement_, nullptr);
  if (code != SQLITE_OK) throw_journal_sqlite_error(file, db, code, "cannot read the journal");
}

journal_statement::~journal_statement() {
  sqlite3_finalize(statement_);
}

journal_statement& journal_statement::bind(int index, std::string_view text) {
  if (text.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw invalid_value_error("text", "[not shown]", "longer than the journal can store");
  // Static (a null destructor): the caller keeps the text alive until the statement is reset.
  const int code =
      sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), nullptr);
  if (code != SQLITE_OK) throw_journal_sqlite_error(*file_, db_, code, "cannot bind a value");
  return *this;
}

journal_statement& journal_statement::bind(int index, std::int64_t value) {
  const int code = sqlite3_bind_int64(statement_, index, value);
  if (code != SQLITE_OK) throw_journal_sqlite_error(*file_, db_, code, "cannot bind a value");
  return *this;
}

bool journal_statement::step(std::string_view doing) {
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  auto failure = journal_sqlite_error(*file_, db_, code, doing);
  sqlite3_reset(statement_);
  throw failure;
}

void journal_statement::run(std::string_view doing) {
  while (step(doing)) {
  }
  reset();
}

void journal_statement::reset() noexcept {
  sqlite3_reset(statement_);
}

std::string_view journal_statement::text(int column) const noexcept {
  // sqlite3_column_blob gives the bytes of a text value too; a null value gives no bytes.
  const void* bytes = sqlite3_column_blob(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  if (bytes == nullptr || size <= 0) return {};
  return {static_cast<const char*>(bytes), static_cast<std::size_t>(size)};
}

std::int64_t journal_statement::integer(int column) const noexcept {
  return sqlite3_column_int64(statement_, column);
}

bool journal_statement::is_null(int column) const noexcept {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

}  // namespace mentorcore::detail
