// What the synthetic generator accepts (synthetic_options::validate) and the reference data its
// courses are checked against: the built-in data plus two generic rating scales.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "calibration.hpp"
#include "mentorcore/calendar.hpp"
#include "mentorcore/error.hpp"
#include "mentorcore/instrument.hpp"
#include "mentorcore/synthetic.hpp"

namespace mentorcore {

namespace {

constexpr std::size_t max_courses = 100'000'000;  // course ids stay below ten digits
const date earliest_order{2020, 1, 1};            // the built-in target groups' valid_from

}  // namespace

void synthetic_options::validate() const {
  if (courses < 1 || courses > max_courses) {
    throw invalid_value_error("courses", std::to_string(courses), "expected 1 to 100000000");
  }
  require_calendar_day(first_order, "first_order");
  require_calendar_day(last_order, "last_order");
  if (first_order < earliest_order) {
    throw invalid_value_error("first_order", to_iso(first_order),
                              "the built-in target groups are valid from 2020-01-01");
  }
  if (last_order < first_order) {
    throw invalid_value_error("last_order", to_iso(last_order),
                              "is before first_order " + to_iso(first_order));
  }
  if (observation) {
    require_calendar_day(*observation, "observation");
    if (*observation < last_order) {
      throw invalid_value_error("observation", to_iso(*observation),
                                "is before last_order " + to_iso(last_order) +
                                    ": every ordered course must be observable");
    }
    if (*observation > add_months(last_order, 120)) {
      throw invalid_value_error("observation", to_iso(*observation),
                                "more than ten years after last_order");
    }
  }
  // A story looks up to consent_valid_months past the day of an event it records, and records
  // up to the observation date: the calendar must reach that far past it. A later one was
  // refused only deep inside a story, by the first date past 2200-12-31 it made.
  const date last_observation =
      add_months(date(last_calendar_year, 12, 31), -detail::synthetic::consent_valid_months);
  if (observation_date() > last_observation) {
    throw out_of_range_error(observation ? "observation" : "last_order", to_iso(observation_date()),
                             "a consent given on the observation date runs " +
                                 std::to_string(detail::synthetic::consent_valid_months) +
                                 " months, and the calendar ends on " +
                                 std::to_string(last_calendar_year) + "-12-31: at most " +
                                 to_iso(last_observation));
  }
  if (threads > 1024)
    throw invalid_value_error("threads", std::to_string(threads), "expected 0-1024");
}

std::shared_ptr<const reference_data> synthetic_reference() {
  static const auto reference = [] {
    reference_data scales;
    scales.add_instrument(instrument("outcome_scale", "1",
                                     std::vector<item_bounds>(4, item_bounds{0, 10}), {},
                                     {{"adult", 25}, {"adolescent", 28}}, 5, true,
                                     {{alert_rule_kind::no_reliable_improvement, 1, 4}}));
    scales.add_instrument(instrument(
        "session_scale", "1", std::vector<item_bounds>(4, item_bounds{0, 10}), {}, {{"all", 36}}, 5,
        true,
        {{alert_rule_kind::below_cutoff, 1, 3}, {alert_rule_kind::drop_from_previous, 3, 3}}));
    return std::make_shared<const reference_data>(reference_data::builtin()->extended(scales));
  }();
  return reference;
}

}  // namespace mentorcore
