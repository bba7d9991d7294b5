#pragma once
/// \file analytics/detail/cohort_combine_impl.hpp
/// Definitions of cohort::select and concatenate: both copy ranges of rows into a new cohort and
/// re-code the code columns into new dictionaries, by one routine.
///
/// Included by the concept header, inline, in the header-only model; compiled once into
/// mentorcore::io by src/model_analytics.cpp (MENTORCORE_DECL, detail/decl.hpp).

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
#include "mentorcore/analytics/detail/cohort_appender.hpp"
#include "mentorcore/detail/decl.hpp"

namespace mentorcore {
namespace detail {

/// Adds `[begin, end)` to `ranges`, joining it to the last range if they touch.
MENTORCORE_DECL void add_row_range(std::vector<row_range>& ranges, std::size_t begin,
                                   std::size_t end) {
  if (begin == end) return;
  if (!ranges.empty() && ranges.back().end == begin) {
    ranges.back().end = end;
  } else {
    ranges.push_back({begin, end});
  }
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

MENTORCORE_DECL cohort cohort::select(std::span<const std::uint8_t> keep) const {
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

MENTORCORE_DECL cohort cohort::reordered(std::span<const std::size_t> order) const {
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

MENTORCORE_DECL cohort concatenate(std::vector<cohort> parts) {
  if (parts.size() == 1) return std::move(parts.front());
  detail::cohort_appender joined;
  joined.reserve(parts);
  for (auto& part : parts) joined.add(std::move(part));
  return joined.finish();
}

}  // namespace mentorcore
