#include "mentorcore/interchange.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "interchange_lines.hpp"

using namespace mentorcore;
using namespace fixtures;

using namespace interchange_lines;

TEST_CASE("logs of schema mentorcore/1 read unchanged, but cannot hold what mentorcore/2 added",
          "[interchange][migration]") {
  // A log written before mentorcore/2: read as it always was, and written back as mentorcore/2.
  const std::string v1 =
      order_line() +
      R"({"schema":"mentorcore/1","course":"K-1","type":"grant_made","date":"2024-01-10","recorded_by":"cw-17","grant":"G1","goal":"Job","mentor":"m-4","mentor_contact":"m-4","tasks":"Samtaler","hours_per_week":2,"start":"2024-01-15","end":"2024-07-14","legal_basis":"LAB-167","predecessor":null})"
      "\n";
  const auto read = read_events(v1, "old.jsonl");
  REQUIRE(read.courses.size() == 1);
  CHECK_FALSE(read.courses[0].grants()[0]->provider);
  const std::string written = write_events(read.courses);
  CHECK(written.find("mentorcore/1") == std::string::npos);
  CHECK(written.find(R"("predecessor":null,"provider":null})") != std::string::npos);
  CHECK(read_events(written, "new.jsonl").courses == read.courses);

  std::string with_provider = v1;
  with_provider.replace(with_provider.find(R"("predecessor":null)"), 18,
                        R"("predecessor":null,"provider":"lev-1")");
  CHECK_THAT(first_error(with_provider),
             Catch::Contains("events.jsonl:2: provider = \"lev-1\": the field is new in "
                             "mentorcore/2, but the line says \"schema\": \"mentorcore/1\""));
  std::string as_v2 = with_provider;
  as_v2.replace(as_v2.rfind("mentorcore/1"), 12, "mentorcore/2");
  CHECK(read_events(as_v2, "mixed.jsonl").courses[0].grants()[0]->provider == provider_id("lev-1"));
  CHECK_THAT(
      first_error(
          order_line() +
          R"({"schema":"mentorcore/1","course":"K-1","type":"status_recorded","date":"2024-02-01","recorded_by":"m","status":"in_work","source":"register"})"
          "\n"),
      Catch::Contains("type = \"status_recorded\": the event type is new in mentorcore/2"));
  CHECK_THAT(first_error(R"({"schema":"mentorcore/10","course":"K-1"})"
                         "\n"),
             Catch::Contains("a newer schema version than this mentorcore reads"));
  CHECK_THAT(first_error(R"({"schema":"mentorcore/02","course":"K-1"})"
                         "\n"),
             Catch::Contains(R"(expected "mentorcore/2" (or "mentorcore/1"))"));
}

TEST_CASE("every event type and field round-trips, and writing is deterministic", "[interchange]") {
  const course c = every_event_type_course();
  std::set<std::string> types;
  for (const auto& e : c.events()) types.insert(std::string(e.type()));
  CHECK(types.size() == event_type_count);  // the fixture really uses every type

  const std::vector<course> courses = {c, every_event_type_course("K-TWO")};
  const std::string text = write_events(courses);
  const auto back = read_events(text, "round-trip", read_with_scales());
  REQUIRE(back.rejected.empty());
  REQUIRE(back.courses.size() == 2);
  CHECK(back.courses[0] == courses[0]);
  CHECK(back.courses[1] == courses[1]);
  CHECK(write_events(back.courses) == text);
  // The courses rate with instruments beyond the built-in set: a header line declares them, and
  // the log reads back equal with no reference data given.
  CHECK(text.starts_with(R"({"schema":"mentorcore/2","type":"header","reference":{)"));
  CHECK(
      text.find(
          "\n"
          R"({"schema":"mentorcore/2","course":"K-ALL","type":"course_ordered","date":"2024-01-08")") ==
      text.find('\n'));
  const auto alone = read_events(text, "round-trip");
  REQUIRE(alone.courses.size() == 2);
  CHECK(alone.courses[0] == courses[0]);
  CHECK(alone.courses[1] == courses[1]);
  CHECK(write_events(alone.courses) == text);
}

