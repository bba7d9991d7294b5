// Writing the event log: each event's line from its field table (append_event_json, which the
// synthetic generator shares), and the public write_events, write_events_file and
// event_to_json.

#include "event_writer.hpp"

#include <simdjson.h>

#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "atomic_file.hpp"
#include "gzip.hpp"
#include "log_header.hpp"
#include "mentorcore/course.hpp"
#include "mentorcore/date.hpp"
#include "mentorcore/detail/course_set.hpp"
#include "mentorcore/enum.hpp"
#include "mentorcore/error.hpp"
#include "mentorcore/interchange.hpp"

namespace mentorcore::detail {

namespace {

void put_text(std::string& out, std::string_view text, std::string_view field) {
  if (!simdjson::validate_utf8(text.data(), text.size())) {
    throw invalid_value_error(std::string(field), "(a text)", "is not valid UTF-8");
  }
  // Texts in a course were redacted on the way in; an event written without a course
  // (event_to_json) may not have been, and no CPR-shaped number is ever written.
  if (contains_personal_number(text)) {
    put_text(out, redact_personal_numbers(text), field);
    return;
  }
  static constexpr std::array<char, 16> hex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                               '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  out += '"';
  std::size_t plain = 0;  // the start of the run of characters that need no escape
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += hex[c >> 4U];
        out += hex[c & 15U];
    }
  }
  out.append(text.data() + plain, text.size() - plain);
  out += '"';
}

void put_integer(std::string& out, long long value) {
  std::array<char, 24> buffer{};
  auto* const end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
  out.append(buffer.data(), end);
}

// The shortest digits that read back as the same double (std::to_chars), laid out as JSON
// writers conventionally do: fixed notation for exponents -4 to 15 with at least one decimal
// ("2.0", so a number stays a float), scientific outside ("1e+20").
void put_number(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  std::array<char, 40> buffer{};
  auto* const end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                  std::chars_format::scientific)
                        .ptr;
  std::string_view text(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
  if (text.front() == '-') {
    out += '-';
    text.remove_prefix(1);
  }
  const auto e = text.find('e');
  std::string digits;
  for (const char c : text.substr(0, e)) {
    if (c != '.') digits += c;
  }
  int exponent = 0;
  std::from_chars(text.data() + e + (text[e + 1] == '+' ? 2 : 1), text.data() + text.size(),
                  exponent);
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;  // where the decimal point goes, counted from the first digit
  if (k <= n && n <= 15) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
    out += ".0";
  } else if (0 < n && n <= 15) {
    out.append(digits, 0, static_cast<std::size_t>(n));
    out += '.';
    out.append(digits, static_cast<std::size_t>(n));
  } else if (-4 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'e';
    const int shown = n - 1;
    out += shown < 0 ? '-' : '+';
    const int magnitude = shown < 0 ? -shown : shown;
    if (magnitude < 10) out += '0';
    put_integer(out, magnitude);
  }
}

// "YYYY-MM-DD" straight from the date's fields: Boost's to_iso_extended_string goes through an
// ostringstream, which made it the writer's largest cost.
void put_date(std::string& out, const boost::gregorian::date& day) {
  const auto ymd = day.year_month_day();
  const auto two = [&](unsigned value) {
    out += static_cast<char>('0' + value / 10);
    out += static_cast<char>('0' + value % 10);
  };
  out += '"';
  two(static_cast<unsigned>(ymd.year) / 100);
  two(static_cast<unsigned>(ymd.year) % 100);
  out += '-';
  two(ymd.month.as_number());
  out += '-';
  two(ymd.day.as_number());
  out += '"';
}

template <class T>
void put_value(std::string& out, const T& value, std::string_view field);

template <class P>
void put_fields(std::string& out, const P& payload, bool comma_first, std::string_view skip = {}) {
  bool comma = comma_first;
  for_each_field(payload, [&](std::string_view name, const auto& member, bool) {
    if (name == skip) return;
    if (comma) out += ',';
    comma = true;
    out += '"';
    out += name;  // field names are plain identifiers: nothing to escape
    out += "\":";
    put_value(out, member, name);
  });
}

