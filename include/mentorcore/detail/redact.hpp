#pragma once
/// \file detail/redact.hpp
/// Removes anything that could be a CPR number from text that leaves the library (error
/// messages, free texts stored in events), so a person's CPR number can never be echoed back.
///
/// What counts as CPR-shaped (docs/errors.md, "Personal data in messages"). A digit is an ASCII
/// or a fullwidth one (U+FF10-U+FF19). Digit groups joined by a separator, a run of one to five
/// separating characters (redact_joiner_length: a space, any ASCII punctuation or control
/// character, a backslash escape of one such as `\n`, C1 controls, the Unicode spaces, line and
/// paragraph separators, invisible format characters, dashes and punctuation, the minus sign,
/// fullwidth punctuation), form a chain: `010190-1234`, `010190 – 1234`, `01 01 90 12 34`,
/// `01:01:90:12:34`, `010190 --- 1234`, `０１０１９０-１２３４`. An ISO date (2024-01-01) is never
/// part of a chain, and a chain of clock times only (`10:30-11:45, 12.00-13.15`: each an hour
/// 0-23, one `:` or `.`, two digits of minutes 00-59) is never CPR-shaped. Replaced:
/// - a run of ten or more digits;
/// - six digits, a separator, four digits or more (DDMMYY-SSSS, whatever follows):
///   `010190:1234`, `010190, 1234`;
/// - consecutive groups of a chain with ten digits or more in all that start like a date (DD
///   01-31, MM 01-12): `01 01 90 12 34`, `0101 90 1234`, `0101:90:1234`;
/// - a date with one or two digits of day (1-31) and of month (1-12), two or four of year, and
///   a group of four digits or more: `1-1-90-1234`, `1.1.1990 1234`;
/// - nine digits, in one run or in consecutive groups, whose first digit is not 0 and whose
///   second and third are a month: the CPR number of someone born on days 1-9 with its leading
///   zero lost, as when it was held as a number (`101901234`, `10190-1234`).
/// Every shape holds eight digits or more, so a text with fewer is never scanned.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace mentorcore::detail {

inline constexpr std::string_view redacted_cpr = "[redacted: possible CPR number]";

/// The fewest digits any CPR shape holds (D-M-YY-SSSS): a text with fewer is not scanned.
inline constexpr std::size_t redact_min_digits = 8;

[[nodiscard]] constexpr bool redact_is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

/// The length in bytes of a digit at `text[i]`: 1 for an ASCII digit, 3 for a fullwidth one
/// (U+FF10-U+FF19, UTF-8 EF BC 90-99), else 0.
[[nodiscard]] constexpr std::size_t redact_digit_length(std::string_view text,
                                                        std::size_t i) noexcept {
  if (i >= text.size()) return 0;
  if (redact_is_digit(text[i])) return 1;
  if (i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xEFU &&
      static_cast<unsigned char>(text[i + 1]) == 0xBCU) {
    const auto third = static_cast<unsigned char>(text[i + 2]);
    if (third >= 0x90U && third <= 0x99U) return 3;
  }
  return 0;
}

/// The value of the digit at `text[i]` (where redact_digit_length is not 0).
[[nodiscard]] constexpr int redact_digit_value(std::string_view text, std::size_t i) noexcept {
  if (redact_is_digit(text[i])) return text[i] - '0';
  return static_cast<int>(static_cast<unsigned char>(text[i + 2])) - 0x90;
}

