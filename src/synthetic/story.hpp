#pragma once
// One synthetic course's story: the order, then a life drawn from the calibration
// (calibration.hpp) with the course's own random stream (random.hpp), appended event by event
// through course::append, so every event passes the model's validation.

#include <cstddef>
#include <memory>

#include "mentorcore/course.hpp"
#include "mentorcore/reference_data.hpp"
#include "mentorcore/synthetic.hpp"

namespace mentorcore::detail::synthetic {

/// Course number `index` (0-based) of the options' seed, checked against `reference`. Depends
/// only on the options and the index. The options must be valid (synthetic_options::validate).
[[nodiscard]] course tell_story(const synthetic_options& options, std::size_t index,
                                const std::shared_ptr<const reference_data>& reference);

}  // namespace mentorcore::detail::synthetic
