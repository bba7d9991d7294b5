#pragma once
/// \file analytics/detail/cohort_parts_impl.hpp
/// Definitions of assemble_cohort and its checks. Included by analytics/cohort_parts.hpp,
/// inline, in the header-only model; compiled once into mentorcore::io by src/model_analytics.cpp
/// (MENTORCORE_DECL, detail/decl.hpp).

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <type_traits>

#include "mentorcore/analytics/cohort_parts.hpp"
#include "mentorcore/detail/decl.hpp"

namespace mentorcore {
namespace detail {

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF): a dictionary string leaves as a Python str, which a malformed one cannot become.
[[nodiscard]] MENTORCORE_DECL bool cohort_text_is_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80;  // the allowed range of the second byte
    unsigned char high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;   // not overlong
      if (c == 0xED) high = 0x9F;  // not a surrogate
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;   // not overlong
      if (c == 0xF4) high = 0x8F;  // not past U+10FFFF
    } else {
      return false;
    }
    if (n - i < length) return false;
    const auto second = static_cast<unsigned char>(text[i + 1]);
    if (second < low || second > high) return false;
    for (std::size_t k = 2; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if (next < 0x80 || next > 0xBF) return false;
    }
    i += length;
  }
  return true;
}

// "row 12", in the numbering the caller knows the row by.
[[nodiscard]] MENTORCORE_DECL std::string cohort_row_text(std::span<const std::int64_t> source_rows,
                                                          std::size_t row) {
  return "row " + std::to_string(source_rows.empty() || row >= source_rows.size()
                                     ? static_cast<std::int64_t>(row)
                                     : source_rows[row]);
}

// A dictionary's string must be what a cohort built from courses could hold: ids by the rules of
// ids (which also refuse a CPR-shaped id), other strings (reference-data codes, instruments,
// behaviours) non-empty UTF-8 texts within the text limit that hold no CPR-shaped number.
MENTORCORE_DECL void check_cohort_dictionary_string(dictionary_kind kind, std::size_t index,
                                                    std::string_view text) {
  const std::string field =
      "dictionaries." + std::string(to_string(kind)) + "[" + std::to_string(index) + "]";
  switch (kind) {
    case dictionary_kind::course:
    case dictionary_kind::citizen:
    case dictionary_kind::staff:
    case dictionary_kind::provider:
    case dictionary_kind::grant:
    case dictionary_kind::goal:
    case dictionary_kind::step:
    case dictionary_kind::handover:
      // Every id type has the same rules; constructing one checks them.
      static_cast<void>(course_id(std::string(text), field));
      return;
    case dictionary_kind::target_group:
    case dictionary_kind::legal_basis:
    case dictionary_kind::instrument:
    case dictionary_kind::behaviour: break;
  }
  if (text.empty()) throw invalid_value_error(field, "\"\"", "must not be empty");
  if (!cohort_text_is_utf8(text)) {
    throw invalid_value_error(field, "(not shown)", "not valid UTF-8");
  }
  if (text.size() > max_text_length) {
    throw invalid_value_error(field, "\"" + redacted_excerpt(text, 40) + "\"",
                              "longer than " + std::to_string(max_text_length) + " bytes");
  }
  if (contains_personal_number(text)) {
    // The error redacts the value; a cohort must not hold the number at all.
    throw invalid_value_error(field, "\"" + std::string(text) + "\"", "holds a CPR-shaped number");
  }
}

// Offsets into `end` entries (a dictionary's characters, a table's rows): `count` + 1 of them,
// starting at 0, never decreasing, ending at `end`.
MENTORCORE_DECL void check_cohort_offsets(const std::string& field,
                                          std::span<const std::int32_t> offsets, std::size_t count,
                                          std::size_t end) {
  if (offsets.size() != count + 1) {
    throw invalid_value_error(
        field, std::to_string(offsets.size()) + " entries",
        "expected " + std::to_string(count + 1) + " (one more than " + std::to_string(count) + ")");
  }
  if (offsets.front() != 0) {
    throw invalid_value_error(field, std::to_string(offsets.front()), "entry 0: must be 0");
  }
  for (std::size_t k = 1; k < offsets.size(); ++k) {
    if (offsets[k] < offsets[k - 1]) {
      throw invalid_value_error(field, std::to_string(offsets[k]),
                                "entry " + std::to_string(k) + ": below the entry before it (" +
                                    std::to_string(offsets[k - 1]) + "); offsets never decrease");
    }
  }
  if (static_cast<std::size_t>(offsets.back()) != end) {
    throw invalid_value_error(field, std::to_string(offsets.back()),
                              "the last entry must be " + std::to_string(end));
  }
}

// The first row whose value fails `ok`, if any.
template <class Element, class Check>
[[nodiscard]] std::size_t cohort_first_bad_row(const std::vector<Element>& values, Check ok) {
  return static_cast<std::size_t>(std::find_if_not(values.begin(), values.end(), ok) -
                                  values.begin());
}

