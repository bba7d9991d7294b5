#pragma once
/// \file detail/reference_data_impl.hpp
/// Definitions of the reference_data members that need no JSON parser, and the built-in set.
///
/// Included by reference_data.hpp, inline, in the header-only model; compiled once into
/// mentorcore::io by src/model_course.cpp (MENTORCORE_DECL, detail/decl.hpp). Reading and writing
/// JSON (from_json, from_json_file, to_json) is compiled into mentorcore::io.

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "mentorcore/detail/builtin_reference_data.hpp"
#include "mentorcore/detail/decl.hpp"
#include "mentorcore/error.hpp"
#include "mentorcore/reference_data.hpp"

namespace mentorcore {
namespace detail {

MENTORCORE_DECL std::string describe_period(const reference_entry& entry) {
  return to_iso(entry.valid_from) + " to " + (entry.valid_to ? to_iso(*entry.valid_to) : "open");
}

}  // namespace detail

/// The built-in set is built from the generated table on first use. A function-local static is
/// initialised once and thread-safely, and, the function being inline or compiled once, is one
/// object across all translation units: no static-initialisation-order problem.
MENTORCORE_DECL std::shared_ptr<const reference_data> reference_data::builtin() {
  static const auto instance = [] {
    reference_data data;
    for (const auto& row : detail::builtin_reference_rows) {
      reference_entry entry;
      entry.kind = row.kind;
      entry.code = std::string(row.code);
      entry.label = std::string(row.label);
      entry.valid_from = parse_iso_date(row.valid_from, "valid_from");
      if (!row.valid_to.empty()) entry.valid_to = parse_iso_date(row.valid_to, "valid_to");
      if (row.max_grant_months != 0) entry.max_grant_months = row.max_grant_months;
      entry.source = std::string(row.source);
      data.add(std::move(entry));
    }
    return std::make_shared<const reference_data>(std::move(data));
  }();
  return instance;
}

MENTORCORE_DECL void reference_data::add(reference_entry entry) {
  const std::string kind_name(to_string(entry.kind));
  if (entry.code.empty())
    throw invalid_value_error("code", "\"\"", "a " + kind_name + " code must not be empty");
  if (entry.label.empty()) throw invalid_value_error("label", "\"\"", "a label must not be empty");
  require_real_date(entry.valid_from, "valid_from");
  if (entry.valid_to) {
    require_real_date(*entry.valid_to, "valid_to");
    if (*entry.valid_to < entry.valid_from) {
      throw invalid_value_error("valid_to", to_iso(*entry.valid_to),
                                "before valid_from " + to_iso(entry.valid_from));
    }
  }
  if (entry.max_grant_months && (*entry.max_grant_months < 1 || *entry.max_grant_months > 24)) {
    throw invalid_value_error("max_grant_months", std::to_string(*entry.max_grant_months),
                              "expected 1-24");
  }
  for (const auto& other : entries_) {
    if (other.kind != entry.kind || other.code != entry.code) continue;
    const bool starts_before_other_ends = !other.valid_to || entry.valid_from <= *other.valid_to;
    const bool ends_after_other_starts = !entry.valid_to || other.valid_from <= *entry.valid_to;
    if (starts_before_other_ends && ends_after_other_starts) {
      throw invalid_value_error("code", "\"" + entry.code + "\"",
                                kind_name + " valid " + detail::describe_period(entry) +
                                    " overlaps the entry valid " + detail::describe_period(other));
    }
  }
  entries_.push_back(std::move(entry));
}

MENTORCORE_DECL void reference_data::add_instrument(instrument definition) {
  if (find_instrument(definition.name())) {
    throw invalid_value_error("name", "\"" + definition.name() + "\"",
                              "an instrument of that name is already defined");
  }
  instruments_.push_back(std::move(definition));
}

MENTORCORE_DECL const instrument* reference_data::find_instrument(std::string_view name) const {
  for (const auto& definition : instruments_) {
    if (definition.name() == name) return &definition;
  }
  return nullptr;
}

MENTORCORE_DECL reference_data reference_data::extended(const reference_data& more) const {
  auto copy = *this;
  for (const auto& entry : more.entries_) copy.add(entry);
  for (const auto& definition : more.instruments_) copy.add_instrument(definition);
  return copy;
}

MENTORCORE_DECL const reference_entry* reference_data::find(reference_kind kind,
                                                            std::string_view code,
                                                            const date& day) const {
  for (const auto& entry : entries_) {
    if (entry.kind == kind && entry.code == code && entry.valid_on(day)) return &entry;
  }
  return nullptr;
}

MENTORCORE_DECL const reference_entry& reference_data::require(reference_kind kind,
                                                               std::string_view code,
                                                               const date& day,
                                                               std::string_view field) const {
  if (const auto* entry = find(kind, code, day)) return *entry;
  std::string periods;
  for (const auto& entry : entries_) {
    if (entry.kind == kind && entry.code == code) {
      if (!periods.empty()) periods += ", ";
      periods += detail::describe_period(entry);
    }
  }
  const std::string quoted = "\"" + std::string(code) + "\"";
  if (periods.empty()) {
    throw invalid_value_error(std::string(field), quoted,
                              "not a known " + std::string(to_string(kind)) + " code");
  }
  throw invalid_value_error(std::string(field), quoted,
                            "not valid on " + to_iso(day) + " (valid " + periods + ")");
}

}  // namespace mentorcore
