// A cohort saved to a file and loaded back (mentorcore/analytics/cohort_file.hpp).
//
// The layout, little-endian throughout:
//
//   magic "MCCOHORT" (8 bytes), format version (u32)
//   sections, each: payload length (u64), payload, CRC-32 of the payload (u32):
//     layout           cohort_layout_text(), checked line by line against this build's
//     sizes            u64 per dictionary (strings, characters), then u64 rows per table
//     per dictionary   offsets (int32 x strings+1), characters (Arrow utf8)
//     per table        offsets (int32 x courses+1; child tables only), then each column's values
//
// The sizes section comes before any bulk data, so every later section's length is known before
// it is read: a length that disagrees is corruption, named by its section, and nothing is
// allocated for a size the file cannot hold. Loading reads each section straight into its vector
// and then hands the parts to assemble_cohort, the checks Cohort.from_frames goes through too.

#include "mentorcore/analytics/cohort_file.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

// As in gzip.cpp, which a unity build may compile after this file: zlib.h is read once, so both
// must see the same setting.
#define ZLIB_CONST
#include <zlib.h>

#include <gsl/pointers>

#include "atomic_file.hpp"
#include "file_path.hpp"
#include "mentorcore/analytics/cohort_parts.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore {
namespace cohort_file_detail {

// The CRC-32 (zlib's, as gzip and PNG use) of `bytes`, continuing `crc`.
std::uint32_t cohort_crc32(std::span<const std::byte> bytes, std::uint32_t crc = 0) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): zlib's C API takes Bytef
  const auto* data = reinterpret_cast<const Bytef*>(bytes.data());
  return static_cast<std::uint32_t>(crc32_z(crc, data, bytes.size()));
}

// Values as the file stores them: little-endian. On a big-endian machine each value's bytes are
// reversed on the way out and back.
template <class T>
void cohort_swap_bytes(std::span<T> values) {
  if constexpr (sizeof(T) > 1) {
    for (auto& value : values) {
      auto bytes = std::as_writable_bytes(std::span<T, 1>(&value, 1));
      for (std::size_t i = 0; i < bytes.size() / 2; ++i)
        std::swap(bytes[i], bytes[bytes.size() - 1 - i]);
    }
  }
}

template <class Sink>
class cohort_writer {
 public:
  explicit cohort_writer(Sink& sink) : sink_(sink) {}

  template <class T>
  void number(T value) {
    std::array<T, 1> one = {value};
    raw(std::span<const T>(one));
  }
  void text(std::string_view bytes) { raw(std::span<const char>(bytes.data(), bytes.size())); }

  // One section: its length, its payload (`values`), its CRC-32.
  template <class T>
  void section(std::span<const T> values) {
    number<std::uint64_t>(values.size_bytes());
    const std::uint32_t crc = raw(values);
    number<std::uint32_t>(crc);
  }

 private:
  // Writes `values` little-endian; returns the CRC-32 of the bytes written.
  template <class T>
  std::uint32_t raw(std::span<const T> values) {
    if constexpr (std::endian::native == std::endian::little || sizeof(T) == 1) {
      const auto bytes = std::as_bytes(values);
      sink_(std::string_view(static_cast<const char*>(static_cast<const void*>(bytes.data())),
                             bytes.size()));
      return cohort_crc32(bytes);
    } else {
      // In blocks, so a big column needs no second copy of itself.
      std::uint32_t crc = 0;
      constexpr std::size_t block = 1U << 16U;
      for (std::size_t start = 0; start < values.size(); start += block) {
        std::vector<T> swapped(
            values.begin() + static_cast<std::ptrdiff_t>(start),
            values.begin() + static_cast<std::ptrdiff_t>(std::min(values.size(), start + block)));
        cohort_swap_bytes(std::span<T>(swapped));
        const auto bytes = std::as_bytes(std::span<const T>(swapped));
        sink_(std::string_view(static_cast<const char*>(static_cast<const void*>(bytes.data())),
                               bytes.size()));
        crc = cohort_crc32(bytes, crc);
      }
      return crc;
    }
  }

  Sink& sink_;
};

