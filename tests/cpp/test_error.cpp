#include "mentorcore/error.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using namespace mentorcore;

TEST_CASE("invalid_value_error names the field, the value and the reason", "[error]") {
  const invalid_value_error e("year", "2201", "outside the supported calendar 1900-2200");
  CHECK(std::string(e.what()) == "year = 2201: outside the supported calendar 1900-2200");
  CHECK(e.field() == "year");
  CHECK(e.value() == "2201");
}

TEST_CASE("every mentorcore exception is a mentorcore::error and a std::runtime_error", "[error]") {
  CHECK_THROWS_AS(throw out_of_range_error("f", "v", "r"), invalid_value_error);
  CHECK_THROWS_AS(throw out_of_range_error("f", "v", "r"), error);
  CHECK_THROWS_AS(throw invalid_value_error("f", "v", "r"), std::runtime_error);
}

TEST_CASE("error messages never carry a CPR number", "[error][personal-data]") {
  const invalid_value_error e("citizen", "0101901234", "not a pseudonymous key");
  CHECK(std::string(e.what()).find("0101901234") == std::string::npos);
  CHECK(e.value().find("0101901234") == std::string::npos);
  CHECK_THAT(e.what(), Catch::Contains("redacted"));

  const error dashed("bad line: {\"cpr\": \"010190-1234\"}");
  CHECK(std::string(dashed.what()).find("1234") == std::string::npos);
  const error spaced("cpr 010190 1234 given");
  CHECK(std::string(spaced.what()).find("1234") == std::string::npos);
}

TEST_CASE("redaction leaves ordinary numbers and dates alone", "[error][personal-data]") {
  using mentorcore::detail::redact_personal_numbers;
  CHECK(redact_personal_numbers("year = 2201: outside 1900-2200") ==
        "year = 2201: outside 1900-2200");
  CHECK(redact_personal_numbers("2024-03-31") == "2024-03-31");
  CHECK(redact_personal_numbers("123456789") == "123456789");
  CHECK(redact_personal_numbers("x12345678901y") == "x[redacted: possible CPR number]y");
  CHECK(redact_personal_numbers("") == "");
  CHECK(redact_personal_numbers("123456-") == "123456-");
  CHECK(redact_personal_numbers("123456-12") == "123456-12");
}

namespace {

// A random text of up to `longest` characters drawn from `alphabet` (whole UTF-8 characters, so
// a fullwidth digit or a no-break space is one draw).
std::string random_text(std::mt19937& rng, const std::vector<std::string>& alphabet, int longest) {
  std::string text;
  const auto length = std::uniform_int_distribution<int>(0, longest)(rng);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  for (int j = 0; j < length; ++j) text += alphabet[pick(rng)];
  return text;
}

// The ten ASCII digits, then `others`: the random texts are digit-dense.
std::vector<std::string> with_digits(std::vector<std::string> others) {
  std::vector<std::string> alphabet = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  alphabet.insert(alphabet.end(), others.begin(), others.end());
  return alphabet;
}

}  // namespace

TEST_CASE("contains_personal_number agrees with redaction", "[error][personal-data][property]") {
  using mentorcore::detail::contains_personal_number;
  using mentorcore::detail::redact_personal_numbers;
  std::mt19937 rng(7);
  const std::vector<std::string> alphabet =
      with_digits({"-", " ", "a", ".", "\xC2\xA0", "/", "_", ":", "\xE2\x80\x93", "\n", "\\", "u",
                   "\xEF\xBC\x91", "\xE3\x80\x80", ","});
  for (int i = 0; i < 50000; ++i) {
    const std::string text = random_text(rng, alphabet, 24);
    INFO(text);
    REQUIRE(contains_personal_number(text) == (redact_personal_numbers(text) != text));
    // Redacting twice changes nothing more: the marker holds no digits.
    REQUIRE(redact_personal_numbers(redact_personal_numbers(text)) ==
            redact_personal_numbers(text));
  }
}

TEST_CASE("every CPR-shaped match holds eight digits or more, so a text with fewer has none",
          "[error][personal-data][property][redact]") {
  // find_personal_number returns at once for a text with fewer than redact_min_digits digits:
  // right only if no shape matches fewer. Every match in random digit-dense texts is checked.
  using mentorcore::detail::find_personal_number;
  using mentorcore::detail::redact_digit_length;
  std::mt19937 rng(11);
  const std::vector<std::string> alphabet = with_digits(
      {"-", " ", ".", "\xC2\xA0", "/", "\xEF\xBC\x90", "\xEF\xBC\x91", "\xEF\xBC\x99", ":"});
  std::size_t matches = 0;
  for (int i = 0; i < 50000; ++i) {
    const std::string text = random_text(rng, alphabet, 30);
    INFO(text);
    std::size_t at = 0;
    while (const auto found = find_personal_number(text, at)) {
      std::size_t digits = 0;
      for (std::size_t k = found->first; k < found->second; ++k) {
        digits += redact_digit_length(text, k) > 0 ? 1U : 0U;
      }
      REQUIRE(digits >= mentorcore::detail::redact_min_digits);
      ++matches;
      at = found->second;
    }
  }
  CHECK(matches > 1000);
}