TEST_CASE("writing refuses text that is not UTF-8, naming the field", "[interchange][errors]") {
  course c(order(d(2024, 1, 8)));
  c.append({d(2024, 1, 9), mentor(), success_logged{"caf\xE9 at 10"}});  // Latin-1, not UTF-8
  try {
    (void)write_events(std::span<const course>(&c, 1));
    FAIL("no error");
  } catch (const invalid_value_error& e) {
    CHECK(e.field() == "text");
    CHECK(std::string(e.what()).find("not valid UTF-8") != std::string::npos);
  }
  c = course(order(d(2024, 1, 8)));
  c.append({d(2024, 1, 9), mentor(), success_logged{"tab\there, \"quoted\" \\ and \x01 æøå"}});
  const auto text = write_events(std::span<const course>(&c, 1));
  CHECK(text.find(R"("text":"tab\there, \"quoted\" \\ and \u0001 æøå")") != std::string::npos);
  CHECK(read_events(text).courses.front() == c);
}

TEST_CASE("gzip files read and write transparently", "[interchange]") {
  const std::vector<course> courses = {every_event_type_course()};
  const std::string path = "mentorcore_test_events.jsonl.gz";
  write_events_file(courses, path);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(static_cast<unsigned char>(bytes[0]) == 0x1f);
  CHECK(read_events_file(path, read_with_scales()).courses == courses);
  write_events_file(courses, path + "2.gz");
  std::ifstream again(path + "2.gz", std::ios::binary);
  CHECK(std::string((std::istreambuf_iterator<char>(again)), std::istreambuf_iterator<char>()) ==
        bytes);
  CHECK_THROWS_WITH(read_events(bytes.substr(0, bytes.size() / 2), "cut.gz"),
                    Catch::Contains("truncated gzip"));
  std::remove(path.c_str());
  std::remove((path + "2.gz").c_str());
}

TEST_CASE("bad lines name the file, the line, the field and what was wrong",
          "[interchange][errors]") {
  const std::string good = order_line();
  CHECK_THAT(first_error(good + "{\"schema\":\"mentorcore/1\",\n"),
             Catch::StartsWith("events.jsonl:2: malformed JSON: "));
  CHECK_THAT(
      first_error(
          good +
          R"({"schema":"mentorcore/1","course":"K-1","type":"phase_changed","date":"2024-02-30","recorded_by":"m","to":"clarification","reason":"x"})"
          "\n"),
      Catch::Equals("events.jsonl:2: date = \"2024-02-30\": not a calendar date"));
  CHECK_THAT(
      first_error(
          good +
          R"({"schema":"mentorcore/1","course":"K-1","type":"phase_changed","date":"2024-02-01","recorded_by":"m","to":3,"reason":"x"})"
          "\n"),
      Catch::Equals("events.jsonl:2: to = 3: expected a phase name (a string)"));
  CHECK_THAT(
      first_error(
          good +
          R"({"schema":"mentorcore/1","course":"K-1","type":"phase_changed","date":"2024-02-01","recorded_by":"m","reason":"x"})"
          "\n"),
      Catch::Equals("events.jsonl:2: to = missing: required field of phase_changed"));
  CHECK_THAT(
      first_error(
          good +
          R"({"schema":"mentorcore/1","course":"K-1","type":"phase_moved","date":"2024-02-01","recorded_by":"m"})"
          "\n"),
      Catch::Equals("events.jsonl:2: type = \"phase_moved\": unknown event type"));
  CHECK_THAT(first_error(R"({"schema":"mentorcore/3","course":"K-1","type":"course_ordered"})"
                         "\n"),
             Catch::Contains("events.jsonl:1: schema = \"mentorcore/3\": a newer schema version"));
  CHECK_THAT(
      first_error(
          good +
          R"({"schema":"mentorcore/1","course":"K-1","type":"phase_changed","date":"2024-02-01","recorded_by":"m","to":"clarification","reason":"x","colour":"red"})"
          "\n"),
      Catch::Contains("events.jsonl:2: colour = \"red\": not a field of phase_changed"));
  CHECK_THAT(
      first_error(
          good +
          R"({"schema":"mentorcore/1","course":"K-1","type":"closed","date":"2024-02-01","recorded_by":"m","reason":"job"})"
          "\n" +
          R"({"schema":"mentorcore/1","course":"K-1","type":"contact_logged","date":"2024-02-02","recorded_by":"m","mentor":"m","location":"home","attendance":"attended","planned_minutes":60,"actual_minutes":60,"billable":true})"
          "\n"),
      Catch::Contains("events.jsonl:3: course K-1, event #2 contact_logged on 2024-02-02: the "
                      "course was closed"));
  CHECK_THAT(first_error(good + good),
             Catch::Contains("events.jsonl:2: course K-1, event #1 course_ordered on 2024-01-08: "
                             "the course was already ordered"));
  CHECK_THAT(first_error(order_line(R"(,"municipality":101)")),
             Catch::Contains("municipality = repeated"));
  CHECK_THAT(first_error("[1,2]\n"),
             Catch::Contains("events.jsonl:1: line = [1,2]: expected a JSON object"));
}

TEST_CASE("a line's date reads the same whatever the month of the line before",
          "[interchange][errors]") {
  // The reader keeps the months of dates it parsed in full (a table of 64) and adds the day to
  // them: each date below follows one of its own month or of another, the months run past what
  // the table holds, and the days are those of the text, leap day and month ends included; a
  // day the month does not have, or text that is no date, fails as it does after a line of
  // another month.
  const auto contact = [](const std::string& day) {
    return R"({"schema":"mentorcore/1","course":"K-1","type":"contact_logged","date":")" + day +
           R"(","recorded_by":"m","mentor":"m","location":"home","attendance":"attended",)"
           R"("planned_minutes":60,"actual_minutes":60,"billable":true})"
           "\n";
  };
  std::vector<std::string> days = {"2024-01-31", "2024-02-01", "2024-02-29",
                                   "2024-03-01", "2024-03-09", "2024-03-10",
                                   "2024-03-31", "2024-12-31", "2025-01-01"};
  // Then the 15th and the last day of every month for seven years: 84 months.
  for (unsigned short year = 2025; year <= 2031; ++year) {
    for (unsigned short month = 1; month <= 12; ++month) {
      days.push_back(to_iso(date(year, month, 15)));
      days.push_back(to_iso(date(year, month, 1).end_of_month()));
    }
  }
  // Contacts count from the first phase change.
  const std::string started =
      order_line() +
      R"({"schema":"mentorcore/1","course":"K-1","type":"phase_changed","date":"2024-01-10","recorded_by":"m","to":"clarification","reason":"x"})"
      "\n";
  std::string text = started;
  for (const auto& day : days) text += contact(day);
  const auto read = read_events(text, "events.jsonl", read_with_scales());
  REQUIRE(read.courses.size() == 1);
  const auto& events = read.courses.front().events();
  REQUIRE(events.size() == days.size() + 2);
  CHECK(events[0].date == date(2024, 1, 8));
  CHECK(events[1].date == date(2024, 1, 10));
  for (std::size_t i = 0; i < days.size(); ++i) {
    CHECK(to_iso(events[i + 2].date) == days[i]);
  }
  // After a line of February 2024 (the month kept), after one of January (another month), and
  // after one of March that follows one of February (the month kept, but not the last).
  const std::vector<std::vector<std::string>> befores = {
      {"2024-02-01"}, {"2024-01-31"}, {"2024-02-01", "2024-03-01"}};
  for (const auto& before : befores) {
    INFO("after a line on " << before.back());
    std::string start = started;
    for (const auto& day : before) start += contact(day);
    const std::string line = std::to_string(before.size() + 3);
    for (const std::string bad : {"2024-02-30", "2024-02-00", "2024-02-99"}) {
      CHECK_THAT(
          first_error(start + contact(bad)),
          Catch::Equals("events.jsonl:" + line + ": date = \"" + bad + "\": not a calendar date"));
    }
    for (const std::string bad : {"2024-02-3a", "2024-02-1", "2024-02-01Z", "2024-02- 1"}) {
      CHECK_THAT(first_error(start + contact(bad)),
                 Catch::Equals("events.jsonl:" + line + ": date = \"" + bad +
                               "\": expected a date as YYYY-MM-DD"));
    }
  }
}

