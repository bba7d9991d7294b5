#pragma once
// Helpers every register_<area>.cpp uses: enums, pickled state, dates as epoch days.

#include <cstdint>
#include <string>

#include <pybind11/native_enum.h>
#include <pybind11/pybind11.h>

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

/// Checks a pickled state tuple `(format_version, ...)` of `size` items; throws
/// invalid_value_error (not a cast error) for anything else.
inline void check_pickle_state(const py::tuple& state, std::size_t size, int format_version,
                               const char* type_name) {
  const bool ok = state.size() == size && py::isinstance<py::int_>(state[0]) &&
                  !PyBool_Check(state[0].ptr()) && py::cast<long long>(state[0]) == format_version;
  if (!ok) {
    throw invalid_value_error("pickle", std::string(py::repr(state)),
                              std::string("not a pickled ") + type_name + " of format version " +
                                  std::to_string(format_version));
  }
}

/// Days since 1970-01-01: how dates travel in NumPy arrays (datetime64[D]).
inline std::int64_t epoch_day(const date& day) {
  static const date epoch(1970, 1, 1);
  return (day - epoch).days();
}

}  // namespace mentorcore::python
