// The event log's header and reference data, collect mode, and logs cut short or over-long
// (mentorcore/interchange.hpp); the rest of reading and writing is in test_interchange.cpp.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "interchange_lines.hpp"
#include "mentorcore/detail/text.hpp"
#include "mentorcore/interchange.hpp"

using namespace mentorcore;
using namespace fixtures;
using namespace interchange_lines;

namespace {

read_options collecting_log_errors() {
  read_options options;
  options.collect_errors = true;
  return options;
}

// K-1 (ordered, `bad` at line 4, a phase change at line 5) and K-2 (ordered, a phase change).
std::string log_with_bad_k1_line(const std::string& bad) {
  const std::string k1 = order_line();
  const std::string k2 = std::string(k1).replace(k1.find("K-1"), 3, "K-2");
  const auto phase_line = [](const std::string& id) {
    return R"({"schema":"mentorcore/1","course":")" + id +
           R"(","type":"phase_changed","date":"2024-02-01","recorded_by":"m","to":"clarification","reason":"x"})"
           "\n";
  };
  return k1 + k2 + phase_line("K-2") + bad + phase_line("K-1");
}

}  // namespace

TEST_CASE("a log of courses on the built-in reference data has no header", "[interchange]") {
  const std::vector<course> courses = {course::replay(full_history())};
  const std::string text = write_events(courses);
  CHECK(text.starts_with(R"({"schema":"mentorcore/2","course":"K-1","type":"course_ordered")"));
  CHECK(read_events(text).courses == courses);
}

TEST_CASE("a header is told by its first type, whatever else the line repeats", "[interchange]") {
  // The reader finds the header on its pass over a line's members: the first "type" decides,
  // and a repeated envelope key is refused, named, only on a line that is not a header.
  const std::string order = order_line();
  const std::string header_later =
      R"({"schema":"mentorcore/2","schema":"mentorcore/2","type":"header","reference":{}})"
      "\n";
  CHECK_THAT(first_error(order + header_later),
             Catch::Contains("events.jsonl:2: a header may only be the first"));
  const std::string type_twice =
      R"({"schema":"mentorcore/1","course":"K-1","type":"course_ordered","type":"header",)";
  CHECK_THAT(first_error(type_twice + order.substr(order.find("\"date\""))),
             Catch::Contains("events.jsonl:1: type = repeated: the field appears twice"));
  const std::string course_twice =
      R"({"schema":"mentorcore/1","course":"K-1","recorded_by":"cw-17","course":"K-2",)";
  CHECK_THAT(first_error(course_twice + order.substr(order.find("\"type\""))),
             Catch::Contains("events.jsonl:1: course = repeated: the field appears twice"));
  CHECK(first_error(order) == "no error");
}

