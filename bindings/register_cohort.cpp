// The cohort (mentorcore/analytics/cohort.hpp): its tables leave C++ as NumPy arrays that view the
// C++ columns (no copy; read-only, and each keeps the cohort alive), with each column's type and
// its categories or dictionary, so that mentorcore/cohort.py builds DataFrames without a Python
// call per row.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "casters.hpp"
#include "cohort_tables.hpp"
#include "common.hpp"
#include "mentorcore/analytics/cohort.hpp"
#include "register.hpp"

namespace py = pybind11;

namespace mentorcore::python {
namespace {

// pybind11 holders hold a non-const object; nothing here changes a cohort once built.
using shared_cohort = std::shared_ptr<cohort>;

// A read-only NumPy array over `values`, whose base is the Python Cohort object, so the memory
// outlives every view of it.
template <class T>
py::array cohort_column_view(const shared_cohort& owner, const std::vector<T>& values) {
  const py::object base = py::cast(owner);  // the existing Python object of this cohort
  // NumPy needs a non-null pointer even for an empty column.
  static const T no_values{};
  const T* data = values.empty() ? &no_values : values.data();
  py::array array = py::array_t<T>({static_cast<py::ssize_t>(values.size())},
                                   {static_cast<py::ssize_t>(sizeof(T))}, data, base);
  py::detail::array_proxy(array.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return array;
}

// The derived `course` column of a table grouped by course, as a read-only NumPy array of its own
// (the one column of a cohort's exports that is a copy: the cohort stores offsets instead).
template <class Table>
py::array course_column_copy(const Table& table) {
  const auto codes = course_codes(table.offsets);
  py::array_t<std::int32_t> array(static_cast<py::ssize_t>(codes.size()));
  std::copy(codes.begin(), codes.end(), array.mutable_data());
  py::detail::array_proxy(array.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return array;
}

}  // namespace

void register_cohort(py::module_& m) {
  py::class_<cohort, shared_cohort>(
      m, "Cohort", "Every course as column tables (the core of mentorcore.Cohort).")
      .def_static(
          "from_courses",
          [](const py::iterable& courses) {
            cohort_builder build;
            for (const auto item : courses) build.add(item.cast<const course&>());
            return std::make_shared<cohort>(build.finish());
          },
          py::arg("courses"))
      .def_static("table_names",
                  [] {
                    std::vector<std::string> names;
                    for (const auto name : cohort::table_names()) names.emplace_back(name);
                    return names;
                  })
      .def("__len__", &cohort::size)
      .def_property_readonly("memory_bytes", &cohort::memory_bytes)
      .def_property_readonly("date_range", &cohort::date_range)
      .def(
          "rows",
          [](const shared_cohort& self, const std::string& name) {
            std::size_t rows = 0;
            with_cohort_table(*self, name, [&](const auto& table) { rows = row_count(table); });
            return rows;
          },
          py::arg("table"))
      .def(
          "columns",
          [](const shared_cohort& self, const std::string& name) {
            py::dict result;
            with_cohort_table(*self, name, [&](const auto& table) {
              if constexpr (grouped_by_course<std::decay_t<decltype(table)>>)
                result["course"] = course_column_copy(table);
              for_each_column(table, [&](const auto& info, const auto& values) {
                result[py::str(std::string(info.name))] = cohort_column_view(self, values);
              });
            });
            return result;
          },
          py::arg("table"),
          "The table's columns as read-only NumPy arrays that view the cohort's memory.")
      .def(
          "schema",
          [](const shared_cohort& self, const std::string& name) {
            // (column, type, categories or None, dictionary kind or None) per column.
            py::list result;
            with_cohort_table(*self, name, [&](const auto& table) {
              if constexpr (grouped_by_course<std::decay_t<decltype(table)>>) {
                result.append(py::make_tuple("course", std::string(to_string(column_type::code)),
                                             py::none(),
                                             std::string(to_string(dictionary_kind::course))));
              }
              for_each_column(table, [&](const auto& info, const auto&) {
                py::object categories = py::none();
                py::object dictionary = py::none();
                if (info.type == column_type::category) {
                  py::list names;
                  for (const auto category : info.categories) names.append(std::string(category));
                  categories = names;
                }
                if (info.type == column_type::code)
                  dictionary = py::str(std::string(to_string(info.dictionary)));
                result.append(py::make_tuple(std::string(info.name),
                                             std::string(to_string(info.type)), categories,
                                             dictionary));
              });
            });
            return result;
          },
          py::arg("table"))
      .def(
          "dictionary",
          [](const shared_cohort& self, const std::string& kind) {
            const auto& strings = self->dictionary(from_string<dictionary_kind>(kind));
            py::list result(strings.size());
            for (std::size_t i = 0; i < strings.size(); ++i) {
              const auto text = strings[static_cast<std::int32_t>(i)];
              result[i] = py::str(text.data(), text.size());
            }
            return result;
          },
          py::arg("kind"), "The strings of one dictionary, in code order.")
      .def(
          "select",
          [](const shared_cohort& self,
             const py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>& keep) {
            if (keep.ndim() != 1)
              throw invalid_value_error("keep", std::to_string(keep.ndim()) + " dimensions",
                                        "expected one flag per course");
            const std::span<const std::uint8_t> flags(keep.data(),
                                                      static_cast<std::size_t>(keep.size()));
            py::gil_scoped_release unlocked;
            return std::make_shared<cohort>(self->select(flags));
          },
          py::arg("keep"), "The courses whose flag is not 0, with their rows (cohort::select).");
  m.attr("MISSING_DAY") = missing_day;
  m.attr("MISSING_NUMBER") = missing_number;
}

}  // namespace mentorcore::python
