// The summary counts (mentorcore/analytics/summary.hpp): a cohort and each course's group in, one
// NumPy table of counts per table out, counted with the GIL released. mentorcore/_summary_counts.py
// makes the group codes and the cell names of the data (behaviours, instruments) and
// mentorcore/summary.py everything the counts are for.

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "common.hpp"
#include "mentorcore/analytics/summary.hpp"
#include "register.hpp"

namespace py = pybind11;

namespace mentorcore::python {
namespace {

// A groups x cells NumPy table, copied from `table`.
py::array_t<std::int64_t> summary_table_array(const count_table& table) {
  py::array_t<std::int64_t> array(
      {static_cast<py::ssize_t>(table.groups), static_cast<py::ssize_t>(table.cells)});
  std::copy(table.counts.begin(), table.counts.end(), array.mutable_data());
  return array;
}

template <class T>
py::array_t<T> summary_codes_array(const std::vector<T>& values) {
  py::array_t<T> array(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), array.mutable_data());
  return array;
}

py::dict summary_counts_dict(const summary_counts& counts) {
  py::dict result;
  for (std::size_t t = 0; t < counts.fixed.size(); ++t) {
    result[py::str(std::string(enum_traits<summary_table>::names[t]))] =
        summary_table_array(counts.fixed[t]);
  }
  std::vector<std::int32_t> behaviours;
  std::vector<std::int8_t> from;
  std::vector<std::int8_t> to;
  for (const auto& transition : counts.transitions) {
    behaviours.push_back(transition.behaviour);
    from.push_back(transition.from);
    to.push_back(transition.to);
  }
  result["stages"] = py::make_tuple(summary_codes_array(behaviours), summary_codes_array(from),
                                    summary_codes_array(to), summary_table_array(counts.stages));
  result["ratings"] =
      py::make_tuple(summary_codes_array(counts.instruments), summary_table_array(counts.ratings));
  return result;
}

}  // namespace

void register_summary(py::module_& m) {
  std::vector<std::string> tables(enum_traits<summary_table>::names.begin(),
                                  enum_traits<summary_table>::names.end());
  m.attr("SUMMARY_TABLES") = tables;
  m.attr("SUMMARY_RATING_MEASURES") =
      std::vector<std::string>(summary_rating_measures.begin(), summary_rating_measures.end());
  m.def(
      "summary_cells",
      [](const std::string& table) { return summary_cells(from_string<summary_table>(table)); },
      py::arg("table"));
  m.def(
      "add_months_to_days",
      [](const py::array_t<day_number, py::array::c_style | py::array::forcecast>& days,
         int months) {
        py::array_t<day_number> shifted(days.size());
        const std::span<const day_number> in(days.data(), static_cast<std::size_t>(days.size()));
        day_number* out = shifted.mutable_data();
        {
          py::gil_scoped_release unlocked;
          std::transform(in.begin(), in.end(), out, [months](day_number day) {
            return day == missing_day ? missing_day : add_months_to_day(day, months);
          });
        }
        return shifted;
      },
      py::arg("days"), py::arg("months"));
  m.def(
      "count_summary",
      [](const cohort& c, day_number as_of,
         const py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>& groups,
         std::size_t group_count, unsigned threads) {
        summary_options options;
        options.as_of = as_of;
        options.groups = {groups.data(), static_cast<std::size_t>(groups.size())};
        options.group_count = group_count;
        options.threads = threads;
        summary_counts counts;
        {
          py::gil_scoped_release unlocked;
          counts = count_summary(c, options);
        }
        return summary_counts_dict(counts);
      },
      py::arg("cohort"), py::arg("as_of"), py::arg("groups"), py::arg("group_count"),
      py::arg("threads"));
}

}  // namespace mentorcore::python
