#include "mentorcore/synthetic.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <sstream>

#include "files.hpp"
#include "mentorcore/interchange.hpp"

using namespace mentorcore;

namespace {

synthetic_options small(std::size_t courses, std::uint64_t seed, unsigned threads = 1) {
  synthetic_options options;
  options.courses = courses;
  options.seed = seed;
  options.threads = threads;
  return options;
}

read_options synthetic_read() {
  read_options options;
  options.reference = synthetic_reference();
  return options;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("mentorcore-test-" + name)).string();
}

}  // namespace

TEST_CASE("every synthetic course replays and round-trips through the event log", "[synthetic]") {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const auto courses = generate_courses(small(60, seed));
    REQUIRE(courses.size() == 60);
    for (const auto& c : courses) {
      REQUIRE(course::replay(c.events(), synthetic_reference()) == c);
    }
    const std::string text = write_events(courses);
    const auto back = read_events(text, "synthetic.jsonl", synthetic_read());
    REQUIRE(back.courses == courses);
    REQUIRE(write_events(back.courses) == text);
  }
}

TEST_CASE("the same seed gives the same courses and bytes, whatever the thread count",
          "[synthetic]") {
  const auto one = generate_courses(small(600, 7, 1));
  const auto three = generate_courses(small(600, 7, 3));
  REQUIRE(one == three);
  CHECK(synthetic_course(small(600, 7), 599) == one.back());
  CHECK(generate_courses(small(50, 8, 1)) != generate_courses(small(50, 7, 1)));

  for (const std::string name : {"a.jsonl", "a.jsonl.gz"}) {
    const auto path1 = temp_path("1-" + name);
    const auto path2 = temp_path("2-" + name);
    const auto s1 = write_synthetic_event_log(small(600, 7, 1), path1);
    const auto s2 = write_synthetic_event_log(small(600, 7, 2), path2);
    CHECK(s1.courses == 600);
    CHECK(s1.events == s2.events);
    CHECK(s1.bytes == std::filesystem::file_size(path1));
    const std::string bytes = fixtures::file_bytes(path1);
    CHECK(bytes == fixtures::file_bytes(path2));
    const auto back = read_events_file(path1, synthetic_read());
    CHECK(back.courses == one);
    std::filesystem::remove(path1);
    std::filesystem::remove(path2);
  }
}

TEST_CASE("the synthetic municipality covers every part of the model", "[synthetic]") {
  const auto courses = generate_courses(small(3000, 1, 2));
  std::set<std::string> types;
  std::set<closure_reason> closures;
  std::set<handover_type> handover_types;
  std::set<handover_state> handover_states;
  std::set<data_category> withheld_categories;
  std::set<std::string> knowledge_categories;
  std::set<data_category> knowledge_data;
  std::set<party_role> receivers;
  std::set<location> locations;
  std::set<attendance> attendances;
  int open = 0;
  int dropped = 0;
  int late = 0;
  int relapses = 0;
  int back_moves = 0;
  int alliance_alerts = 0;
  std::set<std::string> municipalities;
  std::set<std::string> target_groups;
  for (const auto& c : courses) {
    for (const auto& e : c.events()) types.insert(std::string(e.type()));
    municipalities.insert(std::to_string(c.order().municipality.value()));
    target_groups.insert(c.order().target_group);
    if (c.closure())
      closures.insert(*c.closure());
    else
      ++open;
    for (const auto& h : c.handovers()) {
      handover_types.insert(h.type);
      handover_states.insert(h.state);
      receivers.insert(h.to_role);
      dropped += h.dropped.empty() ? 0 : 1;
      if (h.settled_on && (*h.settled_on - h.made_on).days() > 10) ++late;
      for (std::size_t k = 0; k < h.withheld_by_category.size(); ++k) {
        if (h.withheld_by_category[k] > 0)
          withheld_categories.insert(static_cast<data_category>(k));
      }
    }
    for (const auto& k : c.knowledge_profile(true)) {
      knowledge_categories.insert(k.category);
      knowledge_data.insert(k.data);
    }
    for (const auto& t : c.stage_trajectories()) relapses += t.relapses;
    for (std::size_t i = 1; i < c.phases().size(); ++i) {
      if (c.phases()[i].which == phase::clarification &&
          c.phases()[i - 1].which == phase::work_trial)
        ++back_moves;
    }
    for (const auto& [day, contact] : c.contacts()) {
      locations.insert(contact->where);
      attendances.insert(contact->attended);
    }
    if (c.closed_on()) {
      for (const auto& a : c.alerts(*c.closed_on()))
        alliance_alerts += a.subject == "session_scale";
    }
  }
  CHECK(types.size() == event_type_count);
  CHECK(closures.size() == enum_traits<closure_reason>::names.size());
  CHECK(handover_types.size() == enum_traits<handover_type>::names.size());
  CHECK(handover_states.size() == enum_traits<handover_state>::names.size());  // made: still open
  CHECK(receivers.count(party_role::mentor) == 1);
  CHECK(receivers.count(party_role::employer_mentor) == 1);
  CHECK(withheld_categories.size() >= 3);
  CHECK(knowledge_categories.size() == standard_knowledge_categories.size() + 1);
  CHECK(knowledge_data.size() == enum_traits<data_category>::names.size());
  CHECK(locations.size() == enum_traits<location>::names.size());
  CHECK(attendances.size() == enum_traits<attendance>::names.size());
  CHECK(municipalities.size() == 5);
  CHECK(target_groups.size() == 11);
  CHECK(open > 0);
  CHECK(dropped > 0);
  CHECK(late > 0);
  CHECK(relapses > 0);
  CHECK(back_moves > 0);
  CHECK(alliance_alerts > 0);
}

