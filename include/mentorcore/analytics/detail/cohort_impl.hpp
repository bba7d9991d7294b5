#pragma once
/// \file analytics/detail/cohort_impl.hpp
/// Definitions of the cohort: a course's rows, and the attribution of its mentor and provider.
///
/// Included by the concept header, inline, in the header-only model; compiled once into
/// mentorcore::io by src/model_analytics.cpp (MENTORCORE_DECL, detail/decl.hpp).

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "mentorcore/analytics/cohort.hpp"
#include "mentorcore/detail/decl.hpp"

namespace mentorcore {
namespace detail {

// Ratings compare with NaN (a first rating's change) equal to NaN: two cohorts of the same courses
// are equal.
MENTORCORE_DECL bool same_ratings(const rating_rows& a, const rating_rows& b) {
  const auto same_changes = [](const std::vector<float>& x, const std::vector<float>& y) {
    return std::equal(x.begin(), x.end(), y.begin(), y.end(),
                      [](float p, float q) { return p == q || (std::isnan(p) && std::isnan(q)); });
  };
  return a.offsets == b.offsets && a.date == b.date && a.instrument == b.instrument &&
         a.rater == b.rater && a.session == b.session && a.score == b.score &&
         a.cutoff == b.cutoff && same_changes(a.change_from_baseline, b.change_from_baseline) &&
         a.reliably_improved == b.reliably_improved && a.alert == b.alert;
}

}  // namespace detail

MENTORCORE_DECL std::optional<followup_status> status_after(
    std::span<const followup_record> records, const date& closed, int months) {
  const date target = add_months(closed, months);
  const date earliest = add_months(closed, months - 1);
  std::optional<followup_status> found;
  for (const auto& record : records) {
    if (record.closed_on != closed) continue;
    if (record.on > target) break;  // records are in date order
    if (record.on >= earliest) found = record.status;
  }
  return found;
}

MENTORCORE_DECL std::optional<staff_id> attributed_mentor(const course& c) {
  return attributed_mentor(c, c.handovers());
}

MENTORCORE_DECL std::optional<staff_id> attributed_mentor(
    const course& c, std::span<const handover_record> handovers) {
  struct hand_over_day {
    date day;
    const staff_id* mentor;
  };
  std::vector<hand_over_day> changes;
  for (const auto* g : c.grants()) changes.push_back({g->start, &g->mentor});
  for (const auto& h : handovers) {
    if (h.state == handover_state::acknowledged && h.to_role == party_role::mentor &&
        h.settled_on) {
      // The records may be a caller's own: a day that is no date (not_a_date_time) would count
      // a span of no days, or of any, as responsibility.
      changes.push_back({require_calendar_day(*h.settled_on, "settled_on"), &h.to});
    }
  }
  if (changes.empty()) return std::nullopt;
  std::stable_sort(changes.begin(), changes.end(),
                   [](const auto& a, const auto& b) { return a.day < b.day; });
  const date end = c.closed_on().value_or(c.events().back().date);
  // Mentors in the order they first became responsible, with their days.
  std::vector<std::pair<const staff_id*, long>> days;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const date until = i + 1 < changes.size() ? std::min(changes[i + 1].day, end) : end;
    const long span = std::max(0L, static_cast<long>((until - changes[i].day).days()));
    auto slot = std::find_if(days.begin(), days.end(),
                             [&](const auto& entry) { return *entry.first == *changes[i].mentor; });
    if (slot == days.end()) {
      days.emplace_back(changes[i].mentor, span);
    } else {
      slot->second += span;
    }
  }
  const auto* best = &days.front();
  for (const auto& entry : days) {
    if (entry.second > best->second) best = &entry;
  }
  return *best->first;
}

MENTORCORE_DECL std::optional<provider_id> attributed_provider(const course& c) {
  const date last = c.events().back().date;
  std::optional<provider_id> result;
  for (const auto* g : c.grants()) {
    if (g->provider && g->start <= last) result = g->provider;
  }
  return result;
}

