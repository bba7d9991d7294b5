// Reading and writing reference data as JSON (mentorcore::io): the rest of reference_data is
// header-only (mentorcore/detail/reference_data_impl.hpp).

#include "mentorcore/reference_data.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>
#include <vector>

#include <simdjson.h>
#include <nlohmann/json.hpp>

#include "file_path.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore {
namespace {

using json = nlohmann::json;

std::size_t line_of_byte(std::string_view text, std::size_t byte) {
  byte = std::min(byte, text.size());
  return 1 + static_cast<std::size_t>(
                 std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(byte), '\n'));
}

// The line where the array element named by `field` ("entries[3].code", "instruments[0].items")
// starts, or 0. nlohmann::json keeps no positions, so this walks the text once, skipping strings,
// to the index-th object inside the top-level array of that name.
std::size_t line_of_entry(std::string_view text, const std::string& field) {
  const auto open = field.find('[');
  if (open == std::string::npos || field.find('.') < open) return 0;
  const std::string key = "\"" + field.substr(0, open) + "\"";
  const auto index = std::stoul(field.substr(open + 1, field.find(']') - open - 1));
  std::size_t seen = 0;
  int depth = 0;
  bool in_string = false;
  bool in_array = false;
  int array_depth = -1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
      if (depth == 1 && text.substr(i, key.size()) == key) {
        in_array = true;
        array_depth = 2;
      }
    } else if (c == '{' || c == '[') {
      ++depth;
      if (in_array && c == '{' && depth == array_depth + 1 && seen++ == index)
        return line_of_byte(text, i);
    } else if (c == '}' || c == ']') {
      if (in_array && depth == array_depth && c == ']') in_array = false;
      --depth;
    }
  }
  return 0;
}

// Refuses a document nested deeper than reference_data::max_json_depth before nlohmann parses
// it. Its parser is iterative, but dump() (error messages), copies and comparisons recurse, so
// a document of 100,000 nested brackets overflowed the stack. One pass, skipping strings.
void check_reference_json_depth(std::string_view text, std::string_view source) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > reference_data::max_json_depth) {
        throw parse_error(std::string(source), line_of_byte(text, i), "",
                          "nested deeper than " + std::to_string(reference_data::max_json_depth) +
                              " levels of arrays and objects");
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
}

// Throws invalid_value_error naming the first key met twice in one object ("repeated", as an
// event line's repeated field is refused). nlohmann/json keeps the last of them silently: a
// second "instruments" would drop every instrument defined before it, a second "max" change an
// item's range. Walks simdjson's DOM, which keeps every member as written; the text has passed
// nlohmann's parse and the depth check already.
void check_no_repeated_keys(simdjson::dom::element value, const std::string& path) {
  simdjson::dom::object object;
  simdjson::dom::array array;
  if (value.get_object().get(object) == simdjson::SUCCESS) {
    std::vector<std::string_view> keys;
    for (const auto member : object) {
      std::string field =
          path.empty() ? std::string(member.key) : path + "." + std::string(member.key);
      if (std::find(keys.begin(), keys.end(), member.key) != keys.end())
        throw invalid_value_error(field, "repeated", "the field appears twice");
      keys.push_back(member.key);
      check_no_repeated_keys(member.value, field);
    }
  } else if (value.get_array().get(array) == simdjson::SUCCESS) {
    std::size_t index = 0;
    for (const auto item : array) {
      check_no_repeated_keys(item, path + "[" + std::to_string(index) + "]");
      ++index;
    }
  }
}

void check_no_repeated_keys(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const simdjson::padded_string padded(text);
  // nlohmann/json has read the text: a failure here is one of simdjson's own limits, and the
  // document is read as nlohmann/json read it.
  if (parser.parse(padded).get(root) != simdjson::SUCCESS) return;
  check_no_repeated_keys(root, "");
}

// Reads one field of an entry object; errors name the entry and the field.
class entry_reader {
 public:
  entry_reader(const json& object, std::string where) : object_(object), where_(std::move(where)) {}

  [[nodiscard]] std::string field_name(std::string_view key) const {
    return where_ + "." + std::string(key);
  }

