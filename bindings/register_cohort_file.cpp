// A cohort saved and loaded (mentorcore/analytics/cohort_file.hpp), pickled as the same bytes, and
// made from its parts (mentorcore/analytics/cohort_parts.hpp) for Cohort.from_frames, which turns
// DataFrames into exactly typed NumPy arrays and leaves every check to assemble_cohort.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "common.hpp"
#include "mentorcore/analytics/cohort.hpp"
#include "mentorcore/analytics/cohort_file.hpp"
#include "mentorcore/analytics/cohort_parts.hpp"
#include "register.hpp"

namespace py = pybind11;

namespace mentorcore::python {

namespace {

// The values of a 1-d NumPy array of exactly `T`, copied into `values`; anything else is an error
// naming `field`. mentorcore/cohort.py converts every column to its exact type first, so this
// only guards the private API.
template <class T>
void copy_cohort_part(const py::handle& given, std::vector<T>& values, const std::string& field) {
  if (!py::isinstance<py::array>(given)) {
    throw invalid_value_error(field, std::string(py::str(py::type::of(given).attr("__name__"))),
                              "expected a NumPy array");
  }
  const auto array = py::reinterpret_borrow<py::array>(given);
  if (!array.dtype().equal(py::dtype::of<T>()) || array.ndim() != 1) {
    throw invalid_value_error(
        field, std::string(py::str(array.dtype())),
        "expected a 1-dimensional array of " + std::string(py::str(py::dtype::of<T>())));
  }
  const auto contiguous = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(array);
  if (!contiguous) throw py::error_already_set();
  const std::span<const T> copied(contiguous.data(), static_cast<std::size_t>(contiguous.size()));
  values.assign(copied.begin(), copied.end());
}

std::shared_ptr<cohort> cohort_of_parts(const py::dict& dictionaries, const py::dict& tables,
                                        const py::dict& offsets, const py::dict& source_rows) {
  cohort_parts parts;
  for (std::size_t k = 0; k < dictionary_kind_count; ++k) {
    const std::string kind(to_string(static_cast<dictionary_kind>(k)));
    if (!dictionaries.contains(kind)) continue;  // an empty dictionary
    for (const auto item : dictionaries[kind.c_str()].cast<py::iterable>())
      parts.dictionaries[k].push_back(item.cast<std::string>());
  }
  const auto names = cohort::table_names();
  for (const auto item : tables) {
    const auto name = item.first.cast<std::string>();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      throw invalid_value_error("table", "\"" + name + "\"", "no such table");
    }
  }
  parts.source_rows.resize(names.size());
  std::size_t table_index = 0;
  parts.tables.for_each_table([&](auto& table) {
    using table_type = std::decay_t<decltype(table)>;
    const std::string name(table_traits<table_type>::name);
    auto& rows = parts.source_rows[table_index++];
    if (source_rows.contains(name)) {
      copy_cohort_part(source_rows[name.c_str()].cast<py::object>(), rows, name + " rows");
    }
    if (!tables.contains(name)) {
      // A table not given is empty: no rows for any course (the courses table comes first, so
      // their number is known here).
      if constexpr (grouped_by_course<table_type>) {
        table.offsets.assign(row_count(parts.tables.courses()) + 1, 0);
      }
      return;
    }
    const auto columns = tables[name.c_str()].cast<py::dict>();
    if constexpr (grouped_by_course<table_type>) {
      if (!offsets.contains(name)) {
        throw invalid_value_error(name + ".offsets", "missing", "a child table needs offsets");
      }
      copy_cohort_part(offsets[name.c_str()].cast<py::object>(), table.offsets, name + ".offsets");
    }
    std::size_t found = 0;
    for_each_column(table, [&](const auto& info, auto& values) {
      const std::string column(info.name);
      if (!columns.contains(column)) {
        throw invalid_value_error(name + "." + column, "missing", "the table needs this column");
      }
      ++found;
      copy_cohort_part(columns[column.c_str()].cast<py::object>(), values, name + "." + column);
    });
    if (found != columns.size()) {
      throw invalid_value_error(name, std::to_string(columns.size()) + " columns",
                                "expected " + std::to_string(found));
    }
  });
  const py::gil_scoped_release unlocked;
  return std::make_shared<cohort>(assemble_cohort(std::move(parts)));
}

}  // namespace

void register_cohort_file(py::module_& m) {
  m.attr("COHORT_FILE_VERSION") = cohort_file_version;
  m.def(
      "save_cohort",
      [](const cohort& c, const std::string& path) {
        const py::gil_scoped_release unlocked;
        save_cohort(c, path);
      },
      py::arg("cohort"), py::arg("path"), "Writes the cohort to `path` (whole or not at all).");
  m.def(
      "load_cohort",
      [](const std::string& path) {
        const py::gil_scoped_release unlocked;
        return std::make_shared<cohort>(load_cohort(path));
      },
      py::arg("path"), "The cohort saved at `path`.");
  m.def(
      "cohort_to_bytes",
      [](const cohort& c) {
        std::string bytes;
        {
          const py::gil_scoped_release unlocked;
          bytes = cohort_to_bytes(c);
        }
        return py::bytes(bytes);
      },
      py::arg("cohort"), "The bytes save_cohort writes.");
  m.def(
      "cohort_from_bytes",
      [](const py::bytes& data, const std::string& source) {
        const std::string_view bytes(data);
        const py::gil_scoped_release unlocked;
        return std::make_shared<cohort>(cohort_from_bytes(bytes, source));
      },
      py::arg("data"), py::arg("source") = "<bytes>", "The cohort of cohort_to_bytes's bytes.");
  m.def(
      "cohorts_equal", [](const cohort& a, const cohort& b) { return a == b; }, py::arg("a"),
      py::arg("b"), "Whether every table and dictionary of the two cohorts is equal.");
  m.def("cohort_from_parts", &cohort_of_parts, py::arg("dictionaries"), py::arg("tables"),
        py::arg("offsets"), py::arg("source_rows"),
        "A cohort made from its parts (Cohort.from_frames), after assemble_cohort's checks.");
}

}  // namespace mentorcore::python