template <class Sink>
void write_cohort(const cohort& c, Sink& sink) {
  cohort_writer<Sink> out(sink);
  out.text(cohort_file_magic);
  out.template number<std::uint32_t>(cohort_file_version);
  const std::string layout = cohort_layout_text();
  out.section(std::span<const char>(layout.data(), layout.size()));

  std::vector<std::uint64_t> sizes;
  for (std::size_t k = 0; k < dictionary_kind_count; ++k) {
    const auto& dictionary = c.dictionary(static_cast<dictionary_kind>(k));
    sizes.push_back(dictionary.size());
    sizes.push_back(dictionary.data().size());
  }
  c.for_each_table([&](const auto& table) { sizes.push_back(row_count(table)); });
  out.section(std::span<const std::uint64_t>(sizes));

  for (std::size_t k = 0; k < dictionary_kind_count; ++k) {
    const auto& dictionary = c.dictionary(static_cast<dictionary_kind>(k));
    out.section(dictionary.offsets());
    out.section(std::span<const char>(dictionary.data().data(), dictionary.data().size()));
  }
  c.for_each_table([&](const auto& table) {
    using table_type = std::decay_t<decltype(table)>;
    if constexpr (grouped_by_course<table_type>) {
      // courses + 1 entries; a cohort without courses may hold none at all.
      static constexpr std::array<std::int32_t, 1> no_courses = {0};
      out.section(table.offsets.empty() ? std::span<const std::int32_t>(no_courses)
                                        : std::span<const std::int32_t>(table.offsets));
    }
    for_each_column(table, [&](const auto&, const auto& values) {
      using element = typename std::decay_t<decltype(values)>::value_type;
      out.section(std::span<const element>(values));
    });
  });
}

// Closes a FILE on every path out.
struct cohort_file_closer {
  void operator()(gsl::owner<std::FILE*> file) const noexcept { std::fclose(file); }
};

// Where a saved cohort's bytes come from: a file, read as needed, or bytes in memory.
class cohort_input {
 public:
  cohort_input(std::string source, std::string_view bytes)
      : source_(std::move(source)), bytes_(bytes), size_(bytes.size()) {}
  cohort_input(std::string source, std::unique_ptr<std::FILE, cohort_file_closer> file,
               std::uint64_t size)
      : source_(std::move(source)), file_(std::move(file)), size_(size) {}

  [[nodiscard]] std::uint64_t position() const noexcept { return position_; }
  [[nodiscard]] std::uint64_t remaining() const noexcept { return size_ - position_; }
  [[nodiscard]] const std::string& source() const noexcept { return source_; }

  [[noreturn]] void fail(const std::string& field, const std::string& message) const {
    throw parse_error(source_, 0, field, message);
  }

  // Reads `into.size()` bytes, or fails naming `what` when the input ends first.
  void read(std::span<std::byte> into, const std::string& what) {
    if (into.size() > remaining()) {
      fail(what, (what.empty() ? std::string() : what + ": ") + "truncated at byte " +
                     std::to_string(size_) + " (" + std::to_string(into.size()) +
                     " bytes needed from byte " + std::to_string(position_) +
                     "); the file is incomplete");
    }
    if (file_) {
      if (std::fread(into.data(), 1, into.size(), file_.get()) != into.size()) {
        fail(what,
             "reading failed at byte " + std::to_string(position_) +
                 (errno != 0 ? ": " + std::error_code(errno, std::generic_category()).message()
                             : std::string()));
      }
    } else if (!into.empty()) {
      std::memcpy(into.data(), bytes_.substr(position_, into.size()).data(), into.size());
    }
    position_ += into.size();
  }

  template <class T>
  T number(const std::string& what) {
    T value{};
    read(std::as_writable_bytes(std::span<T, 1>(&value, 1)), what);
    if constexpr (std::endian::native != std::endian::little) {
      cohort_swap_bytes(std::span<T>(&value, 1));
    }
    return value;
  }

  // A section of `count` values of T into `values`, checking its length and its CRC-32.
  template <class T, class Container>
  void section(Container& values, std::uint64_t count, const std::string& what) {
    const std::uint64_t start = position_;
    const auto length = number<std::uint64_t>(what);
    if (length != count * sizeof(T)) {
      fail(what, what + ": the section at byte " + std::to_string(start) + " says " +
                     std::to_string(length) + " bytes where the sizes give " +
                     std::to_string(count * sizeof(T)) + "; the file is corrupted");
    }
    section_body<T>(values, start, length, what);
  }

  // A section whose length only the section says (the layout), at most `most` bytes.
  void text_section(std::string& text, std::uint64_t most, const std::string& what) {
    const std::uint64_t start = position_;
    const auto length = number<std::uint64_t>(what);
    if (length > most) {
      fail(what, what + ": the section at byte " + std::to_string(start) + " says " +
                     std::to_string(length) +
                     " bytes, more than any layout; the file is corrupted");
    }
    section_body<char>(text, start, length, what);
  }

