// The atomic-file writer behind write_events_file and write_synthetic_event_log (src/, private).
#include "atomic_file.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "files.hpp"
#include "mentorcore/error.hpp"

using mentorcore::detail::atomic_file;
using mentorcore::detail::write_file_atomically;
namespace fs = std::filesystem;

namespace {

// A fresh, empty directory of its own for one test case, removed afterwards; random, as the same
// tests may run at once from several build trees.
struct scratch_directory {
  fs::path path;
  explicit scratch_directory(const std::string& name) {
    // Letters, not digits: error messages redact runs of digits that could be a CPR number.
    std::random_device device;
    std::string tag;
    for (int i = 0; i < 4; ++i) {
      for (auto bits = device(); bits != 0; bits >>= 4U)
        tag += static_cast<char>('a' + (bits & 15U));
    }
    path = fs::temp_directory_path() / ("mentorcore-atomic-" + name + "-" + tag);
    fs::create_directories(path);
  }
  scratch_directory(const scratch_directory&) = delete;
  scratch_directory& operator=(const scratch_directory&) = delete;
  ~scratch_directory() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  [[nodiscard]] std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path))
      names.push_back(entry.path().filename().string());
    return names;
  }
};

}  // namespace

TEST_CASE("an atomic file appears whole, at commit, and nothing else is left", "[atomic_file]") {
  const scratch_directory dir("commit");
  const auto target = (dir.path / "log.jsonl").string();
  {
    atomic_file file(target);
    file.write("first line\n");
    CHECK_FALSE(fs::exists(target));  // nothing at the path until commit
    CHECK(fs::exists(file.temporary_path()));
    CHECK(fs::path(file.temporary_path()).parent_path() == dir.path);  // beside it: one rename
    file.write("");
    file.write("second line\n");
    file.commit();
    CHECK_FALSE(fs::exists(file.temporary_path()));
  }
  CHECK(fixtures::file_bytes(target) == "first line\nsecond line\n");
  CHECK(dir.entries() == std::vector<std::string>{"log.jsonl"});

  write_file_atomically(target, "replaced");
  CHECK(fixtures::file_bytes(target) == "replaced");
  CHECK(dir.entries() == std::vector<std::string>{"log.jsonl"});
}

TEST_CASE("a failed atomic write leaves no file and no partial file", "[atomic_file]") {
  const scratch_directory dir("failure");
  const auto target = (dir.path / "log.jsonl").string();

  SECTION("an error before commit") {
    CHECK_THROWS_AS(
        [&] {
          atomic_file file(target);
          file.write("half a log");
          throw std::runtime_error("the generator failed");
        }(),
        std::runtime_error);
    CHECK(dir.entries().empty());
  }
  SECTION("an error before commit leaves an existing file as it was") {
    write_file_atomically(target, "the good log");
    {
      atomic_file file(target);
      file.write("a new log, never finished");
    }
    CHECK(fixtures::file_bytes(target) == "the good log");
    CHECK(dir.entries() == std::vector<std::string>{"log.jsonl"});
  }
  SECTION("a commit that cannot rename") {
    atomic_file file(target);
    file.write("text");
    // A directory that appears at the path after the file was begun (one there before is
    // refused at the start).
    fs::create_directories(dir.path / "log.jsonl" / "in-the-way");
    CHECK_THROWS_AS(file.commit(), mentorcore::error);
    CHECK_FALSE(fs::exists(file.temporary_path()));
    CHECK(dir.entries() == std::vector<std::string>{"log.jsonl"});
    CHECK(fs::is_directory(dir.path / "log.jsonl"));
  }
  SECTION("a directory that does not exist") {
    const auto nowhere = (dir.path / "missing" / "log.jsonl").string();
    CHECK_THROWS_WITH(atomic_file(nowhere), Catch::StartsWith("cannot write " + nowhere));
    CHECK_THROWS_AS(write_file_atomically(nowhere, "text"), mentorcore::error);
    CHECK(dir.entries().empty());
  }
}

TEST_CASE("a path with a NUL byte is refused before anything is written", "[atomic_file]") {
  // The system would write the name cut at the NUL: another file than the one named.
  const scratch_directory dir("nul");
  const auto named = (dir.path / "log.jsonl").string() + std::string(1, '\0') + ".gz";
  CHECK_THROWS_WITH(write_file_atomically(named, "a log"),
                    Catch::Contains("log.jsonl\\u0000.gz: holds a NUL byte"));
  CHECK(dir.entries().empty());
}

TEST_CASE("an empty path or a directory is refused before anything is written", "[atomic_file]") {
  // The rename at the end would fail on a directory only after the work (and, for a journal's
  // export, after its audit entry was committed); the temporary file went inside it.
  const scratch_directory dir("directory");
  const auto inside = dir.path / "sub";
  std::filesystem::create_directory(inside);
  for (const std::string& path : {inside.string(), inside.string() + "/"}) {
    CHECK_THROWS_WITH(atomic_file(path), Catch::EndsWith(": is a directory"));
  }
  CHECK(std::filesystem::is_empty(inside));
  CHECK_THROWS_WITH(atomic_file(""), Catch::Contains("empty: a file name is needed"));
}

TEST_CASE("two writers to the same path use distinct temporary files", "[atomic_file]") {
  const scratch_directory dir("two");
  const auto target = (dir.path / "log.jsonl").string();
  atomic_file first(target);
  atomic_file second(target);
  CHECK(first.temporary_path() != second.temporary_path());
  CHECK(dir.entries().size() == 2);
  first.write("from the first writer");
  second.write("from the second writer");
  first.commit();
  CHECK(fixtures::file_bytes(target) == "from the first writer");
  second.commit();  // the last to commit wins, whole
  CHECK(fixtures::file_bytes(target) == "from the second writer");
  CHECK(dir.entries() == std::vector<std::string>{"log.jsonl"});
}