TEST_CASE("robust against hostile input", "[interchange][errors]") {
  CHECK_THAT(first_error(order_line().substr(0, 70)),
             Catch::Contains("events.jsonl:1: malformed JSON"));
  CHECK_THAT(
      first_error(
          std::string(R"({"schema":"mentorcore/1","course":"K-1","type":"course_ordered","x":")") +
          "\xff\xfe" + "\"}\n"),
      Catch::Contains("events.jsonl:1: malformed JSON"));
  CHECK_THAT(first_error(std::string(5000, '[') + std::string(5000, ']') + "\n"),
             Catch::Contains("events.jsonl:1: malformed JSON"));
  CHECK_THAT(
      first_error(order_line().replace(order_line().find("101"), 3, "1000000000000000000000000")),
      Catch::Contains("events.jsonl:1:"));
  // A text of megabytes is refused with the one text limit, naming the field; a text at the
  // limit is read whole: nothing truncated.
  const auto note_line = [](const std::string& note) {
    return order_line() +
           R"({"schema":"mentorcore/1","course":"K-1","type":"clarification_concluded","date":"2024-02-01","recorded_by":"m","outcome":"job","note":")" +
           note + "\"}\n";
  };
  CHECK_THAT(
      first_error(note_line(std::string(3'000'000, 'x'))),
      Catch::Contains("events.jsonl:2: note = ") && Catch::Contains("longer than 4000 bytes"));
  const std::string longest(detail::max_text_length, 'x');
  const auto long_line = read_events(note_line(longest));
  CHECK(get<clarification_concluded>(long_line.courses.at(0).events().back().data).note == longest);
  CHECK(read_events("", "empty").courses.empty());
  CHECK(read_events("\n\n", "blank").courses.empty());
}

