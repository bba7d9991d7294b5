#pragma once
/// \file reference_data.hpp
/// Dated reference data: legal bases, target groups and assessment categories.
///
/// Legal bases, target groups and assessment categories change with reforms (a reform from
/// 2026-2027 cuts 13 target groups to 5), so they are data, not enums: each entry has a code, a
/// label and a validity period. mentorcore ships a starter set (data/reference_data.json, compiled
/// into the headers); users extend it with their own JSON file. An event that uses a code outside
/// its validity is rejected.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorcore/date.hpp"
#include "mentorcore/enum.hpp"
#include "mentorcore/instrument.hpp"

namespace mentorcore {

/// The tables of reference data.
enum class reference_kind : std::uint8_t { legal_basis, target_group, assessment_category };

template <>
struct enum_traits<reference_kind> {
  static constexpr std::string_view type_name = "reference_kind";
  static constexpr std::array<std::string_view, 3> names = {"legal_basis", "target_group",
                                                            "assessment_category"};
};

/// Months a grant may run when its legal basis says nothing else (LAB § 167 stk. 1).
inline constexpr int default_max_grant_months = 6;

/// One dated code.
struct reference_entry {
  reference_kind kind = reference_kind::legal_basis;
  std::string code;
  std::string label;
  date valid_from;
  std::optional<date> valid_to;  ///< inclusive; none = still valid
  /// For legal bases: the longest grant in Danish months (6 when absent).
  std::optional<int> max_grant_months;
  std::string source;  ///< where the entry comes from (law, guidance, local decision)

  [[nodiscard]] bool valid_on(const date& day) const {
    return valid_from <= day && (!valid_to || day <= *valid_to);
  }
  friend bool operator==(const reference_entry&, const reference_entry&) = default;
};

/// A set of reference entries and rating instruments. No two entries of the same kind and code
/// may have overlapping validity, and instrument names are unique.
class reference_data {
 public:
  reference_data() = default;

  /// The starter set that ships with mentorcore (data/reference_data.json, compiled in as C++
  /// initialisers), built once on first use.
  [[nodiscard]] static std::shared_ptr<const reference_data> builtin();

  /// The deepest nesting of arrays and objects from_json accepts. A real document nests 5 levels
  /// (document, instruments, an instrument, its items, an item); the limit keeps a hostile one
  /// (100,000 levels in 200 KB) from exhausting the stack in the JSON library's recursive parts.
  static constexpr std::size_t max_json_depth = 64;

  /// Parses a reference-data JSON document (see docs/reference-data.md). Throws parse_error
  /// naming `source`, the line and the field; a document nested deeper than max_json_depth is
  /// refused before it is parsed. Compiled into mentorcore::io (it needs a JSON
  /// parser), like to_json and from_json_file: a core-only user links mentorcore::io for them.
  [[nodiscard]] static reference_data from_json(std::string_view text,
                                                std::string_view source = "<string>");
  /// The set as a reference-data JSON document that from_json reads back equal.
  [[nodiscard]] std::string to_json() const;

  /// Reads and parses a reference-data JSON file.
  [[nodiscard]] static reference_data from_json_file(const std::string& path);

  /// Adds an entry after checking it (non-empty code, valid_to not before valid_from, grant
  /// months 1-24, no overlap with an entry of the same kind and code). Strong guarantee.
  void add(reference_entry entry);

  /// Adds a rating instrument; names are unique. Strong guarantee.
  void add_instrument(instrument definition);

  /// A copy with every entry and instrument of `more` added.
  [[nodiscard]] reference_data extended(const reference_data& more) const;

  /// The rating instruments defined (mentorcore ships none: they are licensed).
  [[nodiscard]] const std::vector<instrument>& instruments() const noexcept { return instruments_; }
  /// The instrument called `name`, or nullptr.
  [[nodiscard]] const instrument* find_instrument(std::string_view name) const;

  [[nodiscard]] const std::vector<reference_entry>& entries() const noexcept { return entries_; }

  /// The entry of `kind` with `code` valid on `day`, or nullptr.
  [[nodiscard]] const reference_entry* find(reference_kind kind, std::string_view code,
                                            const date& day) const;

  /// The entry of `kind` with `code` valid on `day`. Throws invalid_value_error naming `field`
  /// when the code is unknown or not valid that day (saying when it is valid).
  [[nodiscard]] const reference_entry& require(reference_kind kind, std::string_view code,
                                               const date& day, std::string_view field) const;

  friend bool operator==(const reference_data&, const reference_data&) = default;

 private:
  std::vector<reference_entry> entries_;
  std::vector<instrument> instruments_;
};

}  // namespace mentorcore

// The definitions: inline in the header-only model, compiled once into mentorcore::io
// (detail/decl.hpp).
#ifndef MENTORCORE_SEPARATE_COMPILATION
#include "mentorcore/detail/reference_data_impl.hpp"
#endif
