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

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "mentorcore/date.hpp"
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
class string_dictionary {
 public:
  string_dictionary() = default;
  // A copy gets its own lookup table: the original's keys view the original's strings.
  string_dictionary(const string_dictionary& other) : values_(other.values_) { index(); }
  string_dictionary& operator=(const string_dictionary& other) {
    if (this != &other) {
      string_dictionary copy(other);
      *this = std::move(copy);
    }
    return *this;
  }
  // Moving keeps the strings where they are (a deque's elements do not move with it).
  string_dictionary(string_dictionary&&) noexcept = default;
  string_dictionary& operator=(string_dictionary&&) noexcept = default;
  ~string_dictionary() = default;

  /// The code of `text`, adding it if it is new.
  std::int32_t intern(std::string_view text) {
    if (const auto found = codes_.find(text); found != codes_.end()) return found->second;
    if (values_.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
      throw out_of_range_error("dictionary", std::to_string(values_.size()),
                               "more distinct strings than a 32-bit code can number");
    }
    const auto code = static_cast<std::int32_t>(values_.size());
    values_.emplace_back(text);
    try {
      codes_.emplace(std::string_view(values_.back()), code);
    } catch (...) {
      values_.pop_back();  // nothing half-added
      throw;
    }
    return code;
  }
  /// The code of `text`, or nothing if it has none.
  [[nodiscard]] std::optional<std::int32_t> find(std::string_view text) const {
    if (const auto found = codes_.find(text); found != codes_.end()) return found->second;
    return std::nullopt;
  }
  /// Forgets the strings from code `size` on (to undo additions that did not complete).
  void truncate(std::size_t size) noexcept {
    while (values_.size() > size) {
      codes_.erase(std::string_view(values_.back()));
      values_.pop_back();
    }
  }
  /// The string of a code (which must be a code of this dictionary).
  [[nodiscard]] const std::string& operator[](std::int32_t code) const {
    return values_.at(static_cast<std::size_t>(code));
  }
  /// The strings, in code order.
  [[nodiscard]] const std::deque<std::string>& values() const noexcept { return values_; }
  [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
  /// Bytes held: the strings and the lookup table.
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    std::size_t bytes = values_.size() * sizeof(std::string);
    for (const auto& value : values_) {
      if (value.capacity() > sizeof(std::string) - 1) bytes += value.capacity() + 1;
    }
    // A node per entry (its key, code and next pointer) and a bucket array.
    bytes += codes_.size() * (sizeof(std::string_view) + sizeof(std::int32_t) + 2 * sizeof(void*));
    static_assert(sizeof(std::string_view) == 2 * sizeof(void*));
    bytes += codes_.bucket_count() * sizeof(void*);
    return bytes;
  }
  friend bool operator==(const string_dictionary& a, const string_dictionary& b) {
    return a.values_ == b.values_;
  }

 private:
  void index() {
    codes_.reserve(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i)
      codes_.emplace(std::string_view(values_[i]), static_cast<std::int32_t>(i));
  }

  // A deque never moves its elements, so the map's keys can view the strings it holds (a vector
  // would move short strings' characters when it grows).
  std::deque<std::string> values_;
  std::unordered_map<std::string_view, std::int32_t> codes_;
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
};

template <>
struct enum_traits<column_type> {
  static constexpr std::string_view type_name = "column_type";
  static constexpr std::array<std::string_view, 8> names = {
      "day", "category", "code", "int16", "int32", "optional_int32", "float64", "flag"};
};
// Every enumerator has a name (to_string of one without would break a contract).
static_assert(enum_traits<column_type>::names.size() ==
              static_cast<std::size_t>(column_type::flag) + 1);

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
/// enum column the enum's names, for a code column its dictionary.
template <class Table, class Element>
struct column_info {
  std::string_view name;
  std::vector<Element> Table::*values;
  column_type type = column_type::int32;
  std::span<const std::string_view> categories{};
  dictionary_kind dictionary = dictionary_kind::course;
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
                    std::is_same_v<Number, double>,
                "number columns are int16, int32 or float64");
  constexpr column_type type = std::is_same_v<Number, std::int16_t>   ? column_type::int16
                               : std::is_same_v<Number, std::int32_t> ? column_type::int32
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

/// Specialised for each table: `name` and `columns` (a tuple of column_info).
template <class Table>
struct table_traits;

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

/// Bytes held by a table's columns (their capacity).
template <class Table>
[[nodiscard]] std::size_t memory_bytes(const Table& table) {
  std::size_t bytes = 0;
  for_each_column(table, [&](const auto&, const auto& values) {
    bytes += values.capacity() * sizeof(typename std::decay_t<decltype(values)>::value_type);
  });
  return bytes;
}

}  // namespace mentorcore