TEST_CASE("collect mode loads the valid courses and lists every rejected line",
          "[interchange][errors]") {
  const std::string k2 = std::string(order_line()).replace(order_line().find("K-1"), 3, "K-2");
  const std::string text =
      order_line() + k2 +
      R"({"schema":"mentorcore/1","course":"K-1","type":"phase_changed","date":"2024-01-01","recorded_by":"m","to":"clarification","reason":"x"})"
      "\n" +
      R"({"schema":"mentorcore/1","course":"K-1","type":"phase_changed","date":"2024-02-01","recorded_by":"m","to":"clarification","reason":"x"})"
      "\n" +
      "not json\n";
  read_options options;
  options.collect_errors = true;
  const auto result = read_events(text, "events.jsonl", options);
  REQUIRE(result.courses.size() == 1);
  CHECK(result.courses[0].id().str() == "K-2");
  REQUIRE(result.rejected.size() == 3);
  CHECK(result.rejected[0].line == 3);
  CHECK(result.rejected[0].course == "K-1");
  CHECK_THAT(result.rejected[0].message, Catch::Contains("dates out of order"));
  CHECK(result.rejected[1].line == 4);
  CHECK(result.rejected[1].message == "course K-1 was rejected at line 3");
  CHECK(result.rejected[2].line == 5);
  CHECK_THROWS_AS(read_events(text, "events.jsonl"), parse_error);
}

TEST_CASE("CPR numbers are pseudonymised with a key and never appear anywhere",
          "[interchange][personal-data]") {
  const std::string with_cpr =
      R"({"schema":"mentorcore/1","course":"K-1","type":"course_ordered","date":"2024-01-08","recorded_by":"cw-17",)"
      R"("cpr":"010190-1234","municipality":101,"target_group":"sygedagpenge","caseworker":"cw-17"})"
      "\n";
  const std::string message = first_error(with_cpr, read_options{});
  CHECK_THAT(message,
             Catch::Contains("cpr = [withheld]: a CPR number needs a pseudonymisation key"));
  CHECK(message.find("1234") == std::string::npos);

  read_options keyed;
  keyed.pseudonyms = pseudonymiser("a municipality's secret key");
  const auto result = read_events(with_cpr, "events.jsonl", keyed);
  const auto& key = result.courses.at(0).citizen().str();
  CHECK(key.size() == 34);
  CHECK(key.rfind("P-", 0) == 0);
  CHECK(key.find_first_of("0123456789") == std::string::npos);
  CHECK(result.courses[0].citizen() ==
        keyed.pseudonyms->citizen_for("0101901234"));  // same with or without dash
  CHECK(pseudonymiser("another secret key, longer").citizen_for("0101901234") !=
        result.courses[0].citizen());
  const std::string written = write_events(result.courses);
  CHECK(written.find("1234") == std::string::npos);
  CHECK(written.find("cpr") == std::string::npos);

  for (const std::string bad :
       {"3102901234", "0101901", "01019012345", "010190x1234", "0113901234"}) {
    const auto text = std::string(with_cpr).replace(with_cpr.find("010190-1234"), 11, bad);
    const auto error_text = first_error(text, keyed);
    CHECK_THAT(error_text, Catch::Contains("cpr = [withheld]: not a CPR number"));
    CHECK(error_text.find(bad) == std::string::npos);
  }
  CHECK_THROWS_AS(pseudonymiser("short"), invalid_value_error);
}