 private:
  template <class T, class Container>
  void section_body(Container& values, std::uint64_t start, std::uint64_t length,
                    const std::string& what) {
    // Before allocating: a size beyond the input is a truncated (or corrupted) file.
    if (length > remaining() || remaining() - length < sizeof(std::uint32_t)) {
      fail(what, what + ": truncated at byte " + std::to_string(size_) + " (the section at byte " +
                     std::to_string(start) + " needs " + std::to_string(length + 12) +
                     " bytes); the file is incomplete");
    }
    values.resize(static_cast<std::size_t>(length / sizeof(T)));
    const auto bytes = std::as_writable_bytes(std::span<T>(values.data(), values.size()));
    read(bytes, what);
    const auto stored = number<std::uint32_t>(what);
    if (cohort_crc32(bytes) != stored) {
      fail(what, what + ": the CRC-32 of the section at byte " + std::to_string(start) +
                     " does not match; the file is corrupted");
    }
    if constexpr (std::endian::native != std::endian::little) {
      cohort_swap_bytes(std::span<T>(values.data(), values.size()));
    }
  }

  std::string source_;
  std::string_view bytes_;
  std::unique_ptr<std::FILE, cohort_file_closer> file_;
  std::uint64_t size_ = 0;
  std::uint64_t position_ = 0;
};

// The first line where the file's layout differs from this build's, as a message.
std::string cohort_layout_difference(std::string_view theirs, std::string_view ours) {
  const auto next_line = [](std::string_view& text) {
    const auto end = text.find('\n');
    const auto line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    return line;
  };
  while (!theirs.empty() || !ours.empty()) {
    const auto a = next_line(theirs);
    const auto b = next_line(ours);
    if (a != b) {
      const auto quote = [](std::string_view line) {
        return line.empty() ? std::string("nothing") : "'" + std::string(line.substr(0, 200)) + "'";
      };
      return "the file was saved with another cohort layout: it has " + quote(a) +
             " where this mentorcore has " + quote(b) +
             "; a saved cohort loads only with the layout it was saved with (build it again "
             "from its event log)";
    }
  }
  return {};
}

cohort read_cohort_file(cohort_input& in) {
  if (in.remaining() == 0) in.fail("", "the file is empty; it is not a saved cohort");
  std::array<char, cohort_file_magic.size()> magic{};
  const auto prefix =
      static_cast<std::size_t>(std::min<std::uint64_t>(in.remaining(), cohort_file_magic.size()));
  in.read(std::as_writable_bytes(std::span<char>(magic.data(), prefix)), "magic");
  if (std::string_view(magic.data(), prefix) != cohort_file_magic.substr(0, prefix)) {
    in.fail("magic", "not a saved mentorcore cohort (it does not start with \"" +
                         std::string(cohort_file_magic) + "\")");
  }
  if (prefix < cohort_file_magic.size()) {
    in.fail("magic", "truncated at byte " + std::to_string(prefix) + "; the file is incomplete");
  }
  const auto version = in.number<std::uint32_t>("version");
  if (version > cohort_file_version) {
    in.fail("version", "format version " + std::to_string(version) +
                           " is newer than this mentorcore reads (" +
                           std::to_string(cohort_file_version) +
                           "); load it with the newer mentorcore that saved it");
  }
  if (version == 0) in.fail("version", "format version 0 does not exist; the file is corrupted");
  if (version < cohort_file_version) {
    // Version 1 had no ratings.alert column, and the file holds neither the answers nor the
    // instruments' alert rules it would be computed from: the event log does.
    in.fail("version", "format version " + std::to_string(version) +
                           " is an older format than this mentorcore reads (" +
                           std::to_string(cohort_file_version) +
                           "); read the cohort again from its event log and save it again");
  }

  std::string layout;
  in.text_section(layout, 1U << 20U, "layout");
  const std::string ours = cohort_layout_text();
  if (layout != ours) in.fail("layout", cohort_layout_difference(layout, ours));

  const std::size_t tables = cohort::table_names().size();
  std::vector<std::uint64_t> sizes;
  in.section<std::uint64_t>(sizes, 2 * dictionary_kind_count + tables, "sizes");
  const std::uint64_t courses = sizes[2 * dictionary_kind_count];
  // Each value takes at least a byte, so a count beyond the bytes left is refused before anything
  // is allocated for it. The sizes passed their CRC-32, so they are what was written: the rest
  // of the file was cut off.
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (i < 2 * dictionary_kind_count && i % 2 == 0 && sizes[i] >= std::uint64_t{1} << 31U) {
      in.fail("sizes", "sizes: entry " + std::to_string(i) + " (" + std::to_string(sizes[i]) +
                           ") is more strings than a dictionary holds; the file is corrupted");
    }
    if (sizes[i] > in.remaining()) {
      in.fail("sizes", "truncated at byte " + std::to_string(in.position() + in.remaining()) +
                           ": the sizes (entry " + std::to_string(i) + ": " +
                           std::to_string(sizes[i]) + ") need more than the " +
                           std::to_string(in.remaining()) + " bytes left; the file is incomplete");
    }
  }

  cohort_parts parts;
  for (std::size_t k = 0; k < dictionary_kind_count; ++k) {
    const std::string name =
        "dictionaries." + std::string(to_string(static_cast<dictionary_kind>(k)));
    auto& strings = parts.dictionaries[k];
    in.section<std::int32_t>(strings.offsets, sizes[2 * k] + 1, name + ".offsets");
    in.section<char>(strings.data, sizes[2 * k + 1], name + ".data");
  }
  std::size_t table_index = 2 * dictionary_kind_count;
  parts.tables.for_each_table([&](auto& table) {
    using table_type = std::decay_t<decltype(table)>;
    const std::string name(table_traits<table_type>::name);
    const std::uint64_t rows = sizes[table_index++];
    if constexpr (grouped_by_course<table_type>) {
      in.section<std::int32_t>(table.offsets, courses + 1, name + ".offsets");
    }
    for_each_column(table, [&](const auto& info, auto& values) {
      using element = typename std::decay_t<decltype(values)>::value_type;
      in.section<element>(values, rows, name + "." + std::string(info.name));
    });
  });
  if (in.remaining() != 0) {
    in.fail("", std::to_string(in.remaining()) + " bytes after the end of the cohort at byte " +
                    std::to_string(in.position()) + "; the file is corrupted");
  }
  try {
    return assemble_cohort(std::move(parts));
  } catch (const invalid_value_error& e) {
    in.fail(e.field(), e.what());
  }
}

}  // namespace cohort_file_detail

