#pragma once
/// \file analytics/cohort_parts.hpp
/// A cohort made from its parts: the strings of each dictionary and the tables' columns (child
/// tables with their offsets), as a saved file or a caller (Cohort.from_frames) supplies them.
///
/// assemble_cohort is the one gate for such parts. A cohort built from courses is consistent by
/// construction; parts are not, so it checks everything a file or a caller can get wrong before
/// anything reads the columns: every column as long as its table, offsets that start at 0, never
/// decrease and end at the row count, codes within their dictionary, enum values within their
/// enum, flags 0 or 1, dates within the calendar, quantities not negative (the columns marked
/// not_negative: minutes, hours, days, counts), dictionary strings unique and acceptable as
/// what they are (ids by the id rules), and the courses table's course code i at row i. Each
/// fault is an invalid_value_error naming the table, the column and the row. Header-only: it
/// needs no I/O (the file format is in analytics/cohort_file.hpp, in mentorcore::io).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "mentorcore/analytics/cohort.hpp"
#include "mentorcore/analytics/columns.hpp"
#include "mentorcore/calendar.hpp"
#include "mentorcore/detail/redact.hpp"
#include "mentorcore/detail/text.hpp"
#include "mentorcore/ids.hpp"

namespace mentorcore {

/// The number of dictionaries a cohort has (one per dictionary_kind).
inline constexpr std::size_t dictionary_kind_count = enum_traits<dictionary_kind>::names.size();

/// The strings of one dictionary in code order, laid out as an Arrow utf8 array (and as a saved
/// cohort stores them): string i is data[offsets[i], offsets[i+1]).
struct dictionary_strings {
  std::vector<std::int32_t> offsets = {0};
  std::string data;

  /// The number of strings (offsets holds one more entry).
  [[nodiscard]] std::size_t size() const noexcept {
    return offsets.empty() ? 0 : offsets.size() - 1;
  }
  /// Appends `text`. Throws out_of_range_error if the characters would pass 2 GiB, the most a
  /// 32-bit offset reaches.
  void push_back(std::string_view text);
  friend bool operator==(const dictionary_strings&, const dictionary_strings&) = default;
};

/// What a cohort is made of. `tables` is used only for its tables (fill them through
/// tables.for_each_table); its own dictionaries stay empty, the strings are in `dictionaries`.
struct cohort_parts {
  std::array<dictionary_strings, dictionary_kind_count> dictionaries;
  cohort tables;
  /// For messages only: per table (in cohort::table_names() order), the row number the caller
  /// knows each row by, where the rows were reordered on the way in (from_frames groups a child
  /// table's rows by course); an empty vector means row r is row r.
  std::vector<std::vector<std::int64_t>> source_rows;
};

/// The strings of `dictionary` as dictionary_strings.
[[nodiscard]] dictionary_strings strings_of(const string_dictionary& dictionary);

/// The cohort made of `parts`, after checking every part (see the file comment). Throws
/// invalid_value_error naming the table and column ("contacts.location") or the dictionary
/// entry ("dictionaries.staff[3]") and the row; nothing of the parts survives a failure.
[[nodiscard]] cohort assemble_cohort(cohort_parts parts);

}  // namespace mentorcore

// The definitions: inline in the header-only model, compiled once into mentorcore::io
// (detail/decl.hpp).
#ifndef MENTORCORE_SEPARATE_COMPILATION
#include "mentorcore/analytics/detail/cohort_parts_impl.hpp"
#endif
