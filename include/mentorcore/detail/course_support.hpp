#pragma once
/// \file detail/course_support.hpp
/// Internals shared by the course's implementation headers.

#include <algorithm>
#include <cstddef>

#include "mentorcore/calendar.hpp"
#include "mentorcore/date.hpp"

namespace mentorcore::detail {

/// The month of course that `day` falls in, counting Danish months from `start` (month 0 starts
/// on `start`).
[[nodiscard]] inline int month_of_course(const date& start, const date& day) {
  int month =
      (day.year() - start.year()) * 12 + (day.month().as_number() - start.month().as_number());
  while (month > 0 && add_months(start, month) > day) --month;
  while (add_months(start, month + 1) <= day) ++month;
  return month;
}

/// Makes room for one more element before anything is changed, so a later push_back cannot
/// throw. Grows geometrically: reserving size() + 1 each time would reallocate on every append.
template <class Vector>
void reserve_one_more(Vector& items) {
  if (items.size() == items.capacity())
    items.reserve(std::max<std::size_t>(8, 2 * items.capacity()));
}

}  // namespace mentorcore::detail