template <class T>
void put_value(std::string& out, const T& value, std::string_view field) {
  if constexpr (std::is_same_v<T, bool>) {
    out += value ? "true" : "false";
  } else if constexpr (std::is_same_v<T, int>) {
    put_integer(out, value);
  } else if constexpr (std::is_same_v<T, double>) {
    put_number(out, value);
  } else if constexpr (std::is_same_v<T, std::string>) {
    put_text(out, value, field);
  } else if constexpr (std::is_same_v<T, boost::gregorian::date>) {
    if (value.is_special())
      out += "null";
    else
      put_date(out, value);
  } else if constexpr (std::is_same_v<T, municipality_code>) {
    if (value.empty())
      out += "null";
    else
      put_integer(out, value.value());
  } else if constexpr (named_enum<T>) {
    out += '"';
    out += to_string(value);
    out += '"';
  } else if constexpr (requires { value.str(); }) {  // an id: plain characters, no escapes
    if (value.empty())
      out += "null";
    else {
      out += '"';
      out += value.str();
      out += '"';
    }
  } else if constexpr (requires { value.has_value(); }) {
    if (!value)
      out += "null";
    else
      put_value(out, *value, field);
  } else if constexpr (requires {
                         value.begin();
                         value.size();
                       }) {
    out += '[';
    bool comma = false;
    for (const auto& item : value) {
      if (comma) out += ',';
      comma = true;
      put_value(out, item, field);
    }
    out += ']';
  } else {  // a nested record (a handover's actions, contingencies, appointments)
    out += '{';
    put_fields(out, value, false);
    out += '}';
  }
}

}  // namespace

void append_event_json(std::string& out, const course_id& course, const event& e) {
  out += R"({"schema":")";
  out += event_schema;
  out += R"(","course":")";
  out += course.str();
  out += R"(","type":")";
  out += e.type();
  out += R"(","date":)";
  put_value(out, e.date, "date");
  out += R"(,"recorded_by":)";
  put_value(out, e.recorded_by, "recorded_by");
  visit(
      [&](const auto& payload) {
        using P = std::decay_t<decltype(payload)>;
        put_fields(out, payload, true, std::is_same_v<P, course_ordered> ? "course" : "");
      },
      e.data);
  out += '}';
}

void check_event_line_length(std::size_t length, const course_id& course, std::size_t index,
                             const event& e) {
  if (length <= max_event_line_bytes) return;
  throw invalid_value_error("course", course.str(),
                            "event #" + std::to_string(index) + " " + std::string(e.type()) +
                                " would be a line of " + std::to_string(length) +
                                " bytes, more than the " + std::to_string(max_event_line_bytes) +
                                " an event log line may have");
}

}  // namespace mentorcore::detail

namespace mentorcore {

std::string event_to_json(const course_id& course, const event& e) {
  std::string line;
  detail::append_event_json(line, course, e);
  return line;
}

namespace {

template <class Courses>
std::string write_all(const Courses& courses) {
  std::size_t events = 0;
  // Checked before anything is written: a course given twice would be read back as one course
  // with every event twice, which its own rules refuse.
  std::unordered_set<std::string_view> ids;
  std::vector<const reference_data*> references;  // each course's, repeats in a row left out
  for (const auto& item : courses) {
    const course& c = detail::course_of(item);
    events += c.events().size();
    if (!ids.insert(c.id().str()).second) {
      throw invalid_value_error("courses", c.id().str(),
                                "the course appears twice; a log holds each course once");
    }
    if (references.empty() || references.back() != &c.reference())
      references.push_back(&c.reference());
  }
  const std::string header = detail::log_header_line(references);
  std::string out;
  out.reserve(header.size() + 1 + events * 200);  // a typical line; saves most regrowth
  if (!header.empty()) {
    out += header;
    out += '\n';
  }
  for (const auto& item : courses) {
    const course& c = detail::course_of(item);
    std::size_t index = 0;
    for (const auto& e : c.events()) {
      const std::size_t start = out.size();
      detail::append_event_json(out, c.id(), e);
      detail::check_event_line_length(out.size() - start, c.id(), index++, e);
      out += '\n';
    }
  }
  return out;
}

// The whole file or nothing: a failure never leaves half a log in place of a good one.
void write_text_file(std::string text, const std::string& path) {
  if (path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0) text = detail::gzip(text);
  detail::write_file_atomically(path, text);
}

}  // namespace

std::string write_events(std::span<const course> courses) {
  return write_all(courses);
}

std::string write_events(std::span<const course* const> courses) {
  return write_all(courses);
}

void write_events_file(std::span<const course> courses, const std::string& path) {
  write_text_file(write_events(courses), path);
}

void write_events_file(std::span<const course* const> courses, const std::string& path) {
  write_text_file(write_events(courses), path);
}

}  // namespace mentorcore