MENTORCORE_DECL void cohort_builder::add(const course& c) {
  if (result_.dictionary(dictionary_kind::course).find(c.id().str())) {
    throw invalid_value_error("course", "\"" + c.id().str() + "\"",
                              "the course is in the cohort already");
  }
  // Everything or nothing: remember where every column and dictionary ended, and cut back to
  // that if adding a row fails part-way (only allocation, or a table outgrowing its 32-bit
  // offsets, can).
  const std::size_t courses_before = result_.size();
  auto& column_sizes = column_sizes_;
  column_sizes.clear();
  result_.for_each_table([&](const auto& table) {
    for_each_column(
        table, [&](const auto&, const auto& values) { column_sizes.push_back(values.size()); });
  });
  std::array<std::size_t, enum_traits<dictionary_kind>::names.size()> dictionary_sizes{};
  for (std::size_t i = 0; i < dictionary_sizes.size(); ++i)
    dictionary_sizes[i] = result_.dictionaries_[i].size();
  try {
    result_.append_rows(c);
  } catch (...) {
    std::size_t next = 0;
    result_.for_each_table([&](auto& table) {
      for_each_column(table,
                      [&](const auto&, auto& values) { values.resize(column_sizes[next++]); });
      if constexpr (grouped_by_course<std::decay_t<decltype(table)>>)
        table.offsets.resize(courses_before + 1);
    });
    for (std::size_t i = 0; i < dictionary_sizes.size(); ++i)
      result_.dictionaries_[i].truncate(dictionary_sizes[i]);
    throw;
  }
}

MENTORCORE_DECL cohort cohort_builder::finish() {
  // Columns grew by doubling; a finished cohort holds only its rows.
  result_.for_each_table([](auto& table) {
    for_each_column(table, [](const auto&, auto& values) { values.shrink_to_fit(); });
    if constexpr (grouped_by_course<std::decay_t<decltype(table)>>) table.offsets.shrink_to_fit();
  });
  for (auto& dictionary : result_.dictionaries_) dictionary.freeze();
  cohort done = std::move(result_);
  result_ = cohort();
  return done;
}

MENTORCORE_DECL cohort cohort::from_courses(std::span<const course> courses) {
  cohort_builder build;
  for (const auto& c : courses) build.add(c);
  return build.finish();
}

