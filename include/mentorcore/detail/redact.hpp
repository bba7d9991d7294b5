#pragma once
/// \file detail/redact.hpp
/// Removes anything that could be a CPR number from text that leaves the library (error
/// messages, free texts stored in events), so a person's CPR number can never be echoed back.
///
/// What counts as CPR-shaped (docs/errors.md, "Personal data in messages"). A digit is any
/// decimal digit of Unicode (General Category Nd, redact_digit_at): ASCII, fullwidth
/// (U+FF10-U+FF19), Arabic-Indic, Devanagari and the other scripts' digits, the mathematical
/// ones. Digit groups joined by a separator, a run of one to five separating characters
/// (redact_joiner_length: a space, any ASCII punctuation or control character, a backslash
/// escape of one such as `\n`, a percent-encoded one such as `%2D` or `%E2%80%93`, C1 controls,
/// the Unicode spaces, line and paragraph separators, invisible format characters, dashes and
/// punctuation, the minus sign, fullwidth punctuation), form a chain: `010190-1234`,
/// `010190 – 1234`, `01 01 90 12 34`, `01:01:90:12:34`, `010190 --- 1234`, `010190%2D1234`,
/// `０１０１９０-１２３４`, `٠١٠١٩٠-١٢٣٤`. An ISO date (2024-01-01, in any script's digits) is
/// never part of a chain, and a chain of clock times only (`10:30-11:45, 12.00-13.15`: each an
/// hour 0-23, one `:` or `.`, two digits of minutes 00-59) is never CPR-shaped. Replaced:
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

#include <algorithm>
#include <array>
#include <cstddef>
#include <iterator>
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

/// The first code point (the zero) of every block of ten decimal digits beyond ASCII: every
/// character of General Category Nd in Unicode 17.0 is zero + 0 to zero + 9 of one of them.
/// Arabic-Indic (U+0660), Extended Arabic-Indic (U+06F0), NKo, Devanagari (U+0966), Bengali and
/// the other scripts of India and South-East Asia, Myanmar, Khmer, Mongolian, ..., fullwidth
/// (U+FF10), the scripts outside the BMP, the five sets of mathematical digits (U+1D7CE-U+1D7FF)
/// and the segmented digits (U+1FBF0). Sorted, for redact_digit_at's binary search.
inline constexpr std::array<char32_t, 76> redact_digit_zeros = {
    0x660,   0x6F0,   0x7C0,   0x966,   0x9E6,   0xA66,   0xAE6,   0xB66,   0xBE6,   0xC66,
    0xCE6,   0xD66,   0xDE6,   0xE50,   0xED0,   0xF20,   0x1040,  0x1090,  0x17E0,  0x1810,
    0x1946,  0x19D0,  0x1A80,  0x1A90,  0x1B50,  0x1BB0,  0x1C40,  0x1C50,  0xA620,  0xA8D0,
    0xA900,  0xA9D0,  0xA9F0,  0xAA50,  0xABF0,  0xFF10,  0x104A0, 0x10D30, 0x10D40, 0x11066,
    0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x116D0, 0x116DA,
    0x11730, 0x118E0, 0x11950, 0x11BF0, 0x11C50, 0x11D50, 0x11DA0, 0x11DE0, 0x11F50, 0x16130,
    0x16A60, 0x16AC0, 0x16B50, 0x16D70, 0x1CCF0, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6,
    0x1E140, 0x1E2F0, 0x1E4F0, 0x1E5F1, 0x1E950, 0x1FBF0};

/// Whether `lead` is the first byte of the UTF-8 form of a digit beyond ASCII: D9, DB, DF (the
/// Arabic and NKo digits), E0 (the scripts of India), E1, EA, EF (fullwidth) or F0 (outside the
/// BMP). Checked against redact_digit_zeros below; the pre-check counts these bytes.
[[nodiscard]] constexpr bool redact_digit_lead(unsigned char lead) noexcept {
  switch (lead) {
    case 0xD9U:
    case 0xDBU:
    case 0xDFU:
    case 0xE0U:
    case 0xE1U:
    case 0xEAU:
    case 0xEFU:
    case 0xF0U: return true;
    default: return false;
  }
}

/// A digit in a text: its length in bytes (0 where there is none) and its value, 0-9.
struct redact_digit {
  std::size_t length = 0;
  int value = 0;
};

