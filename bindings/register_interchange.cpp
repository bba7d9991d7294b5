// The event log: reading and writing JSON Lines, with the GIL released while C++ works.

#include <optional>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "casters.hpp"
#include "common.hpp"
#include "convert.hpp"
#include "courses.hpp"
#include "mentorcore/analytics/read_cohort.hpp"
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

// What reading returns to Python: the courses (moved into Python objects once) and the
// rejected lines.
struct read_outcome {
  py::list courses;
  std::vector<rejected_line> rejected;
  std::size_t redacted_texts = 0;
};

read_outcome result_to_python(read_result&& result) {
  read_outcome outcome;
  for (auto& c : result.courses) outcome.courses.append(py::cast(std::move(c)));
  outcome.rejected = std::move(result.rejected);
  outcome.redacted_texts = result.redacted_texts;
  return outcome;
}

// What read_cohort returns to Python.
struct cohort_read_outcome {
  std::shared_ptr<cohort> rows;
  std::vector<cohort_rejected_line> rejected;
  std::size_t redacted_texts = 0;
};

}  // namespace

void register_interchange(py::module_& m) {
  py::class_<rejected_line>(m, "RejectedLineRecord", "A line that was not loaded, and why.")
      .def_readonly("line", &rejected_line::line)
      .def_readonly("course", &rejected_line::course)
      .def_readonly("message", &rejected_line::message);
  py::class_<read_outcome>(m, "ReadOutcome", "The courses read and the lines rejected.")
      .def_readonly("courses", &read_outcome::courses)
      .def_readonly("rejected", &read_outcome::rejected)
      .def_readonly("redacted_texts", &read_outcome::redacted_texts);
  m.attr("EVENT_SCHEMA") = std::string(event_schema);
  m.attr("MAX_EVENT_LINE_BYTES") = max_event_line_bytes;
  m.def(
      "read_events_bytes",
      [](const py::bytes& data, const std::string& source,
         const std::shared_ptr<reference_data>& reference, py::handle key, bool collect) {
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
      [](py::handle path_object, const std::shared_ptr<reference_data>& reference, py::handle key,
         bool collect) {
        const std::string path = load_path(path_object, "source");
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
      [](py::handle courses, py::handle path_object) {
        const std::string path = load_path(path_object, "target");
        py::list keep;
        const auto list = courses_from_python(courses, keep);
        write_events_file(std::span<const course* const>(list), path);  // GIL held, as above
      },
      py::arg("courses"), py::arg("path"));
  py::class_<cohort_rejected_line>(m, "CohortRejectedLineRecord",
                                   "A line that was not loaded, its file, and why.")
      .def_readonly("file", &cohort_rejected_line::file)
      .def_readonly("line", &cohort_rejected_line::line)
      .def_readonly("course", &cohort_rejected_line::course)
      .def_readonly("message", &cohort_rejected_line::message);
  py::class_<cohort_read_outcome>(m, "CohortReadOutcome", "The cohort read and the lines rejected.")
      .def_readonly("cohort", &cohort_read_outcome::rows)
      .def_readonly("rejected", &cohort_read_outcome::rejected)
      .def_readonly("redacted_texts", &cohort_read_outcome::redacted_texts);
  m.def(
      "read_cohort",
      [](const py::list& path_objects, const std::shared_ptr<reference_data>& reference,
         py::handle key, bool collect, unsigned threads, const py::object& progress) {
        std::vector<std::string> paths;
        for (const auto item : path_objects) paths.push_back(load_path(item, "paths"));
        cohort_read_options options;
        static_cast<read_options&>(options) = make_options(reference, key, collect);
        options.threads = threads;
        // From the calling thread, every tenth of a second: Ctrl-C stops the read there.
        options.progress = [&progress](std::uint64_t done, std::uint64_t total) {
          const py::gil_scoped_acquire gil;
          if (PyErr_CheckSignals() != 0) throw py::error_already_set();
          if (!progress.is_none()) progress(done, total);
        };
        cohort_read_result result;
        {
          py::gil_scoped_release release;
          result = read_cohort(paths, options);
        }
        return cohort_read_outcome{std::make_shared<cohort>(std::move(result.cohort)),
                                   std::move(result.rejected), result.redacted_texts};
      },
      py::arg("paths"), py::arg("reference"), py::arg("pseudonym_key"), py::arg("collect"),
      py::arg("threads"), py::arg("progress"),
      "Reads event-log files into a cohort (mentorcore::read_cohort); the GIL is released.");
  m.def("event_json_schema", &event_json_schema);
  m.def(
      "pseudonymise",
      [](py::handle key, py::handle cpr) {
        // A CPR number given as an int (101901234) must not come back in the error either.
        if (!py::isinstance<py::str>(cpr)) {
          throw invalid_value_error(
              "cpr", "[withheld]",
              "expected a str, got " +
                  std::string(py::str(py::type::handle_of(cpr).attr("__name__"))));
        }
        return pseudonymiser(load<std::string>(key, "pseudonym_key"))
            .citizen_for(load<std::string>(cpr, "cpr"))
            .str();
      },
      py::arg("pseudonym_key"), py::arg("cpr"));
}

}  // namespace mentorcore::python
