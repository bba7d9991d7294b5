#pragma once
/// \file analytics/columns.hpp
/// The building blocks of a cohort's column tables: dates as day numbers, strings interned in a
/// dictionary, and column tables that list their columns once (as field_table.hpp does for
/// events), so that one list drives the DataFrames, the NumPy arrays, the Arrow export and the
/// memory accounting.
///
/// Missing values are sentinels in the column itself (missing_day, missing_code,
/// missing_category), so a column is one flat array that NumPy and Arrow can share without a
/// copy; the exports derive a validity bitmap from the sentinels.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "mentorcore/date.hpp"
#include "mentorcore/detail/short_text.hpp"
#include "mentorcore/enum.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore {

/// A date as the number of days since 1970-01-01 (Arrow's date32, NumPy's datetime64[D] as a
/// 32-bit number).
using day_number = std::int32_t;
/// A missing date in a day column.
inline constexpr day_number missing_day = std::numeric_limits<day_number>::min();
/// A missing string in a dictionary-coded column.
inline constexpr std::int32_t missing_code = -1;
/// A missing value in an enum column.
inline constexpr std::int8_t missing_category = -1;
/// A missing value in a column of optional whole numbers.
inline constexpr std::int32_t missing_number = std::numeric_limits<std::int32_t>::min();

/// The day number of a real date.
[[nodiscard]] inline day_number to_day_number(const date& day) {
  static const date epoch(1970, 1, 1);
  return static_cast<day_number>((day - epoch).days());
}
/// The day number of an optional date (missing_day when there is none).
[[nodiscard]] inline day_number to_day_number(const std::optional<date>& day) {
  return day ? to_day_number(*day) : missing_day;
}
/// The date of a day number; nothing for missing_day.
[[nodiscard]] inline std::optional<date> from_day_number(day_number day) {
  if (day == missing_day) return std::nullopt;
  return date(1970, 1, 1) + boost::gregorian::days(day);
}

/// The enum column value of an enumerator.
template <named_enum Enum>
[[nodiscard]] constexpr std::int8_t to_category(Enum value) noexcept {
  static_assert(enum_traits<Enum>::names.size() <= 127, "an enum column holds int8 codes");
  return static_cast<std::int8_t>(value);
}
template <named_enum Enum>
[[nodiscard]] constexpr std::int8_t to_category(const std::optional<Enum>& value) noexcept {
  return value ? to_category(*value) : missing_category;
}

