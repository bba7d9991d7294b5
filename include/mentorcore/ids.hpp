#pragma once
/// \file ids.hpp
/// Strong identifiers, so a course id cannot be passed where a mentor id is expected.
///
/// People are referred to only by pseudonymous keys. An identifier that looks like a CPR number
/// (ten digits in a row, or DDMMYY-SSSS) is refused at construction, and the refusal does not
/// repeat it.

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "mentorcore/detail/redact.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore {

/// Longest identifier accepted, in bytes.
inline constexpr std::size_t max_id_length = 64;

/// A validated text identifier, distinguished by `Tag` (which names the default field).
///
/// Accepted: 1-64 characters from A-Z a-z 0-9 and `_ . : -`, and not shaped like a CPR number.
/// A default-constructed id is empty ("no id"); event validation treats it as missing.
template <class Tag>
class basic_id {
 public:
  basic_id() = default;

  /// Validates `text`; on failure throws invalid_value_error naming `field`.
  explicit basic_id(std::string text, std::string_view field = Tag::field)
      : text_(std::move(text)) {
    validate(text_, field);
  }

  [[nodiscard]] const std::string& str() const noexcept { return text_; }
  [[nodiscard]] bool empty() const noexcept { return text_.empty(); }

  // clang-tidy 14 takes the 0 that a defaulted <=> compares with for a null pointer
  // (llvm-project issue 53961, fixed in clang-tidy 18).
  // NOLINTNEXTLINE(modernize-use-nullptr): a false positive, see above
  friend auto operator<=>(const basic_id&, const basic_id&) = default;
  friend bool operator==(const basic_id&, const basic_id&) = default;

 private:
  static void validate(const std::string& text, std::string_view field) {
    // The common case in one pass: 1-64 allowed characters, and too few digits for a CPR number
    // (every shape has detail::redact_min_digits or more: ten, nine when a leading zero was lost,
    // eight as 1-1-90-1234; redact.hpp). Anything else takes the checks below, which name the
    // fault.
    if (!text.empty() && text.size() <= max_id_length) {
      unsigned all = 1;  // stays 1 while every character is allowed
      std::size_t digits = 0;
      for (const char c : text) {
        const unsigned kind = character_kinds[static_cast<unsigned char>(c)];
        all &= kind != 0 ? 1U : 0U;
        digits += kind >> 1U;
      }
      if (all != 0 && digits < detail::redact_min_digits) return;
    }
    if (text.empty()) {
      throw invalid_value_error(std::string(field), "\"\"", "an identifier must not be empty");
    }
    if (text.size() > max_id_length) {
      // Redacted before it is cut: a cut could leave part of a CPR number no rule recognises.
      throw invalid_value_error(std::string(field),
                                "\"" + detail::redacted_excerpt(text, 23) + "\"",
                                "longer than " + std::to_string(max_id_length) + " characters");
    }
    for (const char c : text) {
      const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '.' || c == ':' || c == '-';
      if (!ok) {
        throw invalid_value_error(std::string(field), "\"" + text + "\"",
                                  "identifiers use only A-Z a-z 0-9 _ . : -");
      }
    }
    if (detail::contains_personal_number(text)) {
      throw invalid_value_error(std::string(field), "\"" + text + "\"",
                                "looks like a CPR number; use a pseudonymous key");
    }
  }

  // 0: not allowed in an identifier; 1: allowed; 2: a digit.
  static constexpr auto character_kinds = [] {
    std::array<unsigned char, 256> kinds{};
    for (unsigned c = 0; c < 256; ++c) {
      if (c >= '0' && c <= '9') {
        kinds[c] = 2;
      } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '.' ||
                 c == ':' || c == '-') {
        kinds[c] = 1;
      }
    }
    return kinds;
  }();

  std::string text_;
};

struct course_id_tag {
  static constexpr std::string_view field = "course";
};
struct citizen_key_tag {
  static constexpr std::string_view field = "citizen";
};
struct staff_id_tag {
  static constexpr std::string_view field = "staff";
};
struct grant_id_tag {
  static constexpr std::string_view field = "grant";
};
struct provider_id_tag {
  static constexpr std::string_view field = "provider";
};

struct goal_id_tag {
  static constexpr std::string_view field = "goal";
};
struct step_id_tag {
  static constexpr std::string_view field = "step";
};
struct knowledge_id_tag {
  static constexpr std::string_view field = "item";
};

struct consent_id_tag {
  static constexpr std::string_view field = "consent";
};
struct handover_id_tag {
  static constexpr std::string_view field = "handover";
};

/// Identifies a course (forløb).
using course_id = basic_id<course_id_tag>;
/// A citizen's pseudonymous key; never a CPR number.
using citizen_key = basic_id<citizen_key_tag>;
/// A mentor, caseworker or other member of staff (or a system account that records events).
using staff_id = basic_id<staff_id_tag>;
/// Identifies a grant (bevilling) within a course.
using grant_id = basic_id<grant_id_tag>;
/// Identifies a provider (leverandør): an organisation, not a person.
using provider_id = basic_id<provider_id_tag>;

/// Identifies a goal in the citizen's plan, within a course.
using goal_id = basic_id<goal_id_tag>;
/// Identifies an action step, within a course.
using step_id = basic_id<step_id_tag>;
/// Identifies a knowledge item, within a course.
using knowledge_id = basic_id<knowledge_id_tag>;

/// Identifies a consent record, within a course.
using consent_id = basic_id<consent_id_tag>;
/// Identifies a handover, within a course.
using handover_id = basic_id<handover_id_tag>;

/// A Danish municipality code (kommunekode): three digits, 101-999.
class municipality_code {
 public:
  municipality_code() = default;
  explicit municipality_code(int code, std::string_view field = "municipality") {
    if (code < 101 || code > 999) {
      throw invalid_value_error(std::string(field), std::to_string(code),
                                "a municipality code has three digits, 101-999");
    }
    code_ = static_cast<std::uint16_t>(code);
  }
  [[nodiscard]] int value() const noexcept { return code_; }
  [[nodiscard]] bool empty() const noexcept { return code_ == 0; }
  friend auto operator<=>(const municipality_code&, const municipality_code&) = default;
  friend bool operator==(const municipality_code&, const municipality_code&) = default;

 private:
  std::uint16_t code_ = 0;
};

}  // namespace mentorcore

template <class Tag>
struct std::hash<mentorcore::basic_id<Tag>> {
  std::size_t operator()(const mentorcore::basic_id<Tag>& id) const noexcept {
    return std::hash<std::string>{}(id.str());
  }
};
