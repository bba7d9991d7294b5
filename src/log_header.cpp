#include "log_header.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mentorcore/error.hpp"
#include "mentorcore/interchange.hpp"

namespace mentorcore::detail {

reference_data reference_beyond_builtin(const reference_data& reference) {
  const auto builtin = reference_data::builtin();
  if (&reference == builtin.get()) return {};
  const auto& known = builtin->entries();
  reference_data extra;
  for (const auto& entry : reference.entries()) {
    if (std::find(known.begin(), known.end(), entry) == known.end()) extra.add(entry);
  }
  for (const auto& definition : reference.instruments()) {
    const instrument* same = builtin->find_instrument(definition.name());
    if (!same || !(*same == definition)) extra.add_instrument(definition);
  }
  return extra;
}

reference_data merged_reference(const reference_data& base, const reference_data& more,
                                std::string_view field) {
  reference_data merged = base;
  const auto& present = base.entries();
  try {
    for (const auto& entry : more.entries()) {
      if (std::find(present.begin(), present.end(), entry) == present.end()) merged.add(entry);
    }
    for (const auto& definition : more.instruments()) {
      const instrument* same = base.find_instrument(definition.name());
      if (same && *same == definition) continue;
      if (same) {
        throw invalid_value_error(std::string(field), "\"" + definition.name() + "\"",
                                  "two different instruments of that name");
      }
      merged.add_instrument(definition);
    }
  } catch (const invalid_value_error& e) {
    if (e.field() == field) throw;
    throw invalid_value_error(std::string(field), e.value(),
                              "conflicting reference data: " + std::string(e.reason()));
  }
  return merged;
}

std::string log_header_line(std::span<const reference_data* const> references) {
  const auto builtin = reference_data::builtin();
  std::vector<const reference_data*> seen;
  reference_data extra;
  for (const reference_data* reference : references) {
    if (reference == builtin.get() || std::find(seen.begin(), seen.end(), reference) != seen.end())
      continue;
    seen.push_back(reference);
    extra = merged_reference(extra, reference_beyond_builtin(*reference), "reference");
  }
  if (extra.entries().empty() && extra.instruments().empty()) return {};
  // to_json's document is indented over several lines; a log line is one line.
  std::string document;
  try {
    document = nlohmann::json::parse(extra.to_json()).dump();
  } catch (const nlohmann::json::exception&) {
    throw invalid_value_error("reference", "[not shown]", "a text is not valid UTF-8");
  }
  return R"({"schema":")" + std::string(event_schema) + R"(","type":")" +
         std::string(log_header_type) + R"(","reference":)" + document + "}";
}

}  // namespace mentorcore::detail