TEST_CASE("the JSON Schema is generated from the field tables", "[interchange][schema]") {
  const std::string schema = event_json_schema();
  CHECK_THAT(schema, Catch::Contains("\"const\": \"contact_logged\""));
  CHECK_THAT(schema, Catch::Contains("\"additionalProperties\": false"));
  CHECK(schema == event_json_schema());
}

TEST_CASE("one pass per line: any key order, the same checks in the same order as ever",
          "[interchange][errors]") {
  const std::string good = order_line();
  // Ids the reader has just seen valid are not re-checked, but empty ones still fail.
  CHECK_THAT(first_error(std::string(good).replace(good.find("\"K-1\""), 5, "\"\"")),
             Catch::Equals("events.jsonl:1: course = \"\": an identifier must not be empty"));
  CHECK_THAT(
      first_error(
          good +
          R"({"schema":"mentorcore/1","course":"K-1","type":"phase_changed","date":"2024-02-01","recorded_by":"","to":"clarification","reason":"x"})"
          "\n"),
      Catch::Equals("events.jsonl:2: recorded_by = \"\": an identifier must not be empty"));
  // The envelope is checked before the fields, wherever its keys are in the line.
  CHECK_THAT(
      first_error(
          good +
          R"({"colour":"red","reason":"x","to":"clarification","recorded_by":"m","date":"2024-02-30","type":"phase_changed","course":"K-1","schema":"mentorcore/1"})"
          "\n"),
      Catch::Equals("events.jsonl:2: date = \"2024-02-30\": not a calendar date"));
  const auto reversed = read_events(
      good +
      R"({"reason":"x","to":"clarification","recorded_by":"m","date":"2024-02-01","type":"phase_changed","course":"K-1","schema":"mentorcore/1"})"
      "\n");
  REQUIRE(reversed.courses.size() == 1);
  CHECK(reversed.courses[0].events().size() == 2);
  CHECK(get<phase_changed>(reversed.courses[0].events().back().data).to == phase::clarification);
  // A line of another course that does not start with its order.
  CHECK_THAT(
      first_error(
          good +
          R"({"schema":"mentorcore/1","course":"K-2","type":"phase_changed","date":"2024-02-01","recorded_by":"m","to":"clarification","reason":"x"})"
          "\n"),
      Catch::Equals("events.jsonl:2: course ?, event #0 phase_changed on 2024-02-01: a course "
                    "history starts with course_ordered"));
}

TEST_CASE("an envelope value that is not a text is named, the first of its name, in order",
          "[interchange][errors]") {
  const std::string good = order_line();
  const auto line = [&](const std::string& envelope) {
    return good + "{" + envelope +
           R"(,"type":"phase_changed","recorded_by":"m","to":"clarification","reason":"x"})"
           "\n";
  };
  CHECK_THAT(first_error(line(R"("schema":1,"course":"K-1","date":"2024-02-01")")),
             Catch::Equals("events.jsonl:2: schema = 1: expected a string"));
  CHECK_THAT(first_error(line(R"("schema":"mentorcore/1","course":["K-1"],"date":"2024-02-01")")),
             Catch::Equals("events.jsonl:2: course = [\"K-1\"]: expected a string"));
  // A date that is a number is read as json_reader<date> reads one: its own error.
  CHECK_THAT(first_error(line(R"("schema":"mentorcore/1","course":"K-1","date":20240201)")),
             Catch::StartsWith("events.jsonl:2: date = 20240201: "));
  // Several faults: the course is checked before the date, whatever their order in the line.
  CHECK_THAT(first_error(line(R"("date":true,"schema":"mentorcore/1","course":7)")),
             Catch::Equals("events.jsonl:2: course = 7: expected a string"));
  // A key met twice is refused; the header test and the errors see the first value.
  CHECK_THAT(first_error(line(R"("schema":"mentorcore/1","course":"K-1","date":2,"date":"x")")),
             Catch::Equals("events.jsonl:2: date = repeated: the field appears twice"));
  CHECK_THAT(first_error(good + R"({"schema":"mentorcore/1","course":"K-1","type":7,)"
                                R"("date":"2024-02-01","recorded_by":"m"})"
                                "\n"),
             Catch::Equals("events.jsonl:2: type = 7: expected a string"));
}

