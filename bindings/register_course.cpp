#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "casters.hpp"
#include "columns.hpp"
#include "common.hpp"
#include "convert.hpp"
#include "mentorcore/course.hpp"
#include "mentorcore/detail/free_text.hpp"
#include "mentorcore/outcome.hpp"
#include "register.hpp"

namespace py = pybind11;

namespace mentorcore::python {
namespace {

event event_from_python(py::handle type, py::handle day, py::handle recorded_by,
                        const py::dict& fields) {
  const auto type_name = load<std::string>(type, "type");
  const auto index = event_type_index(type_name);
  if (!index) {
    std::string known;
    for_each_event_type([&](const auto& payload) {
      known += known.empty() ? "" : ", ";
      known += payload_traits<std::decay_t<decltype(payload)>>::name;
    });
    throw invalid_value_error("type", "\"" + type_name + "\"",
                              "unknown event type; expected one of: " + known);
  }
  event result{load<date>(day, "date"), load<staff_id>(recorded_by, "recorded_by"),
               course_resumed{}};
  std::size_t position = 0;
  for_each_event_type([&](const auto& tag) {
    if (position++ == *index) result.data = payload_from_dict<std::decay_t<decltype(tag)>>(fields);
  });
  // The one text rule (length, CPR-shaped numbers replaced) already here, so that an Event's
  // repr, to_dict and pickle never hold what a course would not store.
  (void)mentorcore::detail::accept_free_texts(result.data);
  return result;
}

py::dict event_fields(const event& e) {
  return visit([](const auto& payload) { return payload_to_dict(payload); }, e.data);
}

py::dict event_to_dict(const event& e) {
  py::dict result;
  result["type"] = std::string(e.type());
  result["date"] = dump(e.date);
  result["recorded_by"] = dump(e.recorded_by);
  for (const auto& item : event_fields(e)) result[item.first] = item.second;
  return result;
}

event event_from_dict(py::handle given) {
  if (!PyDict_Check(given.ptr())) wrong_value("data", given, "a dict of event fields");
  const auto data = py::reinterpret_borrow<py::dict>(given);
  py::dict fields;
  for (const auto& item : data) {
    // Only str keys can name a field; any other key is kept for the field check to refuse.
    const bool own = PyUnicode_Check(item.first.ptr()) != 0 &&
                     (PyUnicode_CompareWithASCIIString(item.first.ptr(), "type") == 0 ||
                      PyUnicode_CompareWithASCIIString(item.first.ptr(), "date") == 0 ||
                      PyUnicode_CompareWithASCIIString(item.first.ptr(), "recorded_by") == 0);
    if (!own) fields[item.first] = item.second;
  }
  const auto get = [&](const char* key) -> py::object {
    if (!data.contains(key))
      throw invalid_value_error(key, "missing", "every event has a type, a date and recorded_by");
    return data[key];
  };
  return event_from_python(get("type"), get("date"), get("recorded_by"), fields);
}

std::string event_repr(const event& e) {
  std::string text = "Event('" + std::string(e.type()) +
                     "', date=" + std::string(py::repr(dump(e.date))) +
                     ", recorded_by=" + std::string(py::repr(dump(e.recorded_by)));
  for (const auto& item : event_fields(e)) {
    text += ", " + std::string(py::str(item.first)) + "=" + std::string(py::repr(item.second));
  }
  // Texts were redacted on the way in; a number is not (an Event not yet in a course may hold
  // any), so the repr is redacted whole: it is output.
  return mentorcore::detail::redact_personal_numbers(text + ")");
}

// Python holds reference data as shared_ptr<reference_data> (pybind11 has no const holders);
// no binding mutates it, so the course may share it as const.
std::shared_ptr<const reference_data> reference_or_builtin(
    const std::shared_ptr<reference_data>& given) {
  if (given) return given;
  return reference_data::builtin();
}

std::vector<event> events_from_sequence(py::handle events) {
  if (!py::isinstance<py::iterable>(events) || PyUnicode_Check(events.ptr())) {
    wrong_value("events", events, "an iterable of Event");
  }
  std::vector<event> result;
  std::size_t index = 0;
  iterate_python(events, "events", "an iterable of Event", [&] {
    for (const auto item : events) {
      try {
        result.push_back(py::cast<event>(item));
      } catch (const py::cast_error&) {
        wrong_value("events[" + std::to_string(index) + "]", item, "an Event");
      }
      ++index;
    }
  });
  return result;
}

py::array_t<std::int64_t> epoch_days(const std::vector<date>& days) {
  py::array_t<std::int64_t> result(static_cast<py::ssize_t>(days.size()));
  auto out = result.mutable_unchecked<1>();
  for (py::ssize_t i = 0; i < out.shape(0); ++i)
    out(i) = epoch_day(days[static_cast<std::size_t>(i)]);
  return result;
}

// The contacts of a course as columns: codes for enums, so pandas can build categoricals
// without a Python call per row.
py::dict contact_columns(const course& c) {
  const auto contacts = c.contacts();
  const auto n = static_cast<py::ssize_t>(contacts.size());
  std::vector<date> days;
  py::array_t<std::int8_t> where(n);
  py::array_t<std::int8_t> attended(n);
  py::array_t<std::int8_t> non_billable(n);
  py::array_t<std::int32_t> planned(n);
  py::array_t<std::int32_t> actual(n);
  py::array_t<bool> billable(n);
  py::list mentors;
  auto where_out = where.mutable_unchecked<1>();
  auto attended_out = attended.mutable_unchecked<1>();
  auto non_billable_out = non_billable.mutable_unchecked<1>();
  auto planned_out = planned.mutable_unchecked<1>();
  auto actual_out = actual.mutable_unchecked<1>();
  auto billable_out = billable.mutable_unchecked<1>();
  for (py::ssize_t i = 0; i < n; ++i) {
    const auto& [day, contact] = contacts[static_cast<std::size_t>(i)];
    days.push_back(day);
    where_out(i) = static_cast<std::int8_t>(contact->where);
    attended_out(i) = static_cast<std::int8_t>(contact->attended);
    non_billable_out(i) =
        contact->non_billable ? static_cast<std::int8_t>(*contact->non_billable) : std::int8_t{-1};
    planned_out(i) = contact->planned_minutes;
    actual_out(i) = contact->actual_minutes;
    billable_out(i) = contact->billable;
    mentors.append(contact->mentor.str());
  }
  py::dict columns;
  columns["epoch_day"] = epoch_days(days);
  columns["mentor"] = mentors;
  columns["location"] = where;
  columns["attendance"] = attended;
  columns["planned_minutes"] = planned;
  columns["actual_minutes"] = actual;
  columns["billable"] = billable;
  columns["non_billable_reason"] = non_billable;
  return columns;
}

// The weeks of usage_by_week(as_of), with the hours the grants plan for each week (as if the
// course never closed) and the provider of the grant in force longest that week.
py::dict week_columns(const course& c, const std::optional<date>& as_of) {
  const auto weeks = c.usage_by_week(as_of);
  const auto grants = c.grants();
  const auto n = static_cast<py::ssize_t>(weeks.size());
  std::vector<date> mondays;
  py::array_t<std::int32_t> years(n);
  py::array_t<std::int32_t> numbers(n);
  py::array_t<double> granted(n);
  py::array_t<double> delivered(n);
  py::array_t<double> planned(n);
  std::vector<std::optional<provider_id>> providers;
  auto years_out = years.mutable_unchecked<1>();
  auto numbers_out = numbers.mutable_unchecked<1>();
  auto granted_out = granted.mutable_unchecked<1>();
  auto delivered_out = delivered.mutable_unchecked<1>();
  auto planned_out = planned.mutable_unchecked<1>();
  for (py::ssize_t i = 0; i < n; ++i) {
    const auto& week = weeks[static_cast<std::size_t>(i)];
    mondays.push_back(week.monday);
    years_out(i) = week.iso_year;
    numbers_out(i) = week.iso_week;
    granted_out(i) = week.hours_granted;
    delivered_out(i) = week.hours_delivered;
    const date sunday = week.monday + boost::gregorian::days(6);
    double week_planned = 0;
    long longest = 0;
    std::optional<provider_id> provider;
    for (const auto* g : grants) {
      const date from = std::max(g->start, week.monday);
      const date to = std::min(g->end, sunday);
      if (to < from) continue;
      const long days = (to - from).days() + 1;
      week_planned += g->hours_per_week * static_cast<double>(days) / 7.0;
      if (days >= longest) {  // on a tie the later grant, which took over
        longest = days;
        provider = g->provider;
      }
    }
    planned_out(i) = week_planned;
    providers.push_back(std::move(provider));
  }
  py::dict columns;
  columns["epoch_day"] = epoch_days(mondays);
  columns["iso_year"] = years;
  columns["iso_week"] = numbers;
  columns["hours_granted"] = granted;
  columns["hours_delivered"] = delivered;
  columns["hours_planned"] = planned;
  columns["provider"] = column(providers);
  return columns;
}

template <class T>
py::object plain(const T& value) {
  if constexpr (named_enum<T>) {
    return py::str(std::string(to_string(value)));
  } else if constexpr (requires { value.has_value(); }) {
    return value ? plain(*value) : py::none();
  } else {
    return dump(value);
  }
}

// Every event as a row: seq, epoch_day, type, recorded_by, then one column per field name seen
// (in order of first appearance), None where an event type has no such field. Enums are names.
py::dict event_columns(const course& c) {
  const auto& events = c.events();
  std::vector<date> days;
  py::list types;
  py::list authors;
  std::vector<std::pair<std::string, py::list>> fields;
  for (std::size_t row = 0; row < events.size(); ++row) {
    const auto& e = events[row];
    days.push_back(e.date);
    types.append(std::string(e.type()));
    authors.append(e.recorded_by.str());
    visit(
        [&](const auto& payload) {
          for_each_field(payload, [&](std::string_view name, const auto& member, bool) {
            auto it = std::find_if(fields.begin(), fields.end(),
                                   [&](const auto& f) { return f.first == name; });
            if (it == fields.end()) {
              py::list column;
              for (std::size_t i = 0; i < row; ++i) column.append(py::none());
              fields.emplace_back(std::string(name), column);
              it = std::prev(fields.end());
            }
            it->second.append(plain(member));
          });
        },
        e.data);
    for (auto& [name, column] : fields) {
      if (column.size() == row) column.append(py::none());
    }
  }
  py::dict columns;
  columns["epoch_day"] = epoch_days(days);
  columns["type"] = types;
  columns["recorded_by"] = authors;
  for (auto& [name, column] : fields) columns[py::str(name)] = column;
  return columns;
}

// The outcome of a StartType, ClarificationOutcome or ClosureReason member, or of the name of a
// value of any of the three (a name two of them share, such as "job", means the same outcome in
// each: outcome.hpp).
outcome outcome_of_python_value(py::handle value) {
  constexpr std::string_view expected =
      "a StartType, ClarificationOutcome or ClosureReason, or the name of one";
  if (PyUnicode_Check(value.ptr()) != 0) {
    const std::string name = load_text(value, "value", expected);
    std::optional<outcome> found;
    std::vector<std::string_view> known;
    const auto look_up = [&](auto vocabulary) {
      for (const auto member : all_values<decltype(vocabulary)>()) {
        const auto member_name = to_string(member);
        if (member_name == name) found = outcome_of(member);
        if (std::find(known.begin(), known.end(), member_name) == known.end())
          known.push_back(member_name);
      }
    };
    look_up(start_type{});
    look_up(clarification_outcome{});
    look_up(closure_reason{});
    if (found) return *found;
    std::string names;
    for (const auto known_name : known) {
      names += names.empty() ? "" : ", ";
      names += known_name;
    }
    throw invalid_value_error("value", python_value_text(value),
                              "unknown value; expected one of: " + names);
  }
  try {
    return outcome_of(py::cast<start_type>(value));
  } catch (const py::cast_error&) {
  }
  try {
    return outcome_of(py::cast<clarification_outcome>(value));
  } catch (const py::cast_error&) {
  }
  try {
    return outcome_of(py::cast<closure_reason>(value));
  } catch (const py::cast_error&) {
  }
  wrong_value("value", value, expected);
}

reporting_policy make_reporting_policy(py::handle first, py::handle every, py::handle final_days,
                                       const deadline_policy& deadlines) {
  reporting_policy policy;
  policy.first_report_working_days = load<int>(first, "first_report_working_days");
  policy.report_every_months = load<int>(every, "report_every_months");
  policy.final_report_working_days = load<int>(final_days, "final_report_working_days");
  policy.deadlines = deadlines;
  return policy;
}

}  // namespace

void register_course(py::module_& m) {
  bind_enum<phase>(m, "Phase", "The phase a course is in.");
  bind_enum<pause_reason>(m, "PauseReason", "Why a course is paused.");
  bind_enum<start_type>(m, "StartType", "The kind of start in work or education.");
  bind_enum<clarification_outcome>(m, "ClarificationOutcome",
                                   "The goal a clarification concluded on.");
  bind_enum<closure_reason>(m, "ClosureReason", "Why a course was closed.");
  bind_enum<start_end_cause>(m, "StartEndCause", "Why a start in work or education ended.");
  bind_enum<followup_status>(m, "FollowupStatus",
                             "The citizen's status on a date after the course closed.");
  bind_enum<status_source>(m, "StatusSource", "Where a status after closure comes from.");
  bind_enum<outcome>(m, "Outcome", "Where a citizen goes: the common outcome vocabulary.");
  bind_enum<milestone>(m, "Milestone", "Steps on the independence ladder.");
  bind_enum<location>(m, "Location", "Where a contact took place.");
  bind_enum<attendance>(m, "Attendance", "Whether the citizen attended.");
  bind_enum<non_billable_reason>(m, "NonBillableReason", "Why a contact's time is not billable.");
  bind_enum<reference_kind>(m, "ReferenceKind", "The tables of reference data.");

  m.def(
      "phase_change_allowed",
      [](py::handle from, py::handle to) {
        return phase_change_allowed(load<phase>(from, "from"), load<phase>(to, "to"));
      },
      py::arg("from_phase"), py::arg("to_phase"),
      "Whether a phase_changed event may move a course between these phases.");
  m.def(
      "in_person", [](py::handle where) { return in_person(load<location>(where, "location")); },
      py::arg("location"), "Whether a contact at this location meets in person.");

  m.def("outcome_of", &outcome_of_python_value, py::arg("value"),
        "The outcome of a StartType, ClarificationOutcome or ClosureReason, or of its name.");
  m.def(
      "followup_status_of",
      [](py::handle value) { return followup_status_of(load<outcome>(value, "outcome")); },
      py::arg("outcome"), "The status after closure an outcome is counted in, while it lasts.");
  m.def(
      "is_work_or_education",
      [](py::handle value) { return is_work_or_education(load<outcome>(value, "outcome")); },
      py::arg("outcome"), "Whether an outcome is a start in work or education.");

  m.def("event_types", [] {
    py::dict types;
    for_each_event_type([&](const auto& payload) {
      using P = std::decay_t<decltype(payload)>;
      py::list fields;
      P sample{};
      for_each_field(sample, [&](std::string_view name, auto&, bool required) {
        fields.append(py::make_tuple(std::string(name), required));
      });
      types[py::str(std::string(payload_traits<P>::name))] = fields;
    });
    return types;
  });

  py::class_<event>(m, "Event")
      .def(py::init([](py::handle type, py::handle day, py::handle recorded_by,
                       const py::kwargs& fields) {
             return event_from_python(type, day, recorded_by, fields);
           }),
           py::arg("type"), py::arg("date"), py::arg("recorded_by"))
      .def_static("from_dict", &event_from_dict, py::arg("data"))
      .def_property_readonly("type", [](const event& e) { return std::string(e.type()); })
      .def_property_readonly("date", [](const event& e) { return e.date; })
      .def_property_readonly("recorded_by", [](const event& e) { return e.recorded_by.str(); })
      .def_property_readonly("fields", &event_fields)
      .def("to_dict", &event_to_dict)
      .def("__getattr__",
           [](const event& e, const std::string& name) -> py::object {
             const auto fields = event_fields(e);
             if (fields.contains(name)) return fields[py::str(name)];
             throw py::attribute_error("'" + std::string(e.type()) + "' event has no field '" +
                                       name + "'");
           })
      .def(
          "__eq__", [](const event& a, const event& b) { return a == b; }, py::is_operator())
      .def("__repr__", &event_repr)
      .def(py::pickle(
          [](const event& e) -> py::object { return py::make_tuple(1, event_to_dict(e)); },
          [](const py::object& pickled) {
            const py::tuple state = check_pickle_state(pickled, 2, 1, "Event");
            if (!PyDict_Check(state[1].ptr()))
              wrong_value("pickle", state[1], "a dict of event fields");
            return event_from_dict(state[1]);
          }));

  py::class_<reference_data, std::shared_ptr<reference_data>>(m, "ReferenceData")
      .def(py::init<>())
      .def_static("builtin",
                  [] { return std::const_pointer_cast<reference_data>(reference_data::builtin()); })
      .def_static(
          "from_json",
          [](py::handle text, py::handle source) {
            return reference_data::from_json(load<std::string>(text, "text"),
                                             load<std::string>(source, "source"));
          },
          py::arg("text"), py::arg("source") = "<string>")
      .def_static(
          "from_json_file",
          [](py::handle path) { return reference_data::from_json_file(load_path(path, "path")); },
          py::arg("path"))
      .def(
          "with_instruments",
          [](const reference_data& data, py::handle instruments) {
            if (!py::isinstance<py::iterable>(instruments))
              wrong_value("instruments", instruments, "a list of Instrument");
            reference_data copy = data;
            std::size_t index = 0;
            iterate_python(instruments, "instruments", "a list of Instrument", [&] {
              for (const auto item : instruments) {
                try {
                  copy.add_instrument(py::cast<instrument>(item));
                } catch (const py::cast_error&) {
                  wrong_value("instruments[" + std::to_string(index) + "]", item, "an Instrument");
                }
                ++index;
              }
            });
            return copy;
          },
          py::arg("instruments"))
      .def_property_readonly("instruments", &reference_data::instruments)
      .def("extended", &reference_data::extended, py::arg("more"))
      .def("entries",
           [](const reference_data& data) {
             py::list rows;
             for (const auto& entry : data.entries()) {
               rows.append(py::make_tuple(entry.kind, entry.code, entry.label, entry.valid_from,
                                          dump(std::optional<date>(entry.valid_to)),
                                          entry.max_grant_months, entry.source));
             }
             return rows;
           })
      .def("entry_columns",
           [](const reference_data& data) {
             return column_table(data.entries())
                 .add("kind", [](const reference_entry& e) { return e.kind; })
                 .add("code", [](const reference_entry& e) { return e.code; })
                 .add("label", [](const reference_entry& e) { return e.label; })
                 .add("valid_from", [](const reference_entry& e) { return e.valid_from; })
                 .add("valid_to",
                      [](const reference_entry& e) { return std::optional<date>(e.valid_to); })
                 .add("max_grant_months",
                      [](const reference_entry& e) { return e.max_grant_months; })
                 .add("source", [](const reference_entry& e) { return e.source; })
                 .done();
           })
      .def(
          "is_valid",
          [](const reference_data& data, py::handle kind, py::handle code, py::handle day) {
            return data.find(load<reference_kind>(kind, "kind"), load<std::string>(code, "code"),
                             load<date>(day, "date")) != nullptr;
          },
          py::arg("kind"), py::arg("code"), py::arg("date"))
      .def("to_json", &reference_data::to_json)
      .def("__len__", [](const reference_data& data) { return data.entries().size(); })
      // Pickled as (format_version, its JSON), read back through the same checks as a file.
      .def(py::pickle([](const reference_data& data)
                          -> py::object { return py::make_tuple(1, data.to_json()); },
                      [](const py::object& pickled) {
                        const py::tuple state = check_pickle_state(pickled, 2, 1, "ReferenceData");
                        return reference_data::from_json(load<std::string>(state[1], "pickle"),
                                                         "pickled reference data");
                      }))
      .def(
          "__eq__", [](const reference_data& a, const reference_data& b) { return a == b; },
          py::is_operator());

  py::class_<milestone_reached>(m, "MilestoneRecord", "An independence milestone reached.")
      .def_readonly("milestone", &milestone_reached::which)
      .def_readonly("date", &milestone_reached::on)
      .def_readonly("derived", &milestone_reached::derived);
  py::class_<course_warning>(m, "WarningRecord", "A warning about a course.")
      .def_readonly("code", &course_warning::code)
      .def_readonly("date", &course_warning::on)
      .def_readonly("message", &course_warning::message);

  py::class_<course> course_class(m, "Course");
  add_relationship_views(course_class);
  add_handover_views(course_class);
  add_frame_views(course_class);
  course_class
      .def(py::init([](const event& order, const std::shared_ptr<reference_data>& reference) {
             return course(order, reference_or_builtin(reference));
           }),
           py::arg("order"), py::arg("reference") = nullptr)
      .def_static(
          "replay",
          [](py::handle events, const std::shared_ptr<reference_data>& reference) {
            return course::replay(events_from_sequence(events), reference_or_builtin(reference));
          },
          py::arg("events"), py::arg("reference") = nullptr)
      .def("append", &course::append, py::arg("event"))
      .def(
          "as_of",
          [](const course& c, py::handle day) { return c.as_of(load<date>(day, "as_of")); },
          py::arg("date"))
      .def_property_readonly("events", &course::events)
      .def_property_readonly("reference",
                             [](const course& c) {
                               // The course shares its reference data; Python gets a copy it cannot
                               // change under it.
                               return std::make_shared<reference_data>(c.reference());
                             })
      .def_property_readonly("id", [](const course& c) { return c.id().str(); })
      .def_property_readonly("citizen", [](const course& c) { return c.citizen().str(); })
      .def_property_readonly("municipality",
                             [](const course& c) { return c.order().municipality.value(); })
      .def_property_readonly("phase", &course::current_phase)
      .def_property_readonly("ordered_on", &course::ordered_on)
      .def_property_readonly("started_on", &course::started_on)
      .def_property_readonly("course_started_on", &course::course_started_on)
      .def_property_readonly("first_job_or_education_start", &course::first_job_or_education_start)
      .def_property_readonly("observed_on", &course::observed_on)
      .def_property_readonly("follow_up_ends_on", &course::follow_up_ends_on)
      .def(
          "provider_on",
          [](const course& c, py::handle day) {
            return dump(c.provider_on(load<date>(day, "date")));
          },
          py::arg("date"))
      .def_property_readonly("closed_on", &course::closed_on)
      .def_property_readonly("closure_reason", &course::closure)
      .def_property_readonly("is_paused", &course::is_paused)
      .def(
          "phase_on",
          [](const course& c, py::handle day) { return c.phase_on(load<date>(day, "date")); },
          py::arg("date"))
      .def(
          "days_per_phase",
          [](const course& c, py::handle day) {
            const auto days = c.days_per_phase(load<date>(day, "as_of"));
            py::dict result;
            for (const auto which : all_values<phase>())
              result[py::cast(which)] = days[static_cast<std::size_t>(which)];
            return result;
          },
          py::arg("as_of"))
      .def(
          "weekly_usage_columns",
          [](const course& c, py::handle as_of) {
            return week_columns(c, load<std::optional<date>>(as_of, "as_of"));
          },
          py::arg("as_of") = py::none())
      .def("event_columns", &event_columns)
      .def("contact_columns", &contact_columns)
      .def("milestones", &course::milestones)
      .def(
          "next_report_due",
          [](const course& c, py::handle as_of, py::handle first, py::handle every,
             py::handle final_days, const deadline_policy& deadlines) {
            return c.next_report_due(load<date>(as_of, "as_of"),
                                     make_reporting_policy(first, every, final_days, deadlines));
          },
          py::arg("as_of"), py::arg("first_report_working_days"), py::arg("report_every_months"),
          py::arg("final_report_working_days"), py::arg("deadlines"))
      .def(
          "warnings",
          [](const course& c, py::handle day) { return c.warnings(load<date>(day, "as_of")); },
          py::arg("as_of"))
      .def(
          "__eq__", [](const course& a, const course& b) { return a == b; }, py::is_operator());
}

}  // namespace mentorcore::python
