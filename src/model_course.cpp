// The model's definitions, compiled once for mentorcore::io and everything that links it: the
// calendar, the course, the instruments and the reference data. The library is built with
// MENTORCORE_SEPARATE_COMPILATION (CMakeLists.txt), so the concept headers only declare and
// MENTORCORE_DECL is empty: each definition below is an ordinary function of the library, not an
// inline one compiled again in every translation unit that calls it. The cohort analytics are
// in model_analytics.cpp, so that the two compile side by side.

#include "mentorcore/detail/calendar_impl.hpp"
#include "mentorcore/detail/course_handover_impl.hpp"
#include "mentorcore/detail/course_impl.hpp"
#include "mentorcore/detail/course_relationship_impl.hpp"
#include "mentorcore/detail/course_views_impl.hpp"
#include "mentorcore/detail/instrument_impl.hpp"
#include "mentorcore/detail/reference_data_impl.hpp"

#ifndef MENTORCORE_SEPARATE_COMPILATION
#error "src/model_course.cpp is compiled with MENTORCORE_SEPARATE_COMPILATION (detail/decl.hpp)"
#endif
