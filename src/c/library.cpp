// The library-wide entry points of the C interface: versions, the calling thread's message and
// fault, the names of status and fault codes, and mc_free.

#include <cstdlib>

#include "c_state.hpp"
#include "mentorcore/c/mentorcore.h"

extern "C" {

int mc_abi_version() {
  return MC_ABI_VERSION;
}

const char* mc_version_string() {
  return MENTORCORE_C_VERSION_STRING;
}

const char* mc_last_error_message() {
  return mentorcore::c_api::current_thread_state().message.c_str();
}

mc_fault mc_last_fault() {
  return mentorcore::c_api::current_thread_state().fault;
}

const char* mc_status_name(mc_status status) {
  switch (mentorcore::c_api::c_enum_value(status)) {
    case MC_OK: return "MC_OK";
    case MC_ERROR_ARGUMENT: return "MC_ERROR_ARGUMENT";
    case MC_ERROR_INVALID_VALUE: return "MC_ERROR_INVALID_VALUE";
    case MC_ERROR_PARSE: return "MC_ERROR_PARSE";
    case MC_ERROR_RULE_VIOLATION: return "MC_ERROR_RULE_VIOLATION";
    case MC_ERROR_NOT_FOUND: return "MC_ERROR_NOT_FOUND";
    case MC_ERROR_DUPLICATE: return "MC_ERROR_DUPLICATE";
    case MC_ERROR_BUSY: return "MC_ERROR_BUSY";
    case MC_ERROR_JOURNAL: return "MC_ERROR_JOURNAL";
    case MC_ERROR_OUT_OF_MEMORY: return "MC_ERROR_OUT_OF_MEMORY";
    case MC_ERROR_INTERNAL: return "MC_ERROR_INTERNAL";
  }
  return "unknown status";
}

const char* mc_fault_name(mc_fault fault) {
  // The names of mentorcore::journal_fault (to_string), and "none".
  switch (mentorcore::c_api::c_enum_value(fault)) {
    case MC_FAULT_NONE: return "none";
    case MC_FAULT_NOT_A_JOURNAL: return "not_a_journal";
    case MC_FAULT_NEWER_SCHEMA: return "newer_schema";
    case MC_FAULT_READ_ONLY: return "read_only";
    case MC_FAULT_FULL: return "full";
    case MC_FAULT_BUSY: return "busy";
    case MC_FAULT_CORRUPT: return "corrupt";
    case MC_FAULT_IO: return "io";
    case MC_FAULT_UNKNOWN_COURSE: return "unknown_course";
    case MC_FAULT_DUPLICATE: return "duplicate";
    case MC_FAULT_REFERENCE_DATA: return "reference_data";
  }
  return "unknown fault";
}

// The buffers were malloc'd for C callers (c_api::malloc_copy), which own them.
void mc_free(void* buffer) {
  std::free(buffer);  // NOLINT(*-no-malloc,*-owning-memory)
}

}  // extern "C"