/// The digit beyond ASCII at `text[i]`, a byte >= 0x80 (redact_digit_at).
[[nodiscard]] constexpr redact_digit redact_digit_beyond_ascii(std::string_view text,
                                                               std::size_t i) noexcept {
  const auto lead = static_cast<unsigned char>(text[i]);
  if (!redact_digit_lead(lead)) return {};
  const std::size_t length = lead < 0xE0U ? 2 : (lead < 0xF0U ? 3 : 4);
  if (i + length > text.size()) return {};
  auto code = static_cast<char32_t>(lead & (lead < 0xE0U ? 0x1FU : (lead < 0xF0U ? 0x0FU : 0x07U)));
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0U) != 0x80U) return {};  // not UTF-8
    code = (code << 6U) | (next & 0x3FU);
  }
  const auto* const after =
      std::upper_bound(redact_digit_zeros.begin(), redact_digit_zeros.end(), code);
  if (after == redact_digit_zeros.begin()) return {};
  const char32_t offset = code - *std::prev(after);
  return offset < 10 ? redact_digit{length, static_cast<int>(offset)} : redact_digit{};
}

/// The digit at `text[i]`, if one starts there: an ASCII digit (1 byte) or any other decimal
/// digit of Unicode (2-4 bytes of UTF-8, redact_digit_zeros): `٣` (U+0663) is a 3 as `3` is.
[[nodiscard]] constexpr redact_digit redact_digit_at(std::string_view text,
                                                     std::size_t i) noexcept {
  if (i >= text.size()) return {};
  const auto lead = static_cast<unsigned char>(text[i]);
  if (lead < 0x80U) {
    return redact_is_digit(text[i]) ? redact_digit{1, lead - '0'} : redact_digit{};
  }
  return redact_digit_beyond_ascii(text, i);
}

/// Every digit of redact_digit_zeros starts with a byte of redact_digit_lead, and the blocks are
/// sorted and apart: what the pre-check and the binary search rely on.
[[nodiscard]] constexpr bool redact_digit_zeros_checked() noexcept {
  char32_t previous = 0x30;
  for (const char32_t zero : redact_digit_zeros) {
    if (zero < previous + 10) return false;
    previous = zero;
    for (char32_t digit = zero; digit < zero + 10; ++digit) {
      const unsigned lead = digit < 0x800     ? 0xC0U | (digit >> 6U)
                            : digit < 0x10000 ? 0xE0U | (digit >> 12U)
                                              : 0xF0U | (digit >> 18U);
      if (!redact_digit_lead(static_cast<unsigned char>(lead))) return false;
    }
  }
  return true;
}
static_assert(redact_digit_zeros_checked());

/// The length in bytes of a digit at `text[i]` (redact_digit_at), else 0.
[[nodiscard]] constexpr std::size_t redact_digit_length(std::string_view text,
                                                        std::size_t i) noexcept {
  return redact_digit_at(text, i).length;
}

