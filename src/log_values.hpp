#pragma once
// Reading the event log's values: simdjson DOM values to mentorcore's types, each fault an
// invalid_value_error naming the field ("date", "actions[2].task") and the value, redacted; and
// the schema-version check. The line reader (read_events.cpp) and the header line's reader
// (log_values.cpp) both go through these, so a value means the same wherever it is read.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "mentorcore/date.hpp"
#include "mentorcore/detail/short_text.hpp"
#include "mentorcore/enum.hpp"
#include "mentorcore/error.hpp"
#include "mentorcore/event.hpp"
#include "mentorcore/ids.hpp"

namespace mentorcore::detail {

/// A value as an error shows it: minified JSON, redacted first and then cut to 60 bytes.
[[nodiscard]] std::string shown(const simdjson::dom::element& value);

/// Where a value sits in a line, as errors name it: "date", "actions[2].task". Formatted only
/// when an error needs the name, so reading a valid line builds no names.
struct field_path {
  std::string_view name;               ///< a field's name; empty for an array item
  const field_path* parent = nullptr;  ///< the record or array it is in; none at the top level
  std::size_t index = 0;               ///< an array item's position

  [[nodiscard]] std::string str() const {
    if (!parent) return std::string(name);
    if (name.empty()) return parent->str() + "[" + std::to_string(index) + "]";
    return parent->str() + "." + std::string(name);
  }
};

/// Calls `make(name)` with the field's name: the name itself at the top level, else formatted.
template <class Make>
auto with_name(const field_path& path, Make&& make) {
  if (!path.parent) return make(path.name);
  const std::string name = path.str();
  return make(std::string_view(name));
}

/// Throws invalid_value_error: `field` = the value shown: expected `expected`.
[[noreturn]] void wrong(std::string_view field, const simdjson::dom::element& value,
                        std::string_view expected);
[[noreturn]] void wrong(const field_path& field, const simdjson::dom::element& value,
                        std::string_view expected);

/// Why simdjson refused to parse a line for one of its numbers (NUMBER_ERROR: valid JSON such as
/// 18446744073709551717 or 1e999 that no 64-bit integer or double holds, or a number JSON does
/// not allow, such as 01): the key before the first such number in the raw `line`, and a message
/// "<key> = <number, redacted>: a number out of range" (for 01 "malformed JSON: <key> = 01: not a
/// number as JSON writes it"). Read from the text only when parsing has failed, never for a line
/// that parses. Nothing when no such number is found (then the parser's own message stands).
struct refused_number {
  std::string field;
  std::string message;
};
[[nodiscard]] std::optional<refused_number> find_refused_number(std::string_view line);

/// Accepts the versions this mentorcore reads, mentorcore/1 and mentorcore/2; a later one asks
/// for an upgrade rather than a guess. Throws invalid_value_error naming "schema".
void check_schema_version(std::string_view schema);

/// Throws invalid_value_error if `payload`, read from a mentorcore/1 line, holds what only
/// mentorcore/2 has (an event type, a field).
void refuse_newer_content(const event_payload& payload);

/// Reads a JSON value as a T, or throws invalid_value_error naming `field`. Defined here, inline:
/// they run for every value of every line.
template <class T>
struct json_reader;

template <>
struct json_reader<int> {
  static int read(const simdjson::dom::element& v, const field_path& field) {
    std::int64_t number = 0;
    if (v.get_int64().get(number) != simdjson::SUCCESS) {
      if (v.is_number())
        throw invalid_value_error(field.str(), shown(v), "expected an integer in the 32-bit range");
      wrong(field, v, "an integer");
    }
    if (number < std::numeric_limits<int>::min() || number > std::numeric_limits<int>::max()) {
      throw invalid_value_error(field.str(), shown(v), "outside the range of a 32-bit integer");
    }
    return static_cast<int>(number);
  }
};

template <>
struct json_reader<double> {
  static double read(const simdjson::dom::element& v, const field_path& field) {
    double number = 0;
    if (v.get_double().get(number) != simdjson::SUCCESS) wrong(field, v, "a number");
    if (!std::isfinite(number)) wrong(field, v, "a finite number");
    return number;
  }
};

template <>
struct json_reader<bool> {
  static bool read(const simdjson::dom::element& v, const field_path& field) {
    bool flag = false;
    if (v.get_bool().get(flag) != simdjson::SUCCESS) wrong(field, v, "true or false");
    return flag;
  }
};

template <>
struct json_reader<std::string> {
  static std::string read(const simdjson::dom::element& v, const field_path& field) {
    std::string_view text;
    if (v.get_string().get(text) != simdjson::SUCCESS) wrong(field, v, "a string");
    return std::string(text);
  }
};

template <>
struct json_reader<boost::gregorian::date> {
  static date read(const simdjson::dom::element& v, const field_path& field) {
    std::string_view text;
    if (v.get_string().get(text) != simdjson::SUCCESS) wrong(field, v, "a date as \"YYYY-MM-DD\"");
    return with_name(field, [&](std::string_view name) { return parse_iso_date(text, name); });
  }
};

template <>
struct json_reader<municipality_code> {
  static municipality_code read(const simdjson::dom::element& v, const field_path& field) {
    const int code = json_reader<int>::read(v, field);
    return with_name(field, [&](std::string_view name) { return municipality_code(code, name); });
  }
};

template <class Tag>
struct json_reader<basic_id<Tag>> {
  static basic_id<Tag> read(const simdjson::dom::element& v, const field_path& field) {
    std::string_view text;
    if (v.get_string().get(text) != simdjson::SUCCESS) wrong(field, v, "an identifier (a string)");
    // The same id comes line after line (a course's mentor on each contact, its assessor): the
    // last one read, kept per thread, is copied instead of checked again. Only a valid id is
    // kept, and a copy of it is the id the checks would give.
    thread_local basic_id<Tag> last;
    if (!last.empty() && short_text_equals(text, last.str())) return last;
    basic_id<Tag> id = with_name(
        field, [&](std::string_view name) { return basic_id<Tag>(std::string(text), name); });
    last = id;
    return id;
  }
};

template <named_enum Enum>
struct json_reader<Enum> {
  static Enum read(const simdjson::dom::element& v, const field_path& field) {
    std::string_view text;
    if (v.get_string().get(text) != simdjson::SUCCESS) {
      wrong(field, v, "a " + std::string(enum_traits<Enum>::type_name) + " name (a string)");
    }
    try {
      return from_string<Enum>(text);
    } catch (const invalid_value_error& e) {
      throw invalid_value_error(field.str(), e.value(), e.reason());
    }
  }
};

template <class T>
struct json_reader<std::optional<T>> {
  static std::optional<T> read(const simdjson::dom::element& v, const field_path& field) {
    if (v.is_null()) return std::nullopt;
    return json_reader<T>::read(v, field);
  }
};

template <class T>
struct json_reader<std::vector<T>> {
  static std::vector<T> read(const simdjson::dom::element& v, const field_path& field) {
    simdjson::dom::array items;
    if (v.get_array().get(items) != simdjson::SUCCESS) wrong(field, v, "an array");
    std::vector<T> result;
    result.reserve(items.size());
    field_path item{{}, &field, 0};
    for (const simdjson::dom::element value : items) {
      result.push_back(json_reader<T>::read(value, item));
      ++item.index;
    }
    return result;
  }
};

}  // namespace mentorcore::detail
