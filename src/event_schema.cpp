// The JSON Schema of an event-log line, generated from the field tables with nlohmann/json, so
// the schema and the reader and writer cannot disagree about a field.

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "mentorcore/detail/text.hpp"
#include "mentorcore/enum.hpp"
#include "mentorcore/event.hpp"
#include "mentorcore/ids.hpp"
#include "mentorcore/interchange.hpp"

namespace mentorcore {

namespace {

using ordered_json = nlohmann::ordered_json;

template <class T>
struct schema_of;

template <>
struct schema_of<int> {
  static ordered_json get() { return {{"type", "integer"}}; }
};
template <>
struct schema_of<double> {
  static ordered_json get() { return {{"type", "number"}}; }
};
template <>
struct schema_of<bool> {
  static ordered_json get() { return {{"type", "boolean"}}; }
};
template <>
struct schema_of<std::string> {
  static ordered_json get() { return {{"$ref", "#/$defs/text"}}; }
};
template <>
struct schema_of<boost::gregorian::date> {
  static ordered_json get() { return {{"$ref", "#/$defs/date"}}; }
};
template <class Tag>
struct schema_of<basic_id<Tag>> {
  static ordered_json get() { return {{"$ref", "#/$defs/id"}}; }
};
template <>
struct schema_of<municipality_code> {
  static ordered_json get() { return {{"type", "integer"}, {"minimum", 101}, {"maximum", 999}}; }
};
template <named_enum Enum>
struct schema_of<Enum> {
  static ordered_json get() {
    ordered_json names = ordered_json::array();
    for (const auto name : enum_traits<Enum>::names) names.push_back(std::string(name));
    return {{"enum", names}};
  }
};
template <class T>
struct schema_of<std::optional<T>> {
  static ordered_json get() { return {{"anyOf", {schema_of<T>::get(), {{"type", "null"}}}}}; }
};
template <class T>
struct schema_of<std::vector<T>> {
  static ordered_json get() { return {{"type", "array"}, {"items", schema_of<T>::get()}}; }
};

template <class P>
ordered_json object_schema(ordered_json properties, ordered_json required,
                           std::span<const std::string_view> skip) {
  P sample{};
  for_each_field(sample, [&](std::string_view name, const auto& member, bool is_required) {
    if (std::find(skip.begin(), skip.end(), name) != skip.end()) return;
    properties[std::string(name)] = schema_of<std::decay_t<decltype(member)>>::get();
    if (is_required) required.push_back(std::string(name));
  });
  return {{"type", "object"},
          {"properties", properties},
          {"required", required},
          {"additionalProperties", false}};
}

template <class T>
requires requires {
  payload_traits<T>::fields;
}
struct schema_of<T> {
  static ordered_json get() {
    return object_schema<T>(ordered_json::object(), ordered_json::array(), {});
  }
};

}  // namespace

namespace {
// The versions a reader accepts. (That a mentorcore/1 line may not use what mentorcore/2 added
// is a rule of the reader, beyond what this schema says.)
ordered_json schema_versions() {
  return {{"enum", {std::string(oldest_event_schema), std::string(event_schema)}}};
}
}  // namespace

std::string event_json_schema() {
  ordered_json variants = ordered_json::array();
  for_each_event_type([&](const auto& tag) {
    using P = std::decay_t<decltype(tag)>;
    ordered_json properties = {
        {"schema", schema_versions()},
        {"course", {{"$ref", "#/$defs/id"}}},
        {"type", {{"const", std::string(payload_traits<P>::name)}}},
        {"date", {{"$ref", "#/$defs/date"}}},
        {"recorded_by", {{"$ref", "#/$defs/id"}}},
    };
    ordered_json required = {"schema", "course", "type", "date", "recorded_by"};
    static constexpr std::array<std::string_view, 1> skip_course = {"course"};
    const bool is_order = std::is_same_v<P, course_ordered>;
    if (is_order) {
      properties["cpr"] = {
          {"type", "string"},
          {"description", "input only: replaced by a pseudonymous citizen key on reading"}};
    }
    auto schema = object_schema<P>(properties, required,
                                   is_order ? std::span<const std::string_view>(skip_course)
                                            : std::span<const std::string_view>());
    if (is_order) {
      // Either a pseudonymous citizen key or (on input) a CPR number to pseudonymise.
      auto& names = schema["required"];
      names.erase(std::find(names.begin(), names.end(), "citizen"));
      schema["oneOf"] = {{{"required", {"citizen"}}}, {{"required", {"cpr"}}}};
      schema["properties"]["citizen"] = {{"$ref", "#/$defs/id"}};
    }
    schema["title"] = std::string(payload_traits<P>::name);
    variants.push_back(std::move(schema));
  });
  // The optional first line: reference data beyond the built-in set (see docs/event-schema.md).
  variants.push_back({
      {"type", "object"},
      {"title", "header"},
      {"description",
       "optional first line: the reference data the log uses beyond the built-in set"},
      {"properties",
       {{"schema", schema_versions()},
        {"type", {{"const", "header"}}},
        {"reference",
         {{"type", "object"},
          {"description", "a reference-data document (format mentorcore-reference/1)"},
          {"properties", {{"format", {{"const", "mentorcore-reference/1"}}}}},
          {"required", {"format", "entries"}}}}}},
      {"required", {"schema", "type", "reference"}},
      {"additionalProperties", false},
  });
  ordered_json document = {
      {"$schema", "https://json-schema.org/draft/2020-12/schema"},
      {"$id", "https://mentorcore.invalid/schema/mentorcore-2.json"},
      {"title", "mentorcore event-log line (schema mentorcore/2, reading mentorcore/1 too)"},
      {"description",
       "One JSON object per line, one event per object, after an optional header line. Generated "
       "from mentorcore's event field tables."},
      {"oneOf", variants},
      {"$defs",
       {{"date", {{"type", "string"}, {"pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}}},
        {"id", {{"type", "string"}, {"pattern", "^[A-Za-z0-9_.:-]{1,64}$"}}},
        // JSON Schema counts characters, the limit is in bytes of UTF-8: a text within the
        // limit always passes, and the reader enforces the bytes.
        {"text",
         {{"type", "string"},
          {"maxLength", detail::max_text_length},
          {"description",
           "at most " + std::to_string(detail::max_text_length) +
               " bytes of UTF-8, the one limit of every text; CPR-shaped numbers are replaced "
               "by \"" +
               std::string(detail::redacted_cpr) + "\" on reading"}}}}},
  };
  return document.dump(2) + "\n";
}

}  // namespace mentorcore
