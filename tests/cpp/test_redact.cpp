// The shapes of detail/redact.hpp that test_error.cpp does not cover: the digits of every script
// and percent-encoded separators.
#include "mentorcore/detail/redact.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "mentorcore/error.hpp"

namespace {

// `code` in UTF-8 (any code point).
std::string utf8_of(char32_t code) {
  std::string out;
  const auto put = [&](unsigned value) { out += static_cast<char>(value); };
  if (code < 0x80U) {
    put(code);
  } else if (code < 0x800U) {
    put(0xC0U | (code >> 6U));
    put(0x80U | (code & 0x3FU));
  } else if (code < 0x10000U) {
    put(0xE0U | (code >> 12U));
    put(0x80U | ((code >> 6U) & 0x3FU));
    put(0x80U | (code & 0x3FU));
  } else {
    put(0xF0U | (code >> 18U));
    put(0x80U | ((code >> 12U) & 0x3FU));
    put(0x80U | ((code >> 6U) & 0x3FU));
    put(0x80U | (code & 0x3FU));
  }
  return out;
}

// `ascii` with every ASCII digit written as the digit of the same value of the block that
// starts at `zero`.
std::string in_script(const std::string& ascii, char32_t zero) {
  std::string out;
  for (const char c : ascii) {
    out +=
        c >= '0' && c <= '9' ? utf8_of(zero + static_cast<char32_t>(c - '0')) : std::string(1, c);
  }
  return out;
}

// The digits of `text`, of any script, as ASCII: what must never reach the output.
std::string digits_of(const std::string& text) {
  std::string digits;
  for (std::size_t i = 0; i < text.size();) {
    const auto digit = mentorcore::detail::redact_digit_at(text, i);
    if (digit.length == 0) {
      ++i;
      continue;
    }
    digits += static_cast<char>('0' + digit.value);
    i += digit.length;
  }
  return digits;
}

// What a CPR-shaped number is replaced by.
const std::string cpr_marker(mentorcore::detail::redacted_cpr);

}  // namespace

TEST_CASE("the digits of other scripts are digits", "[redact][personal-data]") {
  using mentorcore::detail::redact_personal_numbers;
  // Arabic-Indic, Extended Arabic-Indic (Persian, Urdu), Devanagari, Bengali, Thai, Myanmar,
  // fullwidth, mathematical bold, double-struck and monospace, Adlam, segmented.
  for (const char32_t zero : {0x660U, 0x6F0U, 0x966U, 0x9E6U, 0xE50U, 0x1040U, 0xFF10U, 0x1D7CEU,
                              0x1D7D8U, 0x1D7F6U, 0x1E950U, 0x1FBF0U}) {
    INFO(static_cast<unsigned>(zero));
    for (const std::string shape :
         {"0101901234", "010190-1234", "01 01 90 12 34", "1-1-90-1234", "101901234"}) {
      const std::string planted = in_script(shape, zero);
      INFO(planted);
      CHECK(redact_personal_numbers("cpr " + planted + " given") == "cpr " + cpr_marker + " given");
    }
  }
  // As the adversarial tests wrote them, and with digits of two scripts in one number.
  for (const std::string planted :
       {"\xD9\xA0\xD9\xA1\xD9\xA0\xD9\xA1\xD9\xA9\xD9\xA0-\xD9\xA1\xD9\xA2\xD9\xA3\xD9\xA4",
        "\xDB\xB0\xDB\xB1\xDB\xB0\xDB\xB1\xDB\xB9\xDB\xB0\xDB\xB1\xDB\xB2\xDB\xB3\xDB\xB4",
        "0101\xD9\xA9\xD9\xA0-1234", "010190-\xE0\xA5\xA7\xE0\xA5\xA8\xE0\xA5\xA9\xE0\xA5\xAA"}) {
    INFO(planted);
    const std::string redacted = redact_personal_numbers("cpr " + planted + " given");
    CHECK(redacted == "cpr " + cpr_marker + " given");
    CHECK(digits_of(redacted).empty());
  }
}

