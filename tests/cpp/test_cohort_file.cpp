// A saved cohort (mentorcore/analytics/cohort_file.hpp): what is saved loads back equal, and a
// file that is missing, a directory, empty, truncated anywhere, changed in any byte, of another
// magic or a newer version is a parse_error naming the file and what is wrong.
#include "mentorcore/analytics/cohort_file.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "files.hpp"
#include "fixtures.hpp"
#include "mentorcore/synthetic.hpp"

using namespace mentorcore;
namespace fs = std::filesystem;

namespace {

const cohort& file_test_cohort() {
  static const cohort built = [] {
    synthetic_options options;
    options.courses = 12;
    options.seed = 5;
    options.threads = 1;
    std::vector<course> courses = generate_courses(options);
    courses.push_back(fixtures::every_event_type_course());
    return cohort::from_courses(courses);
  }();
  return built;
}

// A directory of its own for one test case, removed afterwards.
struct cohort_file_directory {
  fs::path path;
  cohort_file_directory() {
    // Letters, not digits: error messages redact runs of digits that could be a CPR number.
    std::random_device device;
    std::string tag;
    for (auto bits = device(); bits != 0; bits >>= 4U) tag += static_cast<char>('a' + (bits & 15U));
    path = fs::temp_directory_path() / ("mentorcore-cohort-file-" + tag);
    fs::create_directories(path);
  }
  cohort_file_directory(const cohort_file_directory&) = delete;
  cohort_file_directory& operator=(const cohort_file_directory&) = delete;
  ~cohort_file_directory() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

// The message of the parse_error that reading `bytes` throws ("" if none).
std::string cohort_bytes_error(const std::string& bytes) {
  try {
    static_cast<void>(cohort_from_bytes(bytes, "saved.cohort"));
  } catch (const parse_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a saved cohort loads back equal", "[cohort][file]") {
  const cohort& c = file_test_cohort();
  REQUIRE(!c.handovers().date.empty());
  const std::string bytes = cohort_to_bytes(c);
  CHECK(bytes.substr(0, 8) == "MCCOHORT");
  CHECK(cohort_from_bytes(bytes) == c);
  CHECK(cohort_from_bytes(cohort_to_bytes(cohort())) == cohort());

  const cohort_file_directory directory;
  const auto path = (directory.path / "all.cohort").string();
  save_cohort(c, path);
  CHECK(fixtures::file_bytes(path) == bytes);
  CHECK(load_cohort(path) == c);
  // Only the file: no temporary file is left beside it.
  CHECK(std::distance(fs::directory_iterator(directory.path), fs::directory_iterator()) == 1);
}

TEST_CASE("a file cut short anywhere is refused", "[cohort][file]") {
  const std::string bytes = cohort_to_bytes(file_test_cohort());
  CHECK_THAT(cohort_bytes_error(""), Catch::Contains("empty"));
  for (std::size_t size = 1; size < bytes.size(); size += 1 + size / 64) {
    INFO("cut at " << size);
    const auto message = cohort_bytes_error(bytes.substr(0, size));
    CHECK_THAT(message, Catch::StartsWith("saved.cohort:0: ") &&
                            (Catch::Contains("truncated") || Catch::Contains("incomplete")));
  }
  CHECK_THAT(cohort_bytes_error(bytes + "x"), Catch::Contains("1 bytes after the end"));
}

TEST_CASE("a change to any byte is found", "[cohort][file]") {
  const std::string bytes = cohort_to_bytes(file_test_cohort());
  for (std::size_t at = 0; at < bytes.size(); at += 1 + at / 97) {
    INFO("byte " << at);
    std::string changed = bytes;
    changed[at] = static_cast<char>(changed[at] ^ 0x10);
    CHECK_THAT(cohort_bytes_error(changed), Catch::StartsWith("saved.cohort:0: "));
  }
}

TEST_CASE("a corrupted column is named", "[cohort][file]") {
  const cohort& c = file_test_cohort();
  std::string bytes = cohort_to_bytes(c);
  // The last section is the handovers' last column; its last value is just before its CRC.
  bytes[bytes.size() - 5] = static_cast<char>(bytes[bytes.size() - 5] ^ 1);
  CHECK_THAT(cohort_bytes_error(bytes),
             Catch::Contains("handovers.no_shows_within_30_days") && Catch::Contains("CRC-32"));
}

TEST_CASE("a file with negative minutes is refused by table, column, row and value",
          "[cohort][file]") {
  // Its sections and CRCs are sound (written from a cohort changed after it was built): only
  // assemble_cohort, the gate every loaded file passes, can find the quantity no course holds.
  cohort crafted = file_test_cohort();
  crafted.for_each_table([](auto& table) {
    if constexpr (std::is_same_v<std::decay_t<decltype(table)>, contact_rows>) {
      REQUIRE(table.actual_minutes.size() > 3);
      table.actual_minutes[3] = -500;
    }
  });
  CHECK(cohort_bytes_error(cohort_to_bytes(crafted)) ==
        "saved.cohort:0: contacts.actual_minutes = -500: row 3: may not be negative");
}

TEST_CASE("a file of another magic, an older or a newer version is refused", "[cohort][file]") {
  const std::string bytes = cohort_to_bytes(file_test_cohort());
  CHECK_THAT(cohort_bytes_error("PK\x03\x04 a zip file"),
             Catch::Contains("not a saved mentorcore cohort"));
  std::string newer = bytes;
  newer[8] = static_cast<char>(cohort_file_version + 1);
  CHECK_THAT(cohort_bytes_error(newer), Catch::Contains("format version 3 is newer"));
  // Version 1 had no ratings.alert column: refused as older before its layout is compared.
  std::string older = bytes;
  older[8] = 1;
  CHECK(cohort_bytes_error(older) ==
        "saved.cohort:0: format version 1 is an older format than this mentorcore reads (2); read "
        "the "
        "cohort again from its event log and save it again");
}

TEST_CASE("a missing file or a directory is a parse_error naming it", "[cohort][file]") {
  const cohort_file_directory directory;
  const auto missing = (directory.path / "none.cohort").string();
  try {
    static_cast<void>(load_cohort(missing));
    FAIL("no error");
  } catch (const parse_error& e) {
    CHECK(e.source() == missing);
    CHECK_THAT(e.what(), Catch::Contains("No such file"));
  }
  CHECK_THROWS_MATCHES(
      load_cohort(directory.path.string()), parse_error,
      Catch::Matchers::Message(directory.path.string() + ":0: is a directory, not a saved cohort"));
  CHECK_THROWS_AS(save_cohort(cohort(), directory.path.string()), error);
  const auto empty = (directory.path / "empty.cohort").string();
  std::ofstream(empty).close();
  CHECK_THROWS_WITH(load_cohort(empty), Catch::Contains("the file is empty"));
}
