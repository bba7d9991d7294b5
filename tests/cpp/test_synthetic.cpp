#include "mentorcore/synthetic.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <vector>

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

/// The synthetic municipality the effect tests look at: 4,000 courses of seed 1.
const std::vector<course>& synth_effect_courses() {
  static const auto courses = generate_courses(small(4000, 1, 2));
  return courses;
}

/// A course's provider number k, from its first grant's provider lev-<code>-k (0: none).
int synth_provider_number(const course& c) {
  const auto grants = c.grant_usage_by_grant();
  if (grants.empty() || !grants.front().provider) return 0;
  const std::string& id = grants.front().provider->str();
  return id.back() - '0';
}

/// One realised rate of some courses.
double synth_rate(const std::vector<const course*>& courses, const std::string& measure) {
  for (const auto& r : realised_rates(std::span<const course* const>(courses))) {
    if (r.measure == measure) return r.value();
  }
  FAIL("no measure " << measure);
  return 0;
}

/// Contacts and minutes of attended contact per week from the start to the closure (or the last
/// event) of some courses.
struct synth_intensity {
  double contacts_per_week = 0;
  double minutes_per_week = 0;
};
synth_intensity synth_intensity_of(const std::vector<const course*>& courses) {
  double weeks = 0;
  double contacts = 0;
  double minutes = 0;
  for (const auto* c : courses) {
    if (!c->course_started_on()) continue;
    const date to = c->closed_on().value_or(c->events().back().date);
    weeks += static_cast<double>((to - *c->course_started_on()).days() + 1) / 7.0;
    for (const auto& [day, contact] : c->contacts()) {
      if (day > to) continue;
      ++contacts;
      minutes += contact->actual_minutes;
    }
  }
  return {contacts / weeks, minutes / weeks};
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

TEST_CASE("synthetic dates that would leave the calendar are refused up front, naming the option",
          "[synthetic][errors]") {
  // A story looks up to 12 months past the observation date (a consent given on it), and the
  // calendar ends on 2200-12-31: orders in 2200 were refused only deep inside a story, by the
  // first date past it ("end = 2201-06-22" of a grant, a holiday lookup of 2201-01-09).
  synthetic_options options = small(20, 1);
  options.first_order = date(2200, 1, 1);
  options.last_order = date(2200, 12, 31);
  CHECK_THROWS_MATCHES(
      options.validate(), out_of_range_error,
      Catch::Matchers::Message("last_order = 2200-12-31: a consent given on the observation date "
                               "runs 12 months, and the calendar ends on 2200-12-31: at most "
                               "2199-12-31"));
  CHECK_THROWS_AS(generate_courses(options), out_of_range_error);
  options.first_order = options.last_order = date(2199, 1, 1);
  options.observation = date(2200, 1, 1);
  CHECK_THROWS_WITH(options.validate(), Catch::StartsWith("observation = 2200-01-01: "));
  // The last observation date allowed: every course made stays in the calendar.
  options.first_order = date(2199, 1, 1);
  options.last_order = date(2199, 12, 31);
  options.observation = date(2199, 12, 31);
  options.courses = 300;
  const auto courses = generate_courses(options);
  CHECK(courses.size() == 300);
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

// One test case of six sections: ctest runs each test case in a process of its own, and the
// sections share the 4,000 courses of synth_effect_courses(), which are then generated once per
// run instead of six times (13 s each under the sanitizers).
TEST_CASE("a synthetic municipality of 4,000 courses covers the model and shows the stated effects",
          "[synthetic][effects]") {
  SECTION("the synthetic municipality covers every part of the model") {
    const auto& courses = synth_effect_courses();
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

  SECTION("municipalities and providers differ by their stated effects") {
    // docs/synthetic.md, "Effects": Aarhus (751) is job-first and uses warm handovers, København
    // (101) less job-oriented; provider 2 of each municipality is job-first, intensive and hands
    // over warmly, provider 3 light-touch.
    const auto& courses = synth_effect_courses();
    std::map<int, std::vector<const course*>> by_municipality;
    std::map<int, std::vector<const course*>> by_provider;
    std::map<int, std::set<std::string>> providers_of;
    for (const auto& c : courses) {
      const int code = c.order().municipality.value();
      by_municipality[code].push_back(&c);
      const int k = synth_provider_number(c);
      if (k == 0) {  // observed before its first grant
        CHECK(c.grants().empty());
        continue;
      }
      by_provider[k].push_back(&c);
      for (const auto& g : c.grant_usage_by_grant()) {
        REQUIRE(g.provider);
        CHECK(g.provider->str() == "lev-" + std::to_string(code) + "-" + std::to_string(k));
        providers_of[code].insert(g.provider->str());
        CHECK(c.provider_on(g.start) == g.provider);
      }
    }
    REQUIRE(by_municipality.size() == 5);
    for (const auto& [code, ids] : providers_of) CHECK(ids.size() >= 2);
    CHECK(providers_of[101].size() == 3);
    CHECK(providers_of[751].size() == 3);
    REQUIRE(by_provider.size() == 3);  // 1, 2 and 3

    // Outcome mix: job closures.
    const auto job = [](const std::vector<const course*>& cs) {
      return synth_rate(cs, "closure.job");
    };
    CHECK(job(by_municipality[751]) > job(by_municipality[101]) + 0.025);
    CHECK(job(by_provider[2]) > job(by_provider[1]) + 0.02);
    CHECK(job(by_provider[1]) > job(by_provider[3]) + 0.02);
    // Handover practice: the share of warm handovers.
    const auto warm = [](const std::vector<const course*>& cs) {
      return synth_rate(cs, "handover.warm");
    };
    CHECK(warm(by_municipality[751]) > warm(by_municipality[461]) + 0.05);
    CHECK(warm(by_provider[2]) > warm(by_provider[1]) + 0.05);
    CHECK(warm(by_provider[1]) > warm(by_provider[3]) + 0.05);
    // Intensity: contacts and minutes a week.
    const auto p1 = synth_intensity_of(by_provider[1]);
    const auto p2 = synth_intensity_of(by_provider[2]);
    const auto p3 = synth_intensity_of(by_provider[3]);
    CHECK(p2.minutes_per_week > p1.minutes_per_week * 1.1);
    CHECK(p1.minutes_per_week > p3.minutes_per_week * 1.1);
    CHECK(p2.contacts_per_week > p1.contacts_per_week);
    CHECK(p1.contacts_per_week > p3.contacts_per_week);
    CHECK(synth_intensity_of(by_municipality[751]).minutes_per_week >
          synth_intensity_of(by_municipality[561]).minutes_per_week * 1.1);
  }

  SECTION("every synthetic grant's hours granted stop at closure") {
    int closed = 0;
    int trimmed = 0;
    for (const auto& c : synth_effect_courses()) {
      if (!c.closed_on()) continue;
      ++closed;
      bool any_trimmed = false;
      for (const auto& g : c.grant_usage_by_grant()) {
        CHECK(g.counted_to <= *c.closed_on());
        CHECK(g.hours_granted <= g.hours_planned + 1e-9);
        any_trimmed = any_trimmed || g.counted_to < g.end;
      }
      trimmed += any_trimmed ? 1 : 0;
    }
    CHECK(closed > 3000);
    CHECK(trimmed > closed / 2);  // most courses close before their last grant's planned end
  }

  SECTION("synthetic starts end on any day, in and after the course, and statuses follow closure") {
    const auto& courses = synth_effect_courses();
    const date observation = small(1, 1).observation_date();
    std::array<int, 7> end_weekdays{};
    std::map<start_end_cause, int> causes;
    int ended_open = 0;
    int ended_after_closure = 0;
    int dropped_in_course = 0;
    int dropped_after_closure = 0;
    int observed_past_12_months = 0;
    int statuses = 0;
    int from_register = 0;
    std::array<int, 4> at_month{};  // statuses near 1, 3, 6 and 12 months after closure
    for (const auto& c : courses) {
      CHECK(c.events().back().date <= observation);
      for (const auto& s : c.starts()) {
        if (s.end && !s.superseded) {
          ++end_weekdays[s.end->day_of_week().as_number()];
          ++causes[*s.cause];
          const bool after = c.phase_on(*s.end) == phase::closed;
          (after ? ended_after_closure : ended_open) += 1;
          if (*s.cause == start_end_cause::education_dropped)
            (after ? dropped_after_closure : dropped_in_course) += 1;
          // (A course reopened after the end and still open has no follow-up yet.)
          if (after && c.closed_on()) CHECK(*s.end <= *c.follow_up_ends_on());
        }
        if (c.events().back().date >= add_months(s.start, 12) &&
            (!s.end || *s.end >= add_months(s.start, 12)))
          ++observed_past_12_months;
      }
      for (const auto& f : c.statuses_after_closure()) {
        ++statuses;
        from_register += f.source == status_source::register_data ? 1 : 0;
        for (std::size_t m = 0; m < 4; ++m) {
          const int months = std::array{1, 3, 6, 12}[m];
          const date target = add_months(f.closed_on, months);
          if (f.on <= target && f.on >= target - boost::gregorian::days(6)) ++at_month[m];
        }
        // A start still going on the status date decides it.
        for (const auto& s : c.starts()) {
          if (s.start <= f.on && (!s.end || *s.end >= f.on)) {
            CHECK(f.status == (s.type == start_type::education ? followup_status::in_education
                                                               : followup_status::in_work));
          }
        }
      }
    }
    for (const int n : end_weekdays) CHECK(n > 20);  // not in steps of whole weeks
    CHECK(ended_open > 200);
    CHECK(ended_after_closure > 200);
    CHECK(dropped_in_course > 20);
    CHECK(dropped_after_closure > 20);
    CHECK(causes.size() == enum_traits<start_end_cause>::names.size());
    CHECK(observed_past_12_months > 200);  // 12-month retention can be estimated
    CHECK(statuses > 8000);
    CHECK(from_register > statuses * 8 / 10);
    for (const int n : at_month) CHECK(n > 1500);
  }

  SECTION("synthetic stage movement depends on the stage, the behaviour and the alliance") {
    // Per reassessment (docs/synthetic.md, "Effects"): moves forward by the stage it was in, by
    // behaviour, and by the course's mean alliance (session_scale) above or below the median.
    std::array<std::array<double, 2>, 5> by_stage{};  // forward moves, reassessments
    std::map<std::string, std::array<double, 2>> by_behaviour;
    std::vector<std::pair<double, std::array<double, 4>>> by_course;  // alliance; fwd, back, n
    for (const auto& c : synth_effect_courses()) {
      std::map<std::string, stage> last;
      std::array<double, 4> moves{};
      for (const auto& e : c.events()) {
        const auto* a = get_if<stage_assessed>(&e.data);
        if (a == nullptr) continue;
        if (const auto it = last.find(a->behaviour); it != last.end()) {
          const auto from = static_cast<std::size_t>(it->second);
          const bool forward = a->assessed > it->second;
          by_stage[from][0] += forward ? 1 : 0;
          ++by_stage[from][1];
          by_behaviour[a->behaviour][0] += forward ? 1 : 0;
          ++by_behaviour[a->behaviour][1];
          moves[0] += forward ? 1 : 0;
          moves[1] += a->assessed < it->second ? 1 : 0;
          ++moves[2];
        }
        last[a->behaviour] = a->assessed;
      }
      const auto ratings = c.ratings("session_scale");
      if (ratings.empty() || moves[2] == 0) continue;
      double total = 0;
      for (const auto& r : ratings) total += r.score.total;
      by_course.push_back({total / static_cast<double>(ratings.size()), moves});
    }
    const auto share = [](const std::array<double, 2>& a) { return a[0] / a[1]; };
    CHECK(share(by_stage[0]) < share(by_stage[1]));
    CHECK(share(by_stage[1]) < share(by_stage[2]));
    CHECK(share(by_stage[4]) == 0);  // maintenance is the last stage
    CHECK(share(by_behaviour["reduces_cannabis_use"]) + 0.05 <
          share(by_behaviour["uses_public_transport"]));
    CHECK(share(by_behaviour["manages_own_finances"]) + 0.05 <
          share(by_behaviour["opens_digital_post"]));

    std::sort(by_course.begin(), by_course.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::array<std::array<double, 3>, 2> halves{};
    for (std::size_t i = 0; i < by_course.size(); ++i) {
      auto& half = halves[i < by_course.size() / 2 ? 0 : 1];
      for (std::size_t k = 0; k < 3; ++k) half[k] += by_course[i].second[k];
    }
    REQUIRE(by_course.size() > 1000);
    CHECK(halves[1][0] / halves[1][2] > halves[0][0] / halves[0][2] + 0.03);  // forward
    CHECK(halves[1][1] / halves[1][2] < halves[0][1] / halves[0][2]);         // relapse
  }

  SECTION("after a warm handover between mentors the receiver meets the citizen within days") {
    std::vector<int> warm;
    std::vector<int> other;
    for (const auto& c : synth_effect_courses()) {
      for (const auto& h : c.handovers()) {
        if (h.from_role != party_role::mentor || h.to_role != party_role::mentor ||
            h.state != handover_state::acknowledged || !h.days_to_first_contact)
          continue;
        (h.type == handover_type::warm ? warm : other).push_back(*h.days_to_first_contact);
      }
    }
    REQUIRE(warm.size() > 100);
    REQUIRE(other.size() > 100);
    const auto median = [](std::vector<int> days) {
      std::nth_element(days.begin(), days.begin() + static_cast<std::ptrdiff_t>(days.size() / 2),
                       days.end());
      return days[days.size() / 2];
    };
    CHECK(median(warm) <= 3);
    CHECK(median(other) > median(warm));  // the others wait for the acknowledgement and a meeting
  }
}