TEST_CASE("every block of decimal digits has the values 0-9 and nothing beside it is a digit",
          "[redact]") {
  using mentorcore::detail::redact_digit_at;
  using mentorcore::detail::redact_personal_numbers;
  for (const char32_t zero : mentorcore::detail::redact_digit_zeros) {
    INFO(static_cast<unsigned>(zero));
    for (char32_t value = 0; value < 10; ++value) {
      const std::string digit = utf8_of(zero + value);
      CHECK(redact_digit_at(digit, 0).length == digit.size());
      CHECK(redact_digit_at(digit, 0).value == static_cast<int>(value));
      // Cut short, or not followed by a continuation byte, it is no digit.
      CHECK(redact_digit_at(digit.substr(0, digit.size() - 1), 0).length == 0);
    }
    // Blocks may touch: U+116D0 and U+116DA, the mathematical digits.
    const auto& zeros = mentorcore::detail::redact_digit_zeros;
    const std::string before = utf8_of(zero - 1);
    const bool previous_block = std::binary_search(zeros.begin(), zeros.end(), zero - 10);
    CHECK(redact_digit_at(before, 0).length == (previous_block ? before.size() : 0U));
    const std::string after = utf8_of(zero + 10);
    const bool next_block = std::binary_search(zeros.begin(), zeros.end(), zero + 10);
    CHECK(redact_digit_at(after, 0).length == (next_block ? after.size() : 0U));
  }
  // Numbers that are no decimal digits: superscripts, circled, Roman, ideographic zero, Arabic
  // percent sign (U+066A, right after the Arabic-Indic nine), letters that lead with the same
  // bytes as digits.
  for (const char32_t other : {0xB2U, 0x2070U, 0x2460U, 0x2160U, 0x3007U, 0x66AU, 0x65FU, 0x628U,
                               0x915U, 0x1F600U, 0xFF21U}) {
    INFO(static_cast<unsigned>(other));
    const std::string text = "010190" + utf8_of(other) + "1234";
    CHECK(redact_digit_at(utf8_of(other), 0).length == 0);
    CHECK(redact_personal_numbers(text) == text);
  }
}

TEST_CASE("the pre-check counts the digits of every script and skips Danish text",
          "[redact][personal-data]") {
  using mentorcore::detail::redact_possible_digits;
  // Letters, dashes, quotes and signs of Danish text lead with other bytes than digits do.
  CHECK(redact_possible_digits("\xC3\xA6\xC3\xB8\xC3\xA5 \xC3\x86\xC3\x98\xC3\x85 \xC3\xA9 "
                               "\xE2\x80\x93 \xE2\x80\x9C\xE2\x80\x9D \xE2\x82\xAC \xE2\x80\xA6 "
                               "\xC2\xA7 \xC2\xBD \xC2\xB0 \xC2\xA0",
                               0) == 0);
  CHECK(redact_possible_digits("kl. 10:30, 50% og 100% 20 30", 0) == 13);
  CHECK(redact_possible_digits("100% 20 30", 0) == 7);
  CHECK(redact_possible_digits(in_script("010190-1234", 0x660), 0) == 10);
  CHECK(redact_possible_digits(in_script("010190-1234", 0x1D7CE), 0) == 10);
  CHECK(redact_possible_digits("0123456789", 4) == 6);
}

