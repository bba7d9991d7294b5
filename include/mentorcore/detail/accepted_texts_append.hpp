#pragma once
/// \file detail/accepted_texts_append.hpp
/// The event-log readers' way into a course (src/), in a header of its own because they use it
/// where the model is compiled once into mentorcore::io (detail/decl.hpp) as well as in the
/// header-only model.

#include <cstddef>
#include <memory>
#include <utility>

#include "mentorcore/course.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore::detail {
/// For the event-log reader, which passes every text of a line through accept_free_texts before
/// the event reaches a course (and counts the texts redacted): the course then need not scan the
/// same texts again. Nothing outside the library's own readers may use it.
struct accepted_texts_append {
  static void append(course& c, event&& e) { c.append_accepted(std::move(e)); }
  /// Room for `events` events in the course's history (a reader that knows how long courses run
  /// in its log: the history then grows without moving every event it holds on each doubling).
  static void reserve_history(course& c, std::size_t events) { c.events_.reserve(events); }
  /// Makes `c` the course `order` starts, as course(order, reference) does (the order's texts
  /// accepted already), in the memory `c` held: a reader that hands courses over one after
  /// another then allocates each one's history and lists once, not once per course. If
  /// `reference` is null, `c` is left as it was; if the order is refused, a course with no
  /// events, fit only for another restart.
  static void restart(course& c, event&& order, std::shared_ptr<const reference_data> reference) {
    if (!reference) throw invalid_value_error("reference", "null", "a course needs reference data");
    c.events_.clear();
    c.state_.clear_keeping_capacity();
    c.observed_on_.reset();
    c.reference_ = std::move(reference);
    c.validate(order);
    c.apply(std::move(order));
  }
};
}  // namespace mentorcore::detail
