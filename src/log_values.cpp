// Reading the event log's values (log_values.hpp) and its header line (log_reader.hpp): what the
// line reader in read_events.cpp and the cohort reader in read_cohort.cpp share below the line
// loop.

#include "log_values.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "log_header.hpp"
#include "log_reader.hpp"
#include "mentorcore/detail/redact.hpp"
#include "mentorcore/interchange.hpp"

namespace mentorcore::detail {

// ---- reading values ---------------------------------------------------------------------------

std::string shown(const simdjson::dom::element& value) {
  return redacted_excerpt(simdjson::minify(value), 60);  // redacted first, then cut
}

void wrong(std::string_view field, const simdjson::dom::element& value, std::string_view expected) {
  throw invalid_value_error(std::string(field), shown(value), "expected " + std::string(expected));
}

void wrong(const field_path& field, const simdjson::dom::element& value,
           std::string_view expected) {
  wrong(field.str(), value, expected);
}

namespace {

// Whether `number` is a number as JSON writes it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool json_number_grammar(std::string_view number) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < number.size() && number[i] >= '0' && number[i] <= '9') ++i;
    return i - start;
  };
  if (i < number.size() && number[i] == '-') ++i;
  const std::size_t integer_start = i;
  const std::size_t integer = digits();
  if (integer == 0 || (integer > 1 && number[integer_start] == '0')) return false;
  if (i < number.size() && number[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  }
  if (i < number.size() && (number[i] == 'e' || number[i] == 'E')) {
    ++i;
    if (i < number.size() && (number[i] == '+' || number[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == number.size();
}

// Whether a 64-bit integer (for an integer) or a finite double holds `number` (valid JSON).
bool number_in_range(std::string_view number) {
  const std::string text(number);
  if (number.find_first_of(".eE") == std::string_view::npos) {
    errno = 0;
    char* end = nullptr;
    if (number.front() == '-') {
      (void)std::strtoll(text.c_str(), &end, 10);
    } else {
      (void)std::strtoull(text.c_str(), &end, 10);
    }
    return errno != ERANGE;
  }
  return std::isfinite(std::strtod(text.c_str(), nullptr));
}

}  // namespace

std::optional<refused_number> find_refused_number(std::string_view line) {
  std::string_view key;   // the last string followed by ':'
  std::string_view last;  // the last string
  for (std::size_t i = 0; i < line.size();) {
    const char c = line[i];
    if (c == '"') {
      const std::size_t start = ++i;
      while (i < line.size() && line[i] != '"')
        i += line[i] == '\\' ? std::size_t{2} : std::size_t{1};
      last = line.substr(start, std::min(i, line.size()) - start);
      ++i;
    } else if (c == ':') {
      key = last;
      ++i;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      const std::size_t start = i;
      while (i < line.size() &&
             std::string_view("0123456789+-.eE").find(line[i]) != std::string_view::npos)
        ++i;
      const std::string_view number = line.substr(start, i - start);
      const bool grammar = json_number_grammar(number);
      if (!grammar || !number_in_range(number)) {
        const std::string field(key);
        // Not JSON at all ("060") stays malformed JSON; valid JSON out of range does not.
        return refused_number{
            field, std::string(grammar ? "" : "malformed JSON: ") +
                       (field.empty() ? std::string("a value") : field) + " = " +
                       redacted_excerpt(number, 40) + ": " +
                       (grammar ? "a number out of range (no 64-bit integer or double holds it)"
                                : "not a number as JSON writes it")};
      }
    } else {
      ++i;
    }
  }
  return std::nullopt;
}

void check_schema_version(std::string_view schema) {
  if (schema == event_schema || schema == oldest_event_schema) return;
  constexpr std::string_view prefix = "mentorcore/";
  bool newer = false;
  if (schema.size() > prefix.size() && schema.substr(0, prefix.size()) == prefix) {
    const auto digits = schema.substr(prefix.size());
    newer =
        digits.find_first_not_of("0123456789") == std::string_view::npos && digits.front() != '0';
  }
  throw invalid_value_error(
      "schema", "\"" + redacted_excerpt(schema, 40) + "\"",
      newer ? "a newer schema version than this mentorcore reads (mentorcore/1 and mentorcore/2); "
              "upgrade mentorcore"
            : R"(expected "mentorcore/2" (or "mentorcore/1"))");
}

// A mentorcore/1 line cannot hold what mentorcore/2 added: a log that says it does is wrong about
// its version, and a reader of mentorcore/1 would refuse it.
void refuse_newer_content(const event_payload& payload) {
  const std::string_view new_in_2 =
      R"( is new in mentorcore/2, but the line says "schema": "mentorcore/1")";
  if (holds_alternative<start_ended>(payload) || holds_alternative<status_recorded>(payload)) {
    const auto name = event_type_names[payload.index()];
    throw invalid_value_error("type", "\"" + std::string(name) + "\"",
                              "the event type" + std::string(new_in_2));
  }
  if (const auto* grant = get_if<grant_made>(&payload); grant && grant->provider) {
    throw invalid_value_error("provider", "\"" + grant->provider->str() + "\"",
                              "the field" + std::string(new_in_2));
  }
}

// ---- the header line -----------------------------------------------------------------------

// The line reader (read_events.cpp, parse_line) applies the same rule on its own pass over a
// line's members, to spare this lookup on every line: keep the two alike.
bool is_log_header_line(const simdjson::dom::element& root) {
  simdjson::dom::element type;
  std::string_view name;
  return root.is_object() && root.at_key("type").get(type) == simdjson::SUCCESS &&
         type.get_string().get(name) == simdjson::SUCCESS && name == log_header_type;
}

// A header that cannot be read makes the whole log unreadable (its courses would be checked
// against the wrong codes), so it throws parse_error even in collect mode.
std::shared_ptr<const reference_data> read_log_header(const simdjson::dom::element& root,
                                                      const read_options& options,
                                                      const std::string& source, std::size_t line) {
  try {
    simdjson::dom::object object;
    if (root.get_object().get(object) != simdjson::SUCCESS) wrong("line", root, "an object");
    std::optional<simdjson::dom::element> reference;
    std::vector<std::string_view> seen;  // a field met twice is refused, as in an event line
    for (const auto member : object) {
      if (std::find(seen.begin(), seen.end(), member.key) != seen.end())
        throw invalid_value_error(std::string(member.key), "repeated", "the field appears twice");
      seen.push_back(member.key);
      if (member.key == "schema") {
        std::string_view schema;
        if (member.value.get_string().get(schema) != simdjson::SUCCESS)
          wrong("schema", member.value, "\"mentorcore/2\"");
        check_schema_version(schema);
      } else if (member.key == "reference") {
        reference = member.value;
      } else if (member.key != "type") {
        throw invalid_value_error(std::string(member.key), shown(member.value),
                                  "not a field of the header (fields: schema, type, reference)");
      }
    }
    if (!reference) throw invalid_value_error("reference", "missing", "required in the header");
    if (!reference->is_object()) wrong("reference", *reference, "a reference-data document");
    reference_data declared;
    try {
      declared = reference_data::from_json(simdjson::minify(*reference), source);
    } catch (const parse_error& e) {
      // The document is one line of this line: keep its message, not its position.
      const std::string prefix = source + ":" + std::to_string(e.line()) + ": ";
      std::string message = e.what();
      if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
      throw parse_error(source, line, e.field().empty() ? "reference" : "reference." + e.field(),
                        "header: " + message);
    }
    return std::make_shared<const reference_data>(
        merged_reference(*options.reference, declared, "reference"));
  } catch (const invalid_value_error& e) {
    throw parse_error(source, line, e.field(), std::string("header: ") + e.what());
  }
}

}  // namespace mentorcore::detail