  [[nodiscard]] const json* get(std::string_view key, bool required) const {
    const auto it = object_.find(std::string(key));
    if (it == object_.end() || it->is_null()) {
      if (required) throw invalid_value_error(field_name(key), "missing", "required field");
      return nullptr;
    }
    return &*it;
  }

  [[nodiscard]] std::optional<std::string> text(std::string_view key, bool required) const {
    const json* value = get(key, required);
    if (!value) return std::nullopt;
    if (!value->is_string())
      throw invalid_value_error(field_name(key), value->dump(), "expected a string");
    return value->get<std::string>();
  }

  [[nodiscard]] std::optional<date> day(std::string_view key, bool required) const {
    const auto value = text(key, required);
    if (!value) return std::nullopt;
    return parse_iso_date(*value, field_name(key));
  }

  [[nodiscard]] std::optional<int> integer(std::string_view key) const {
    const json* value = get(key, false);
    if (!value) return std::nullopt;
    if (!value->is_number_integer())
      throw invalid_value_error(field_name(key), value->dump(), "expected an integer");
    const auto number = value->get<long long>();
    if (number < 1 || number > 24)
      throw invalid_value_error(field_name(key), value->dump(), "expected 1-24");
    return static_cast<int>(number);
  }

 private:
  const json& object_;
  std::string where_;
};

double number_field(const json& object, const std::string& where, const char* key,
                    std::optional<double> fallback) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (fallback) return *fallback;
    throw invalid_value_error(where + "." + key, "missing", "required field");
  }
  if (!it->is_number())
    throw invalid_value_error(where + "." + key, it->dump(), "expected a number");
  return it->get<double>();
}

// The most sessions an alert rule may look back over: far beyond any course's ratings, and a
// bound on what a file can ask for.
constexpr int max_alert_sessions = 10'000;

// A whole number from `value` within [low, high], else invalid_value_error naming `field`.
// nlohmann's get<int> would cut 3.9 to 3 and wrap 4294967297 to 1, and casting 1e30 to an int
// is undefined: every integer of a reference-data file is read here. A float that is whole (3.0)
// is taken as the number it is.
int whole_number(const json& value, const std::string& field, int low, int high) {
  if (value.is_number_unsigned()) {
    const auto number = value.get<std::uint64_t>();
    // At most `high` (an int), it converts to a signed number for the lower bound.
    if (number <= static_cast<std::uint64_t>(high) && static_cast<std::int64_t>(number) >= low)
      return static_cast<int>(number);
  } else if (value.is_number_integer()) {
    const auto number = value.get<std::int64_t>();
    if (number >= low && number <= high) return static_cast<int>(number);
  } else if (value.is_number_float()) {
    const double number = value.get<double>();
    if (number >= low && number <= high && number == std::floor(number))
      return static_cast<int>(number);
  }
  throw invalid_value_error(
      field, value.dump(),
      "expected a whole number from " + std::to_string(low) + " to " + std::to_string(high));
}

const json& array_field(const json& object, const std::string& where, const char* key,
                        bool required) {
  static const json empty = json::array();
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (required) throw invalid_value_error(where + "." + key, "missing", "required field");
    return empty;
  }
  if (!it->is_array())
    throw invalid_value_error(where + "." + key, it->dump(), "expected an array");
  return *it;
}

