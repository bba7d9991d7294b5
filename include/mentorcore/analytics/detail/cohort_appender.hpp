#pragma once
/// \file analytics/detail/cohort_appender.hpp
/// What joining cohorts needs where it is used: cohort::select and concatenate
/// (analytics/detail/cohort_combine_impl.hpp) and the reader of a gzip log, which joins its pieces
/// as they come (src/read_cohort_one_pass.cpp). Inline in every build: the class and the templates
/// are used in more than one place.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "mentorcore/analytics/cohort.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore::detail {

inline constexpr std::size_t dictionary_kinds = enum_traits<dictionary_kind>::names.size();

/// Per dictionary kind, the new code of each old code.
using code_maps = std::array<std::vector<std::int32_t>, dictionary_kinds>;

/// A run of rows [begin, end).
struct row_range {
  std::size_t begin = 0;
  std::size_t end = 0;
};

/// Appends the rows `ranges` of `from` to `to`, column by column, re-coding code columns by
/// `maps`.
template <class Table>
void append_table_rows(Table& to, const Table& from, std::span<const row_range> ranges,
                       const code_maps& maps) {
  std::size_t rows = 0;
  for (const auto& range : ranges) rows += range.end - range.begin;
  // The members of `to` and `from` are visited in the same order: pair them by position.
  std::vector<void*> targets;
  for_each_column(to, [&](const auto&, auto& values) { targets.push_back(&values); });
  std::size_t next = 0;
  for_each_column(from, [&](const auto& info, const auto& values) {
    auto& target = *static_cast<std::remove_cvref_t<decltype(values)>*>(targets[next++]);
    // Doubling, not exact: parts appended one at a time (cohort_appender) must not copy the
    // column each time.
    if (target.capacity() < target.size() + rows)
      target.reserve(std::max(target.size() + rows, 2 * target.capacity()));
    for (const auto& range : ranges) {
      const auto first = values.begin() + static_cast<std::ptrdiff_t>(range.begin);
      const auto last = values.begin() + static_cast<std::ptrdiff_t>(range.end);
      if constexpr (std::is_same_v<typename std::remove_cvref_t<decltype(values)>::value_type,
                                   std::int32_t>) {
        if (info.type == column_type::code) {
          const auto& map = maps[static_cast<std::size_t>(info.dictionary)];
          for (auto value = first; value != last; ++value) {
            target.push_back(*value == missing_code ? missing_code
                                                    : map[static_cast<std::size_t>(*value)]);
          }
          continue;
        }
      }
      target.insert(target.end(), first, last);
    }
  });
}

/// Joins cohorts one after another: concatenate, which has every part at once, and read_cohort's
/// pieces of a gzip log, which come one at a time. Each part's rows are copied after those
/// before it, its dictionaries merged (each string keeps the first code it gets), its codes
/// re-coded, and its memory freed at once.
class cohort_appender {
 public:
  /// Room for the rows of `parts` besides those added: the columns are not copied as they grow.
  void reserve(const std::vector<cohort>& parts) {
    result_.for_each_table([&](auto& target) {
      using table_type = std::decay_t<decltype(target)>;
      std::size_t rows = row_count(target);
      std::size_t courses = result_.size();
      for (const auto& part : parts) {
        part.for_each_table([&](const auto& table) {
          if constexpr (std::is_same_v<std::decay_t<decltype(table)>, table_type>)
            rows += row_count(table);
        });
        courses += part.size();
      }
      for_each_column(target, [&](const auto&, auto& values) { values.reserve(rows); });
      if constexpr (grouped_by_course<table_type>) target.offsets.reserve(courses + 1);
    });
  }

  /// Adds `part`'s courses after those added so far. Throws invalid_value_error, naming the
  /// field "course" and the id, if a course is in an earlier part, and out_of_range_error if a
  /// table outgrows its 32-bit offsets; after a throw the appender may only be dropped.
  void add(cohort part) {
    code_maps maps;
    for (std::size_t kind = 0; kind < dictionary_kinds; ++kind) {
      const auto& from = part.dictionaries_[kind];
      auto& to = result_.dictionaries_[kind];
      const std::size_t before = to.size();
      maps[kind].resize(from.size());
      for (std::size_t code = 0; code < from.size(); ++code)
        maps[kind][code] = to.intern(from[static_cast<std::int32_t>(code)]);
      if (static_cast<dictionary_kind>(kind) == dictionary_kind::course &&
          to.size() != before + from.size()) {
        // A course id got an existing code: it is in an earlier part.
        for (std::size_t code = 0; code < from.size(); ++code) {
          if (static_cast<std::size_t>(maps[kind][code]) < before) {
            throw invalid_value_error(
                "course", "\"" + std::string(from[static_cast<std::int32_t>(code)]) + "\"",
                "the course is in two parts of the cohort");
          }
        }
      }
    }
    part.for_each_table([&](const auto& table) {
      using table_type = std::decay_t<decltype(table)>;
      const std::vector<row_range> all{{0, row_count(table)}};
      result_.for_each_table([&](auto& target) {
        if constexpr (std::is_same_v<std::decay_t<decltype(target)>, table_type>) {
          if constexpr (grouped_by_course<table_type>) {
            const auto base = target.offsets.back();
            if (table.offsets.back() > std::numeric_limits<std::int32_t>::max() - base) {
              throw out_of_range_error(
                  std::string(table_traits<table_type>::name),
                  std::to_string(static_cast<std::int64_t>(base) + table.offsets.back()),
                  "more rows than a cohort table can hold");
            }
            for (std::size_t k = 1; k < table.offsets.size(); ++k)
              target.offsets.push_back(base + table.offsets[k]);
          }
          append_table_rows(target, table, all, maps);
        }
      });
    });
    part = cohort();  // its memory goes back before the next part is copied
  }

  /// The courses added, in order, holding only their rows; the appender is empty again.
  [[nodiscard]] cohort finish() {
    result_.for_each_table([](auto& table) {
      for_each_column(table, [](const auto&, auto& values) { values.shrink_to_fit(); });
      if constexpr (grouped_by_course<std::decay_t<decltype(table)>>) table.offsets.shrink_to_fit();
    });
    for (auto& dictionary : result_.dictionaries_) dictionary.freeze();
    return std::exchange(result_, cohort());
  }

 private:
  cohort result_;
};

}  // namespace mentorcore::detail
