#pragma once
/// \file course_set.hpp
/// One element of a set of courses, whichever way the set holds it.
///
/// The interfaces that take "some courses" accept both `std::span<const course>` (courses the
/// caller owns in a vector) and `std::span<const course* const>` (courses held elsewhere, such
/// as the Python objects the bindings wrap). This is the one place that tells them apart.

#include "mentorcore/course.hpp"

namespace mentorcore::detail {

inline const course& course_of(const course& c) noexcept {
  return c;
}
inline const course& course_of(const course* c) noexcept {
  return *c;
}

}  // namespace mentorcore::detail
