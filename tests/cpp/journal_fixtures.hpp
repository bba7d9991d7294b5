#pragma once
// Shared by the journal tests and the crash writer: a scratch directory, a journal's events, and
// direct SQLite access for what the API must refuse or cannot see.

#include <sqlite3.h>

#include <filesystem>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <system_error>

#include "fixtures.hpp"
#include "mentorcore/journal.hpp"

namespace fixtures {

// A directory of its own under the system's temporary directory, removed afterwards.
struct journal_directory {
  std::filesystem::path path;
  journal_directory() {
    // Letters, not digits: error messages redact runs of digits that could be a CPR number.
    std::random_device device;
    std::string tag;
    for (auto bits = device(); bits != 0; bits >>= 4U) tag += static_cast<char>('a' + (bits & 15U));
    path = std::filesystem::temp_directory_path() / ("mentorcore-journal-" + tag);
    std::filesystem::create_directories(path);
  }
  journal_directory(const journal_directory&) = delete;
  journal_directory& operator=(const journal_directory&) = delete;
  ~journal_directory() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  [[nodiscard]] std::string file(const std::string& name) const { return (path / name).string(); }
};

// The journal fault a call throws, or nothing.
template <class F>
std::optional<mentorcore::journal_fault> journal_fault_of(F&& call) {
  try {
    call();
  } catch (const mentorcore::journal_error& e) {
    return e.fault();
  }
  return std::nullopt;
}

inline mentorcore::journal_access reader_access() {
  return {mentorcore::staff_id("cw-17"), "handover to new mentor"};
}

// A plain SQLite connection, to do what the journal's API does not allow.
class raw_sqlite {
 public:
  explicit raw_sqlite(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("cannot open");
    sqlite3_busy_timeout(db_, 5000);
  }
  raw_sqlite(const raw_sqlite&) = delete;
  raw_sqlite& operator=(const raw_sqlite&) = delete;
  ~raw_sqlite() { sqlite3_close(db_); }
  // The result code of running `sql`; `message` gets SQLite's text on failure.
  int exec(const std::string& sql, std::string* message = nullptr) {
    const int code = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
    if (message != nullptr) *message = code == SQLITE_OK ? "" : sqlite3_errmsg(db_);
    return code;
  }
  // The first column of the first row of `sql`, as text.
  std::string text(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
      throw std::runtime_error(sqlite3_errmsg(db_));
    std::string result;
    if (sqlite3_step(statement) == SQLITE_ROW) {
      const auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement, 0));
      result.assign(bytes == nullptr ? "" : bytes,
                    static_cast<std::size_t>(sqlite3_column_bytes(statement, 0)));
    }
    sqlite3_finalize(statement);
    return result;
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace fixtures