/// Strings interned once: each distinct string gets the next code (0, 1, 2, ... in order of first
/// appearance), and a column holds the codes. Ids, mentors, instruments and behaviours repeat
/// across millions of rows; a code is 4 bytes wherever the string would be.
///
/// The strings are stored as Arrow stores a utf8 array: their characters one after the other in
/// data(), string i from offsets()[i] to offsets()[i + 1], so a dictionary leaves for Arrow
/// without a copy and costs 4 bytes per string beyond its characters. A hash index of the codes
/// (open addressing, 4 bytes per slot) finds a string's code while a cohort is built; freeze()
/// drops it once the dictionary is final, and find() then searches the strings instead.
class string_dictionary {
 public:
  /// The most characters all strings together may have (offsets are 32-bit, as Arrow's utf8).
  static constexpr std::size_t max_characters =
      static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());

  /// The code of `text`, adding it if it is new.
  std::int32_t intern(std::string_view text) {
    // The string of the last call comes again and again (a course's contacts have one mentor):
    // compared first, it spares hashing it.
    if (last_code_ != empty_slot &&
        detail::short_text_equals(string_at(static_cast<std::size_t>(last_code_)), text))
      return last_code_;
    if (index_.empty() && size() > 0) rebuild_index(2 * size());
    if (const auto found = find_indexed(text)) return last_code_ = *found;
    if (size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max() - 1)) {
      throw out_of_range_error("dictionary", std::to_string(size()),
                               "more distinct strings than a 32-bit code can number");
    }
    if (text.size() > max_characters - data_.size()) {
      throw out_of_range_error("dictionary", std::to_string(data_.size() + text.size()),
                               "more characters than 32-bit offsets can address (2 GiB)");
    }
    const auto code = static_cast<std::int32_t>(size());
    // Grow the index first (the one step that allocates and could fail without a trace), then
    // append: nothing is half-added if an allocation fails.
    if (2 * (size() + 1) > index_.size())
      rebuild_index(std::max<std::size_t>(16, 4 * (size() + 1)));
    if (offsets_.size() == offsets_.capacity()) offsets_.reserve(2 * offsets_.size());
    data_.append(text);
    offsets_.push_back(static_cast<std::int32_t>(data_.size()));
    place(code, std::hash<std::string_view>{}(text));
    return last_code_ = code;
  }
  /// The code of `text`, or nothing if it has none.
  [[nodiscard]] std::optional<std::int32_t> find(std::string_view text) const {
    if (!index_.empty()) return find_indexed(text);
    for (std::size_t i = 0; i < size(); ++i) {
      if (string_at(i) == text) return static_cast<std::int32_t>(i);
    }
    return std::nullopt;
  }
  /// Forgets the strings from code `size` on (to undo additions that did not complete).
  void truncate(std::size_t new_size) {
    if (new_size >= size()) return;
    offsets_.resize(new_size + 1);
    data_.resize(static_cast<std::size_t>(offsets_.back()));
    index_.clear();  // rebuilt by the next intern
    last_code_ = empty_slot;
  }
  /// Drops the lookup index and spare capacity: the dictionary of a finished cohort.
  void freeze() {
    index_ = {};
    offsets_.shrink_to_fit();
    data_.shrink_to_fit();
  }
  /// The string of a code (which must be a code of this dictionary).
  [[nodiscard]] std::string_view operator[](std::int32_t code) const {
    if (code < 0 || static_cast<std::size_t>(code) >= size())
      throw out_of_range_error("code", std::to_string(code), "not a code of this dictionary");
    return string_at(static_cast<std::size_t>(code));
  }
  /// Where each string starts in data(), and where the last one ends (size() + 1 offsets).
  [[nodiscard]] std::span<const std::int32_t> offsets() const noexcept { return offsets_; }
  /// The characters of all strings, in code order.
  [[nodiscard]] std::string_view data() const noexcept { return data_; }
  [[nodiscard]] std::size_t size() const noexcept { return offsets_.size() - 1; }
  /// Bytes held: the characters, the offsets and the index.
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    return data_.capacity() + offsets_.capacity() * sizeof(std::int32_t) +
           index_.capacity() * sizeof(std::int32_t);
  }
  friend bool operator==(const string_dictionary& a, const string_dictionary& b) {
    return a.offsets_ == b.offsets_ && a.data_ == b.data_;
  }

 private:
  static constexpr std::int32_t empty_slot = -1;

  [[nodiscard]] std::string_view string_at(std::size_t i) const noexcept {
    const auto begin = static_cast<std::size_t>(offsets_[i]);
    return std::string_view(data_).substr(begin, static_cast<std::size_t>(offsets_[i + 1]) - begin);
  }
  [[nodiscard]] std::optional<std::int32_t> find_indexed(std::string_view text) const {
    if (index_.empty()) return std::nullopt;
    const std::size_t mask = index_.size() - 1;
    for (std::size_t slot = std::hash<std::string_view>{}(text)&mask;; slot = (slot + 1) & mask) {
      const std::int32_t code = index_[slot];
      if (code == empty_slot) return std::nullopt;
      if (detail::short_text_equals(string_at(static_cast<std::size_t>(code)), text)) return code;
    }
  }
  // Puts `code` in the first free slot from its hash on (the index is never more than half full).
  void place(std::int32_t code, std::size_t hash) noexcept {
    const std::size_t mask = index_.size() - 1;
    std::size_t slot = hash & mask;
    while (index_[slot] != empty_slot) slot = (slot + 1) & mask;
    index_[slot] = code;
  }
  void rebuild_index(std::size_t at_least) {
    std::size_t slots = 16;
    while (slots < at_least) slots *= 2;
    std::vector<std::int32_t> fresh(slots, empty_slot);
    index_.swap(fresh);
    for (std::size_t i = 0; i < size(); ++i)
      place(static_cast<std::int32_t>(i), std::hash<std::string_view>{}(string_at(i)));
  }

  std::vector<std::int32_t> offsets_ = std::vector<std::int32_t>(1, 0);
  std::string data_;
  std::vector<std::int32_t> index_;      // a power of two of slots, each a code or empty_slot
  std::int32_t last_code_ = empty_slot;  // what intern last returned
};

