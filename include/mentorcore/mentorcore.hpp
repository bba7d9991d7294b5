#pragma once
/// \file mentorcore.hpp
/// Umbrella header: everything in mentorcore's public C++ API.

#include "mentorcore/calendar.hpp"
#include "mentorcore/contact.hpp"
#include "mentorcore/course.hpp"
#include "mentorcore/date.hpp"
#include "mentorcore/enum.hpp"
#include "mentorcore/error.hpp"
#include "mentorcore/event.hpp"
#include "mentorcore/fwd.hpp"
#include "mentorcore/handover.hpp"
#include "mentorcore/ids.hpp"
#include "mentorcore/instrument.hpp"
#include "mentorcore/interchange.hpp"
#include "mentorcore/knowledge.hpp"
#include "mentorcore/motivation.hpp"
#include "mentorcore/outcome.hpp"
#include "mentorcore/phase.hpp"
#include "mentorcore/reference_data.hpp"
#include "mentorcore/synthetic.hpp"
#include "mentorcore/version.hpp"