TEST_CASE("every shape of a CPR number is redacted", "[error][personal-data]") {
  using mentorcore::detail::redact_personal_numbers;
  const std::string marker(mentorcore::detail::redacted_cpr);
  for (const std::string planted :
       {"0101901234", "010190-1234", "010190 1234", "01 01 90 12 34", "0101 90 1234",
        "01-01-90-1234", "010190.1234",
        "010190\xC2\xA0"
        "1234",
        // the nine digits a leading-zero CPR becomes when held as a number
        "101901234", "10190-1234", "311299999",
        // what word processors and mail programs make of a typed "-" or space: en dash,
        // non-breaking hyphen, minus sign, and the invisible soft hyphen and zero-width space
        "010190\xE2\x80\x93"
        "1234",
        "010190 \xE2\x80\x93 1234",
        "010190\xE2\x80\x91"
        "1234",
        "010190\xE2\x88\x92"
        "1234",
        "01019\xC2\xAD"
        "01234",
        "010190\xE2\x80\x8B"
        "1234",
        // other separators typed by hand, doubled ones, and a digit too many
        "010190\t1234", "010190/1234", "010190_1234", "010190:1234", "010190, 1234", "010190+1234",
        "010190--1234", "010190 - 1234", "010190-12345", "01 01 90 12 345"}) {
    INFO(planted);
    CHECK(redact_personal_numbers("cpr " + planted + " given") == "cpr " + marker + " given");
  }
  // Not CPR-shaped: left alone, so messages stay useful.
  for (const std::string kept :
       {"2024-03-31", "123456789", "tlf 12 34 56 78", "2024-01-01 12", "2024-01-01 2024-02-01",
        "000000001", "1.5 2.5", "C-0000001", "kl. 12:30-13:45 og 14:00", "tlf +45 12 34 56 78",
        "1, 2, 3, 4, 5, 6, 7, 8, 9, 10"}) {
    INFO(kept);
    CHECK(redact_personal_numbers(kept) == kept);
  }
}

TEST_CASE("a NUL byte in a value is written out, so the message is not cut short at it",
          "[error]") {
  // what(), the C interface and Python read a message as a C string.
  const invalid_value_error e("recorded_by", std::string("\"cw\0-17\"", 8), "not an id");
  CHECK(std::string(e.what()) == "recorded_by = \"cw\\u0000-17\": not an id");
  CHECK(e.value() == "\"cw\\u0000-17\"");
  const parse_error parse(std::string("a\0b.jsonl", 9), 2, "date", "not a date");
  CHECK(std::string(parse.what()) == "a\\u0000b.jsonl:2: not a date");
}

TEST_CASE("a CPR number split by a control character or its escape is redacted",
          "[error][personal-data][redact]") {
  // A terminal or log viewer drops an invisible control character and shows the digits joined.
  using mentorcore::detail::redact_personal_numbers;
  const std::string marker(mentorcore::detail::redacted_cpr);
  for (const std::string& control :
       {std::string(1, '\0'), std::string("\r"), std::string("\n"), std::string("\r\n"),
        std::string("\x1f"), std::string("\x7f"), std::string("\x01"), std::string("\v"),
        std::string("\xC2\x85"), std::string("\xC2\x9F"), std::string("\xE2\x80\xA8"),
        std::string("\xE2\x80\xA9"),
        // as Python's repr, JSON and error_text write them out
        std::string("\\n"), std::string("\\r\\n"), std::string("\\x1f"), std::string("\\x85"),
        std::string("\\u2028"), std::string("\\u001F"), std::string("\\U00002029")}) {
    INFO(control);
    CHECK(redact_personal_numbers("cpr 010190" + control + "1234 given") ==
          "cpr " + marker + " given");
    CHECK(redact_personal_numbers("cpr 01 01" + control + "90 12 34.") == "cpr " + marker + ".");
  }
  // A backslash that starts no escape joins nothing, nor does a cut-short one.
  for (const std::string kept : {"010190\\q1234", "010190\\u12g41234", "010190\\xg1234"}) {
    INFO(kept);
    CHECK(redact_personal_numbers(kept) == kept);
  }
}

