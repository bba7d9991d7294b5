// The event log's line parser (src/, private): runs of lines parsed together give, line for line,
// what simdjson gives for each line parsed alone, whatever the lines hold.
#include "log_line_parser.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "gzip.hpp"
#include "log_lines.hpp"

namespace {

// What one line parses to: the error's name, or the document minified.
std::string parsed_line_text(simdjson::error_code code, const simdjson::dom::element& root) {
  return code == simdjson::SUCCESS ? simdjson::minify(root)
                                   : std::string("error: ") + simdjson::error_message(code);
}

struct line_parses {
  std::vector<std::string> by_parser;  // log_line_parser
  std::vector<std::string> alone;      // a fresh simdjson parse of each line
  std::size_t from_runs = 0;
};

// Every line the event-log reader would parse (it skips lines of only spaces and tabs), both ways;
// with `every_other`, only every other such line.
line_parses parse_log_lines_both_ways(std::string_view data, bool every_other = false) {
  mentorcore::detail::log_line_source lines(data, "t", std::size_t{1} << 20);
  mentorcore::detail::log_line_parser parser;
  simdjson::dom::parser alone;
  line_parses out;
  bool skip = true;
  while (const auto next = lines.next()) {
    const std::string_view content = *next;
    if (content.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (every_other && (skip = !skip)) continue;
    simdjson::dom::element root;
    const auto code = parser.parse(lines, content, root);
    out.by_parser.push_back(parsed_line_text(code, root));
    const std::string copy(content);  // own bytes: nothing after the line can be read
    const auto code_alone = alone.parse(copy).get(root);
    out.alone.push_back(parsed_line_text(code_alone, root));
  }
  out.from_runs = parser.lines_from_runs();
  return out;
}

// The same, for the text in memory (lines read in place) and gzip-compressed (lines read from a
// buffer refilled a chunk at a time). Returns how many lines of the text in memory came from runs.
std::size_t check_log_lines_parse_as_alone(const std::string& text) {
  std::size_t from_runs_in_place = 0;
  for (const bool packed : {false, true}) {
    INFO("gzip " << packed);
    const auto parses = parse_log_lines_both_ways(packed ? mentorcore::detail::gzip(text) : text);
    REQUIRE(parses.by_parser.size() == parses.alone.size());
    for (std::size_t k = 0; k < parses.alone.size(); ++k) {
      INFO("line " << k + 1 << " of those parsed");
      CHECK(parses.by_parser[k] == parses.alone[k]);
    }
    if (!packed) from_runs_in_place = parses.from_runs;
  }
  return from_runs_in_place;
}

}  // namespace

TEST_CASE("lines parsed in runs are what each line alone parses to", "[log_line_parser]") {
  const std::string good = R"({"type":"contact_logged","course":"c1","n":1.5,"s":"a\"b{"})";
  SECTION("well-formed lines, CRLF, white space around them, blank lines") {
    const std::string text = good + "\n" + good + "\r\n  " + good + " \t\n\n \t\n" + good +
                             "\r\n\t" + good + "\n" + good;
    // Most lines come from runs; the last is too near the end of the text to be followed by
    // padding, so the source copies it, and it is parsed alone.
    CHECK(check_log_lines_parse_as_alone(text) >= 4);
  }
  SECTION("faults in the middle of a run") {
    for (const std::string& bad : {
             std::string(R"({"a":1} {"b":2})"),     // two documents on a line
             std::string(R"({"a":1}x)"),            // trailing content
             std::string(R"({"a":)"),               // cut short: the next line would finish it
             std::string(R"({"a":"open)"),          // an open string spans the line end
             std::string("{\"a\":\"\xff\"}"),       // not UTF-8
             std::string("{\"a\":\"\x01\"}"),       // a control character in a string
             std::string("\xef\xbb\xbf{\"a\":1}"),  // a byte-order mark
             std::string("\r{\"a\":1}"),            // a carriage return before the document
             std::string(" \r "),                   // white space only, with a carriage return
             std::string("[1,2]"),
             std::string("17"),
             std::string("\"text\""),
             std::string("{\"a\":1}}"),                        // one brace too many
             std::string("{\"a\":[1,2}"),                      // mismatched brackets
             std::string(2000, '[') + std::string(2000, ']'),  // deeper than simdjson allows
             std::string(R"({"a":tru})"),
         }) {
      INFO("bad line: " << bad);
      check_log_lines_parse_as_alone(good + "\n" + good + "\n" + bad + "\n" + "1}\n" + good + "\n" +
                                     good + "\n" + good + "\n");
    }
  }
  SECTION("a line longer than a run, between short ones") {
    const std::string long_line =
        R"({"a":")" + std::string(mentorcore::detail::log_line_parser::run_bytes + 100, 'x') +
        R"("})";
    check_log_lines_parse_as_alone(good + "\n" + long_line + "\n" + good + "\n" + good + "\n" +
                                   long_line + "\n" + good + "\n");
  }
}

TEST_CASE("a line the caller does not parse ends the run, and the next is still right",
          "[log_line_parser]") {
  std::string text;
  for (int k = 0; k < 20; ++k) text += R"({"k":)" + std::to_string(k) + "}\n";
  const auto parses = parse_log_lines_both_ways(text, true);
  REQUIRE(parses.alone.size() == 10);
  CHECK(parses.by_parser == parses.alone);
  CHECK(parses.alone.front() == R"({"k":0})");
}

TEST_CASE("random logs of good and bad lines parse as each line alone, across buffer refills",
          "[log_line_parser]") {
  // Pieces of lines: most make good objects, some break them; about 3 MB, so that the gzip
  // reader refills its 1 MB buffer mid-run several times.
  const std::vector<std::string> pieces = {
      R"({"type":"contact_logged","course":"c)",
      R"(","at":"2026-01-02"})",
      R"({"x":[1,2,{"y":null}]})",
      "\n",
      "\n",
      "\n",
      "\r\n",
      " ",
      "\t",
      "{",
      "}",
      "\"",
      "\\",
      ",",
      ":",
      "x",
      "\xc3\xa6",
      "\xff",
      R"({"s":"a b c d e f g h i j k l m n o p q r s t u v w x y z"})"};
  std::mt19937 random(20261201);  // NOLINT(cert-msc32-c,cert-msc51-cpp): reproducible on purpose
  std::string text;
  std::size_t runs_seen = 0;
  for (int log = 0; log < 3; ++log) {
    text.clear();
    while (text.size() < (std::size_t{1} << 20)) {
      // Mostly whole good lines, so that runs form and are broken now and then.
      const auto pick = random() % 100;
      if (pick < 80) {
        text += pieces[0] + std::to_string(random() % 1000) + pieces[1] + "\n";
      } else {
        for (int k = 0; k < 4; ++k) text += pieces[random() % pieces.size()];
      }
    }
    INFO("log " << log);
    runs_seen += check_log_lines_parse_as_alone(text);
  }
  CHECK(runs_seen > 0);
}