MENTORCORE_DECL void cohort::append_rows(const course& c) {
  using D = dictionary_kind;
  const auto& order = c.order();
  const auto optional_code = [&](D kind, const auto& id) {
    return id ? code(kind, id->str()) : missing_code;
  };
  const date last_event = c.events().back().date;
  // Each view a pass over the history, made once: the contacts and ratings feed their tables
  // and the handovers' measures, and the handovers both the mentor and their table.
  const auto contacts = c.contacts();
  const auto ratings = c.ratings();
  const auto handover_records = c.handovers_with(contacts, ratings);

  // courses
  auto& k = courses_;
  k.course.push_back(code(D::course, c.id().str()));
  k.citizen.push_back(code(D::citizen, order.citizen.str()));
  k.municipality.push_back(static_cast<std::int16_t>(order.municipality.value()));
  k.target_group.push_back(code(D::target_group, order.target_group));
  k.provider.push_back(optional_code(D::provider, attributed_provider(c)));
  k.caseworker.push_back(code(D::staff, order.caseworker.str()));
  k.mentor.push_back(optional_code(D::staff, attributed_mentor(c, handover_records)));
  k.ordered.push_back(to_day_number(c.ordered_on()));
  k.started.push_back(to_day_number(c.course_started_on()));
  k.closed.push_back(to_day_number(c.closed_on()));
  k.closure_reason.push_back(to_category(c.closure()));
  k.phase.push_back(to_category(c.current_phase()));
  const auto& starts = c.starts();
  if (starts.empty()) {
    k.first_start.push_back(missing_day);
    k.first_start_type.push_back(missing_category);
    k.first_start_end.push_back(missing_day);
    k.first_start_end_cause.push_back(missing_category);
  } else {
    // The spell the first start opened runs on through starts that took over from it.
    std::size_t last = 0;
    while (starts[last].superseded && last + 1 < starts.size()) ++last;
    k.first_start.push_back(to_day_number(starts.front().start));
    k.first_start_type.push_back(to_category(starts.front().type));
    k.first_start_end.push_back(to_day_number(starts[last].end));
    k.first_start_end_cause.push_back(to_category(starts[last].cause));
  }
  const auto& followups = c.statuses_after_closure();
  std::array<std::vector<std::int8_t>*, 4> status_columns = {&k.status_1m, &k.status_3m,
                                                             &k.status_6m, &k.status_12m};
  for (std::size_t i = 0; i < status_horizons_months.size(); ++i) {
    const auto status = c.closed_on()
                            ? status_after(followups, *c.closed_on(), status_horizons_months[i])
                            : std::nullopt;
    status_columns[i]->push_back(to_category(status));
  }
  long paused = 0;
  for (const auto& pause : c.pauses()) {
    paused +=
        std::max(0L, static_cast<long>((pause.end.value_or(last_event) - pause.start).days()));
  }
  k.days_paused.push_back(static_cast<std::int32_t>(paused));
  k.mentor_changes.push_back(c.mentor_changes());
  k.last_event.push_back(to_day_number(last_event));

  for (const auto& period : c.phases()) {
    phases_.phase.push_back(to_category(period.which));
    phases_.start.push_back(to_day_number(period.start));
    phases_.end.push_back(to_day_number(period.end));
  }
  for (const auto& pause : c.pauses()) {
    pauses_.start.push_back(to_day_number(pause.start));
    pauses_.end.push_back(to_day_number(pause.end));
    pauses_.reason.push_back(to_category(pause.reason));
  }

  // Grants up to their end in force: observed far enough that only the closure trims them.
  date horizon = last_event;
  for (const auto* g : c.grants()) horizon = std::max(horizon, g->end);
  for (const auto& usage : c.grant_usage_by_grant(horizon)) {
    grants_.grant.push_back(code(D::grant, usage.grant.str()));
    grants_.provider.push_back(optional_code(D::provider, usage.provider));
    grants_.legal_basis.push_back(code(D::legal_basis, usage.legal_basis));
    grants_.start.push_back(to_day_number(usage.start));
    grants_.planned_end.push_back(to_day_number(usage.end));
    grants_.end_in_force.push_back(to_day_number(usage.counted_to));
    grants_.hours_per_week.push_back(static_cast<float>(usage.hours_per_week));
    grants_.hours_granted.push_back(static_cast<float>(usage.hours_granted));
    grants_.hours_delivered.push_back(static_cast<float>(usage.hours_delivered));
  }

  for (const auto& [day, contact] : contacts) {
    contacts_.date.push_back(to_day_number(day));
    contacts_.mentor.push_back(code(D::staff, contact->mentor.str()));
    contacts_.location.push_back(to_category(contact->where));
    contacts_.attendance.push_back(to_category(contact->attended));
    // Minutes are 0-1440 (checked on append), so they fit 16 bits.
    contacts_.planned_minutes.push_back(static_cast<std::int16_t>(contact->planned_minutes));
    contacts_.actual_minutes.push_back(static_cast<std::int16_t>(contact->actual_minutes));
    contacts_.billable.push_back(contact->billable ? 1 : 0);
  }

  for (const auto& start : starts) {
    starts_.start.push_back(to_day_number(start.start));
    starts_.type.push_back(to_category(start.type));
    starts_.end.push_back(to_day_number(start.end));
    starts_.end_cause.push_back(to_category(start.cause));
    starts_.superseded.push_back(start.superseded ? 1 : 0);
  }
  for (const auto& record : followups) {
    statuses_.date.push_back(to_day_number(record.on));
    statuses_.status.push_back(to_category(record.status));
    statuses_.source.push_back(to_category(record.source));
    statuses_.closed.push_back(to_day_number(record.closed_on));
    statuses_.days_after_closure.push_back(record.days_after_closure);
  }
  append_relationship_rows(c, ratings);
  append_handover_rows(handover_records);
  close_course_rows();
}

MENTORCORE_DECL void cohort::close_course_rows() {
  // The course's rows end here in every table grouped by course.
  for_each_table([](auto& table) {
    if constexpr (grouped_by_course<std::decay_t<decltype(table)>>) {
      const std::size_t rows = row_count(table);
      if (rows > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
        throw out_of_range_error(std::string(table_traits<std::decay_t<decltype(table)>>::name),
                                 std::to_string(rows), "more rows than a cohort table can hold");
      }
      table.offsets.push_back(static_cast<std::int32_t>(rows));
    }
  });
}