instrument parse_instrument(const json& object, const std::string& where) {
  if (!object.is_object()) throw invalid_value_error(where, object.dump(), "expected an object");
  const entry_reader read(object, where);
  std::vector<item_bounds> items;
  std::size_t index = 0;
  for (const auto& item : array_field(object, where, "items", true)) {
    const std::string item_where = where + ".items[" + std::to_string(index++) + "]";
    if (!item.is_object())
      throw invalid_value_error(item_where, item.dump(), R"(expected {"min": .., "max": ..})");
    items.push_back({number_field(item, item_where, "min", std::nullopt),
                     number_field(item, item_where, "max", std::nullopt)});
  }
  std::vector<subscale> subscales;
  index = 0;
  for (const auto& scale : array_field(object, where, "subscales", false)) {
    const std::string scale_where = where + ".subscales[" + std::to_string(index++) + "]";
    if (!scale.is_object())
      throw invalid_value_error(scale_where, scale.dump(), "expected an object");
    subscale parsed;
    parsed.name = *entry_reader(scale, scale_where).text("name", true);
    for (const auto& item : array_field(scale, scale_where, "items", true)) {
      if (!item.is_number_integer())
        throw invalid_value_error(scale_where + ".items", item.dump(), "expected item numbers");
      parsed.items.push_back(whole_number(item, scale_where + ".items",
                                          std::numeric_limits<int>::min(),
                                          std::numeric_limits<int>::max()));
    }
    subscales.push_back(std::move(parsed));
  }
  std::vector<cutoff> cutoffs;
  index = 0;
  for (const auto& c : array_field(object, where, "cutoffs", false)) {
    const std::string cutoff_where = where + ".cutoffs[" + std::to_string(index++) + "]";
    if (!c.is_object()) throw invalid_value_error(cutoff_where, c.dump(), "expected an object");
    cutoffs.push_back({*entry_reader(c, cutoff_where).text("age_band", true),
                       number_field(c, cutoff_where, "value", std::nullopt)});
  }
  std::vector<alert_rule> alerts;
  index = 0;
  for (const auto& a : array_field(object, where, "alerts", false)) {
    const std::string alert_where = where + ".alerts[" + std::to_string(index++) + "]";
    if (!a.is_object()) throw invalid_value_error(alert_where, a.dump(), "expected an object");
    alert_rule rule;
    const auto kind = *entry_reader(a, alert_where).text("rule", true);
    try {
      rule.kind = from_string<alert_rule_kind>(kind);
    } catch (const invalid_value_error& e) {
      throw invalid_value_error(alert_where + ".rule", e.value(), e.reason());
    }
    rule.points = number_field(a, alert_where, "points", 1.0);
    const auto sessions = a.find("sessions");
    rule.sessions = sessions == a.end() || sessions->is_null()
                        ? 3
                        : whole_number(*sessions, alert_where + ".sessions", 1, max_alert_sessions);
    alerts.push_back(rule);
  }
  const auto higher = object.find("higher_is_better");
  if (higher != object.end() && !higher->is_boolean()) {
    throw invalid_value_error(where + ".higher_is_better", higher->dump(),
                              "expected true or false");
  }
  aggregation combine = aggregation::sum;
  if (const auto how = read.text("aggregation", false)) {
    try {
      combine = from_string<aggregation>(*how);
    } catch (const invalid_value_error& e) {
      throw invalid_value_error(where + ".aggregation", e.value(), e.reason());
    }
  }
  try {
    return {*read.text("name", true),
            read.text("version", false).value_or(""),
            std::move(items),
            std::move(subscales),
            std::move(cutoffs),
            number_field(object, where, "reliable_change", 0.0),
            higher == object.end() || higher->get<bool>(),
            std::move(alerts),
            combine};
  } catch (const invalid_value_error& e) {
    if (e.field().rfind(where, 0) == 0) throw;
    throw invalid_value_error(where + "." + e.field(), e.value(), e.reason());
  }
}

json instrument_to_json(const instrument& definition) {
  json items = json::array();
  for (const auto& item : definition.items())
    items.push_back({{"min", item.min}, {"max", item.max}});
  json subscales = json::array();
  for (const auto& scale : definition.subscales())
    subscales.push_back({{"name", scale.name}, {"items", scale.items}});
  json cutoffs = json::array();
  for (const auto& c : definition.cutoffs())
    cutoffs.push_back({{"age_band", c.age_band}, {"value", c.value}});
  json alerts = json::array();
  for (const auto& rule : definition.alerts()) {
    alerts.push_back(
        {{"rule", to_string(rule.kind)}, {"points", rule.points}, {"sessions", rule.sessions}});
  }
  return {{"name", definition.name()},
          {"version", definition.version()},
          {"items", std::move(items)},
          {"subscales", std::move(subscales)},
          {"cutoffs", std::move(cutoffs)},
          {"reliable_change", definition.reliable_change()},
          {"higher_is_better", definition.higher_is_better()},
          {"aggregation", to_string(definition.combine())},
          {"alerts", std::move(alerts)}};
}