TEST_CASE("synthetic options are validated, naming the option", "[synthetic][errors]") {
  const auto message = [](const synthetic_options& options) {
    try {
      options.validate();
    } catch (const invalid_value_error& e) {
      return std::string(e.field());
    }
    return std::string("valid");
  };
  synthetic_options options;
  CHECK(message(options) == "valid");
  options.courses = 0;
  CHECK(message(options) == "courses");
  options = {};
  options.first_order = date(2019, 12, 31);
  CHECK(message(options) == "first_order");
  options = {};
  options.last_order = date(2021, 1, 1);
  CHECK(message(options) == "last_order");
  options = {};
  options.observation = date(2025, 6, 1);
  CHECK(message(options) == "observation");
  options = {};
  options.first_order = date(boost::gregorian::not_a_date_time);
  CHECK(message(options) == "first_order");
  CHECK_THROWS_AS(synthetic_course(small(10, 1), 10), out_of_range_error);
}

TEST_CASE("nothing after the observation date is recorded, and custom municipalities are used",
          "[synthetic]") {
  auto options = small(400, 3);
  options.first_order = date(2023, 1, 1);
  options.last_order = date(2023, 12, 31);
  options.observation = date(2024, 3, 31);
  options.municipalities = {municipality_code(147), municipality_code(157)};
  int open = 0;
  for (const auto& c : generate_courses(options)) {
    CHECK(c.events().back().date <= *options.observation);
    CHECK(c.ordered_on() >= options.first_order);
    CHECK(c.ordered_on() <= options.last_order);
    const int code = c.order().municipality.value();
    CHECK((code == 147 || code == 157));
    open += c.closed_on() ? 0 : 1;
  }
  CHECK(open > 100);  // courses ordered late in 2023 are still running
}

TEST_CASE("a cancelled or failed log write leaves no file behind", "[synthetic]") {
  // A directory of its own, so that "nothing left" can be checked by listing it.
  std::random_device device;
  std::string tag;
  for (auto bits = (std::uint64_t{device()} << 32U) | device(); bits != 0; bits >>= 4U)
    tag += static_cast<char>('a' + (bits & 15U));
  const auto dir = std::filesystem::temp_directory_path() / ("mentorcore-test-cancelled-" + tag);
  std::filesystem::create_directories(dir);
  const auto path = (dir / "cancelled.jsonl").string();
  std::size_t calls = 0;
  CHECK_THROWS_AS(
      write_synthetic_event_log(small(2000, 1, 2), path, [&](std::size_t) { return ++calls < 2; }),
      cancelled_error);
  CHECK(std::filesystem::is_empty(dir));  // neither the log nor a partial one
  std::filesystem::remove_all(dir);
  CHECK_THROWS_AS(write_synthetic_event_log(small(10, 1), "/nonexistent-dir/x.jsonl"),
                  invalid_value_error);
}