TEST_CASE("reading replaces CPR-shaped numbers in texts and counts them",
          "[interchange][personal-data]") {
  const std::string text =
      order_line() +
      R"({"schema":"mentorcore/1","course":"K-1","type":"phase_changed","date":"2024-01-15","recorded_by":"m","to":"pre_employment","reason":"cpr 010190-5678"})"
      "\n" +
      R"({"schema":"mentorcore/1","course":"K-1","type":"success_logged","date":"2024-01-16","recorded_by":"m","text":"01 01 90 56 78 and 101905678"})"
      "\n" +
      R"({"schema":"mentorcore/1","course":"K-1","type":"success_logged","date":"2024-01-17","recorded_by":"m","text":"no number, 2024-01-17"})"
      "\n";
  for (const bool collect : {false, true}) {
    read_options options;
    options.collect_errors = collect;
    const auto result = read_events(text, "events.jsonl", options);
    REQUIRE(result.courses.size() == 1);
    CHECK(result.redacted_texts == 2);
    const auto& events = result.courses[0].events();
    CHECK(get<phase_changed>(events[1].data).reason == "cpr [redacted: possible CPR number]");
    CHECK(get<success_logged>(events[2].data).text ==
          "[redacted: possible CPR number] and [redacted: possible CPR number]");
    CHECK(get<success_logged>(events[3].data).text == "no number, 2024-01-17");
    const std::string written = write_events(result.courses);
    CHECK(written.find("5678") == std::string::npos);
    CHECK(read_events(written).redacted_texts == 0);  // what was written is clean
  }
  const std::string too_long =
      order_line() +
      R"({"schema":"mentorcore/1","course":"K-1","type":"closed","date":"2024-01-15","recorded_by":"m","reason":"other","note":")" +
      std::string(4001, 'x') + "\"}\n";
  CHECK_THAT(first_error(too_long),
             Catch::Contains("events.jsonl:2: note = ") && Catch::Contains("longer than 4000"));
}

TEST_CASE("no CPR number leaks through reading's errors", "[interchange][personal-data]") {
  read_options collect;
  collect.collect_errors = true;
  // A course id shaped like a CPR number: the rejected line names its course redacted.
  const std::string bad_course =
      std::string(order_line()).replace(order_line().find("K-1"), 3, "010190-5678");
  const auto result = read_events(bad_course, "events.jsonl", collect);
  REQUIRE(result.rejected.size() == 1);
  CHECK(result.rejected[0].course == "[redacted: possible CPR number]");
  CHECK(result.rejected[0].message.find("5678") == std::string::npos);
  // A long course id with a CPR number where the 64-character cut falls inside it.
  const std::string long_id = std::string(58, 'k') + "0101905678";
  const auto cut = read_events(
      std::string(order_line()).replace(order_line().find("K-1"), 3, long_id), "e", collect);
  REQUIRE(cut.rejected.size() == 1);
  CHECK(cut.rejected[0].course.find("010190") == std::string::npos);
  CHECK(cut.rejected[0].message.find("010190") == std::string::npos);
  // A value cut to 60 characters in a message: redacted first, so no nine digits survive.
  for (std::size_t pad = 40; pad < 60; ++pad) {
    const std::string line =
        order_line(R"(,"retention_min_months":")" + std::string(pad, 'x') + "0101905678\"");
    const auto message = first_error(line);
    INFO(message);
    CHECK(message.find("0101") == std::string::npos);
  }
  // A CPR held as a JSON number is withheld, whatever its shape.
  for (const std::string number : {"101905678", "1012905678", "101905678.0"}) {
    const std::string line =
        std::string(order_line())
            .replace(order_line().find(R"("citizen":"P-8d2f")"), 18, R"("cpr":)" + number);
    read_options keyed;
    keyed.pseudonyms = pseudonymiser("a municipality's secret key");
    try {
      (void)read_events(line, "e", keyed);
      FAIL("no error");
    } catch (const parse_error& e) {
      CHECK(e.field() == "cpr");
      CHECK_THAT(e.what(), Catch::Contains("cpr = [withheld]"));
      CHECK(std::string(e.what()).find("5678") == std::string::npos);
    }
  }
  // A file name holding a CPR number.
  try {
    (void)read_events("not json\n", "/tmp/010190-5678.jsonl");
    FAIL("no error");
  } catch (const parse_error& e) {
    CHECK(e.source() == "/tmp/[redacted: possible CPR number].jsonl");
    CHECK(std::string(e.what()).find("5678") == std::string::npos);
  }
}

// ---- issue #12: logs read back as written, whole courses in collect mode, bounded input -------