TEST_CASE("a message is one line: control characters and line breaks are written out",
          "[error][personal-data][redact]") {
  constexpr char raw[] =
      "a\tb\nc\rd\x1f"
      "e\x7f"
      "f\xC2\x85g\xE2\x80\xA8h\xE2\x80\xA9i\0j\xC2\xA0k";
  const error e(std::string(raw, sizeof raw - 1));
  CHECK(std::string(e.what()) ==
        "a\\tb\\nc\\rd\\u001fe\\u007ff\\u0085g\\u2028h\\u2029i\\u0000j\xC2\xA0k");
  // Each is redacted before it is written out, never joined by it, whatever it is nested in.
  for (const std::string control : {"\n", "\r", "\x1f", "\x7f", "\xC2\x85", "\xE2\x80\xA8"}) {
    INFO(control);
    const invalid_value_error value("target_group", "\"010190" + control + "1234\"",
                                    "not a known target_group code");
    const rule_violation_error nested("K-1", 0, "course_ordered", "2024-01-08", value.what());
    for (const std::string& text :
         {std::string(value.what()), value.value(), std::string(nested.what()), nested.rule()}) {
      INFO(text);
      CHECK(text.find("1234") == std::string::npos);
      CHECK(text.find_first_of("\r\n\x1f\x7f") == std::string::npos);
      CHECK(text.find("\xC2\x85") == std::string::npos);
      CHECK(text.find("\xE2\x80\xA8") == std::string::npos);
    }
  }
  // Written out once: an escaped message nested in another is not escaped again.
  const error inner("x\ny");
  CHECK(std::string(error(inner.what()).what()) == "x\\ny");
}

TEST_CASE("any ASCII punctuation joins the groups of a chain", "[error][personal-data][redact]") {
  // Ids may hold ':' and '.', so a CPR number written with them would pass as an id.
  using mentorcore::detail::redact_personal_numbers;
  const std::string marker(mentorcore::detail::redacted_cpr);
  for (const std::string planted :
       {"01:01:90:12:34", "0101:90:1234", "01.01.90:1234", "01;01;90;12;34", "01,01,90,12,34",
        "01'01'90'12'34", "01\"01\"90\"12\"34", "0101*90*1234", "0101+90+1234", "0101#90#1234",
        "(0101)(90)(1234)", "[01][01][90]-[12][34]", "01|01|90|12|34", "0101=90=1234",
        "01\\01\\90\\12\\34", "1:01:90:1234", "10:1:90:1234"}) {
    INFO(planted);
    const std::string redacted = redact_personal_numbers("id " + planted + " given");
    CHECK(redacted.find(marker) != std::string::npos);
    CHECK(redacted.find_first_of("0123456789") == std::string::npos);
  }
  // Clock times, alone or in a list, are not a CPR number; nor are the ordinary numbers that
  // the punctuation now joins. A list that also holds another number is not times only.
  for (const std::string kept :
       {"kl. 10:30", "2024-01-01 10:30", "2024-01-01 10:30-11:45", "kl. 10:30-11:45, 12:00-13:15",
        "kl. 10.30-11.45, 12.00-13.15; 14.00-15.30", "9:00, 10:15, 11:30, 12:45 og 13:00",
        "12:30:45", "tlf 12 34 56 78", "tlf: +45 12 34 56 78", "1.234.567 kr", "kr. 1.234.567,50",
        "(12) 34-56-78", "1, 2, 3, 4, 5, 6, 7, 8, 9, 10", "nr. 12/34/56",
        "3 x 4 = 12, 12 / 4 = 3"}) {
    INFO(kept);
    CHECK(redact_personal_numbers(kept) == kept);
  }
  // Not times: an hour over 23, minutes over 59, a third part, or a number among them.
  for (const std::string planted :
       {"01:01 90:12 34", "010190 12:34", "01.12 90-1234", "31.12.90 12 34", "10:30 0101901234"}) {
    INFO(planted);
    CHECK(redact_personal_numbers(planted) != planted);
  }
}

namespace {

// `code` in UTF-8 (code points below U+10000).
std::string utf8(unsigned code) {
  std::string out;
  if (code < 0x80U) {
    out += static_cast<char>(code);
  } else if (code < 0x800U) {
    out += static_cast<char>(0xC0U | (code >> 6U));
    out += static_cast<char>(0x80U | (code & 0x3FU));
  } else {
    out += static_cast<char>(0xE0U | (code >> 12U));
    out += static_cast<char>(0x80U | ((code >> 6U) & 0x3FU));
    out += static_cast<char>(0x80U | (code & 0x3FU));
  }
  return out;
}

}  // namespace

