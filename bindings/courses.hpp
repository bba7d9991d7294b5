#pragma once
// The one place the bindings turn "an iterable of Course" into pointers to the C++ courses.
// (mentorcore/_courses.py is its Python counterpart: it accepts a Course or an iterable of them
// and hands this a list of the bound courses.)

#include <string>
#include <vector>

#include <pybind11/pybind11.h>

#include "convert.hpp"
#include "mentorcore/course.hpp"

namespace mentorcore::python {

namespace py = pybind11;

/// Pointers into the Python objects of `courses`; `keep` holds a reference to each for as long
/// as the pointers are used (an iterator may hand out objects that nothing else keeps alive).
/// Anything but an iterable of Course raises invalid_value_error naming "courses" or
/// "courses[i]".
inline std::vector<const course*> courses_from_python(py::handle courses, py::list& keep) {
  if (!py::isinstance<py::iterable>(courses) || PyUnicode_Check(courses.ptr()))
    wrong_value("courses", courses, "an iterable of Course");
  std::vector<const course*> result;
  std::size_t index = 0;
  iterate_python(courses, "courses", "an iterable of Course", [&] {
    for (const auto item : courses) {
      try {
        result.push_back(&py::cast<const course&>(item));
        keep.append(item);
      } catch (const py::cast_error&) {
        wrong_value("courses[" + std::to_string(index) + "]", item, "a Course");
      }
      ++index;
    }
  });
  return result;
}

}  // namespace mentorcore::python
