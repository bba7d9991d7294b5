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
#include <utility>

#include "mentorcore/detail/redact.hpp"

namespace mentorcore {

namespace detail {

/// The code point of the character at `text[i]` if error_text writes it as an escape, else -1:
/// a C0 control character (NUL, tab, line feed, carriage return, ...), DEL, a C1 control
/// character (U+0080 to U+009F, such as U+0085 next line) or the line and paragraph separators
/// U+2028 and U+2029.
[[nodiscard]] constexpr long error_text_control_at(std::string_view text, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) {
    return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0U;
  };
  if (byte(0) < 0x20U || byte(0) == 0x7FU) return static_cast<long>(byte(0));
  if (byte(0) == 0xC2U && byte(1) >= 0x80U && byte(1) <= 0x9FU) return static_cast<long>(byte(1));
  if (byte(0) == 0xE2U && byte(1) == 0x80U && (byte(2) == 0xA8U || byte(2) == 0xA9U))
    return 0x2000L + static_cast<long>(byte(2)) - 0x80L;
  return -1;
}

/// `text` as an error's message or attribute holds it: redacted (redact_personal_numbers), and
/// then with every control character and line break (error_text_control_at) written as JSON
/// writes it: `\t`, `\n`, `\r`, else `\uXXXX` (NUL as `\u0000`). Every reader of a message
/// takes it as a C string (what(), the C interface, Python's exception text), so a NUL from the
/// input would cut it short; a line break would split one error over two lines of a log; and a
/// terminal shows the digits around an invisible control character joined.
///
/// Redaction runs first and treats these characters (and their escapes, once written out: a
/// message nests another's) as joining digit groups (redact.hpp), so writing them out can never
/// show a number joined that redaction saw apart.
[[nodiscard]] inline std::string error_text(std::string_view text) {
  std::string redacted = redact_personal_numbers(text);
  std::size_t first = 0;
  while (first < redacted.size() && error_text_control_at(redacted, first) < 0) ++first;
  if (first == redacted.size()) return redacted;
  std::string escaped;
  escaped.reserve(redacted.size() + 16);
  escaped.append(redacted, 0, first);
  constexpr std::string_view hex = "0123456789abcdef";
  for (std::size_t i = first; i < redacted.size();) {
    const long code = error_text_control_at(redacted, i);
    if (code < 0) {
      escaped += redacted[i++];
      continue;
    }
    if (code == '\t') {
      escaped += "\\t";
    } else if (code == '\n') {
      escaped += "\\n";
    } else if (code == '\r') {
      escaped += "\\r";
    } else {
      escaped += "\\u";
      for (const int shift : {12, 8, 4, 0}) escaped += hex[(code >> shift) & 0xF];
    }
    if (code >= 0x2000) {
      i += 3;
    } else {
      i += code >= 0x80 ? 2 : 1;
    }
  }
  return escaped;
}

}  // namespace detail

/// Base class of every exception mentorcore throws on bad input.
///
/// The message is passed through detail::error_text: whatever a caller or a file supplied, no
/// CPR number can reach a log or a notebook through an error, no NUL byte cuts it short, and
/// no control character or line break from the input splits it over lines.
class error : public std::runtime_error {
 public:
  explicit error(std::string_view message) : std::runtime_error(detail::error_text(message)) {}
};

/// A value given for a named field is not acceptable. The message reads
/// "<field> = <value>: <reason>"; field() and value() hold the (redacted) parts.
class invalid_value_error : public error {
 public:
  invalid_value_error(const std::string& field, const std::string& value, std::string_view reason)
      : error(field + " = " + value + ": " + std::string(reason)),
        field_(detail::error_text(field)),
        value_(detail::error_text(value)),
        reason_(detail::error_text(reason)) {}

  /// The name of the field (argument, column or JSON key) that held the value.
  [[nodiscard]] const std::string& field() const noexcept { return field_; }
  /// The offending value as text.
  [[nodiscard]] const std::string& value() const noexcept { return value_; }
  /// What is wrong with the value.
  [[nodiscard]] const std::string& reason() const noexcept { return reason_; }

 private:
  std::string field_;
  std::string value_;
  std::string reason_;
};

/// A value is well-formed but outside the range mentorcore supports (for example a year outside
/// 1900-2200 for the holiday calendar).
class out_of_range_error : public invalid_value_error {
 public:
  using invalid_value_error::invalid_value_error;
};

}  // namespace mentorcore

namespace mentorcore {

/// Text (a file, a string, a JSON document) could not be read. Every attribute is redacted like
/// the message: a file name or a stream's name can hold a CPR number too. The message reads
/// "<source>:<line>: <message>", where the message names the field and the value when there
/// is one ("entries[3].valid_from = \"2024-02-30\": not a calendar date"); line 0 means unknown.
class parse_error : public error {
 public:
  parse_error(const std::string& source, std::size_t line, const std::string& field,
              std::string_view message)
      : error(source + ":" + std::to_string(line) + ": " + std::string(message)),
        source_(detail::error_text(source)),
        line_(line),
        field_(detail::error_text(field)) {}

  [[nodiscard]] const std::string& source() const noexcept { return source_; }
  [[nodiscard]] std::size_t line() const noexcept { return line_; }
  [[nodiscard]] const std::string& field() const noexcept { return field_; }

 private:
  std::string source_;
  std::size_t line_;
  std::string field_;
};

/// An event was rejected because it breaks a rule of the course's current state (a contact
/// after closure, a phase change while paused, a code outside its validity, ...). The course is
/// left exactly as it was. The message names the course, the event, its date and the rule.
class rule_violation_error : public error {
 public:
  rule_violation_error(const std::string& course, std::size_t event_index,
                       const std::string& event_type, const std::string& date,
                       const std::string& rule, const std::string& field = {})
      : error("course " + course + ", event #" + std::to_string(event_index) + " " + event_type +
              " on " + date + ": " + rule),
        course_(detail::error_text(course)),
        event_index_(event_index),
        event_type_(detail::error_text(event_type)),
        date_(detail::error_text(date)),
        rule_(detail::error_text(rule)),
        field_(detail::error_text(field)) {}

  [[nodiscard]] const std::string& course() const noexcept { return course_; }
  /// Position the event would have had in the course's history (0 = the order).
  [[nodiscard]] std::size_t event_index() const noexcept { return event_index_; }
  [[nodiscard]] const std::string& event_type() const noexcept { return event_type_; }
  [[nodiscard]] const std::string& date() const noexcept { return date_; }
  [[nodiscard]] const std::string& rule() const noexcept { return rule_; }
  /// The event's field the rule is about (its key in an event-log line: "target_group",
  /// "retention_min_months"), empty when the rule is about the event or the course as a whole.
  [[nodiscard]] const std::string& field() const noexcept { return field_; }

 private:
  std::string course_;
  std::size_t event_index_;
  std::string event_type_;
  std::string date_;
  std::string rule_;
  std::string field_;
};

}  // namespace mentorcore