TEST_CASE("percent-encoded separators join the groups of a chain", "[redact][personal-data]") {
  using mentorcore::detail::redact_personal_numbers;
  for (const std::string planted :
       {"010190%2D1234", "010190%2d1234", "010190%201234", "01%2F01%2F90-1234",
        "01%3A01%3A90%3A12%3A34", "0101%2090%201234", "010190%0A1234", "010190%0D%0A1234",
        "010190%20%2D%201234", "1%2F1%2F90%2F1234", "10190%2D1234", "010190%2E1234",
        "010190%5C1234",
        // the UTF-8 bytes of a no-break space, an en dash, an ideographic space
        "010190%C2%A01234", "010190%E2%80%931234", "01%E2%80%9301%E2%80%9390%E2%80%931234",
        "010190%e3%80%801234",
        // digits of another script with encoded separators
        "\xD9\xA0\xD9\xA1\xD9\xA0\xD9\xA1\xD9\xA9\xD9\xA0%2D\xD9\xA1\xD9\xA2\xD9\xA3\xD9\xA4",
        // as written, a `%` that starts an encoding is itself a separator still
        "010190%1234", "01%01%90%12%34", "010190%2012", "0101%209012"}) {
    INFO(planted);
    const std::string redacted = redact_personal_numbers("cpr " + planted + " given");
    CHECK(redacted == "cpr " + cpr_marker + " given");
    CHECK(redacted.find_first_of("0123456789") == std::string::npos);
    CHECK(mentorcore::detail::contains_personal_number(planted));
  }
  // In a URL's query, with the rest of it kept.
  CHECK(redact_personal_numbers("https://example.org/find?cpr=010190%2D1234&page=2") ==
        "https://example.org/find?cpr=" + cpr_marker + "&page=2");
}

TEST_CASE("percents, encoded times and dates and dates in other scripts are kept",
          "[redact][personal-data]") {
  using mentorcore::detail::redact_personal_numbers;
  for (const std::string kept :
       {"kl. 10:30", "2024-01-01 10:30", "50%", "100% 20 30", "rabat 50% p\xC3\xA5 2 varer",
        "100%20 30", "kl. 10%3A30", "2024-01-01%2010%3A30", "10%3A30-11%3A45%2C%2012%3A00-13%3A15",
        "kl.%2010.30%20og%2011%2E45%2C%2012%2E00%2D13%2E15", "2024%2D01%2D01%202024%2D02%2D01",
        "fra%202024-01-01%20til%202024-02-01", "https://example.org/a%20b?x=1&y=2",
        "%2D%2D%2D 12 %20 34", "50%2C5 kr",
        // ISO dates and clock times in Arabic-Indic digits
        "\xD9\xA2\xD9\xA0\xD9\xA2\xD9\xA4-\xD9\xA0\xD9\xA1-\xD9\xA0\xD9\xA1 "
        "\xD9\xA2\xD9\xA0\xD9\xA2\xD9\xA4-\xD9\xA0\xD9\xA2-\xD9\xA0\xD9\xA1",
        "\xD9\xA1\xD9\xA0:\xD9\xA3\xD9\xA0-\xD9\xA1\xD9\xA1:\xD9\xA4\xD9\xA5, "
        "\xD9\xA1\xD9\xA2:\xD9\xA0\xD9\xA0-\xD9\xA1\xD9\xA3:\xD9\xA1\xD9\xA5",
        // ordinary Danish text
        "M\xC3\xB8\xC3\xB8"
        "de op til f\xC3\xB8rste praktikdag \xE2\x80\x93 kl. 9",
        "tlf 12 34 56 78", "1, 2, 3, 4, 5, 6, 7, 8, 9, 10"}) {
    INFO(kept);
    CHECK(redact_personal_numbers(kept) == kept);
    CHECK_FALSE(mentorcore::detail::contains_personal_number(kept));
  }
}

