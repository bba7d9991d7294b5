#include "mentorcore/reference_data.hpp"

#include <catch2/catch.hpp>

#include "dates.hpp"
#include "mentorcore/error.hpp"

using namespace mentorcore;

using fixtures::d;

TEST_CASE("the built-in reference data parses and has the current legal basis", "[reference]") {
  const auto builtin = reference_data::builtin();
  CHECK(builtin->entries().size() >= 20);
  const auto* lab = builtin->find(reference_kind::legal_basis, "LAB-167", d(2024, 5, 1));
  REQUIRE(lab != nullptr);
  CHECK(lab->max_grant_months == 6);
  CHECK(builtin->find(reference_kind::legal_basis, "LAB-167", d(2019, 5, 1)) == nullptr);
  CHECK(builtin->find(reference_kind::legal_basis, "LAB2003-31b", d(2019, 5, 1)) != nullptr);
  CHECK(builtin->find(reference_kind::target_group, "sygedagpenge", d(2024, 5, 1)) != nullptr);
  CHECK(builtin == reference_data::builtin());  // parsed once
}

TEST_CASE("the header-only built-in data equals data/reference_data.json parsed as JSON",
          "[reference]") {
  // The built-in set is generated from the JSON file at configure time (no JSON parser in
  // mentorcore::core); reading the same file with the JSON reader must give the same set,
  // entry for entry and field for field.
  const auto parsed =
      reference_data::from_json_file(MENTORCORE_SOURCE_DIR "/data/reference_data.json");
  const auto& builtin = *reference_data::builtin();
  REQUIRE(builtin.entries().size() == parsed.entries().size());
  for (std::size_t i = 0; i < parsed.entries().size(); ++i) {
    INFO("entry " << i << ": " << parsed.entries()[i].code);
    CHECK(builtin.entries()[i] == parsed.entries()[i]);
  }
  CHECK(builtin.instruments() == parsed.instruments());
  CHECK(builtin == parsed);
}

TEST_CASE("require names the field, the code and the validity", "[reference]") {
  const auto builtin = reference_data::builtin();
  CHECK_THROWS_WITH(
      builtin->require(reference_kind::legal_basis, "LAB2003-78", d(2020, 1, 1), "legal_basis"),
      "legal_basis = \"LAB2003-78\": not valid on 2020-01-01 (valid 2003-07-01 to 2013-12-31)");
  CHECK_THROWS_WITH(
      builtin->require(reference_kind::target_group, "nope", d(2020, 1, 1), "target_group"),
      "target_group = \"nope\": not a known target_group code");
}

TEST_CASE("users extend the reference data with their own file", "[reference]") {
  const auto local = reference_data::from_json(R"({
  "format": "mentorcore-reference/1",
  "entries": [
    {"kind": "target_group", "code": "reform_2027_a", "label": "Ny målgruppe A",
     "valid_from": "2027-01-01", "valid_to": null}
  ]
})",
                                               "local.json");
  const auto merged = reference_data::builtin()->extended(local);
  CHECK(merged.find(reference_kind::target_group, "reform_2027_a", d(2027, 6, 1)) != nullptr);
  CHECK(merged.entries().size() == reference_data::builtin()->entries().size() + 1);
}

TEST_CASE("overlapping validity of one code is refused", "[reference]") {
  reference_data data;
  data.add(
      {reference_kind::legal_basis, "X", "x", d(2020, 1, 1), d(2020, 12, 31), std::nullopt, ""});
  data.add(
      {reference_kind::legal_basis, "X", "x later", d(2021, 1, 1), std::nullopt, std::nullopt, ""});
  CHECK_THROWS_WITH(data.add({reference_kind::legal_basis, "X", "x again", d(2020, 6, 1),
                              d(2020, 6, 30), std::nullopt, ""}),
                    Catch::Contains("overlaps the entry valid 2020-01-01 to 2020-12-31"));
  CHECK(data.entries().size() == 2);  // unchanged
  data.add({reference_kind::target_group, "X", "another table", d(2020, 6, 1), std::nullopt,
            std::nullopt, ""});
  CHECK(data.entries().size() == 3);
}