/// What a column holds, for the exports.
enum class column_type : std::uint8_t {
  day,             ///< day_number (int32), missing_day when missing
  category,        ///< an enum as int8 (its names in column_info::categories), missing_category
  code,            ///< an int32 code into a dictionary of the cohort, missing_code when missing
  int16,           ///< a whole number, never missing
  int32,           ///< a whole number, never missing
  optional_int32,  ///< a whole number, missing_number when missing
  float64,         ///< a real number; NaN when missing
  flag,            ///< yes (1) or no (0), as uint8
  float32,         ///< a real number of a few significant digits (scores, hours); NaN when missing
};

template <>
struct enum_traits<column_type> {
  static constexpr std::string_view type_name = "column_type";
  static constexpr std::array<std::string_view, 9> names = {
      "day", "category", "code", "int16", "int32", "optional_int32", "float64", "flag", "float32"};
};
// Every enumerator has a name (to_string of one without would break a contract).
static_assert(enum_traits<column_type>::names.size() ==
              static_cast<std::size_t>(column_type::float32) + 1);

/// Which of a cohort's dictionaries a code column refers to: one per kind of string, so that a
/// column's categories are the values of its own kind.
enum class dictionary_kind : std::uint8_t {
  course,        ///< course ids (row i of the courses table has code i)
  citizen,       ///< pseudonymous citizen keys
  staff,         ///< caseworkers, mentors, assessors
  provider,      ///< providers
  target_group,  ///< reference-data codes of target groups
  legal_basis,   ///< reference-data codes of legal bases
  grant,         ///< grant ids (within a course)
  goal,          ///< goal ids (within a course)
  step,          ///< step ids (within a course)
  handover,      ///< handover ids (within a course)
  instrument,    ///< rating instruments
  behaviour,     ///< target behaviours of stage assessments
};

template <>
struct enum_traits<dictionary_kind> {
  static constexpr std::string_view type_name = "dictionary_kind";
  static constexpr std::array<std::string_view, 12> names = {
      "course", "citizen", "staff", "provider", "target_group", "legal_basis",
      "grant",  "goal",    "step",  "handover", "instrument",   "behaviour"};
  static_assert(enum_traits<dictionary_kind>::names.size() ==
                static_cast<std::size_t>(dictionary_kind::behaviour) + 1);
};

/// One column of a table: its stable name, the member holding its values, its type, and for an
/// enum column the enum's names, for a code column its dictionary; for a number column whether
/// its values are never below zero (not_negative()), for an enum column whether every row has
/// one (never_missing()).
template <class Table, class Element>
struct column_info {
  std::string_view name;
  std::vector<Element> Table::*values;
  column_type type = column_type::int32;
  std::span<const std::string_view> categories{};
  dictionary_kind dictionary = dictionary_kind::course;
  bool not_negative = false;
  bool never_missing = false;
};