TEST_CASE("every separating character joins, up to five in a row, and letters do not",
          "[error][personal-data][redact]") {
  using mentorcore::detail::redact_personal_numbers;
  const std::string marker(mentorcore::detail::redacted_cpr);
  std::vector<unsigned> separators = {0x85,   0xA0,   0xAD,   0xB7,   0x1680, 0x2028, 0x2029,
                                      0x202F, 0x205F, 0x2212, 0x2E17, 0x2E1A, 0x2E3A, 0x2E3B,
                                      0x2E40, 0x3000, 0x3001, 0x301C, 0x3030, 0x30A0, 0x30FB,
                                      0xFE31, 0xFE32, 0xFE58, 0xFE63, 0xFEFF, 0xFF0D, 0xFF1A};
  for (unsigned code = 0; code < 0x80U; ++code) {
    const bool letter_or_digit = (code >= '0' && code <= '9') || (code >= 'A' && code <= 'Z') ||
                                 (code >= 'a' && code <= 'z');
    if (!letter_or_digit) separators.push_back(code);
  }
  for (unsigned code = 0x2000; code <= 0x206F; ++code) separators.push_back(code);
  for (unsigned code = 0xFF01; code <= 0xFF0F; ++code) separators.push_back(code);
  for (const unsigned code : separators) {
    INFO(code);
    const std::string one = utf8(code);
    CHECK(redact_personal_numbers("010190" + one + "1234") == marker);
    CHECK(redact_personal_numbers("01" + one + "01" + one + "90" + one + "12" + one + "34") ==
          marker);
    CHECK(redact_personal_numbers("1" + one + "1" + one + "90" + one + "1234") == marker);
  }
  const std::string five = " " + utf8(0xA0) + "-" + utf8(0x2013) + " ";
  CHECK(redact_personal_numbers("010190" + five + "1234") == marker);
  CHECK(redact_personal_numbers("010190" + five + "-1234") == "010190" + five + "-1234");
  for (const unsigned code : {0xC5U, 0xE6U, 0xF8U, 0xE9U, 0xB2U, 0x2070U, 0x3007U, 0xFF21U}) {
    INFO(code);  // letters (Å, æ, ø, é, fullwidth A) and digit-like signs join nothing
    const std::string text = "010190" + utf8(code) + "1234";
    CHECK(redact_personal_numbers(text) == text);
  }
}

TEST_CASE("fullwidth digits and day and month without leading zeros are redacted",
          "[error][personal-data][redact]") {
  using mentorcore::detail::redact_personal_numbers;
  const std::string marker(mentorcore::detail::redacted_cpr);
  for (const std::string planted :
       {"\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x99\xEF\xBC\x90-"
        "\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93\xEF\xBC\x94",
        "01\xEF\xBC\x90"
        "190-1234",
        "\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x9A\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x9A"
        "90\xEF\xBC\x9A"
        "12\xEF\xBC\x9A"
        "34",
        "1-1-90-1234", "1.1.90-1234", "1.1.1990 1234", "1/1-90 1234", "31.12.99-1234",
        "1-12-2004-1234", "9. 3. 05 - 1234", "1.1.90-12345"}) {
    INFO(planted);
    CHECK(redact_personal_numbers("cpr " + planted + " given") == "cpr " + marker + " given");
  }
  // Ordinary dates, amounts and numbers stay; so do near misses of the date shape.
  for (const std::string kept :
       {"1.1.2024", "1.1.2024 kl. 10:30", "den 1/3-2024 til 31/3-2024", "1/3-2024 - 31/3-2024",
        "1.3.2024-31.3.2024", "32.1.90-1234", "1.13.90-1234", "1.1.90-123", "1.1.90 12:34",
        "12 34 56 78", "1.234.567 kr", "kl. 10:30", "2024-01-01 10:30", "version 1.2.3.4567",
        "010190 ------ 1234", "010190 og 1234"}) {
    INFO(kept);
    CHECK(redact_personal_numbers(kept) == kept);
  }
}

TEST_CASE("a message is redacted before it is cut", "[error][personal-data]") {
  using mentorcore::detail::redacted_excerpt;
  const std::string text = std::string(50, 'x') + "0101901234 and more";
  for (std::size_t width = 10; width < 100; ++width) {
    const auto excerpt = redacted_excerpt(text, width);
    INFO(excerpt);
    CHECK(excerpt.size() <= width);
    CHECK(excerpt.find("0101") == std::string::npos);
  }
  CHECK(redacted_excerpt("short", 80) == "short");
}

TEST_CASE("every attribute of an error is redacted", "[error][personal-data]") {
  const parse_error parse("/data/0101901234.jsonl", 3, "note 010190-1234", "bad");
  CHECK(parse.source() == "/data/[redacted: possible CPR number].jsonl");
  CHECK(parse.field().find("1234") == std::string::npos);
  CHECK(std::string(parse.what()).find("1234") == std::string::npos);
  const rule_violation_error rule("K-0101901234", 2, "closed", "2024-01-01", "rule 101901234");
  CHECK(rule.course().find("1234") == std::string::npos);
  CHECK(rule.rule().find("1234") == std::string::npos);
}