TEST_CASE("a log's header declares its reference data and is read first", "[interchange]") {
  const std::vector<course> courses = {every_event_type_course()};
  const std::string text = write_events(courses);
  const std::string header = text.substr(0, text.find('\n') + 1);
  const std::string body = text.substr(header.size());
  // Without the header the instruments are unknown; with it, no argument is needed.
  CHECK_THAT(first_error(body, {}), Catch::Contains("instrument"));
  CHECK(read_events(text).courses == courses);
  // Given the same reference data as well, nothing conflicts.
  CHECK(read_events(text, "log", read_with_scales()).courses == courses);

  // A header anywhere but first is refused (and blames no course in collect mode).
  const std::string later = body.substr(0, body.find('\n') + 1) + header;
  CHECK_THAT(first_error(later), Catch::Contains("events.jsonl:2: a header may only be the first"));
  const auto collected = read_events(later, "log", collecting_log_errors());
  REQUIRE(collected.rejected.size() == 1);
  CHECK(collected.rejected[0].course.empty());

  // A bad header makes the whole log unreadable, even in collect mode.
  const std::string bad_header =
      R"({"schema":"mentorcore/1","type":"header","reference":{"format":"mentorcore-reference/1","entries":[{"kind":"nope"}]}})"
      "\n";
  CHECK_THROWS_WITH(read_events(bad_header + body, "log", collecting_log_errors()),
                    Catch::Contains("log:1: header:"));
  CHECK_THAT(first_error(R"({"schema":"mentorcore/1","type":"header","extra":1,"reference":{}})"
                         "\n"),
             Catch::Contains("events.jsonl:1: header: extra = 1: not a field of the header"));
  CHECK_THAT(first_error(R"({"schema":"mentorcore/1","type":"header"})"
                         "\n"),
             Catch::Contains("reference = missing"));
  // A repeated field of the header, or of its reference data, is refused as in an event line.
  CHECK_THAT(
      first_error(R"({"schema":"mentorcore/1","type":"header","type":"header","reference":{}})"
                  "\n"),
      Catch::Contains("events.jsonl:1: header: type = repeated: the field appears twice"));
  CHECK_THAT(
      first_error(
          R"({"schema":"mentorcore/1","type":"header","reference":{"entries":[],"entries":[]}})"
          "\n"),
      Catch::Contains("events.jsonl:1: header: entries = repeated"));

  // Reference data that conflicts with the header's is an error naming "reference".
  auto other = std::make_shared<reference_data>(*reference_data::builtin());
  for (const auto& definition : reference_with_scales()->instruments()) {
    other->add_instrument(instrument(definition.name(), "other version", definition.items(),
                                     definition.subscales(), definition.cutoffs(),
                                     definition.reliable_change(), definition.higher_is_better(),
                                     definition.alerts(), definition.combine()));
  }
  read_options conflicting;
  conflicting.reference = other;
  CHECK_THAT(first_error(text, conflicting), Catch::Contains("reference"));
}

TEST_CASE("the same course twice is refused before anything is written", "[interchange][errors]") {
  const course c = course::replay(full_history());
  const std::vector<course> twice = {c, c};
  CHECK_THROWS_WITH(write_events(twice),
                    Catch::Contains("courses = K-1: the course appears twice"));
  const std::string path = "mentorcore-test-twice.jsonl";
  std::remove(path.c_str());
  CHECK_THROWS_AS(write_events_file(twice, path), invalid_value_error);
  CHECK_FALSE(std::ifstream(path).good());
}

TEST_CASE("collect mode ties a line that is not JSON to its course and leaves the course out",
          "[interchange][errors]") {
  const std::string prefix =
      R"({"schema":"mentorcore/1","course":"K-1","type":"contact_logged","date":"2024-01-10","recorded_by":"m","mentor":"m","location":"home","attendance":"attended","planned_minutes":)";
  const std::string suffix = R"(,"actual_minutes":60,"billable":true,"non_billable_reason":null})";
  for (const std::string number :
       {"060", "NaN", "Infinity", "-Infinity", "1e400", "123456789012345678901234567890", "0x3c"}) {
    INFO(number);
    const std::string text = log_with_bad_k1_line(prefix + number + suffix + "\n");
    const auto result = read_events(text, "events.jsonl", collecting_log_errors());
    REQUIRE(result.courses.size() == 1);
    CHECK(result.courses[0].id().str() == "K-2");
    CHECK(result.courses[0].events().size() == 2);
    REQUIRE(result.rejected.size() == 2);
    CHECK(result.rejected[0].line == 4);
    CHECK(result.rejected[0].course == "K-1");
    CHECK(result.rejected[1].message == "course K-1 was rejected at line 4");
  }
  // A "course" inside a string or a nested object is not the line's course.
  const std::string decoy =
      R"({"schema":"mentorcore/1","note":"\"course\":\"K-2\"","x":{"course":"K-2"},"course":"K-1","n":NaN})"
      "\n";
  const auto decoyed = read_events(log_with_bad_k1_line(decoy), "log", collecting_log_errors());
  REQUIRE(decoyed.courses.size() == 1);
  CHECK(decoyed.courses[0].id().str() == "K-2");
  CHECK(decoyed.rejected.at(0).course == "K-1");
}

