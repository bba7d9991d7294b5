#pragma once
// Writing a whole file or nothing, for the event-log writers (write_events_file and the
// synthetic generator's streamed log) and the journal's export and backup.

#include <cstdio>
#include <string>
#include <string_view>

#include <gsl/pointers>

#include "mentorcore/error.hpp"

namespace mentorcore::detail {

/// What an atomic_file throws: an error whose message names the path, with the system's reason
/// (or what failed) apart, for callers that report it under an error of their own (the journal's
/// journal_error, io).
class atomic_file_error : public error {
 public:
  atomic_file_error(std::string_view message, std::string_view reason)
      : error(message), reason_(redact_personal_numbers(reason)) {}
  /// Why, without the path: "No such file or directory", "the write failed".
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

 private:
  std::string reason_;
};

/// A file being written at `path`. The bytes go to a temporary file beside it, which commit()
/// renames over `path` in one step (a rename within one directory), so a reader sees the old
/// file or the complete new one, never a part. A writer destroyed without commit (an error, a
/// cancellation) removes its temporary file: a failure leaves no file and no partial file, and
/// an existing file at `path` as it was.
///
/// Each writer has a temporary name of its own ("<path>.<16 hex digits>.partial", created
/// exclusively), so two writers to the same path never write into one file; the last to commit
/// wins.
class atomic_file {
 public:
  /// Creates the temporary file. Throws atomic_file_error ("cannot write <path>: <reason>") if it
  /// cannot.
  explicit atomic_file(std::string path);
  atomic_file(const atomic_file&) = delete;
  atomic_file& operator=(const atomic_file&) = delete;
  atomic_file(atomic_file&&) = delete;
  atomic_file& operator=(atomic_file&&) = delete;
  /// Removes the temporary file unless committed.
  ~atomic_file();

  /// Appends `bytes`. Throws atomic_file_error ("writing <path> failed") on failure.
  void write(std::string_view bytes);
  /// Completes the temporary file (closes it, which reports a write the system deferred) without
  /// putting it at the path yet: what can still fail after finish() is only the rename. Throws
  /// atomic_file_error on failure, and then leaves nothing behind. Optional before commit().
  void finish();
  /// Completes the file (finish(), if not done) and puts it at the path. Throws
  /// atomic_file_error on failure, and then leaves nothing behind (the writer can only be
  /// destroyed after that).
  void commit();

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  /// Where the bytes are until commit().
  [[nodiscard]] const std::string& temporary_path() const noexcept { return temporary_; }

 private:
  void discard() noexcept;

  std::string path_;
  std::string temporary_;
  gsl::owner<std::FILE*> file_ = nullptr;
  bool owns_temporary_ = false;  // the temporary file exists and is to be removed on discard
};

/// Writes `bytes` to `path` through an atomic_file: the whole file or nothing.
void write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace mentorcore::detail
