#include <catch2/catch.hpp>

#include <string>

#include "fixtures.hpp"
#include "mentorcore/course.hpp"
#include "mentorcore/error.hpp"
#include "mentorcore/interchange.hpp"

using namespace mentorcore;
using namespace fixtures;

namespace {

// A course_ordered line of mentorcore/2 with `extra` fields (municipality and target_group
// among them) after the other required ones.
std::string log_errors_order(const std::string& extra) {
  return R"({"schema":"mentorcore/2","course":"K-1","type":"course_ordered","date":"2024-01-08",)"
         R"("recorded_by":"cw-17","citizen":"P-8d2f","caseworker":"cw-17",)" +
         extra + "}\n";
}

// The parse_error reading `text` raises (or a failure when it raises none).
parse_error log_errors_first(const std::string& text) {
  try {
    (void)read_events(text, "events.jsonl");
  } catch (const parse_error& e) {
    return e;
  }
  FAIL("no parse_error");
  return parse_error("", 0, "", "");
}

}  // namespace

TEST_CASE("a rule a log line breaks names the field it is about", "[interchange][errors]") {
  const std::string fields = R"("municipality":101,"target_group":"sygedagpenge")";
  struct named {
    std::string extra;
    std::string field;
  };
  for (const auto& [extra, field] :
       {named{R"("municipality":101,"target_group":"nope")", "target_group"},
        named{fields + R"(,"assessment_category":"nope")", "assessment_category"},
        named{fields + R"(,"retention_min_months":0,"retention_max_months":6)",
              "retention_min_months"},
        named{fields + R"(,"retention_min_months":3,"retention_max_months":30)",
              "retention_max_months"},
        named{fields + R"(,"retention_min_months":6,"retention_max_months":3)",
              "retention_min_months"}}) {
    INFO(extra);
    const parse_error e = log_errors_first(log_errors_order(extra));
    CHECK(e.field() == field);
    CHECK_THAT(e.what(), Catch::Contains(field));
  }
  // A rule about the course as a whole names no field.
  const std::string order = log_errors_order(fields);
  const parse_error twice = log_errors_first(order + order);
  CHECK(twice.field().empty());
  CHECK(twice.line() == 2);
}

TEST_CASE("rule_violation_error names the event's field", "[course][errors]") {
  event ordered = order(d(2024, 1, 8));
  get<course_ordered>(ordered.data).target_group = "nope";
  try {
    course c(ordered);
    FAIL("accepted an unknown target_group");
  } catch (const rule_violation_error& e) {
    CHECK(e.field() == "target_group");
    CHECK_THAT(e.rule(), Catch::Contains("not a known target_group code"));
  }
  const course c(order(d(2024, 1, 8)));
  try {
    course copy = c;
    copy.append(close(d(2024, 1, 7)));
    FAIL("accepted an event before the order");
  } catch (const rule_violation_error& e) {
    CHECK(e.field().empty());
  }
}

TEST_CASE("a log line breaking a rule of a later event names that event's field",
          "[interchange][errors]") {
  const std::string order = log_errors_order(R"("municipality":101,"target_group":"sygedagpenge")");
  const std::string head =
      R"({"schema":"mentorcore/2","course":"K-1","date":"2024-01-10","recorded_by":"cw-17",)";
  struct named {
    std::string line;
    std::string field;
  };
  for (const auto& [line, field] :
       {named{R"("type":"consent_given","consent":"C-1","recipient_role":"mentor",)"
              R"("purposes":["continuity"],"data_categories":["ordinary"],)"
              R"("valid_from":"2024-01-10","valid_to":"2024-01-09","form":"written"})",
              "valid_to"},
        named{R"("type":"consent_given","consent":"C-1","recipient_role":"mentor",)"
              R"("purposes":[],"data_categories":["ordinary"],)"
              R"("valid_from":"2024-01-10","form":"written"})",
              "purposes"},
        named{R"("type":"handover_made","handover":"H1","from":"cw-17","from_role":"caseworker",)"
              R"("to":"mentor-4","to_role":"mentor","handover_type":"warm","planned":true,)"
              R"("purpose":"continuity","severity":"stable","knowledge_items":["k-missing"]})",
              "knowledge_items"},
        named{R"("type":"handover_made","handover":"H1","from":"cw-17","from_role":"caseworker",)"
              R"("to":"mentor-4","to_role":"mentor","handover_type":"warm","planned":true,)"
              R"("purpose":"continuity","severity":"stable",)"
              R"("actions":[{"task":"Ring","owner":""}]})",
              "actions.owner"}}) {
    INFO(line);
    const parse_error e = log_errors_first(order + head + line + "\n");
    CHECK(e.line() == 2);
    CHECK(e.field() == field);
    // The course's rule, not the reader's: the message is the rule_violation_error's.
    CHECK_THAT(e.what(), Catch::StartsWith("events.jsonl:2: course K-1, event #1 "));
  }
}

TEST_CASE("a number no 64-bit integer or double holds names its key, never its digits",
          "[interchange][errors][personal-data]") {
  const std::string rest = R"(,"target_group":"sygedagpenge")";
  for (const std::string number : {"18446744073709551717", "-9223372036854775809", "1e999",
                                   "-1e999", "0101901234000000000000"}) {
    INFO(number);
    const parse_error e = log_errors_first(log_errors_order(R"("municipality":)" + number + rest));
    CHECK(e.field() == "municipality");
    const std::string message = e.what();
    // "0101..." is not JSON (a leading zero): still malformed JSON, now naming the key.
    CHECK_THAT(message, Catch::StartsWith(number.front() == '0'
                                              ? "events.jsonl:1: malformed JSON: municipality = "
                                              : "events.jsonl:1: municipality = "));
    CHECK_THAT(message,
               Catch::Contains(number.find('e') != std::string::npos ? "a number out of range"
                                                                     : "a number"));
    CHECK(message.find("1234") == std::string::npos);
    CHECK(message.find("4467440737") == std::string::npos);
  }
  // 1e999 is shown; a run of digits long enough to hold a CPR number is not.
  CHECK_THAT(log_errors_first(log_errors_order(R"("municipality":1e999)" + rest)).what(),
             Catch::Contains("municipality = 1e999: a number out of range"));
  // In a nested record, the nearest key; collect mode keeps the message.
  read_options collect;
  collect.collect_errors = true;
  const auto result =
      read_events(log_errors_order(R"("municipality":101)" + rest + R"(,"x":{"y":[1,2,1e400]})"),
                  "events", collect);
  REQUIRE(result.rejected.size() == 1);
  CHECK_THAT(result.rejected[0].message, Catch::StartsWith("y = 1e400: a number out of range"));
}

TEST_CASE("a log that starts with a byte order mark reads whole; a mark elsewhere is named",
          "[interchange][errors]") {
  const std::string bom = "\xEF\xBB\xBF";
  const std::string header =
      R"({"schema":"mentorcore/2","type":"header","reference":{"format":"mentorcore-reference/1","entries":[]}})"
      "\n";
  const std::string order = log_errors_order(R"("municipality":101,"target_group":"sygedagpenge")");
  CHECK(read_events(bom + header + order, "events.jsonl").courses.size() == 1);
  CHECK(read_events(bom + order, "events.jsonl").courses.size() == 1);
  // A second log joined on with its own mark (cat a.jsonl b.jsonl).
  const parse_error joined = log_errors_first(order + bom + order);
  CHECK(joined.line() == 2);
  CHECK_THAT(joined.what(),
             Catch::StartsWith("events.jsonl:2: a byte order mark (U+FEFF) starts the line; only "
                               "the very start of a log may have one (malformed JSON"));
}
