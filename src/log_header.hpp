#pragma once
// The event log's optional header line: the reference data a log depends on beyond the built-in
// set (codes a municipality added, rating instruments), so that a log reads back as written with
// no extra argument. Like an XES log declaring its extensions. See docs/event-schema.md.

#include <span>
#include <string>
#include <string_view>

#include "mentorcore/reference_data.hpp"

namespace mentorcore::detail {

/// The "type" of a header line.
inline constexpr std::string_view log_header_type = "header";

/// The entries and instruments of `reference` that the built-in set does not have (identical).
[[nodiscard]] reference_data reference_beyond_builtin(const reference_data& reference);

/// `base` with every entry and instrument of `more` that it does not already have added;
/// identical ones are not repeated. Throws invalid_value_error naming `field` when one
/// conflicts (an overlapping code, another instrument of the same name).
[[nodiscard]] reference_data merged_reference(const reference_data& base,
                                              const reference_data& more, std::string_view field);

/// The header line (without the newline) for courses built on `references`: their reference
/// data beyond the built-in set, merged. Empty when they use only the built-in set, so such a
/// log has no header and its bytes are those of a log without one. Throws invalid_value_error
/// if the courses' reference data conflict.
[[nodiscard]] std::string log_header_line(std::span<const reference_data* const> references);

}  // namespace mentorcore::detail
