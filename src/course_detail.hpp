#pragma once
// Internals shared by the course's source files.

#include <algorithm>
#include <cstddef>

#include "mentorcore/date.hpp"

namespace mentorcore::detail {

/// The month of course that `day` falls in, counting Danish months from `start` (month 0 starts
/// on `start`).
int month_of_course(const date& start, const date& day);

/// Makes room for one more element before anything is changed, so a later push_back cannot
/// throw. Grows geometrically: reserving size() + 1 each time would reallocate on every append.
template <class Vector>
void reserve_one_more(Vector& items) {
  if (items.size() == items.capacity())
    items.reserve(std::max<std::size_t>(8, 2 * items.capacity()));
}

}  // namespace mentorcore::detail
