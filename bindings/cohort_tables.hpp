#pragma once
// A cohort's table by its name, as Cohort.rows, Cohort.arrays and Cohort.arrow take it: one lookup,
// so every binding that takes a table name accepts the same names and refuses others alike.

#include <string>
#include <string_view>
#include <type_traits>

#include "mentorcore/analytics/cohort.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore::python {

/// Calls `visit(table)` with the table of `c` named `name`. An unknown name throws
/// invalid_value_error naming the field "table", the name and the tables there are.
template <class Visitor>
void with_cohort_table(const cohort& c, std::string_view name, Visitor&& visit) {
  bool found = false;
  c.for_each_table([&](const auto& table) {
    if (table_traits<std::decay_t<decltype(table)>>::name == name) {
      found = true;
      visit(table);
    }
  });
  if (!found) {
    std::string names;
    for (const auto table : cohort::table_names()) {
      if (!names.empty()) names += ", ";
      names += table;
    }
    throw invalid_value_error("table", "\"" + std::string(name) + "\"",
                              "no such table; the tables are " + names);
  }
}

}  // namespace mentorcore::python
