#pragma once
/// \file error.hpp
/// The exceptions mentorcore throws for anything a caller or a file can get wrong.
///
/// Every such exception derives from mentorcore::error; Python sees it as mentorcore.Error, a
/// ValueError. Internal invariants that no input can break are guarded by GSL Expects/Ensures
/// instead, which terminate the process.

#include <stdexcept>
#include <string>
#include <string_view>

#include "mentorcore/detail/redact.hpp"

namespace mentorcore {

/// Base class of every exception mentorcore throws on bad input.
///
/// The message is passed through detail::redact_personal_numbers: whatever a caller or a file
/// supplied, no CPR number can reach a log or a notebook through an error.
class error : public std::runtime_error {
 public:
  explicit error(std::string_view message)
      : std::runtime_error(detail::redact_personal_numbers(message)) {}
};

/// A value given for a named field is not acceptable. The message reads
/// "<field> = <value>: <reason>"; field() and value() hold the (redacted) parts.
class invalid_value_error : public error {
 public:
  invalid_value_error(std::string field, std::string value, std::string_view reason)
      : error(field + " = " + value + ": " + std::string(reason)),
        field_(detail::redact_personal_numbers(field)),
        value_(detail::redact_personal_numbers(value)) {}

  /// The name of the field (argument, column or JSON key) that held the value.
  [[nodiscard]] const std::string& field() const noexcept { return field_; }
  /// The offending value as text.
  [[nodiscard]] const std::string& value() const noexcept { return value_; }

 private:
  std::string field_;
  std::string value_;
};

/// A value is well-formed but outside the range mentorcore supports (for example a year outside
/// 1900-2200 for the holiday calendar).
class out_of_range_error : public invalid_value_error {
 public:
  using invalid_value_error::invalid_value_error;
};

}  // namespace mentorcore