/// The value of the digit at `text[i]` (where redact_digit_length is not 0).
[[nodiscard]] constexpr int redact_digit_value(std::string_view text, std::size_t i) noexcept {
  return redact_digit_at(text, i).value;
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

/// The byte that `%XX` at `text[i]` encodes (two hex digits, either case), else -1.
[[nodiscard]] constexpr int redact_percent_byte(std::string_view text, std::size_t i) noexcept {
  if (i + 2 >= text.size() || text[i] != '%') return -1;
  const auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  const int high = hex(text[i + 1]);
  const int low = hex(text[i + 2]);
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

/// The length in bytes of a percent-encoded separating character at `text[i]`, as a URL, a
/// query string or a form writes it, else 0: `%2D`, `%20`, `%2F`, `%3A`, `%0A`, and the UTF-8
/// bytes of one of the others in a row (`%C2%A0`, `%E2%80%93`). Read so, it is one separating
/// character, and its hex digits are no digits of a group (`010190%2D1234`).
[[nodiscard]] constexpr std::size_t redact_encoded_joiner_length(std::string_view text,
                                                                 std::size_t i) noexcept {
  const int first = redact_percent_byte(text, i);
  if (first < 0) return 0;
  std::size_t length = 0;  // of the character, in UTF-8 bytes
  if (first < 0x80) length = 1;
  if (first >= 0xC0 && first < 0xF8) length = first < 0xE0 ? 2 : (first < 0xF0 ? 3 : 4);
  if (length == 0) return 0;
  std::array<char, 4> bytes{};
  bytes[0] = static_cast<char>(first);
  for (std::size_t k = 1; k < length; ++k) {
    const int next = redact_percent_byte(text, i + 3 * k);
    if (next < 0 || (static_cast<unsigned>(next) & 0xC0U) != 0x80U) return 0;
    bytes[k] = static_cast<char>(next);
  }
  const std::string_view decoded(bytes.data(), length);
  return redact_joiner_length(decoded, 0) == length ? 3 * length : 0;
}

/// The most separating characters between two digit groups of a chain: `010190 --- 1234` and
/// four no-break spaces still join.
inline constexpr int redact_max_separator = 5;

/// The length in bytes of the separator at `text[i]` between two digit groups: one to
/// redact_max_separator separating characters (redact_joiner_length), so that `010190 - 1234`
/// and `010190--1234` join as `010190-1234` does. 0 if there is none. With `decoded`, a
/// percent-encoded one (redact_encoded_joiner_length) is one character: `010190%20-%201234`.
[[nodiscard]] constexpr std::size_t redact_separator_length(std::string_view text, std::size_t i,
                                                            bool decoded = false) noexcept {
  std::size_t length = 0;
  for (int count = 0; count < redact_max_separator; ++count) {
    const std::size_t encoded = decoded ? redact_encoded_joiner_length(text, i + length) : 0;
    const std::size_t one = encoded > 0 ? encoded : redact_joiner_length(text, i + length);
    if (one == 0) break;
    length += one;
  }
  return length;
}

/// A run of digits (of any script, redact_digit_at) in a text: where it lies, in bytes, how many
/// digits it holds, and the values of its first four.
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
  for (redact_digit digit = redact_digit_at(text, i); digit.length > 0;
       digit = redact_digit_at(text, i)) {
    if (group.digits < group.head.size()) group.head[group.digits] = digit.value;
    ++group.digits;
    i += digit.length;
  }
  group.end = i;
  return group;
}

/// Where an ISO date (YYYY-MM-DD, year 1900-2299, month 01-12, day 01-31) that starts at
/// `text[p]` ends, else 0: digits of any script (redact_digit_at), and with `decoded` each `-`
/// also as `%2D`. Such a date is never part of a CPR number: it ends a chain, so that
/// "2024-01-01 2024-02-01" stays as it is.
[[nodiscard]] constexpr std::size_t redact_iso_date_end(std::string_view text, std::size_t p,
                                                        bool decoded = false) noexcept {
  // At least ten bytes; and where the year is four ASCII bytes, a dash (or `%`) follows them:
  // the quick answer for nearly every group that starts no date.
  if (p + 10 > text.size()) return 0;
  const auto ascii = [&](std::size_t k) { return static_cast<unsigned char>(text[p + k]) < 0x80U; };
  if (ascii(0) && ascii(1) && ascii(2) && ascii(3) && text[p + 4] != '-' && text[p + 4] != '%')
    return 0;
  std::array<int, 8> value{};
  std::size_t at = p;
  std::size_t got = 0;
  const auto digits = [&](std::size_t count) {
    for (std::size_t k = 0; k < count; ++k) {
      const redact_digit digit = redact_digit_at(text, at);
      if (digit.length == 0) return false;
      value[got++] = digit.value;
      at += digit.length;
    }
    return true;
  };
  const auto dash = [&] {
    if (at < text.size() && text[at] == '-') {
      ++at;
      return true;
    }
    if (decoded && redact_percent_byte(text, at) == '-') {
      at += 3;
      return true;
    }
    return false;
  };
  if (!digits(4) || !dash() || !digits(2) || !dash() || !digits(2)) return 0;
  if (redact_digit_at(text, at).length > 0) return 0;
  const int century = value[0] * 10 + value[1];
  const int month = value[4] * 10 + value[5];
  const int day = value[6] * 10 + value[7];
  const bool valid =
      century >= 19 && century <= 22 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
  return valid ? at : 0;
}

/// 1 for a byte that may start a digit (an ASCII digit, or a byte of redact_digit_lead), else 0:
/// what find_personal_number's pre-check counts.
inline constexpr std::array<unsigned char, 256> redact_digit_start = [] {
  std::array<unsigned char, 256> table{};
  for (unsigned b = 0; b < table.size(); ++b) {
    const auto byte = static_cast<unsigned char>(b);
    table[b] = (byte >= '0' && byte <= '9') || redact_digit_lead(byte) ? 1 : 0;
  }
  return table;
}();

/// How many digits `text` may hold from `from` on: the ASCII digits and the bytes that lead a
/// digit of another script (redact_digit_start). Some other characters lead with those bytes too,
/// but an over-count only scans a text more; the Danish letters, dashes and quotes do not.
/// Counted four bytes a step: a table lookup does not vectorise, and most texts are short.
[[nodiscard]] inline std::size_t redact_possible_digits(std::string_view text,
                                                        std::size_t from) noexcept {
  const auto at = [&](std::size_t k) {
    return static_cast<unsigned>(redact_digit_start[static_cast<unsigned char>(text[k])]);
  };
  const std::size_t n = text.size();
  std::size_t digits = 0;
  std::size_t k = from;
  for (; k + 4 <= n; k += 4) digits += at(k) + at(k + 1) + at(k + 2) + at(k + 3);
  for (; k < n; ++k) digits += at(k);
  return digits;
}

/// The first CPR-shaped number at or after `from` in `text` read one way: as it is written, or
/// with `decoded` as a URL decoder reads it, each percent-encoded separating character one
/// (redact_encoded_joiner_length). find_personal_number reads a text both ways.
// One scan with every shape's test inline, kept together so that the shapes can be read against
// docs/errors.md side by side; split up, they would each re-walk the same digit run.
// NOLINTNEXTLINE(readability-function-cognitive-complexity)
[[nodiscard]] inline std::optional<std::pair<std::size_t, std::size_t>> redact_scan(
    std::string_view text, std::size_t from, bool decoded) noexcept {
  constexpr std::size_t none = std::string_view::npos;
  const std::size_t n = text.size();
  const auto digit_at = [&](std::size_t i) { return redact_digit_at(text, i).length > 0; };
  // The start of the group that continues the chain after a group ending at `end`, or none.
  const auto next_group = [&](std::size_t end) {
    const std::size_t separator = redact_separator_length(text, end, decoded);
    const std::size_t next = end + separator;
    if (separator == 0 || !digit_at(next) || redact_iso_date_end(text, next, decoded) > 0)
      return none;
    return next;
  };
  // The mark between an hour and its minutes at `p`: its length, and ':' or '.' (read decoded,
  // also %3A or %2E), else a length of 0.
  const auto time_mark = [&](std::size_t p) {
    if (p < n && (text[p] == ':' || text[p] == '.'))
      return std::pair<std::size_t, char>{1, text[p]};
    const int encoded = decoded ? redact_percent_byte(text, p) : -1;
    if (encoded == ':' || encoded == '.')
      return std::pair<std::size_t, char>{3, static_cast<char>(encoded)};
    return std::pair<std::size_t, char>{0, '\0'};
  };
  // Where a chain from `g` ends if it holds clock times only ("10:30-11:45, 12.00-13.15"), else
  // none: each an hour (one or two digits, 0-23) and two digits of minutes (00-59) joined by one
  // `:` or `.`, and not followed by a third part joined the same way ("12:30:45", "01.02.90").
  const auto times_only = [&](std::size_t g) {
    for (;;) {
      const redact_group hour = redact_group_at(text, g);
      if (hour.digits > 2) return none;
      const auto [mark, colon] = time_mark(hour.end);
      if (mark == 0 || !digit_at(hour.end + mark)) return none;
      const redact_group minutes = redact_group_at(text, hour.end + mark);
      if (hour.small_number() > 23 || minutes.digits != 2 || minutes.head[0] > 5) return none;
      const auto [third, third_colon] = time_mark(minutes.end);
      if (third > 0 && third_colon == colon && digit_at(minutes.end + third)) return none;
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
      // Read decoded, an encoded separator is one character: its hex digits start no group.
      const std::size_t encoded = decoded ? redact_encoded_joiner_length(text, i) : 0;
      i += encoded > 0 ? encoded : 1;
      continue;
    }
    if (const std::size_t date_end = redact_iso_date_end(text, i, decoded); date_end > 0) {
      i = date_end;
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
        const std::size_t after = e + redact_separator_length(text, e, decoded);
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

/// Where the first CPR-shaped number at or after `from` lies in `text`, as [begin, end), or
/// nothing. The one scanner behind contains_personal_number and redact_personal_numbers, so the
/// two always agree. The leftmost match wins; it never allocates.
///
/// A text with a `%` is read both as it is written and decoded (redact_scan): `010190%2D1234` is
/// CPR-shaped only decoded, `010190%1234` (`%12` encodes a control character) only as written.
/// The leftmost match of either wins, grown over every match of the other that overlaps it.
[[nodiscard]] inline std::optional<std::pair<std::size_t, std::size_t>> find_personal_number(
    std::string_view text, std::size_t from = 0) noexcept {
  using match = std::optional<std::pair<std::size_t, std::size_t>>;
  // Every shape has eight digits or more: a text with fewer, as most are, needs no scan (and so
  // not the scan's setting up either: it is a function of its own).
  if (redact_possible_digits(text, from) < redact_min_digits) return std::nullopt;
  match written = redact_scan(text, from, false);
  if (text.find('%', from) == std::string_view::npos) return written;
  match decoded = redact_scan(text, from, true);
  match region;
  for (;;) {
    const bool take_written = written && (!decoded || written->first <= decoded->first);
    match& next = take_written ? written : decoded;
    if (!next || (region && next->first >= region->second)) return region;
    if (!region) {
      region = next;
    } else {
      region->second = std::max(region->second, next->second);
    }
    next = redact_scan(text, next->second, !take_written);
  }
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