/// Whether `c` is ASCII punctuation (`!` to `/`, `:` to `@`, `[` to `` ` ``, `{` to `~`).
[[nodiscard]] constexpr bool redact_is_ascii_punctuation(char c) noexcept {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

/// The length in bytes of a backslash escape at `text[i]`, else 0: `\a`, `\b`, `\f`, `\n`, `\r`,
/// `\t`, `\v`, `\xHH`, `\uHHHH` or `\UHHHHHHHH`. That is how Python's repr, JSON and
/// detail::error_text write a control character, so a number split by one is still seen joined
/// once it is written out (`'010190\n1234'`).
[[nodiscard]] constexpr std::size_t redact_escape_length(std::string_view text,
                                                         std::size_t i) noexcept {
  if (i + 1 >= text.size() || text[i] != '\\') return 0;
  const char kind = text[i + 1];
  for (const char simple : {'a', 'b', 'f', 'n', 'r', 't', 'v'}) {
    if (kind == simple) return 2;
  }
  std::size_t hex = 0;
  if (kind == 'x') hex = 2;
  if (kind == 'u') hex = 4;
  if (kind == 'U') hex = 8;
  if (hex == 0 || i + 2 + hex > text.size()) return 0;
  for (std::size_t k = i + 2; k < i + 2 + hex; ++k) {
    const char c = text[k];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return 0;
  }
  return 2 + hex;
}

/// The length in bytes of a separating character at `text[i]`, one that may stand between two
/// digit groups of a chain, else 0. Anything that is neither a letter nor a digit and that a
/// reader's eye passes over, or that a program puts into a typed number:
/// - in ASCII: a space, any punctuation, any control character (tab, line feed, carriage
///   return, DEL, ...), or a backslash escape of one (redact_escape_length);
/// - the C1 controls (U+0080-U+009F, such as U+0085 next line), the no-break space (U+00A0),
///   the soft hyphen (U+00AD) and the middle dot (U+00B7);
/// - the Ogham space mark (U+1680) and the whole General Punctuation block (U+2000-U+206F): the
///   spaces U+2000-U+200A, U+202F and U+205F, the invisible U+200B-U+200F and U+2060-U+2064,
///   the hyphens and dashes U+2010-U+2015, quotes, bullets, the line and paragraph separators
///   U+2028 and U+2029;
/// - the minus sign (U+2212) and the Supplemental Punctuation block (U+2E00-U+2E7F, with the
///   dashes U+2E17, U+2E1A, U+2E3A, U+2E3B, U+2E40);
/// - the ideographic space, comma and full stop (U+3000-U+3003), the CJK brackets
///   (U+3008-U+3011, U+3014-U+301F, with the wave dash U+301C), the wavy dash (U+3030), the
///   double hyphen (U+30A0) and the katakana middle dot (U+30FB);
/// - the vertical, compatibility and small forms of punctuation (U+FE10-U+FE19,
///   U+FE30-U+FE6B, with the dashes U+FE31, U+FE32, U+FE58, U+FE63), the zero-width no-break
///   space (U+FEFF), and the fullwidth punctuation (U+FF01-U+FF0F, U+FF1A-U+FF20,
///   U+FF3B-U+FF40, U+FF5B-U+FF65, with U+FF0D).
/// Word processors and mail programs turn a typed `-` or space into several of these, the
/// invisible ones hide inside a number, and a terminal drops a control character, showing the
/// digits around it joined.
// One switch over the lead byte, kept whole so that it reads against the list above.
// NOLINTNEXTLINE(readability-function-cognitive-complexity)
[[nodiscard]] constexpr std::size_t redact_joiner_length(std::string_view text,
                                                         std::size_t i) noexcept {
  if (i >= text.size()) return 0;
  const char c = text[i];
  if (c == '\\') {
    const std::size_t escape = redact_escape_length(text, i);
    return escape > 0 ? escape : 1;
  }
  const auto lead = static_cast<unsigned char>(c);
  if (lead < 0x80U) return lead <= 0x20U || lead == 0x7FU || redact_is_ascii_punctuation(c) ? 1 : 0;
  const auto byte = [&](std::size_t k) {
    return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0U;
  };
  const unsigned b1 = byte(1);
  const unsigned b2 = byte(2);
  if ((b1 & 0xC0U) != 0x80U) return 0;  // not UTF-8
  if (lead == 0xC2U) return (b1 <= 0xA0U || b1 == 0xADU || b1 == 0xB7U) ? 2 : 0;
  if ((b2 & 0xC0U) != 0x80U) return 0;
  std::size_t three = 0;
  switch (lead) {
    case 0xE1U: three = b1 == 0x9AU && b2 == 0x80U ? 3 : 0; break;
    case 0xE2U:
      three = b1 == 0x80U || (b1 == 0x81U && b2 <= 0xAFU) || (b1 == 0x88U && b2 == 0x92U) ||
                      b1 == 0xB8U || b1 == 0xB9U
                  ? 3
                  : 0;
      break;
    case 0xE3U:
      three = (b1 == 0x80U && (b2 <= 0x83U || (b2 >= 0x88U && b2 <= 0x91U) ||
                               (b2 >= 0x94U && b2 <= 0x9FU) || b2 == 0xB0U)) ||
                      (b1 == 0x82U && b2 == 0xA0U) || (b1 == 0x83U && b2 == 0xBBU)
                  ? 3
                  : 0;
      break;
    case 0xEFU:
      three = (b1 == 0xB8U && ((b2 >= 0x90U && b2 <= 0x99U) || b2 >= 0xB0U)) ||
                      (b1 == 0xB9U && b2 <= 0xABU) || (b1 == 0xBBU && b2 == 0xBFU) ||
                      (b1 == 0xBCU && ((b2 >= 0x81U && b2 <= 0x8FU) ||
                                       (b2 >= 0x9AU && b2 <= 0xA0U) || b2 >= 0xBBU)) ||
                      (b1 == 0xBDU && (b2 == 0x80U || (b2 >= 0x9BU && b2 <= 0xA5U)))
                  ? 3
                  : 0;
      break;
    default: break;
  }
  return three;
}

/// The most separating characters between two digit groups of a chain: `010190 --- 1234` and
/// four no-break spaces still join.
inline constexpr int redact_max_separator = 5;

/// The length in bytes of the separator at `text[i]` between two digit groups: one to
/// redact_max_separator separating characters (redact_joiner_length), so that `010190 - 1234`
/// and `010190--1234` join as `010190-1234` does. 0 if there is none.
[[nodiscard]] constexpr std::size_t redact_separator_length(std::string_view text,
                                                            std::size_t i) noexcept {
  std::size_t length = 0;
  for (int count = 0; count < redact_max_separator; ++count) {
    const std::size_t one = redact_joiner_length(text, i + length);
    if (one == 0) break;
    length += one;
  }
  return length;
}

/// A run of digits (ASCII or fullwidth) in a text: where it lies, in bytes, how many digits it
/// holds, and the values of its first four.
struct redact_group {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t digits = 0;
  std::array<int, 4> head{};

  /// The value of a group of one or two digits (a day, a month, an hour).
  [[nodiscard]] constexpr int small_number() const noexcept {
    return digits == 1 ? head[0] : head[0] * 10 + head[1];
  }
};

/// The run of digits that starts at `text[i]` (a digit).
[[nodiscard]] constexpr redact_group redact_group_at(std::string_view text,
                                                     std::size_t i) noexcept {
  redact_group group;
  group.begin = i;
  for (std::size_t length = redact_digit_length(text, i); length > 0;
       length = redact_digit_length(text, i)) {
    if (group.digits < group.head.size()) group.head[group.digits] = redact_digit_value(text, i);
    ++group.digits;
    i += length;
  }
  group.end = i;
  return group;
}

/// Whether an ISO date (YYYY-MM-DD, year 1900-2299, month 01-12, day 01-31) starts at `text[p]`.
/// Such a date is never part of a CPR number: it ends a chain, so that "2024-01-01 2024-02-01"
/// stays as it is.
[[nodiscard]] constexpr bool redact_iso_date_at(std::string_view text, std::size_t p) noexcept {
  if (p + 10 > text.size()) return false;
  for (const std::size_t k : {0U, 1U, 2U, 3U, 5U, 6U, 8U, 9U}) {
    if (!redact_is_digit(text[p + k])) return false;
  }
  if (text[p + 4] != '-' || text[p + 7] != '-') return false;
  if (p + 10 < text.size() && redact_is_digit(text[p + 10])) return false;
  const auto two = [&](std::size_t k) {
    return (text[p + k] - '0') * 10 + (text[p + k + 1] - '0');
  };
  const int century = two(0);
  return century >= 19 && century <= 22 && two(5) >= 1 && two(5) <= 12 && two(8) >= 1 &&
         two(8) <= 31;
}

/// Where the first CPR-shaped number at or after `from` lies in `text`, as [begin, end), or
/// nothing. The one scanner behind contains_personal_number and redact_personal_numbers, so the
/// two always agree. The leftmost match wins; it never allocates.
// One scan with every shape's test inline, kept together so that the shapes can be read against
// docs/errors.md side by side; split up, they would each re-walk the same digit run.
// NOLINTNEXTLINE(readability-function-cognitive-complexity)
[[nodiscard]] inline std::optional<std::pair<std::size_t, std::size_t>> find_personal_number(
    std::string_view text, std::size_t from = 0) noexcept {
  constexpr std::size_t none = std::string_view::npos;
  const std::size_t n = text.size();
  // Every shape above has eight digits or more: a text with fewer, as most are, needs no scan.
  // Counted in a loop the compiler vectorises: the ASCII digits, and the bytes EF that lead
  // every fullwidth digit (and a few other characters: an over-count only scans a text more).
  std::size_t digits = 0;
  for (std::size_t k = from; k < n; ++k) {
    const auto b = static_cast<unsigned char>(text[k]);
    digits += (static_cast<unsigned>(b - '0') < 10U ? 1U : 0U) + (b == 0xEFU ? 1U : 0U);
  }
  if (digits < redact_min_digits) return std::nullopt;
  const auto digit_at = [&](std::size_t i) { return redact_digit_length(text, i) > 0; };
  // The start of the group that continues the chain after a group ending at `end`, or none.
  const auto next_group = [&](std::size_t end) {
    const std::size_t separator = redact_separator_length(text, end);
    const std::size_t next = end + separator;
    if (separator == 0 || !digit_at(next) || redact_iso_date_at(text, next)) return none;
    return next;
  };
  // Where a chain from `g` ends if it holds clock times only ("10:30-11:45, 12.00-13.15"), else
  // none: each an hour (one or two digits, 0-23) and two digits of minutes (00-59) joined by one
  // `:` or `.`, and not followed by a third part joined the same way ("12:30:45", "01.02.90").
  const auto times_only = [&](std::size_t g) {
    for (;;) {
      const redact_group hour = redact_group_at(text, g);
      if (hour.digits > 2 || hour.end + 1 >= n) return none;
      const char colon = text[hour.end];
      if ((colon != ':' && colon != '.') || !digit_at(hour.end + 1)) return none;
      const redact_group minutes = redact_group_at(text, hour.end + 1);
      if (hour.small_number() > 23 || minutes.digits != 2 || minutes.head[0] > 5) return none;
      if (minutes.end + 1 < n && text[minutes.end] == colon && digit_at(minutes.end + 1))
        return none;
      g = next_group(minutes.end);
      if (g == none) return minutes.end;
    }
  };
  // Where "D-M-YY-SSSS" from `day` ends, else none: a day (1-31) and a month (1-12) of one or
  // two digits, a year of two or four, and four digits or more. `m` is the group after `day`.
  const auto short_date_cpr = [&](const redact_group& day, std::size_t m) {
    if (m == none || day.digits > 2 || day.small_number() < 1 || day.small_number() > 31)
      return none;
    const redact_group month = redact_group_at(text, m);
    if (month.digits > 2 || month.small_number() < 1 || month.small_number() > 12) return none;
    const std::size_t y = next_group(month.end);
    if (y == none) return none;
    const redact_group year = redact_group_at(text, y);
    if (year.digits != 2 && year.digits != 4) return none;
    const std::size_t s = next_group(year.end);
    if (s == none) return none;
    const redact_group serial = redact_group_at(text, s);
    return serial.digits >= 4 ? serial.end : none;
  };
  // Nine digits "DMMYYSSSS": a CPR whose leading zero was lost.
  const auto nine_digit_cpr = [](const std::array<int, 4>& head) {
    const int month = head[1] * 10 + head[2];
    return head[0] != 0 && month >= 1 && month <= 12;
  };

  std::size_t i = from;
  while (i < n) {
    if (!digit_at(i)) {
      ++i;
      continue;
    }
    if (redact_iso_date_at(text, i)) {
      i += 10;
      continue;
    }
    if (const std::size_t times_end = times_only(i); times_end != none) {
      i = times_end;
      continue;
    }
    // A chain: digit groups joined by separators. Every group may start a match.
    std::size_t chain_end = i;
    for (std::size_t g = i; g != none;) {
      const redact_group group = redact_group_at(text, g);
      const std::size_t e = group.end;
      chain_end = e;
      if (group.digits >= 10) return std::pair{g, e};
      if (group.digits == 9 && nine_digit_cpr(group.head)) return std::pair{g, e};
      if (group.digits == 6) {  // DDMMYY-SSSS, whatever DDMMYY holds and whatever digits follow
        const std::size_t after = e + redact_separator_length(text, e);
        if (after > e && digit_at(after)) {
          const redact_group serial = redact_group_at(text, after);
          if (serial.digits >= 4) return std::pair{g, serial.end};
        }
      }
      const std::size_t next = next_group(e);
      if (const std::size_t end = short_date_cpr(group, next); end != none)
        return std::pair{g, end};
      // Groups from g on with nine, or ten or more, digits in all: "01 01 90 12 34", "10190-1234".
      std::array<int, 4> head{};
      std::size_t total = 0;
      std::size_t groups = 0;
      for (std::size_t t = g; t != none && total < 10;) {
        const redact_group part = t == g ? group : redact_group_at(text, t);
        for (std::size_t k = 0; k < part.digits && k < part.head.size(); ++k) {
          if (total + k < head.size()) head[total + k] = part.head[k];
        }
        total += part.digits;
        ++groups;
        if (groups >= 2 && total == 9 && nine_digit_cpr(head)) return std::pair{g, part.end};
        if (groups >= 2 && total >= 10) {
          const int day = head[0] * 10 + head[1];
          const int month = head[2] * 10 + head[3];
          if (day >= 1 && day <= 31 && month >= 1 && month <= 12) return std::pair{g, part.end};
        }
        t = t == g ? next : next_group(part.end);
      }
      g = next;
    }
    i = chain_end;
  }
  return std::nullopt;
}

/// Whether `text` holds anything redact_personal_numbers would remove (without allocating).
[[nodiscard]] inline bool contains_personal_number(std::string_view text) noexcept {
  return find_personal_number(text).has_value();
}

/// `text` with every CPR-shaped number (see the top of this file) replaced by redacted_cpr.
/// Deliberately over-eager: a false positive costs a less helpful message, a false negative
/// would leak personal data.
[[nodiscard]] inline std::string redact_personal_numbers(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  std::size_t at = 0;
  while (const auto found = find_personal_number(text, at)) {
    result.append(text.substr(at, found->first - at));
    result += redacted_cpr;
    at = found->second;
  }
  result.append(text.substr(at));
  return result;
}

/// `text` redacted and then, if longer than `width` bytes, cut to `width - 3` and "...".
/// Always in that order: cutting first could leave nine digits of a CPR number that no rule
/// recognises any more (`010190123...`).
[[nodiscard]] inline std::string redacted_excerpt(std::string_view text, std::size_t width) {
  std::string result = redact_personal_numbers(text);
  if (result.size() > width) {
    // Cut at a character boundary: half a UTF-8 character would make the message undecodable.
    std::size_t cut = width > 3 ? width - 3 : 0;
    while (cut > 0 && (static_cast<unsigned char>(result[cut]) & 0xC0U) == 0x80U) --cut;
    result.resize(cut);
    result += "...";
  }
  return result;
}

}  // namespace mentorcore::detail