TEST_CASE("bad reference files give the source, the line and the field", "[reference][errors]") {
  const std::string bad_date = R"({
  "format": "mentorcore-reference/1",
  "entries": [
    {"kind": "legal_basis", "code": "A", "label": "a", "valid_from": "2020-01-01"},
    {"kind": "legal_basis", "code": "B", "label": "b",
     "valid_from": "2024-02-30"}
  ]
})";
  try {
    (void)reference_data::from_json(bad_date, "local.json");
    FAIL("expected parse_error");
  } catch (const parse_error& e) {
    CHECK(e.source() == "local.json");
    CHECK(e.line() == 5);
    CHECK(e.field() == "entries[1].valid_from");
    CHECK(std::string(e.what()) ==
          "local.json:5: entries[1].valid_from = \"2024-02-30\": not a calendar date");
  }
  CHECK_THROWS_WITH(reference_data::from_json("{\n  \"format\": 1,\n", "x.json"),
                    Catch::StartsWith("x.json:3: malformed JSON"));
  CHECK_THROWS_WITH(reference_data::from_json(R"({"format": "other/2", "entries": []})", "y.json"),
                    Catch::Contains("format = \"other/2\": expected \"mentorcore-reference/1\""));
  CHECK_THROWS_WITH(
      reference_data::from_json(
          R"({"format": "mentorcore-reference/1", "entries": [{"kind": "law", "code": "A", "label": "a", "valid_from": "2020-01-01"}]})",
          "z.json"),
      Catch::Contains("entries[0].kind = \"law\""));
  CHECK_THROWS_WITH(reference_data::from_json_file("/nonexistent/ref.json"),
                    Catch::Contains("cannot open the file: No such file or directory"));
  CHECK_THROWS_WITH(reference_data::from_json_file(std::string("/tmp/ref\0.json", 14)),
                    Catch::Contains("path = /tmp/ref\\u0000.json: holds a NUL byte"));
}

TEST_CASE("a key repeated in one object of reference data is refused, not the last one kept",
          "[reference][errors]") {
  // nlohmann/json keeps the last of two equal keys: a second "instruments" would drop every
  // instrument before it, a second "max" move an item's range, and nothing would say so.
  const std::string twice = R"({
  "format": "mentorcore-reference/1",
  "entries": [],
  "instruments": [{"name": "scale", "version": "1", "aggregation": "sum",
    "higher_is_better": true, "reliable_change": 5,
    "items": [{"min": 0, "max": 10, "max": 99}]}],
  "instruments": []
})";
  try {
    (void)reference_data::from_json(twice, "twice.json");
    FAIL("expected parse_error");
  } catch (const parse_error& e) {
    CHECK(e.field() == "instruments[0].items[0].max");
    CHECK(e.line() == 4);
    CHECK_THAT(e.what(), Catch::Contains("= repeated: the field appears twice"));
  }
  CHECK_THROWS_WITH(
      reference_data::from_json(
          R"({"format": "mentorcore-reference/1", "entries": [], "entries": []})", "top.json"),
      Catch::Contains("entries = repeated: the field appears twice"));
}

