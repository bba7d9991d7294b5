#pragma once
/// \file detail/redact.hpp
/// Removes anything that could be a CPR number from text that leaves the library (error
/// messages, free texts stored in events), so a person's CPR number can never be echoed back.
///
/// What counts as CPR-shaped (docs/errors.md, "Personal data in messages"). Digit groups joined
/// by a separator of one to three joining characters (a space, any ASCII punctuation such as
/// `-`, `.`, `/`, `:`, `,` or `+`, any control character (tab, line feed, carriage return, DEL,
/// C1, U+2028, U+2029) or its backslash escape (`\n`, `\u001f`), and the Unicode spaces, dashes
/// and invisible characters that word processors and mail programs put into numbers: no-break
/// and thin spaces, the hyphens, en and em dash, minus sign, soft hyphen, zero-width space) form
/// a chain, for example `010190-1234`, `010190 – 1234`, `01 01 90 12 34` or `01:01:90:12:34`.
/// An ISO date (2024-01-01) is never part of one, and a chain of clock times only (`10:30-11:45,
/// 12.00-13.15`: an hour 0-23, one `:` or `.`, two digits of minutes 00-59) is never one.
/// Replaced:
/// - a run of ten or more digits;
/// - six digits, a separator, four digits or more (DDMMYY-SSSS, whatever follows):
///   `010190:1234`, `010190, 1234`;
/// - consecutive groups of a chain with ten digits or more in all that start like a date (DD
///   01-31, MM 01-12): `01 01 90 12 34`, `0101 90 1234`, `0101:90:1234`;
/// - nine digits, in one run or in consecutive groups, whose first digit is not 0 and whose
///   second and third are a month: the CPR number of someone born on days 1-9 with its leading
///   zero lost, as when it was held as a number (`101901234`, `10190-1234`).

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace mentorcore::detail {

inline constexpr std::string_view redacted_cpr = "[redacted: possible CPR number]";

[[nodiscard]] constexpr bool redact_is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
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

/// The length in bytes of a character at `text[i]` that may join two digit groups of a chain,
/// else 0: a space, any ASCII punctuation (`-`, `.`, `/`, `:`, `,`, `+`, `#`, ...), any control
/// character (C0 with tab, line feed and carriage return, DEL, C1 such as U+0085) or a backslash
/// escape of one (redact_escape_length); in UTF-8 the no-break space and soft hyphen (U+00A0,
/// U+00AD), the figure, thin, hair and zero-width spaces (U+2007, U+2009, U+200A, U+200B), the
/// hyphens and dashes U+2010-U+2015, the line and paragraph separators (U+2028, U+2029), the narrow
/// no-break space (U+202F), the word joiner (U+2060), the minus sign (U+2212), the small and
/// fullwidth hyphen-minus (U+FE63, U+FF0D) and the zero-width no-break space (U+FEFF). Word
/// processors and mail programs turn a typed `-` or space into several of these, the invisible ones
/// hide inside a number, and a control character disappears on a terminal, showing the digits
/// around it joined.
[[nodiscard]] constexpr std::size_t redact_joiner_length(std::string_view text,
                                                         std::size_t i) noexcept {
  if (i >= text.size()) return 0;
  const char c = text[i];
  if (c == '\\') {
    const std::size_t escape = redact_escape_length(text, i);
    return escape > 0 ? escape : 1;
  }
  if (c == ' ' || redact_is_ascii_punctuation(c)) return 1;
  const auto code = static_cast<unsigned char>(c);
  if (code < 0x20U || code == 0x7FU) return 1;  // C0 controls and DEL
  const auto byte = [&](std::size_t k) {
    return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0U;
  };
  if (byte(0) == 0xC2U) {  // C1 controls U+0080-U+009F, U+00A0, U+00AD
    const unsigned second = byte(1);
    return (second >= 0x80U && second <= 0xA0U) || second == 0xADU ? 2 : 0;
  }
  if (byte(0) == 0xE2U && byte(1) == 0x80U) {
    const unsigned third = byte(2);
    const bool space = third == 0x87U || (third >= 0x89U && third <= 0x8BU) || third == 0xAFU;
    const bool dash = third >= 0x90U && third <= 0x95U;
    const bool line = third == 0xA8U || third == 0xA9U;
    return space || dash || line ? 3 : 0;
  }
  if (byte(0) == 0xE2U && byte(1) == 0x81U && byte(2) == 0xA0U) return 3;  // U+2060
  if (byte(0) == 0xE2U && byte(1) == 0x88U && byte(2) == 0x92U) return 3;  // U+2212
  if (byte(0) == 0xEFU && byte(1) == 0xB9U && byte(2) == 0xA3U) return 3;  // U+FE63
  if (byte(0) == 0xEFU && byte(1) == 0xBCU && byte(2) == 0x8DU) return 3;  // U+FF0D
  if (byte(0) == 0xEFU && byte(1) == 0xBBU && byte(2) == 0xBFU) return 3;  // U+FEFF
  return 0;
}

/// The length in bytes of the separator at `text[i]` between two digit groups: one to three
/// joining characters (redact_joiner_length), so that `010190 - 1234` and `010190--1234` join
/// as `010190-1234` does. 0 if there is none.
[[nodiscard]] constexpr std::size_t redact_separator_length(std::string_view text,
                                                            std::size_t i) noexcept {
  std::size_t length = 0;
  for (int count = 0; count < 3; ++count) {
    const std::size_t one = redact_joiner_length(text, i + length);
    if (one == 0) break;
    length += one;
  }
  return length;
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
  // Every shape above has nine digits or more: a text with fewer, as most are, needs no scan,
  // and counting them is a loop the compiler vectorises.
  std::size_t digits = 0;
  for (std::size_t k = from; k < n; ++k) digits += redact_is_digit(text[k]) ? 1U : 0U;
  if (digits < 9) return std::nullopt;
  const auto digit_at = [&](std::size_t i) { return i < n && redact_is_digit(text[i]); };
  const auto group_end = [&](std::size_t i) {
    while (digit_at(i)) ++i;
    return i;
  };
  // The start of the group that continues the chain after a group ending at `end`, or none.
  const auto next_group = [&](std::size_t end) {
    const std::size_t separator = redact_separator_length(text, end);
    const std::size_t next = end + separator;
    if (separator == 0 || !digit_at(next) || redact_iso_date_at(text, next)) return none;
    return next;
  };
  const auto digit = [](char c) { return c - '0'; };
  // Where a chain from `g` ends if it holds clock times only ("10:30-11:45, 12.00-13.15"), else
  // none: each an hour (one or two digits, 0-23) and two digits of minutes (00-59) joined by one
  // `:` or `.`, and not followed by a third part joined the same way ("12:30:45", "01.02.90").
  const auto times_only = [&](std::size_t g) {
    for (;;) {
      const std::size_t e = group_end(g);
      if (e - g > 2 || e + 3 > n || (text[e] != ':' && text[e] != '.')) return none;
      const std::size_t end = e + 3;
      if (group_end(e + 1) != end) return none;
      const int hour = e - g == 1 ? digit(text[g]) : digit(text[g]) * 10 + digit(text[g + 1]);
      if (hour > 23 || digit(text[e + 1]) > 5) return none;
      if (end + 1 < n && text[end] == text[e] && redact_is_digit(text[end + 1])) return none;
      g = next_group(end);
      if (g == none) return end;
    }
  };
  // Nine digits "DMMYYSSSS": a CPR whose leading zero was lost.
  const auto nine_digit_cpr = [&](char d, char m1, char m2) {
    const int month = digit(m1) * 10 + digit(m2);
    return d != '0' && month >= 1 && month <= 12;
  };

  std::size_t i = from;
  while (i < n) {
    if (!redact_is_digit(text[i])) {
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
    // A chain: digit groups joined by single separators. Every group may start a match.
    std::size_t chain_end = i;
    for (std::size_t g = i; g != none;) {
      const std::size_t e = group_end(g);
      chain_end = e;
      const std::size_t run = e - g;
      if (run >= 10) return std::pair{g, e};
      if (run == 9 && nine_digit_cpr(text[g], text[g + 1], text[g + 2])) return std::pair{g, e};
      if (run == 6) {  // DDMMYY-SSSS, whatever DDMMYY holds and whatever digits follow
        const std::size_t after = e + redact_separator_length(text, e);
        if (after > e && digit_at(after) && group_end(after) - after >= 4)
          return std::pair{g, group_end(after)};
      }
      // Groups from g on with nine, or ten or more, digits in all: "01 01 90 12 34", "10190-1234".
      std::array<char, 4> head{};
      std::size_t total = 0;
      std::size_t groups = 0;
      for (std::size_t t = g; t != none && total < 10;) {
        const std::size_t te = group_end(t);
        for (std::size_t k = t; k < te; ++k, ++total) {
          if (total < head.size()) head[total] = text[k];
        }
        ++groups;
        if (groups >= 2 && total == 9 && nine_digit_cpr(head[0], head[1], head[2]))
          return std::pair{g, te};
        if (groups >= 2 && total >= 10) {
          const int day = digit(head[0]) * 10 + digit(head[1]);
          const int month = digit(head[2]) * 10 + digit(head[3]);
          if (day >= 1 && day <= 31 && month >= 1 && month <= 12) return std::pair{g, te};
        }
        t = next_group(te);
      }
      g = next_group(e);
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
