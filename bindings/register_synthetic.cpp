// The synthetic municipality: generation runs in C++ on all cores with the GIL released; only
// the progress callback comes back to Python.

#include <exception>
#include <optional>
#include <string>
#include <vector>

#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include "casters.hpp"
#include "columns.hpp"
#include "convert.hpp"
#include "courses.hpp"
#include "mentorcore/synthetic.hpp"
#include "register.hpp"

namespace py = pybind11;

namespace mentorcore::python {
namespace {

synthetic_options make_options(std::size_t courses, std::uint64_t seed, const date& first_order,
                               const date& last_order, const std::optional<date>& observation,
                               const std::vector<int>& municipalities, unsigned threads) {
  synthetic_options options;
  options.courses = courses;
  options.seed = seed;
  options.first_order = first_order;
  options.last_order = last_order;
  options.observation = observation;
  for (std::size_t i = 0; i < municipalities.size(); ++i) {
    options.municipalities.emplace_back(municipalities[i],
                                        "municipalities[" + std::to_string(i) + "]");
  }
  options.threads = threads;
  options.validate();
  return options;
}

}  // namespace

void register_synthetic(py::module_& m) {
  py::class_<synthetic_log_summary>(m, "LogSummaryRecord", "What writing a synthetic log wrote.")
      .def_readonly("courses", &synthetic_log_summary::courses)
      .def_readonly("events", &synthetic_log_summary::events)
      .def_readonly("bytes", &synthetic_log_summary::bytes);
  m.def(
      "realised_rates",
      [](py::handle courses) {
        py::list keep;
        const auto pointers = courses_from_python(courses, keep);
        // The GIL stays held while the courses are read in place (see write_events_bytes).
        const auto rates = realised_rates(std::span<const course* const>(pointers));
        return column_table(rates)
            .add("measure", [](const realised_rate& r) { return r.measure; })
            .add("numerator", [](const realised_rate& r) { return r.numerator; })
            .add("denominator", [](const realised_rate& r) { return r.denominator; })
            .done();
      },
      py::arg("courses"));
  m.def("synthetic_reference",
        [] { return std::make_shared<reference_data>(*synthetic_reference()); });
  m.def(
      "synthetic_generate",
      [](std::size_t courses, std::uint64_t seed, const date& first_order, const date& last_order,
         const std::optional<date>& observation, const std::vector<int>& municipalities,
         unsigned threads) {
        const auto options = make_options(courses, seed, first_order, last_order, observation,
                                          municipalities, threads);
        std::vector<course> made;
        {
          py::gil_scoped_release release;
          made = generate_courses(options);
        }
        py::list result;
        for (auto& c : made) result.append(py::cast(std::move(c)));
        return result;
      },
      py::arg("courses"), py::arg("seed"), py::arg("first_order"), py::arg("last_order"),
      py::arg("observation"), py::arg("municipalities"), py::arg("threads"));
  m.def(
      "synthetic_write",
      [](py::handle path_object, std::size_t courses, std::uint64_t seed, const date& first_order,
         const date& last_order, const std::optional<date>& observation,
         const std::vector<int>& municipalities, unsigned threads, py::object progress) {
        const std::string path = load_path(path_object, "path");
        const auto options = make_options(courses, seed, first_order, last_order, observation,
                                          municipalities, threads);
        // An exception raised in Python (Ctrl-C, an error in the callback) stops the generator
        // and is re-raised here once C++ has cleaned up.
        std::optional<py::error_already_set> raised;
        const synthetic_progress report = [&](std::size_t done) {
          py::gil_scoped_acquire acquire;
          try {
            if (PyErr_CheckSignals() != 0) throw py::error_already_set();
            if (!progress.is_none()) progress(done);
          } catch (py::error_already_set& e) {
            raised.emplace(std::move(e));
            return false;
          }
          return true;
        };
        synthetic_log_summary summary;
        try {
          py::gil_scoped_release release;
          summary = write_synthetic_event_log(options, path, report);
        } catch (const cancelled_error&) {
          if (raised) throw std::move(*raised);
          throw;
        }
        return summary;
      },
      py::arg("path"), py::arg("courses"), py::arg("seed"), py::arg("first_order"),
      py::arg("last_order"), py::arg("observation"), py::arg("municipalities"), py::arg("threads"),
      py::arg("progress"));
}

}  // namespace mentorcore::python
