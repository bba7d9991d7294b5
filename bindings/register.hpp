#pragma once
// One register_<area> function per area of the API; module.cpp only creates submodules and
// calls them.

#include <pybind11/pybind11.h>

namespace mentorcore::python {

void register_errors(pybind11::module_& m);
void register_calendar(pybind11::module_& m);
void register_course(pybind11::module_& m);

}  // namespace mentorcore::python