TEST_CASE("collect mode blames the neighbours of a line whose course cannot be told",
          "[interchange][errors]") {
  // Between K-2's lines and K-1's last line: both neighbours are left out, and the message says
  // why.
  const auto result =
      read_events(log_with_bad_k1_line("{\"schema\":NaN\n"), "log", collecting_log_errors());
  CHECK(result.courses.empty());
  REQUIRE(result.rejected.size() == 2);
  CHECK(result.rejected[0].course.empty());
  CHECK(result.rejected[1].message == "course K-1 was rejected at line 4");
  CHECK_THAT(result.rejected[0].message,
             Catch::Contains("its course cannot be told, so the courses of the lines around it "
                             "are left out: K-2 and K-1"));
  // With no course around it, nothing else is left out, and it says so.
  const auto alone = read_events("garbage\n", "log", collecting_log_errors());
  REQUIRE(alone.rejected.size() == 1);
  CHECK_THAT(alone.rejected[0].message, Catch::Contains("no line around it names one"));
}

TEST_CASE("a log cut short inside a line never gives a course missing an event",
          "[interchange][errors]") {
  const std::vector<course> courses = {course::replay(full_history()),
                                       course(order(d(2024, 1, 8), "K-2"))};
  const std::string text = write_events(courses);
  std::size_t line_start = 0;
  for (std::size_t cut = 1; cut < text.size(); ++cut) {
    if (text[cut - 1] == '\n') line_start = cut;
    // A cut between lines (or just before a line end) leaves whole lines: each course as far as
    // it was written.
    if (text[cut - 1] == '\n' || text[cut] == '\n') continue;
    INFO("cut at byte " << cut);
    const auto result = read_events(text.substr(0, cut), "appending", collecting_log_errors());
    // The course of the line being written is left out; every course given is whole as far as
    // the file goes.
    const std::string cut_course = text.compare(line_start + 35, 3, "K-2") == 0 ? "K-2" : "K-1";
    for (const auto& c : result.courses) {
      CHECK(c.id().str() != cut_course);
      const auto& all = courses[c.id().str() == "K-1" ? 0 : 1].events();
      REQUIRE(c.events().size() <= all.size());
      CHECK(std::equal(c.events().begin(), c.events().end(), all.begin()));
    }
    REQUIRE_FALSE(result.rejected.empty());
    CHECK_THAT(result.rejected.back().message, Catch::Contains("cut short"));
  }
}

TEST_CASE("a line longer than the limit is refused, in collect mode too", "[interchange][errors]") {
  read_options options = collecting_log_errors();
  options.max_line_bytes = 1000;
  const std::string note(2000, 'x');
  const std::string text =
      order_line() +
      R"({"schema":"mentorcore/1","course":"K-1","type":"clarification_concluded","date":"2024-02-01","recorded_by":"m","outcome":"job","note":")" +
      note + "\"}\n";
  CHECK_THROWS_WITH(read_events(text, "long.jsonl", options),
                    Catch::Contains("long.jsonl:2: the line is longer than 1000 bytes"));
  // A line of zeros with no end, as from /dev/zero: refused at the limit, not read to the end.
  CHECK_THROWS_WITH(read_events(std::string(5000, '\0'), "zeros", options),
                    Catch::Contains("zeros:1: the line is longer than 1000 bytes"));
  // The writer refuses a line the reader would refuse. A text holds at most max_text_length
  // bytes, so a line that long takes a list of texts: the purposes of a consent.
  const auto consent_with_purposes = [](std::size_t purposes) {
    course c(order(d(2024, 1, 8)));
    consent_given consent;
    consent.consent = consent_id("C-1");
    consent.recipient_role = party_role::mentor;
    consent.purposes.assign(purposes, std::string(detail::max_text_length, 'x'));
    consent.data_categories = {data_category::ordinary};
    consent.valid_from = d(2024, 1, 9);
    c.append({d(2024, 1, 9), caseworker(), consent});
    return std::vector<course>{c};
  };
  CHECK_NOTHROW(write_events(consent_with_purposes(2000)));  // 8.0 MB: just under the limit
  CHECK_THROWS_WITH(write_events(consent_with_purposes(2100)),
                    Catch::Contains("event #1 consent_given would be a line of"));
}
