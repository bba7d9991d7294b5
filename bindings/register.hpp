#pragma once
// One register_<area> function per area of the API; module.cpp only creates submodules and
// calls them.

#include <pybind11/pybind11.h>

#include "mentorcore/course.hpp"

namespace mentorcore::python {

void register_errors(pybind11::module_& m);
void register_calendar(pybind11::module_& m);
void register_course(pybind11::module_& m);
void register_relationship(pybind11::module_& m);
void register_handover(pybind11::module_& m);
void register_interchange(pybind11::module_& m);
void register_synthetic(pybind11::module_& m);
void register_frames(pybind11::module_& m);
void register_cohort(pybind11::module_& m);
void register_survival(pybind11::module_& m);
void register_summary(pybind11::module_& m);
/// Adds the Arrow export (C Data and C Stream Interfaces in PyCapsules) to the Cohort class.
void register_arrow(pybind11::module_& m);
void register_cohort_file(pybind11::module_& m);
/// The journal (mentorcore/journal.hpp): durable courses with an audit trail.
void register_journal(pybind11::module_& m);

/// Adds the motivation, rating, goal and knowledge views to the Course class.
void add_relationship_views(pybind11::class_<course>& cls);
/// Adds the consent and handover views to the Course class.
void add_handover_views(pybind11::class_<course>& cls);
/// Adds the tables, as columns, to the Course class.
void add_frame_views(pybind11::class_<course>& cls);

}  // namespace mentorcore::python
