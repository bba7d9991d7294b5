#pragma once
// Tables leave C++ as columns: a dict of NumPy arrays, one per column, built in one pass so
// pandas can make a DataFrame without a Python call per row. One rule per kind of value, so
// every frame has the same dtypes:
//   date           datetime64[D], NaT where missing
//   named enum     int8 codes in enum order, -1 where missing (pandas: Categorical.from_codes)
//   int            int64; where it can be missing, a numpy.ma masked array (pandas: Int64)
//   double         float64, NaN where missing
//   bool           bool; where it can be missing, a masked array (pandas: boolean)
//   text, id       object array of str, None where missing
//   anything else  object array of Python objects (lists, dicts)

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "casters.hpp"
#include "common.hpp"
#include "convert.hpp"
#include "mentorcore/date.hpp"
#include "mentorcore/enum.hpp"
#include "mentorcore/ids.hpp"

namespace mentorcore::python {

namespace py = pybind11;

namespace detail {

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
struct value_of {
  using type = T;
};
template <class T>
struct value_of<std::optional<T>> {
  using type = T;
};

template <class T>
bool present(const T& /*value*/) {
  return true;
}
template <class T>
bool present(const std::optional<T>& value) {
  return value.has_value();
}
template <class T>
const T& get(const T& value) {
  return value;
}
template <class T>
const T& get(const std::optional<T>& value) {
  return *value;
}

inline py::object masked(const py::array& values, const py::array_t<bool>& mask) {
  static const py::handle masked_array =
      py::object(py::module_::import("numpy.ma").attr("masked_array")).release();  // process-long
  return masked_array(values, py::arg("mask") = mask);
}

}  // namespace detail

/// A column of `values` (any of the kinds above) as a NumPy array.
template <class T>
py::object column(const std::vector<T>& values) {
  using V = typename detail::value_of<T>::type;
  constexpr bool optional = detail::is_optional<T>::value;
  const auto n = static_cast<py::ssize_t>(values.size());
  const auto at = [&](py::ssize_t i) -> decltype(auto) {
    return values[static_cast<std::size_t>(i)];
  };
  if constexpr (std::is_same_v<V, boost::gregorian::date>) {
    py::array_t<std::int64_t> days(n);
    auto out = days.mutable_unchecked<1>();
    for (py::ssize_t i = 0; i < n; ++i) {
      out(i) = detail::present(at(i)) && !detail::get(at(i)).is_special()
                   ? epoch_day(detail::get(at(i)))
                   : std::numeric_limits<std::int64_t>::min();  // NaT
    }
    return days.attr("view")("datetime64[D]");
  } else if constexpr (named_enum<V>) {
    py::array_t<std::int8_t> codes(n);
    auto out = codes.mutable_unchecked<1>();
    for (py::ssize_t i = 0; i < n; ++i) {
      out(i) =
          detail::present(at(i)) ? static_cast<std::int8_t>(detail::get(at(i))) : std::int8_t{-1};
    }
    return codes;
  } else if constexpr (std::is_same_v<V, int> || std::is_same_v<V, bool>) {
    using Stored = std::conditional_t<std::is_same_v<V, int>, std::int64_t, bool>;
    py::array_t<Stored> data(n);
    py::array_t<bool> mask(n);
    auto out = data.template mutable_unchecked<1>();
    auto missing = mask.mutable_unchecked<1>();
    for (py::ssize_t i = 0; i < n; ++i) {
      missing(i) = !detail::present(at(i));
      out(i) = missing(i) ? Stored{} : static_cast<Stored>(detail::get(at(i)));
    }
    if constexpr (optional) return detail::masked(data, mask);
    return data;
  } else if constexpr (std::is_same_v<V, double>) {
    py::array_t<double> data(n);
    auto out = data.mutable_unchecked<1>();
    for (py::ssize_t i = 0; i < n; ++i) {
      out(i) = detail::present(at(i)) ? detail::get(at(i)) : std::nan("");
    }
    return data;
  } else {
    py::array data(py::dtype("O"), std::vector<py::ssize_t>{n});
    for (py::ssize_t i = 0; i < n; ++i) {
      py::object item = detail::present(at(i)) ? dump(detail::get(at(i))) : py::none();
      // The array owns one reference per element: hand it the one `item` holds.
      auto** slot = static_cast<PyObject**>(data.mutable_data(i));
      Py_XDECREF(*slot);
      *slot = item.release().ptr();
    }
    return data;
  }
}

/// An object column of Python values made by `make` (lists, dicts) for each element.
template <class T, class Make>
py::object object_column(const std::vector<T>& values, Make make) {
  const auto n = static_cast<py::ssize_t>(values.size());
  py::array data(py::dtype("O"), std::vector<py::ssize_t>{n});
  for (py::ssize_t i = 0; i < n; ++i) {
    py::object item = make(values[static_cast<std::size_t>(i)]);
    auto** slot = static_cast<PyObject**>(data.mutable_data(i));
    Py_XDECREF(*slot);
    *slot = item.release().ptr();
  }
  return data;
}

/// Builds a dict of columns from a range of rows, one `add` per column.
template <class Row>
class column_table {
 public:
  explicit column_table(const std::vector<Row>& rows) : rows_(rows) {}

  /// Adds column `name` with the value `get(row)` of every row.
  template <class Get>
  column_table& add(const char* name, Get get) {
    using T = std::decay_t<std::invoke_result_t<Get, const Row&>>;
    std::vector<T> values;
    values.reserve(rows_.size());
    for (const auto& row : rows_) values.push_back(get(row));
    columns_[name] = column(values);
    return *this;
  }

  /// Adds an object column made by `make(row)`.
  template <class Make>
  column_table& add_objects(const char* name, Make make) {
    columns_[name] = object_column(rows_, make);
    return *this;
  }

  [[nodiscard]] py::dict done() { return std::move(columns_); }

 private:
  const std::vector<Row>& rows_;
  py::dict columns_;
};

}  // namespace mentorcore::python
