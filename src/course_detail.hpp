#pragma once
// Internals shared by the course's source files.

#include "mentorcore/date.hpp"

namespace mentorcore::detail {

/// The month of course that `day` falls in, counting Danish months from `start` (month 0 starts
/// on `start`).
int month_of_course(const date& start, const date& day);

}  // namespace mentorcore::detail
