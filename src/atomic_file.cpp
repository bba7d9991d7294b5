#include "atomic_file.hpp"

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <random>
#include <system_error>
#include <utility>

#include "file_path.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore::detail {

namespace {

// A temporary name that no other writer in this or another process is using: 64 bits from a
// per-process random start and a counter. Creation is exclusive, so a clash is retried, not
// shared.
std::string temporary_name(const std::string& path) {
  static std::atomic<std::uint64_t> next{[] {
    std::random_device device;
    return (std::uint64_t{device()} << 32U) ^ device();
  }()};
  std::uint64_t z = next.fetch_add(0x9E3779B97F4A7C15ULL) + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;  // splitmix64, so names differ in every digit
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  z ^= z >> 31U;
  static constexpr std::array<char, 16> hex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                               '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string name = path + '.';
  for (int shift = 60; shift >= 0; shift -= 4)
    name += hex[(z >> static_cast<unsigned>(shift)) & 15U];
  return name + ".partial";
}

}  // namespace

atomic_file::atomic_file(std::string path) : path_(std::move(path)) {
  check_file_path(path_);
  // A directory cannot be replaced by a file: refused now, before anything is written or
  // recorded (the rename at the end would fail after the work, and after a journal's audit).
  std::error_code ignored;
  if (path_.back() == '/' || std::filesystem::is_directory(path_, ignored))
    throw atomic_file_error("cannot write " + path_ + ": is a directory", "is a directory");
  for (int attempt = 0; attempt < 100; ++attempt) {
    temporary_ = temporary_name(path_);
    errno = 0;
    // "x": create, and fail if the name exists (C11), with the usual permissions (0666 less the
    // umask), as the target would get if written directly.
    file_ = std::fopen(temporary_.c_str(), "wbx");
    if (file_) {
      owns_temporary_ = true;
      return;
    }
    if (errno != EEXIST) break;
  }
  const int code = errno;
  const std::string reason = code != 0 ? std::error_code(code, std::generic_category()).message()
                                       : "the temporary file cannot be created";
  throw atomic_file_error("cannot write " + path_ + (code != 0 ? ": " + reason : ""), reason);
}

atomic_file::~atomic_file() {
  discard();
}

void atomic_file::write(std::string_view bytes) {
  if (!file_) throw atomic_file_error("writing " + path_ + " failed", "the write failed");
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    throw atomic_file_error("writing " + path_ + " failed", "the write failed");
}

void atomic_file::finish() {
  if (!owns_temporary_) throw atomic_file_error("writing " + path_ + " failed", "the write failed");
  if (!file_) return;  // finished before
  gsl::owner<std::FILE*> file = file_;
  file_ = nullptr;
  if (std::fclose(file) != 0) {
    discard();
    throw atomic_file_error("writing " + path_ + " failed", "the write failed");
  }
}

void atomic_file::commit() {
  finish();
  std::error_code failed;
  std::filesystem::rename(temporary_, path_, failed);
  if (failed) {
    discard();
    throw atomic_file_error("cannot write " + path_ + ": " + failed.message(), failed.message());
  }
  owns_temporary_ = false;  // it is the file at path_ now
}

void atomic_file::discard() noexcept {
  if (file_) {
    gsl::owner<std::FILE*> file = file_;
    file_ = nullptr;
    std::fclose(file);  // the write failed or was abandoned: nothing to report a close error to
  }
  if (!std::exchange(owns_temporary_, false)) return;
  std::error_code ignored;
  std::filesystem::remove(temporary_, ignored);
}

void write_file_atomically(const std::string& path, std::string_view bytes) {
  atomic_file file(path);
  file.write(bytes);
  file.commit();
}

}  // namespace mentorcore::detail