reference_data parse_document(const json& document) {
  if (!document.is_object())
    throw invalid_value_error("document", "not an object", "expected a JSON object");
  const auto format = document.find("format");
  if (format == document.end() || *format != "mentorcore-reference/1") {
    throw invalid_value_error("format", format == document.end() ? "missing" : format->dump(),
                              "expected \"mentorcore-reference/1\"");
  }
  const auto entries = document.find("entries");
  if (entries == document.end() || !entries->is_array()) {
    throw invalid_value_error("entries",
                              entries == document.end() ? "missing" : entries->type_name(),
                              "expected an array of entries");
  }
  const auto instruments = document.find("instruments");
  if (instruments != document.end() && !instruments->is_array()) {
    throw invalid_value_error("instruments", instruments->type_name(),
                              "expected an array of instruments");
  }
  reference_data result;
  std::size_t index = 0;
  for (const auto& object : *entries) {
    const std::string where = "entries[" + std::to_string(index++) + "]";
    if (!object.is_object()) throw invalid_value_error(where, object.dump(), "expected an object");
    const entry_reader read(object, where);
    reference_entry entry;
    try {
      entry.kind = from_string<reference_kind>(*read.text("kind", true));
    } catch (const invalid_value_error& e) {
      throw invalid_value_error(read.field_name("kind"), e.value(),
                                "expected legal_basis, target_group or assessment_category");
    }
    entry.code = *read.text("code", true);
    entry.label = *read.text("label", true);
    entry.valid_from = *read.day("valid_from", true);
    entry.valid_to = read.day("valid_to", false);
    entry.max_grant_months = read.integer("max_grant_months");
    entry.source = read.text("source", false).value_or("");
    try {
      result.add(std::move(entry));
    } catch (const invalid_value_error& e) {
      throw invalid_value_error(where + "." + e.field(), e.value(), e.reason());
    }
  }
  if (instruments != document.end()) {
    index = 0;
    for (const auto& object : *instruments) {
      const std::string where = "instruments[" + std::to_string(index++) + "]";
      try {
        result.add_instrument(parse_instrument(object, where));
      } catch (const invalid_value_error& e) {
        if (e.field().rfind(where, 0) == 0) throw;
        throw invalid_value_error(where + "." + e.field(), e.value(), e.reason());
      }
    }
  }
  return result;
}

}  // namespace

reference_data reference_data::from_json(std::string_view text, std::string_view source) {
  check_reference_json_depth(text, source);
  json document;
  try {
    document = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    throw parse_error(std::string(source), line_of_byte(text, e.byte == 0 ? 0 : e.byte - 1), "",
                      "malformed JSON");
  }
  try {
    check_no_repeated_keys(text);
    return parse_document(document);
  } catch (const invalid_value_error& e) {
    throw parse_error(std::string(source), line_of_entry(text, e.field()), e.field(), e.what());
  }
}

std::string reference_data::to_json() const {
  json entries = json::array();
  for (const auto& entry : entries_) {
    json object = {{"kind", to_string(entry.kind)},
                   {"code", entry.code},
                   {"label", entry.label},
                   {"valid_from", to_iso(entry.valid_from)},
                   {"valid_to", entry.valid_to ? json(to_iso(*entry.valid_to)) : json(nullptr)}};
    if (entry.max_grant_months) object["max_grant_months"] = *entry.max_grant_months;
    if (!entry.source.empty()) object["source"] = entry.source;
    entries.push_back(std::move(object));
  }
  json document{{"format", "mentorcore-reference/1"}, {"entries", std::move(entries)}};
  if (!instruments_.empty()) {
    json instruments = json::array();
    for (const auto& definition : instruments_)
      instruments.push_back(instrument_to_json(definition));
    document["instruments"] = std::move(instruments);
  }
  return document.dump(1);
}

reference_data reference_data::from_json_file(const std::string& path) {
  detail::check_file_path(path);
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int code = errno;
    throw parse_error(
        path, 0, "",
        "cannot open the file" +
            (code != 0 ? ": " + std::error_code(code, std::generic_category()).message()
                       : std::string()));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return from_json(buffer.str(), path);
}

}  // namespace mentorcore
