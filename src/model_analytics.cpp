// The cohort analytics' definitions (the cohort, its parts, the summary counts and the survival
// estimators), compiled once for mentorcore::io and everything that links it, as the rest of the
// model is in model_course.cpp.

#include "mentorcore/analytics/detail/cohort_combine_impl.hpp"
#include "mentorcore/analytics/detail/cohort_impl.hpp"
#include "mentorcore/analytics/detail/cohort_parts_impl.hpp"
#include "mentorcore/analytics/detail/summary_impl.hpp"
#include "mentorcore/analytics/detail/survival_impl.hpp"

#ifndef MENTORCORE_SEPARATE_COMPILATION
#error "src/model_analytics.cpp is compiled with MENTORCORE_SEPARATE_COMPILATION (detail/decl.hpp)"
#endif
