#pragma once
// The opaque handles of the C interface (declared, incomplete, in mentorcore/c/mentorcore.h).
// They are defined here as the C++ structs they are, so no cast is needed between a handle and
// what it holds.

#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "c_state.hpp"
#include "mentorcore/c/mentorcore.h"
#include "mentorcore/course.hpp"
#include "mentorcore/journal.hpp"

/// A journal and the lock that serialises the calls made on it from several threads (a journal,
/// like the SQLite connection it holds, is for one thread at a time).
struct mc_journal {
  explicit mc_journal(mentorcore::journal opened) : journal(std::move(opened)) {}
  std::mutex lock;
  mentorcore::journal journal;
};

/// A course as read; immutable once handed out.
struct mc_course {
  explicit mc_course(mentorcore::course read) : course(std::move(read)) {}
  mentorcore::course course;
};

/// The summary counts, already named: one table after another, each cell with its count.
struct mc_summary {
  struct cell {
    std::string name;
    std::int64_t count = 0;
  };
  struct table {
    std::string name;
    std::vector<cell> cells;
  };
  std::string as_of;
  std::size_t courses = 0;
  std::vector<table> tables;
};

namespace mentorcore::c_api {

/// The journal of a handle, locked for the duration of one call.
class locked_journal {
 public:
  explicit locked_journal(mc_journal* handle)
      : handle_(require(handle, "journal")), guard_(handle_->lock) {}
  [[nodiscard]] journal& operator*() const noexcept { return handle_->journal; }
  [[nodiscard]] journal* operator->() const noexcept { return &handle_->journal; }

 private:
  mc_journal* handle_;
  std::lock_guard<std::mutex> guard_;
};

}  // namespace mentorcore::c_api
