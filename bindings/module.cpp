#include <pybind11/pybind11.h>

#include "register.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "mentorcore's compiled core. Use the public package `mentorcore` instead.";
  m.attr("__version__") = MENTORCORE_VERSION_INFO;

  mentorcore::python::register_errors(m);
  auto calendar = m.def_submodule("calendar", "The Danish working-day calendar.");
  mentorcore::python::register_calendar(calendar);
  mentorcore::python::register_relationship(m);
  mentorcore::python::register_handover(m);
  mentorcore::python::register_course(m);
  mentorcore::python::register_interchange(m);
  mentorcore::python::register_synthetic(m);
  mentorcore::python::register_frames(m);
  mentorcore::python::register_cohort(m);
  mentorcore::python::register_survival(m);
  mentorcore::python::register_summary(m);
  mentorcore::python::register_arrow(m);  // after register_cohort: it extends the Cohort class
  mentorcore::python::register_cohort_file(m);
  mentorcore::python::register_journal(m);  // after register_course and register_cohort
}
