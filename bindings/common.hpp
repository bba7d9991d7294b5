#pragma once
// Helpers every register_<area>.cpp uses: enums, pickled state, dates as epoch days.

#include <cstdint>
#include <string>

#include <pybind11/native_enum.h>
#include <pybind11/pybind11.h>

#include "convert.hpp"
#include "mentorcore/date.hpp"
#include "mentorcore/enum.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore::python {

namespace py = pybind11;

/// Binds a named enum as a real Python enum.Enum whose members carry the stable C++ names.
template <named_enum Enum>
void bind_enum(py::module_& m, const char* python_name, const char* doc) {
  py::native_enum<Enum> binding(m, python_name, "enum.Enum", doc);
  for (const auto value : all_values<Enum>())
    binding.value(std::string(to_string(value)).c_str(), value);
  binding.finalize();
}

/// Checks a pickled state `(format_version, ...)` of `size` items and returns it as a tuple;
/// anything else (not a tuple, the wrong length, a version that is not the int
/// `format_version`, 2**64 included) throws invalid_value_error naming "pickle". The set
/// functions of py::pickle take a py::object and call this first, so a hand-made state never
/// reaches pybind11's own argument matching (a TypeError) or an unchecked cast.
inline py::tuple check_pickle_state(py::handle state, std::size_t size, int format_version,
                                    const char* type_name) {
  bool ok = PyTuple_Check(state.ptr()) != 0 &&
            static_cast<std::size_t>(PyTuple_GET_SIZE(state.ptr())) == size && size > 0;
  if (ok) {
    PyObject* version = PyTuple_GET_ITEM(state.ptr(), 0);
    int overflow = 0;
    ok = PyLong_CheckExact(version) != 0 &&
         PyLong_AsLongLongAndOverflow(version, &overflow) == format_version && overflow == 0;
    if (PyErr_Occurred()) PyErr_Clear();  // cannot fail for an exact int; be safe anyway
  }
  if (!ok) {
    const std::string shown = python_value_text(state);
    throw invalid_value_error("pickle", shown,
                              std::string("not a pickled ") + type_name + " of format version " +
                                  std::to_string(format_version));
  }
  return py::reinterpret_borrow<py::tuple>(state);
}

/// Days since 1970-01-01: how dates travel in NumPy arrays (datetime64[D]).
inline std::int64_t epoch_day(const date& day) {
  static const date epoch(1970, 1, 1);
  return (day - epoch).days();
}

}  // namespace mentorcore::python