std::string cohort_layout_text() {
  std::string text = "mentorcore cohort layout\n";
  for (const auto kind : enum_traits<dictionary_kind>::names) {
    text += "dictionary ";
    text += kind;
    text += '\n';
  }
  cohort().for_each_table([&](const auto& table) {
    using table_type = std::decay_t<decltype(table)>;
    const std::string name(table_traits<table_type>::name);
    text += "table " + name + (grouped_by_course<table_type> ? " grouped by course\n" : "\n");
    for_each_column(table, [&](const auto& info, const auto&) {
      text +=
          "column " + name + "." + std::string(info.name) + " " + std::string(to_string(info.type));
      if (info.type == column_type::code) text += " " + std::string(to_string(info.dictionary));
      if (info.type == column_type::category) {
        // Enum values are stored by position, so their names and order are part of the layout.
        std::string separator = " ";
        for (const auto category : info.categories) {
          text += separator;
          text += category;
          separator = ",";
        }
      }
      text += '\n';
    });
  });
  return text;
}

void save_cohort(const cohort& c, const std::string& path) {
  std::error_code failed;
  if (std::filesystem::is_directory(path, failed)) {
    throw error("cannot write " + path + ": it is a directory");
  }
  detail::atomic_file file(path);
  auto sink = [&](std::string_view bytes) { file.write(bytes); };
  cohort_file_detail::write_cohort(c, sink);
  file.commit();
}

std::string cohort_to_bytes(const cohort& c) {
  std::string bytes;
  auto sink = [&](std::string_view more) { bytes.append(more); };
  cohort_file_detail::write_cohort(c, sink);
  return bytes;
}

cohort cohort_from_bytes(std::string_view bytes, const std::string& source) {
  cohort_file_detail::cohort_input in(source, bytes);
  return cohort_file_detail::read_cohort_file(in);
}

cohort load_cohort(const std::string& path) {
  detail::check_file_path(path);
  std::error_code failed;
  const auto status = std::filesystem::status(path, failed);
  if (std::filesystem::is_directory(status)) {
    throw parse_error(path, 0, "", "is a directory, not a saved cohort");
  }
  errno = 0;
  std::unique_ptr<std::FILE, cohort_file_detail::cohort_file_closer> file(
      std::fopen(path.c_str(), "rb"));
  if (!file) {
    const int code = errno;
    throw parse_error(
        path, 0, "",
        "cannot open" + (code != 0 ? ": " + std::error_code(code, std::generic_category()).message()
                                   : std::string()));
  }
  const auto size = std::filesystem::file_size(path, failed);
  if (failed) throw parse_error(path, 0, "", "cannot read: " + failed.message());
  cohort_file_detail::cohort_input in(path, std::move(file), size);
  return cohort_file_detail::read_cohort_file(in);
}

}  // namespace mentorcore
