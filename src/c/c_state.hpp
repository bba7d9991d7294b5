#pragma once
// The machinery every entry point of the C interface shares: the calling thread's message and
// fault, the guard that turns every C++ exception into an mc_status, checks of the C
// arguments, and buffers handed to C callers. Everything is in mentorcore::c_api and inline, so
// that the unity build of src/c/ sees one definition.

#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "mentorcore/c/mentorcore.h"
#include "mentorcore/detail/redact.hpp"
#include "mentorcore/error.hpp"
#include "mentorcore/ids.hpp"
#include "mentorcore/journal.hpp"

namespace mentorcore::c_api {

/// A C enum's value as an int, read without loading it as the C++ enum type: a caller may pass
/// a code this library does not know (a newer header, a bad cast), and in C++ reading a value
/// outside the range of an enum's enumerators as that enum is undefined behaviour.
template <class Enum>
[[nodiscard]] int c_enum_value(const Enum& value) noexcept {
  static_assert(std::is_enum_v<Enum> && sizeof(Enum) == sizeof(int));
  int raw = 0;
  std::memcpy(&raw, &value, sizeof raw);
  return raw;
}

/// What mc_last_error_message and mc_last_fault return on this thread.
struct thread_state {
  std::string message;
  mc_fault fault = MC_FAULT_NONE;
};

[[nodiscard]] inline thread_state& current_thread_state() noexcept {
  thread_local thread_state state;
  return state;
}

/// A C argument the caller got wrong (a null pointer, a bad struct size): MC_ERROR_ARGUMENT.
/// Not a mentorcore::error: it is the C caller's mistake, not a value of the domain.
class argument_error : public std::runtime_error {
 public:
  explicit argument_error(const std::string& message) : std::runtime_error(message) {}
};

/// Records `message` and `fault` for this thread and returns `status`; never throws. The message
/// is redacted (again, for texts that did not come from a mentorcore::error). If memory runs out
/// while it is copied, the message says so instead.
inline mc_status record_failure(mc_status status, std::string_view message,
                                mc_fault fault = MC_FAULT_NONE) noexcept {
  thread_state& state = current_thread_state();
  state.fault = fault;
  try {
    state.message = detail::redact_personal_numbers(message);
  } catch (...) {
    // Short enough for the string's own buffer: assigning it allocates nothing.
    state.message.assign("out of memory");
  }
  return status;
}

/// The C fault of a journal fault. A switch, not a cast: the C values are fixed whatever order
/// the C++ enum takes.
[[nodiscard]] inline mc_fault c_fault(journal_fault fault) noexcept {
  switch (fault) {
    case journal_fault::not_a_journal: return MC_FAULT_NOT_A_JOURNAL;
    case journal_fault::newer_schema: return MC_FAULT_NEWER_SCHEMA;
    case journal_fault::read_only: return MC_FAULT_READ_ONLY;
    case journal_fault::full: return MC_FAULT_FULL;
    case journal_fault::busy: return MC_FAULT_BUSY;
    case journal_fault::corrupt: return MC_FAULT_CORRUPT;
    case journal_fault::io: return MC_FAULT_IO;
    case journal_fault::unknown_course: return MC_FAULT_UNKNOWN_COURSE;
    case journal_fault::duplicate: return MC_FAULT_DUPLICATE;
    case journal_fault::reference_data: return MC_FAULT_REFERENCE_DATA;
  }
  return MC_FAULT_NONE;
}

[[nodiscard]] inline mc_status journal_status(mc_fault fault) noexcept {
  switch (fault) {
    case MC_FAULT_UNKNOWN_COURSE: return MC_ERROR_NOT_FOUND;
    case MC_FAULT_DUPLICATE: return MC_ERROR_DUPLICATE;
    case MC_FAULT_BUSY: return MC_ERROR_BUSY;
    default: return MC_ERROR_JOURNAL;
  }
}

/// Runs `body` (which writes the out-parameters last, once nothing can fail) and returns its
/// status: MC_OK, or the status of what it threw, with the message recorded for this thread.
/// The one place where C++ exceptions stop: nothing gets past the catch-all.
template <class Body>
[[nodiscard]] mc_status guarded(Body&& body) noexcept {
  try {
    std::forward<Body>(body)();
    thread_state& state = current_thread_state();
    state.message.clear();
    state.fault = MC_FAULT_NONE;
    return MC_OK;
  } catch (const argument_error& e) {
    return record_failure(MC_ERROR_ARGUMENT, e.what());
  } catch (const journal_error& e) {
    const mc_fault fault = c_fault(e.fault());
    return record_failure(journal_status(fault), e.what(), fault);
  } catch (const rule_violation_error& e) {
    return record_failure(MC_ERROR_RULE_VIOLATION, e.what());
  } catch (const parse_error& e) {
    return record_failure(MC_ERROR_PARSE, e.what());
  } catch (const invalid_value_error& e) {
    return record_failure(MC_ERROR_INVALID_VALUE, e.what());
  } catch (const error& e) {
    // Every other mentorcore error is a value or a text the caller gave.
    return record_failure(MC_ERROR_INVALID_VALUE, e.what());
  } catch (const std::bad_alloc&) {
    return record_failure(MC_ERROR_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return record_failure(MC_ERROR_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return record_failure(MC_ERROR_INTERNAL, "internal error: an exception of unknown type");
  }
}

/// `pointer`, or argument_error naming `name` if it is null.
template <class T>
T* require(T* pointer, std::string_view name) {
  if (pointer == nullptr) {
    throw argument_error(std::string(name) + " = NULL: a required argument");
  }
  return pointer;
}

/// A required NUL-terminated string argument.
[[nodiscard]] inline std::string_view require_text(const char* text, std::string_view name) {
  return {require(text, name)};
}

/// The actor and purpose of a read, checked as the journal checks them ("actor" is a staff id).
[[nodiscard]] inline journal_access require_access(const char* actor, const char* purpose) {
  return journal_access{staff_id(std::string(require_text(actor, "actor")), "actor"),
                        std::string(require_text(purpose, "purpose"))};
}

/// A copy of `text` in a buffer that the C caller owns and releases with mc_free: malloc'd, with a
/// NUL after the text. Throws std::bad_alloc.
[[nodiscard]] inline char* malloc_copy(std::string_view text) {
  // The buffer goes to C, where mc_free (std::free) releases it: malloc, not new.
  void* memory = std::malloc(text.size() + 1);  // NOLINT(*-no-malloc,*-owning-memory)
  if (memory == nullptr) throw std::bad_alloc();
  const std::span<char> buffer(static_cast<char*>(memory), text.size() + 1);
  if (!text.empty()) std::memcpy(buffer.data(), text.data(), text.size());
  buffer.back() = '\0';
  return buffer.data();
}

/// Hands `text` to the caller through `out` (and its length through `len`, if given). The last
/// step of an entry point: nothing after it can fail.
inline void hand_over(std::string_view text, char** out, std::size_t* len) {
  *out = malloc_copy(text);
  if (len != nullptr) *len = text.size();
}

/// Appends `text` as a JSON string (quoted and escaped; UTF-8 passes through).
inline void append_json_string(std::string& out, std::string_view text) {
  static constexpr std::string_view hex = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20U) {
      out += "\\u00";
      out += hex[byte >> 4U];
      out += hex[byte & 0xFU];
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace mentorcore::c_api
