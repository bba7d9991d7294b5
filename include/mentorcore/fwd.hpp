#pragma once
/// \file fwd.hpp
/// Forward declarations of mentorcore's public types, for headers that only name them.

#include <cstdint>

namespace mentorcore {

class error;
class invalid_value_error;
class out_of_range_error;

enum class holiday_kind : std::uint8_t;
struct holiday;
class deadline_policy;
struct iso_week_date;

}  // namespace mentorcore
