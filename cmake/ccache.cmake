# Included before project() by the presets in CMakePresets.json (CMAKE_PROJECT_INCLUDE_BEFORE):
# compile through ccache when it is installed, unless the caller chose a launcher already
# (-DCMAKE_CXX_COMPILER_LAUNCHER=..., or the environment variable of the same name).
if(NOT DEFINED CMAKE_CXX_COMPILER_LAUNCHER AND NOT DEFINED ENV{CMAKE_CXX_COMPILER_LAUNCHER})
  find_program(MENTORCORE_CCACHE ccache)
  if(MENTORCORE_CCACHE)
    set(CMAKE_CXX_COMPILER_LAUNCHER ${MENTORCORE_CCACHE} CACHE STRING "Compiler launcher (ccache, found)")
  endif()
endif()