template <class Table, class Element>
void check_cohort_column(std::string_view table, const column_info<Table, Element>& info,
                         const std::vector<Element>& values, std::size_t rows,
                         const std::array<string_dictionary, dictionary_kind_count>& dictionaries,
                         std::span<const std::int64_t> source_rows) {
  const std::string field = std::string(table) + "." + std::string(info.name);
  if (values.size() != rows) {
    throw invalid_value_error(field, std::to_string(values.size()) + " values",
                              "the table has " + std::to_string(rows) + " rows");
  }
  std::size_t bad = rows;
  std::string expected;
  if constexpr (std::is_same_v<Element, std::int32_t>) {
    if (info.type == column_type::day) {
      static const day_number first = to_day_number(date(first_calendar_year, 1, 1));
      static const day_number last = to_day_number(date(last_calendar_year, 12, 31));
      bad = cohort_first_bad_row(
          values, [](day_number v) { return v == missing_day || (v >= first && v <= last); });
      expected = "a day of " + std::to_string(first_calendar_year) + "-" +
                 std::to_string(last_calendar_year) + " (" + std::to_string(first) + "-" +
                 std::to_string(last) + " days since 1970-01-01) or missing (" +
                 std::to_string(missing_day) + ")";
    } else if (info.type == column_type::code) {
      const auto size =
          static_cast<std::int32_t>(dictionaries[static_cast<std::size_t>(info.dictionary)].size());
      bad = cohort_first_bad_row(
          values, [size](std::int32_t v) { return v == missing_code || (v >= 0 && v < size); });
      expected = "a code of the " + std::string(to_string(info.dictionary)) + " dictionary (0-" +
                 std::to_string(size - 1) + ") or missing (-1)";
    }
  } else if constexpr (std::is_same_v<Element, std::int8_t>) {
    const auto size = static_cast<int>(info.categories.size());
    const bool may_miss = !info.never_missing;
    bad = cohort_first_bad_row(values, [size, may_miss](std::int8_t v) {
      return (may_miss && v == missing_category) || (v >= 0 && v < size);
    });
    expected = "one of the column's " + std::to_string(size) + " categories (0-" +
               std::to_string(size - 1) + ")" +
               (may_miss ? " or missing (-1)" : ", never missing: every row has one");
  } else if constexpr (std::is_same_v<Element, std::uint8_t>) {
    bad = cohort_first_bad_row(values, [](std::uint8_t v) { return v <= 1; });
    expected = "a flag, 0 or 1";
  } else if constexpr (std::is_floating_point_v<Element>) {
    // NaN is missing. What a course holds (hours, scores) is finite and far below a billion; the
    // summary counts such a value in whole hundredths, times 100 for a share, in 64 bits: 1e30
    // would not convert (undefined) and 1e15 would overflow.
    constexpr double largest = 1e9;
    bad = cohort_first_bad_row(values, [](Element v) {
      return std::isnan(v) || (std::isfinite(v) && std::fabs(static_cast<double>(v)) <= largest);
    });
    if (bad < rows) {
      std::array<char, 32> text{};
      const auto written = std::to_chars(text.data(), text.data() + text.size(), values[bad]);
      throw invalid_value_error(field, std::string(text.data(), written.ptr),
                                cohort_row_text(source_rows, bad) +
                                    ": expected a finite number of at most 1e9 in size, or "
                                    "missing (NaN)");
    }
  }
  if (bad < rows) {
    throw invalid_value_error(field, std::to_string(values[bad]),
                              cohort_row_text(source_rows, bad) + ": expected " + expected);
  }
  if constexpr (std::is_signed_v<Element>) {
    // A quantity no course holds below zero (its column says so): a negative one was counted
    // as it stood (-500 minutes of contact). NaN and missing_number are missing, not negative.
    if (info.not_negative) {
      const bool optional = info.type == column_type::optional_int32;
      bad = cohort_first_bad_row(values, [optional](Element v) {
        return !(v < 0) || (optional && v == static_cast<Element>(missing_number));
      });
      if (bad < rows) {
        std::array<char, 32> text{};
        const auto written = std::to_chars(text.data(), text.data() + text.size(), values[bad]);
        throw invalid_value_error(field, std::string(text.data(), written.ptr),
                                  cohort_row_text(source_rows, bad) + ": may not be negative");
      }
    }
  }
}

// What only the courses table must satisfy: course code i at row i, a real municipality code,
// and the two dates every course has (its order, its last event).
MENTORCORE_DECL void check_cohort_courses(const course_rows& courses,
                                          std::span<const std::int64_t> source_rows) {
  for (std::size_t i = 0; i < courses.course.size(); ++i) {
    if (courses.course[i] != static_cast<std::int32_t>(i)) {
      throw invalid_value_error("courses.course", std::to_string(courses.course[i]),
                                cohort_row_text(source_rows, i) +
                                    ": expected the row's own number; course code i is row i");
    }
  }
  const auto bad_municipality = cohort_first_bad_row(
      courses.municipality, [](std::int16_t v) { return v >= 101 && v <= 999; });
  if (bad_municipality < courses.municipality.size()) {
    throw invalid_value_error("courses.municipality",
                              std::to_string(courses.municipality[bad_municipality]),
                              cohort_row_text(source_rows, bad_municipality) +
                                  ": a municipality code has three digits, 101-999");
  }
  const auto required_day = [&](const std::vector<day_number>& values, std::string_view name) {
    const auto bad = cohort_first_bad_row(values, [](day_number v) { return v != missing_day; });
    if (bad < values.size()) {
      throw invalid_value_error("courses." + std::string(name), "missing",
                                cohort_row_text(source_rows, bad) + ": every course has one");
    }
  };
  required_day(courses.ordered, "ordered");
  required_day(courses.last_event, "last_event");
}

}  // namespace detail