TEST_CASE("an error message with a CPR number in other digits or encoded is redacted",
          "[redact][personal-data][error]") {
  for (const std::string& value : std::vector<std::string>{
           "\xD9\xA0\xD9\xA1\xD9\xA0\xD9\xA1\xD9\xA9\xD9\xA0-\xD9\xA1\xD9\xA2\xD9\xA3\xD9\xA4",
           "\xDB\xB0\xDB\xB1\xDB\xB0\xDB\xB1\xDB\xB9\xDB\xB0\xDB\xB1\xDB\xB2\xDB\xB3\xDB\xB4",
           in_script("010190-1234", 0x966), in_script("0101901234", 0x1D7CE), "010190%2D1234",
           "01%2F01%2F90-1234", "010190%0A1234"}) {
    INFO(value);
    const mentorcore::invalid_value_error e("citizen", "\"" + value + "\"", "not a key");
    const mentorcore::parse_error parse("/data/" + value + ".jsonl", 3, "citizen", "bad");
    for (const std::string& text :
         {std::string(e.what()), e.value(), std::string(parse.what()), parse.source()}) {
      INFO(text);
      CHECK(text.find(cpr_marker) != std::string::npos);
      CHECK(digits_of(text).find("1234") == std::string::npos);
      CHECK(text.find("0101") == std::string::npos);
    }
  }
}

namespace {

// A random text of up to `longest` draws from `alphabet`.
std::string random_redact_text(std::mt19937& rng, const std::vector<std::string>& alphabet,
                               int longest) {
  std::string text;
  const auto length = std::uniform_int_distribution<int>(0, longest)(rng);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  for (int j = 0; j < length; ++j) text += alphabet[pick(rng)];
  return text;
}

// The digits in text[begin, end) read one way: decoded, an encoded separator is one character
// and its hex digits no digits.
std::size_t digits_read(std::string_view text, std::size_t begin, std::size_t end, bool decoded) {
  std::size_t digits = 0;
  for (std::size_t k = begin; k < end;) {
    const std::size_t encoded =
        decoded ? mentorcore::detail::redact_encoded_joiner_length(text, k) : 0;
    const std::size_t digit = mentorcore::detail::redact_digit_length(text, k);
    digits += encoded == 0 && digit > 0 ? 1U : 0U;
    k += encoded > 0 ? encoded : (digit > 0 ? digit : 1);
  }
  return digits;
}

}  // namespace

TEST_CASE("with digits of every script and encoded separators, the pre-check stays sound",
          "[redact][personal-data][property]") {
  using mentorcore::detail::redact_personal_numbers;
  // Every match, read either way, holds eight digits or more; a text the pre-check skips has
  // none; contains_personal_number agrees with redaction, and redacting twice changes nothing.
  using mentorcore::detail::contains_personal_number;
  using mentorcore::detail::redact_min_digits;
  using mentorcore::detail::redact_possible_digits;
  using mentorcore::detail::redact_scan;
  std::mt19937 rng(23);
  const std::vector<std::string> alphabet = {"0",
                                             "1",
                                             "2",
                                             "9",
                                             "\xD9\xA0",
                                             "\xD9\xA1",
                                             "\xDB\xB9",
                                             "\xE0\xA5\xA7",
                                             "\xF0\x9D\x9F\x8F",
                                             "\xEF\xBC\x91",
                                             "-",
                                             " ",
                                             "%",
                                             "%2D",
                                             "%20",
                                             "%2",
                                             "D",
                                             "%3A",
                                             ":",
                                             ".",
                                             "%E2%80%93",
                                             "\xD9\xAA",
                                             "a"};
  std::size_t matches = 0;
  for (int i = 0; i < 50000; ++i) {
    const std::string text = random_redact_text(rng, alphabet, 16);
    INFO(text);
    const bool skipped = redact_possible_digits(text, 0) < redact_min_digits;
    for (const bool decoded : {false, true}) {
      std::size_t at = 0;
      while (const auto found = redact_scan(text, at, decoded)) {
        REQUIRE_FALSE(skipped);
        REQUIRE(digits_read(text, found->first, found->second, decoded) >= redact_min_digits);
        ++matches;
        at = found->second;
      }
    }
    const std::string redacted = redact_personal_numbers(text);
    REQUIRE(contains_personal_number(text) == (redacted != text));
    REQUIRE(redact_personal_numbers(redacted) == redacted);
  }
  CHECK(matches > 1000);
}
