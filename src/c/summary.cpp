// The summary of the C interface: the count tables of analytics/summary.hpp over the journal's
// cohort, for every course ordered by a day (one group), with their cells named as the Python
// CohortSummary names them.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "c_state.hpp"
#include "handles.hpp"
#include "mentorcore/analytics/cohort.hpp"
#include "mentorcore/analytics/columns.hpp"
#include "mentorcore/analytics/summary.hpp"
#include "mentorcore/c/mentorcore.h"
#include "mentorcore/date.hpp"
#include "mentorcore/enum.hpp"
#include "mentorcore/motivation.hpp"

namespace mentorcore::c_api {

/// The cells of a table of variable columns, sorted by name (as CohortSummary sorts them).
[[nodiscard]] inline mc_summary::table named_summary_table(std::string name,
                                                           std::vector<std::string> labels,
                                                           const count_table& counts) {
  mc_summary::table table{std::move(name), {}};
  table.cells.reserve(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    table.cells.push_back({std::move(labels[i]), counts.at(0, i)});
  }
  std::sort(table.cells.begin(), table.cells.end(),
            [](const mc_summary::cell& a, const mc_summary::cell& b) { return a.name < b.name; });
  return table;
}

/// Counts `c` as it stood on `as_of`: the courses ordered by then are one group.
[[nodiscard]] inline std::unique_ptr<mc_summary> summarise_cohort(const cohort& c,
                                                                  const date& as_of) {
  const day_number day = to_day_number(as_of);
  const std::vector<day_number>& ordered = c.courses().ordered;
  std::vector<std::int32_t> groups(ordered.size(), -1);
  std::size_t counted = 0;
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    if (ordered[i] != missing_day && ordered[i] <= day) {
      groups[i] = 0;
      ++counted;
    }
  }
  summary_options options;
  options.as_of = day;
  options.groups = groups;
  options.group_count = 1;
  options.threads = 1;  // the caller's thread: a host process decides about its threads
  const summary_counts counts = count_summary(c, options);

  auto result = std::make_unique<mc_summary>();
  result->as_of = to_iso(as_of);
  result->courses = counted;
  for (std::size_t t = 0; t < enum_traits<summary_table>::names.size(); ++t) {
    const auto table = static_cast<summary_table>(t);
    mc_summary::table named{std::string(to_string(table)), {}};
    const std::vector<std::string> cells = summary_cells(table);
    for (std::size_t i = 0; i < cells.size(); ++i) {
      named.cells.push_back({cells[i], counts[table].at(0, i)});
    }
    result->tables.push_back(std::move(named));
  }
  const string_dictionary& behaviours = c.dictionary(dictionary_kind::behaviour);
  std::vector<std::string> stage_labels;
  for (const stage_transition& t : counts.transitions) {
    stage_labels.push_back(std::string(behaviours[t.behaviour]) + ":" +
                           std::string(to_string(static_cast<stage>(t.from))) + ">" +
                           std::string(to_string(static_cast<stage>(t.to))));
  }
  result->tables.push_back(named_summary_table("stages", std::move(stage_labels), counts.stages));
  const string_dictionary& instruments = c.dictionary(dictionary_kind::instrument);
  std::vector<std::string> rating_labels;
  for (const std::int32_t code : counts.instruments) {
    for (const std::string_view measure : summary_rating_measures) {
      rating_labels.push_back(std::string(instruments[code]) + ":" + std::string(measure));
    }
  }
  result->tables.push_back(
      named_summary_table("ratings", std::move(rating_labels), counts.ratings));
  return result;
}

}  // namespace mentorcore::c_api

extern "C" {

mc_status mc_journal_summary(mc_journal* journal, const char* actor, const char* purpose,
                             const char* as_of, mc_summary** out) {
  return mentorcore::c_api::guarded([&] {
    const mentorcore::c_api::locked_journal j(journal);
    const mentorcore::journal_access who = mentorcore::c_api::require_access(actor, purpose);
    const mentorcore::date day =
        mentorcore::parse_iso_date(mentorcore::c_api::require_text(as_of, "as_of"), "as_of");
    mentorcore::c_api::require(out, "out");
    const mentorcore::cohort c = j->cohort(who);
    *out = mentorcore::c_api::summarise_cohort(c, day).release();
  });
}

void mc_summary_free(mc_summary* summary) {
  const std::unique_ptr<mc_summary> owned(summary);
}

mc_status mc_summary_course_count(const mc_summary* summary, size_t* out) {
  return mentorcore::c_api::guarded([&] {
    const mc_summary& s = *mentorcore::c_api::require(summary, "summary");
    mentorcore::c_api::require(out, "out");
    *out = s.courses;
  });
}

mc_status mc_summary_count(const mc_summary* summary, const char* table, const char* cell,
                           int64_t* out) {
  return mentorcore::c_api::guarded([&] {
    const mc_summary& s = *mentorcore::c_api::require(summary, "summary");
    const std::string_view table_name = mentorcore::c_api::require_text(table, "table");
    const std::string_view cell_name = mentorcore::c_api::require_text(cell, "cell");
    mentorcore::c_api::require(out, "out");
    const auto found =
        std::find_if(s.tables.begin(), s.tables.end(),
                     [&](const mc_summary::table& t) { return t.name == table_name; });
    if (found == s.tables.end()) {
      throw mentorcore::invalid_value_error("table", "\"" + std::string(table_name) + "\"",
                                            "no such table; docs/kpis.md lists them");
    }
    const auto at = std::find_if(found->cells.begin(), found->cells.end(),
                                 [&](const mc_summary::cell& c) { return c.name == cell_name; });
    if (at == found->cells.end()) {
      throw mentorcore::invalid_value_error(
          "cell", "\"" + std::string(cell_name) + "\"",
          "no such cell in table " + std::string(table_name) + " of this summary");
    }
    *out = at->count;
  });
}

mc_status mc_summary_json(const mc_summary* summary, char** out, size_t* len) {
  return mentorcore::c_api::guarded([&] {
    const mc_summary& s = *mentorcore::c_api::require(summary, "summary");
    mentorcore::c_api::require(out, "out");
    std::string text = R"({"as_of":)";
    mentorcore::c_api::append_json_string(text, s.as_of);
    text += R"(,"courses":)" + std::to_string(s.courses) + R"(,"tables":{)";
    bool first_table = true;
    for (const mc_summary::table& t : s.tables) {
      if (!first_table) text += ',';
      first_table = false;
      mentorcore::c_api::append_json_string(text, t.name);
      text += ":{";
      bool first_cell = true;
      for (const mc_summary::cell& c : t.cells) {
        if (!first_cell) text += ',';
        first_cell = false;
        mentorcore::c_api::append_json_string(text, c.name);
        text += ':' + std::to_string(c.count);
      }
      text += '}';
    }
    text += "}}";
    mentorcore::c_api::hand_over(text, out, len);
  });
}

}  // extern "C"