MENTORCORE_DECL void cohort::append_relationship_rows(const course& c,
                                                      std::span<const scored_rating> ratings) {
  using D = dictionary_kind;
  for (const auto& [day, assessed] : c.stage_assessments()) {
    assessments_.date.push_back(to_day_number(day));
    assessments_.behaviour.push_back(code(D::behaviour, assessed->behaviour));
    assessments_.stage.push_back(to_category(assessed->assessed));
    assessments_.method.push_back(to_category(assessed->method));
    assessments_.assessor.push_back(code(D::staff, assessed->assessor.str()));
  }
  for (const auto& rating : ratings) {
    ratings_.date.push_back(to_day_number(rating.on));
    ratings_.instrument.push_back(code(D::instrument, rating.instrument));
    ratings_.rater.push_back(to_category(rating.rated_by));
    ratings_.session.push_back(static_cast<std::int16_t>(std::min(rating.session, 32767)));
    ratings_.score.push_back(static_cast<float>(rating.score.total));
    ratings_.cutoff.push_back(rating.score.clinical
                                  ? to_category(*rating.score.clinical ? cutoff_side::clinical
                                                                       : cutoff_side::non_clinical)
                                  : missing_category);
    ratings_.change_from_baseline.push_back(rating.from_baseline
                                                ? static_cast<float>(rating.from_baseline->change)
                                                : std::numeric_limits<float>::quiet_NaN());
    ratings_.reliably_improved.push_back(
        rating.from_baseline && rating.from_baseline->reliably_improved ? 1 : 0);
    const auto* definition = c.reference().find_instrument(rating.instrument);
    Expects(definition != nullptr);  // course::ratings scored it on this definition
    ratings_.alert.push_back(raises_rating_alert(*definition, rating) ? 1 : 0);
  }
  for (const auto& goal : c.goals()) {
    goals_.goal.push_back(code(D::goal, goal.id.str()));
    goals_.set_on.push_back(to_day_number(goal.set_on));
    goals_.status.push_back(to_category(goal.status));
    goals_.status_changed.push_back(to_day_number(goal.status_changed_on));
  }
  for (const auto& step : c.steps()) {
    steps_.step.push_back(code(D::step, step.id.str()));
    steps_.goal.push_back(code(D::goal, step.goal.str()));
    steps_.planned.push_back(to_day_number(step.planned_on));
    steps_.due.push_back(to_day_number(step.due));
    steps_.done.push_back(to_day_number(step.done_on));
    steps_.done_by.push_back(to_category(step.done_by));
  }
  for (const auto& reached : c.milestones()) {
    milestones_.milestone.push_back(to_category(reached.which));
    milestones_.date.push_back(to_day_number(reached.on));
    milestones_.derived.push_back(reached.derived ? 1 : 0);
  }
}

MENTORCORE_DECL void cohort::append_handover_rows(std::span<const handover_record> records) {
  for (const auto& h : records) {
    handovers_.handover.push_back(code(dictionary_kind::handover, h.id.str()));
    handovers_.date.push_back(to_day_number(h.made_on));
    handovers_.type.push_back(to_category(h.type));
    handovers_.sender_role.push_back(to_category(h.from_role));
    handovers_.receiver_role.push_back(to_category(h.to_role));
    handovers_.state.push_back(to_category(h.state));
    handovers_.settled.push_back(to_day_number(h.settled_on));
    handovers_.carried.push_back(static_cast<std::int32_t>(h.carried.size()));
    handovers_.withheld.push_back(static_cast<std::int32_t>(h.withheld.size()));
    handovers_.dropped.push_back(static_cast<std::int32_t>(h.dropped.size()));
    handovers_.days_to_first_contact.push_back(h.days_to_first_contact.value_or(missing_number));
    handovers_.no_shows_within_30_days.push_back(h.no_shows_within_30_days);
  }
}

MENTORCORE_DECL std::vector<std::string_view> cohort::table_names() {
  std::vector<std::string_view> names;
  cohort().for_each_table([&](const auto& table) {
    names.push_back(table_traits<std::decay_t<decltype(table)>>::name);
  });
  return names;
}

MENTORCORE_DECL std::size_t cohort::memory_bytes() const noexcept {
  std::size_t bytes = 0;
  for_each_table([&](const auto& table) { bytes += mentorcore::memory_bytes(table); });
  for (const auto& dictionary : dictionaries_) bytes += dictionary.memory_bytes();
  return bytes;
}

MENTORCORE_DECL std::optional<std::pair<date, date>> cohort::date_range() const {
  if (size() == 0) return std::nullopt;
  const auto first = *std::min_element(courses_.ordered.begin(), courses_.ordered.end());
  const auto last = *std::max_element(courses_.last_event.begin(), courses_.last_event.end());
  return std::pair{*from_day_number(first), *from_day_number(last)};
}

MENTORCORE_DECL bool operator==(const cohort& a, const cohort& b) {
  return a.courses_ == b.courses_ && a.phases_ == b.phases_ && a.pauses_ == b.pauses_ &&
         a.grants_ == b.grants_ && a.contacts_ == b.contacts_ && a.starts_ == b.starts_ &&
         a.statuses_ == b.statuses_ && a.assessments_ == b.assessments_ &&
         detail::same_ratings(a.ratings_, b.ratings_) && a.goals_ == b.goals_ &&
         a.steps_ == b.steps_ && a.milestones_ == b.milestones_ && a.handovers_ == b.handovers_ &&
         a.dictionaries_ == b.dictionaries_;
}

}  // namespace mentorcore
