// The event log: reading and writing JSON Lines, with the GIL released while C++ works.

#include <optional>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "casters.hpp"
#include "common.hpp"
#include "convert.hpp"
#include "mentorcore/interchange.hpp"
#include "register.hpp"

namespace py = pybind11;

namespace mentorcore::python {
namespace {

read_options make_options(const std::shared_ptr<reference_data>& reference, py::handle key,
                          bool collect) {
  read_options options;
  if (reference) options.reference = reference;
  if (!key.is_none()) options.pseudonyms = pseudonymiser(load<std::string>(key, "pseudonym_key"));
  options.collect_errors = collect;
  return options;
}

py::tuple result_to_python(read_result&& result) {
  py::list courses;
  for (auto& c : result.courses) courses.append(py::cast(std::move(c)));
  py::list rejected;
  for (const auto& r : result.rejected)
    rejected.append(py::make_tuple(r.line, r.course, r.message));
  return py::make_tuple(courses, rejected);
}

// Pointers into the Python objects; `keep` holds a reference to each for as long as they are used
// (an iterator may hand out objects that nothing else keeps alive).
std::vector<const course*> courses_from_python(py::handle courses, py::list& keep) {
  if (!py::isinstance<py::iterable>(courses))
    wrong_value("courses", courses, "an iterable of Course");
  std::vector<const course*> result;
  std::size_t index = 0;
  for (const auto item : courses) {
    try {
      result.push_back(&py::cast<const course&>(item));
      keep.append(item);
    } catch (const py::cast_error&) {
      wrong_value("courses[" + std::to_string(index) + "]", item, "a Course");
    }
    ++index;
  }
  return result;
}

}  // namespace

void register_interchange(py::module_& m) {
  m.attr("EVENT_SCHEMA") = std::string(event_schema);
  m.def(
      "read_events_bytes",
      [](const py::bytes& data, const std::string& source,
         std::shared_ptr<reference_data> reference, py::handle key, bool collect) {
        const auto options = make_options(reference, key, collect);
        const std::string_view text = data;  // bytes stay alive for the call
        read_result result;
        {
          py::gil_scoped_release release;
          result = read_events(text, source, options);
        }
        return result_to_python(std::move(result));
      },
      py::arg("data"), py::arg("source"), py::arg("reference"), py::arg("pseudonym_key"),
      py::arg("collect"));
  m.def(
      "read_events_file",
      [](const std::string& path, std::shared_ptr<reference_data> reference, py::handle key,
         bool collect) {
        const auto options = make_options(reference, key, collect);
        read_result result;
        {
          py::gil_scoped_release release;
          result = read_events_file(path, options);
        }
        return result_to_python(std::move(result));
      },
      py::arg("path"), py::arg("reference"), py::arg("pseudonym_key"), py::arg("collect"));
  m.def(
      "write_events_bytes",
      [](py::handle courses) {
        py::list keep;
        const auto list = courses_from_python(courses, keep);
        // The GIL stays held: the courses are read in place, and another Python thread must
        // not append to one meanwhile. Copying them to release the GIL cost more than the write.
        const std::string text = write_events(std::span<const course* const>(list));
        return py::bytes(text);
      },
      py::arg("courses"));
  m.def(
      "write_events_file",
      [](py::handle courses, const std::string& path) {
        py::list keep;
        const auto list = courses_from_python(courses, keep);
        write_events_file(std::span<const course* const>(list), path);  // GIL held, as above
      },
      py::arg("courses"), py::arg("path"));
  m.def("event_json_schema", &event_json_schema);
  m.def(
      "pseudonymise",
      [](py::handle key, py::handle cpr) {
        return pseudonymiser(load<std::string>(key, "pseudonym_key"))
            .citizen_for(load<std::string>(cpr, "cpr"))
            .str();
      },
      py::arg("pseudonym_key"), py::arg("cpr"));
}

}  // namespace mentorcore::python
