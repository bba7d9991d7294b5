#pragma once
/// \file analytics/detail/cohort_combine_impl.hpp
/// Definitions of cohort::select and concatenate: both copy ranges of rows into a new cohort and
/// re-code the code columns into new dictionaries, by one routine.
///
/// Included by analytics/cohort.hpp; inline, as the cohort is part of the header-only core.

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

namespace mentorcore {
namespace detail {

inline constexpr std::size_t dictionary_kinds = enum_traits<dictionary_kind>::names.size();

/// Per dictionary kind, the new code of each old code.
using code_maps = std::array<std::vector<std::int32_t>, dictionary_kinds>;

/// A run of rows [begin, end).
struct row_range {
  std::size_t begin = 0;
  std::size_t end = 0;
};

/// Adds `[begin, end)` to `ranges`, joining it to the last range if they touch.
inline void add_row_range(std::vector<row_range>& ranges, std::size_t begin, std::size_t end) {
  if (begin == end) return;
  if (!ranges.empty() && ranges.back().end == begin) {
    ranges.back().end = end;
  } else {
    ranges.push_back({begin, end});
  }
}

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

/// The rows of the courses `courses` (row numbers, ascending) in a table grouped by course; their
/// ends, counted on from offsets.back(), are appended to `offsets`.
template <class Table>
std::vector<row_range> course_row_ranges(const Table& table, std::span<const std::size_t> courses,
                                         std::vector<std::int32_t>& offsets) {
  std::vector<row_range> ranges;
  auto end = static_cast<std::size_t>(offsets.back());
  for (const auto k : courses) {
    const auto begin = static_cast<std::size_t>(table.offsets[k]);
    const auto stop = static_cast<std::size_t>(table.offsets[k + 1]);
    add_row_range(ranges, begin, stop);
    end += stop - begin;
    offsets.push_back(static_cast<std::int32_t>(end));
  }
  return ranges;
}

}  // namespace detail

inline cohort cohort::select(std::span<const std::uint8_t> keep) const {
  if (keep.size() != size()) {
    throw invalid_value_error("keep", std::to_string(keep.size()) + " entries",
                              "expected one per course (" + std::to_string(size()) + ")");
  }
  std::vector<std::size_t> kept;
  for (std::size_t k = 0; k < keep.size(); ++k) {
    if (keep[k] != 0) kept.push_back(k);
  }
  std::vector<detail::row_range> course_ranges;
  for (const auto k : kept) detail::add_row_range(course_ranges, k, k + 1);

  // Which strings the kept rows use, per dictionary.
  std::array<std::vector<std::uint8_t>, detail::dictionary_kinds> used;
  for (std::size_t kind = 0; kind < used.size(); ++kind)
    used[kind].assign(dictionaries_[kind].size(), 0);
  const auto mark = [&](const auto& table, std::span<const detail::row_range> ranges) {
    for_each_column(table, [&](const auto& info, const auto& values) {
      if constexpr (std::is_same_v<typename std::decay_t<decltype(values)>::value_type,
                                   std::int32_t>) {
        if (info.type != column_type::code) return;
        auto& flags = used[static_cast<std::size_t>(info.dictionary)];
        for (const auto& range : ranges) {
          for (std::size_t row = range.begin; row < range.end; ++row) {
            if (values[row] != missing_code) flags[static_cast<std::size_t>(values[row])] = 1;
          }
        }
      }
    });
  };
  // The rows each table keeps, and its offsets in the selection.
  cohort result;
  std::vector<std::vector<detail::row_range>> ranges;
  for_each_table([&](const auto& table) {
    using table_type = std::decay_t<decltype(table)>;
    if constexpr (grouped_by_course<table_type>) {
      std::vector<std::int32_t> offsets(1, 0);
      offsets.reserve(kept.size() + 1);
      ranges.push_back(detail::course_row_ranges(table, kept, offsets));
      result.for_each_table([&](auto& target) {
        if constexpr (std::is_same_v<std::decay_t<decltype(target)>, table_type>)
          target.offsets = std::move(offsets);
      });
    } else {
      ranges.push_back(course_ranges);
    }
    mark(table, ranges.back());
  });

  detail::code_maps maps;
  for (std::size_t kind = 0; kind < used.size(); ++kind) {
    maps[kind].assign(used[kind].size(), missing_code);
    for (std::size_t code = 0; code < used[kind].size(); ++code) {
      if (used[kind][code] != 0) {
        maps[kind][code] =
            result.dictionaries_[kind].intern(dictionaries_[kind][static_cast<std::int32_t>(code)]);
      }
    }
    result.dictionaries_[kind].freeze();
  }
  std::size_t next = 0;
  for_each_table([&](const auto& table) {
    using table_type = std::decay_t<decltype(table)>;
    const auto& table_ranges = ranges[next++];
    result.for_each_table([&](auto& target) {
      if constexpr (std::is_same_v<std::decay_t<decltype(target)>, table_type>)
        detail::append_table_rows(target, table, table_ranges, maps);
    });
  });
  return result;
}

inline cohort cohort::reordered(std::span<const std::size_t> order) const {
  const std::size_t courses = size();
  std::vector<std::uint8_t> seen(courses, 0);
  const auto not_a_permutation = [&] {
    return invalid_value_error(
        "order", std::to_string(order.size()) + " entries",
        "expected each of the " + std::to_string(courses) + " rows exactly once");
  };
  if (order.size() != courses) throw not_a_permutation();
  for (const auto k : order) {
    if (k >= courses || seen[k] != 0) throw not_a_permutation();
    seen[k] = 1;
  }
  // The codes as cohort_builder would give them adding the courses in this order: per course,
  // table by table (the order in which cohort::append_rows adds them), row by row, column by
  // column, each string its code on first appearance.
  cohort result;
  detail::code_maps maps;
  for (std::size_t kind = 0; kind < detail::dictionary_kinds; ++kind)
    maps[kind].assign(dictionaries_[kind].size(), missing_code);
  const auto number_strings = [&](const auto& table, std::size_t first, std::size_t last) {
    for (std::size_t row = first; row < last; ++row) {
      for_each_column(table, [&](const auto& info, const auto& values) {
        if constexpr (std::is_same_v<typename std::decay_t<decltype(values)>::value_type,
                                     std::int32_t>) {
          if (info.type != column_type::code || values[row] == missing_code) return;
          const auto kind = static_cast<std::size_t>(info.dictionary);
          auto& code = maps[kind][static_cast<std::size_t>(values[row])];
          if (code == missing_code)
            code = result.dictionaries_[kind].intern(dictionaries_[kind][values[row]]);
        }
      });
    }
  };
  for (const auto k : order) {
    for_each_table([&](const auto& table) {
      if constexpr (grouped_by_course<std::decay_t<decltype(table)>>) {
        number_strings(table, static_cast<std::size_t>(table.offsets[k]),
                       static_cast<std::size_t>(table.offsets[k + 1]));
      } else {
        number_strings(table, k, k + 1);
      }
    });
  }
  for (auto& dictionary : result.dictionaries_) dictionary.freeze();
  std::vector<detail::row_range> course_ranges;
  for (const auto k : order) detail::add_row_range(course_ranges, k, k + 1);
  for_each_table([&](const auto& table) {
    using table_type = std::decay_t<decltype(table)>;
    result.for_each_table([&](auto& target) {
      if constexpr (std::is_same_v<std::decay_t<decltype(target)>, table_type>) {
        if constexpr (grouped_by_course<table_type>) {
          std::vector<std::int32_t> offsets(1, 0);
          offsets.reserve(courses + 1);
          const auto ranges = detail::course_row_ranges(table, order, offsets);
          detail::append_table_rows(target, table, ranges, maps);
          target.offsets = std::move(offsets);
        } else {
          detail::append_table_rows(target, table, course_ranges, maps);
        }
      }
    });
  });
  return result;
}

namespace detail {

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

}  // namespace detail

inline cohort concatenate(std::vector<cohort> parts) {
  if (parts.size() == 1) return std::move(parts.front());
  detail::cohort_appender joined;
  joined.reserve(parts);
  for (auto& part : parts) joined.add(std::move(part));
  return joined.finish();
}

}  // namespace mentorcore