template <class Table>
constexpr column_info<Table, day_number> day_column(std::string_view name,
                                                    std::vector<day_number> Table::*values) {
  return {name, values, column_type::day};
}
template <named_enum Enum, class Table>
constexpr column_info<Table, std::int8_t> enum_column(std::string_view name,
                                                      std::vector<std::int8_t> Table::*values) {
  return {name, values, column_type::category,
          std::span<const std::string_view>(enum_traits<Enum>::names)};
}
template <class Table>
constexpr column_info<Table, std::int32_t> code_column(std::string_view name,
                                                       std::vector<std::int32_t> Table::*values,
                                                       dictionary_kind dictionary) {
  return {name, values, column_type::code, {}, dictionary};
}
template <class Table, class Number>
constexpr column_info<Table, Number> number_column(std::string_view name,
                                                   std::vector<Number> Table::*values) {
  static_assert(std::is_same_v<Number, std::int16_t> || std::is_same_v<Number, std::int32_t> ||
                    std::is_same_v<Number, float> || std::is_same_v<Number, double>,
                "number columns are int16, int32, float32 or float64");
  constexpr column_type type = std::is_same_v<Number, std::int16_t>   ? column_type::int16
                               : std::is_same_v<Number, std::int32_t> ? column_type::int32
                               : std::is_same_v<Number, float>        ? column_type::float32
                                                                      : column_type::float64;
  return {name, values, type};
}
template <class Table>
constexpr column_info<Table, std::int32_t> optional_number_column(
    std::string_view name, std::vector<std::int32_t> Table::*values) {
  return {name, values, column_type::optional_int32};
}
template <class Table>
constexpr column_info<Table, std::uint8_t> flag_column(std::string_view name,
                                                       std::vector<std::uint8_t> Table::*values) {
  return {name, values, column_type::flag};
}
/// `column`, a category every row has (a contact's place and attendance): assemble_cohort
/// refuses the missing marker in it.
template <class Table>
constexpr column_info<Table, std::int8_t> never_missing(column_info<Table, std::int8_t> column) {
  column.never_missing = true;
  return column;
}
/// `column`, a quantity no course holds below zero (minutes, hours, days, counts):
/// assemble_cohort refuses a negative value in it (a missing one is not negative).
template <class Table, class Number>
constexpr column_info<Table, Number> not_negative(column_info<Table, Number> column) {
  static_assert(!std::is_unsigned_v<Number>, "an unsigned column is never negative");
  column.not_negative = true;
  return column;
}

/// Specialised for each table: `name` and `columns` (a tuple of column_info).
template <class Table>
struct table_traits;

/// Whether a table's rows are grouped by course: every table but the courses table. Such a table
/// does not repeat a course code per row (4 bytes a row, a fifth of a contact); its `offsets`
/// say where each course's rows are: course k (row k of the courses table) has rows offsets[k]
/// up to offsets[k + 1], in the course's order, so offsets has one more entry than there are
/// courses, starts at 0 and ends at the row count. The exports show the course as a first
/// column, `course` (course_codes).
template <class Table>
inline constexpr bool grouped_by_course = requires(const Table& table) {
  table.offsets;
};

/// The course code of every row of a table grouped by course, from its offsets.
[[nodiscard]] inline std::vector<std::int32_t> course_codes(std::span<const std::int32_t> offsets) {
  std::vector<std::int32_t> codes;
  if (offsets.empty()) return codes;
  codes.reserve(static_cast<std::size_t>(offsets.back()));
  for (std::size_t k = 0; k + 1 < offsets.size(); ++k)
    codes.insert(codes.end(), static_cast<std::size_t>(offsets[k + 1] - offsets[k]),
                 static_cast<std::int32_t>(k));
  return codes;
}

/// Calls `visit(info, values)` for each column of `table`, in order.
template <class Table, class Visitor>
void for_each_column(Table& table, Visitor&& visit) {
  using traits = table_traits<std::remove_const_t<Table>>;
  std::apply([&](const auto&... info) { (visit(info, table.*(info.values)), ...); },
             traits::columns);
}

/// The number of rows of a table (every column has as many).
template <class Table>
[[nodiscard]] std::size_t row_count(const Table& table) {
  return (table.*(std::get<0>(table_traits<Table>::columns).values)).size();
}

/// Bytes held by a table's columns and offsets (their capacity).
template <class Table>
[[nodiscard]] std::size_t memory_bytes(const Table& table) {
  std::size_t bytes = 0;
  if constexpr (grouped_by_course<Table>) bytes += table.offsets.capacity() * sizeof(std::int32_t);
  for_each_column(table, [&](const auto&, const auto& values) {
    bytes += values.capacity() * sizeof(typename std::decay_t<decltype(values)>::value_type);
  });
  return bytes;
}

}  // namespace mentorcore