TEST_CASE("instruments are defined in reference-data JSON from numbers alone",
          "[reference][instrument]") {
  const auto data = reference_data::from_json(R"({
  "format": "mentorcore-reference/1",
  "entries": [],
  "instruments": [
    {"name": "outcome", "version": "1",
     "items": [{"min": 0, "max": 10}, {"min": 0, "max": 10}, {"min": 0, "max": 10}, {"min": 0, "max": 10}],
     "subscales": [{"name": "individual", "items": [1]}],
     "cutoffs": [{"age_band": "adult", "value": 25}, {"age_band": "child", "value": 32}],
     "reliable_change": 5, "higher_is_better": true,
     "alerts": [{"rule": "no_reliable_improvement", "sessions": 6}]}
  ]
})",
                                              "scales.json");
  REQUIRE(data.instruments().size() == 1);
  const auto* outcome = data.find_instrument("outcome");
  REQUIRE(outcome != nullptr);
  CHECK(outcome->items().size() == 4);
  CHECK(outcome->cutoff_for(std::string("child")) == 32);
  CHECK(outcome->alerts()[0].sessions == 6);
  CHECK(reference_data::from_json(data.to_json()) == data);
  CHECK_THROWS_AS(data.extended(data), invalid_value_error);  // duplicate instrument name
  // Every integer is read whole and in range: nlohmann's get<int> cut 3.9 to 3, wrapped
  // 4294967297 to 1, and 1e30 did not convert (undefined).
  const auto with = [](const std::string& alerts, const std::string& subscale_items) {
    return R"({"format": "mentorcore-reference/1", "entries": [], "instruments": [
      {"name": "x", "items": [{"min": 0, "max": 10}, {"min": 0, "max": 10}],
       "subscales": [{"name": "s", "items": )" +
           subscale_items + R"(}], "alerts": [)" + alerts + "]}]}";
  };
  CHECK_THROWS_WITH(
      reference_data::from_json(with(R"({"rule": "drop_from_previous", "sessions": 3.9})", "[1]")),
      Catch::Contains("instruments[0].alerts[0].sessions = 3.9: expected a whole "
                      "number from 1 to 10000"));
  CHECK_THROWS_WITH(
      reference_data::from_json(with(R"({"rule": "drop_from_previous", "sessions": 1e30})", "[1]")),
      Catch::Contains("alerts[0].sessions = 1e+30"));
  CHECK_THROWS_WITH(
      reference_data::from_json(with(R"({"rule": "drop_from_previous"})", "[4294967297]")),
      Catch::Contains("subscales[0].items = [redacted: possible CPR number]"));
  CHECK(reference_data::from_json(with(R"({"rule": "drop_from_previous", "sessions": 4.0})", "[1]"))
            .instruments()[0]
            .alerts()[0]
            .sessions == 4);

  try {
    (void)reference_data::from_json(R"({
  "format": "mentorcore-reference/1",
  "entries": [],
  "instruments": [
    {"name": "x", "items": [{"min": 0, "max": 10}]},
    {"name": "y", "items": [{"min": 0, "max": 10}],
     "alerts": [{"rule": "drop"}]}
  ]
})",
                                    "scales.json");
    FAIL("expected parse_error");
  } catch (const parse_error& e) {
    CHECK(e.line() == 6);
    CHECK(e.field() == "instruments[1].alerts[0].rule");
  }
}

TEST_CASE("reference data nested past max_json_depth is refused before parsing, not a crash",
          "[reference][errors]") {
  // Issue #12: 100,000 nested arrays (200 KB) overflowed the stack in the JSON library.
  const std::size_t deep = 100000;
  const std::string hostile = R"({"format":"mentorcore-reference/1","entries":)" +
                              std::string(deep, '[') + std::string(deep, ']') + "}";
  try {
    (void)reference_data::from_json(hostile, "deep.json");
    FAIL("expected parse_error");
  } catch (const parse_error& e) {
    CHECK(e.source() == "deep.json");
    CHECK(e.line() == 1);
    CHECK_THAT(e.what(), Catch::Contains("nested deeper than 64 levels"));
  }
  // Brackets inside strings do not count, and the limit itself is allowed.
  const auto nested = [](std::size_t levels) {
    return R"({"format":"mentorcore-reference/1","entries":[],"x":")" + std::string(500, '[') +
           "\",\"y\":" + std::string(levels - 1, '[') + std::string(levels - 1, ']') + "}";
  };
  CHECK(reference_data::from_json(nested(reference_data::max_json_depth)).entries().empty());
  CHECK_THROWS_WITH(reference_data::from_json(nested(reference_data::max_json_depth + 1)),
                    Catch::Contains("nested deeper than 64 levels"));
  // The line of the bracket that went too deep.
  CHECK_THROWS_WITH(reference_data::from_json("{\n\"entries\":\n" + std::string(70, '['), "n.json"),
                    Catch::StartsWith("n.json:3: nested deeper"));
}