MENTORCORE_DECL void dictionary_strings::push_back(std::string_view text) {
  if (text.size() >
      static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()) - data.size()) {
    throw out_of_range_error("dictionary", std::to_string(size()) + " strings",
                             "more than 2 GiB of characters, the most 32-bit offsets reach");
  }
  data.append(text);
  offsets.push_back(static_cast<std::int32_t>(data.size()));
}

MENTORCORE_DECL dictionary_strings strings_of(const string_dictionary& dictionary) {
  dictionary_strings strings;
  strings.offsets.assign(dictionary.offsets().begin(), dictionary.offsets().end());
  strings.data = std::string(dictionary.data());
  return strings;
}

MENTORCORE_DECL cohort assemble_cohort(cohort_parts parts) {
  // The dictionaries first: the code columns are checked against their sizes.
  std::array<string_dictionary, dictionary_kind_count> dictionaries;
  for (std::size_t k = 0; k < dictionary_kind_count; ++k) {
    const auto kind = static_cast<dictionary_kind>(k);
    auto& strings = parts.dictionaries[k];
    const std::string field = "dictionaries." + std::string(to_string(kind));
    if (strings.offsets.empty()) {
      throw invalid_value_error(field + ".offsets", "0 entries", "expected at least 1");
    }
    detail::check_cohort_offsets(field + ".offsets", strings.offsets, strings.size(),
                                 strings.data.size());
    for (std::size_t i = 0; i < strings.size(); ++i) {
      const auto begin = static_cast<std::size_t>(strings.offsets[i]);
      const auto text =
          std::string_view(strings.data)
              .substr(begin, static_cast<std::size_t>(strings.offsets[i + 1]) - begin);
      detail::check_cohort_dictionary_string(kind, i, text);
      const auto code = dictionaries[k].intern(text);
      if (static_cast<std::size_t>(code) != i) {
        throw invalid_value_error(field + "[" + std::to_string(i) + "]",
                                  "\"" + std::string(text) + "\"",
                                  "the same string as entry " + std::to_string(code) +
                                      "; a dictionary's strings are unique");
      }
    }
    strings = dictionary_strings();  // the characters are in the dictionary now
  }

  const std::size_t courses = row_count(parts.tables.courses());
  if (dictionaries[static_cast<std::size_t>(dictionary_kind::course)].size() != courses) {
    throw invalid_value_error(
        "dictionaries.course",
        std::to_string(dictionaries[static_cast<std::size_t>(dictionary_kind::course)].size()) +
            " strings",
        "expected one course id per row of the courses table (" + std::to_string(courses) + ")");
  }
  std::size_t table_index = 0;
  parts.tables.for_each_table([&](auto& table) {
    using table_type = std::decay_t<decltype(table)>;
    const std::string_view name = table_traits<table_type>::name;
    const std::span<const std::int64_t> source_rows =
        table_index < parts.source_rows.size()
            ? std::span<const std::int64_t>(parts.source_rows[table_index])
            : std::span<const std::int64_t>();
    ++table_index;
    std::size_t rows = courses;
    if constexpr (grouped_by_course<table_type>) {
      const std::string field = std::string(name) + ".offsets";
      if (courses == 0 && table.offsets.size() <= 1 &&
          (table.offsets.empty() || table.offsets.front() == 0)) {
        // No courses: whether the offsets are {} or {0}, the table is as an empty cohort's.
        table.offsets = table_type{}.offsets;
        rows = 0;
      } else {
        if (table.offsets.empty()) {
          throw invalid_value_error(
              field, "0 entries",
              "expected " + std::to_string(courses + 1) + " (one more than the number of courses)");
        }
        rows = static_cast<std::size_t>(std::max(table.offsets.back(), 0));
        detail::check_cohort_offsets(field, table.offsets, courses, rows);
      }
    }
    for_each_column(table, [&](const auto& info, const auto& values) {
      detail::check_cohort_column(name, info, values, rows, dictionaries, source_rows);
    });
    if constexpr (std::is_same_v<table_type, course_rows>) {
      detail::check_cohort_courses(table, source_rows);
    }
  });

  cohort result = std::move(parts.tables);
  for (std::size_t k = 0; k < dictionary_kind_count; ++k) {
    dictionaries[k].freeze();  // final, as a built cohort's: no lookup index, no spare room
    result.dictionaries_[k] = std::move(dictionaries[k]);
  }
  return result;
}

}  // namespace mentorcore
