#pragma once
/// \file detail/decl.hpp
/// MENTORCORE_DECL marks the model's out-of-class definitions in the detail/*_impl.hpp headers.
///
/// mentorcore::core is header-only: each concept header ends by including its definitions, and
/// MENTORCORE_DECL is `inline`. mentorcore::io compiles those definitions once
/// (src/model_course.cpp and src/model_analytics.cpp) and passes MENTORCORE_SEPARATE_COMPILATION to
/// everything that links it: the concept headers then declare and no longer define, and
/// MENTORCORE_DECL is empty. Asio's ASIO_DECL and ASIO_SEPARATE_COMPILATION are the model. Every
/// translation unit of one program must agree on the macro; linking mentorcore::io gives it to all
/// of them.

#ifdef MENTORCORE_SEPARATE_COMPILATION
#define MENTORCORE_DECL
#else
#define MENTORCORE_DECL inline
#endif
