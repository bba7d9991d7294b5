#pragma once
// Dates written as the tests read them: d(2024, 1, 8). Shared, because the C++ tests are compiled
// as a few unity translation units, where two file-local helpers of one name would collide.

#include "mentorcore/date.hpp"

namespace fixtures {

inline mentorcore::date d(int y, int m, int day) {
  return {static_cast<unsigned short>(y), static_cast<unsigned short>(m),
          static_cast<unsigned short>(day)};
}

}  // namespace fixtures
