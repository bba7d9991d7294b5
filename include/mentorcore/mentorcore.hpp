#pragma once
/// \file mentorcore.hpp
/// Umbrella header: everything in mentorcore's public C++ API.

#include "mentorcore/calendar.hpp"
#include "mentorcore/date.hpp"
#include "mentorcore/enum.hpp"
#include "mentorcore/error.hpp"
#include "mentorcore/fwd.hpp"
#include "mentorcore/version.hpp"
