#pragma once
// Writing a whole file or nothing, for the event-log writers (write_events_file and the
// synthetic generator's streamed log).

#include <cstdio>
#include <string>
#include <string_view>

#include <gsl/pointers>

namespace mentorcore::detail {

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
  /// Creates the temporary file. Throws error ("cannot write <path>: <reason>") if it cannot.
  explicit atomic_file(std::string path);
  atomic_file(const atomic_file&) = delete;
  atomic_file& operator=(const atomic_file&) = delete;
  atomic_file(atomic_file&&) = delete;
  atomic_file& operator=(atomic_file&&) = delete;
  /// Removes the temporary file unless committed.
  ~atomic_file();

  /// Appends `bytes`. Throws error ("writing <path> failed") on failure.
  void write(std::string_view bytes);
  /// Completes the file and puts it at the path. Throws error on failure, and then leaves
  /// nothing behind (the writer can only be destroyed after that).
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
