#include <cstdint>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "casters.hpp"
#include "common.hpp"
#include "convert.hpp"
#include "mentorcore/calendar.hpp"
#include "register.hpp"

namespace py = pybind11;

namespace mentorcore::python {
namespace {

constexpr int pickle_format_version = 1;

// Every day from `start` to `end` as columns: bulk data leaves as NumPy arrays, filled in one
// C++ loop, never by per-day Python calls.
py::dict day_table(date start, date end, const deadline_policy& policy) {
  require_calendar_day(start, "start");  // both ends, before anything is allocated
  require_calendar_day(end, "end");
  if (end < start) {
    throw invalid_value_error("end", to_iso(end), "before start " + to_iso(start));
  }
  const auto count = static_cast<py::ssize_t>((end - start).days() + 1);
  py::array_t<std::int64_t> epoch_days(count);
  py::array_t<std::int8_t> holiday_code(count);
  py::array_t<bool> holiday(count);
  py::array_t<bool> working(count);
  py::array_t<std::int16_t> iso_year(count);
  py::array_t<std::int8_t> iso_week_number(count);
  py::array_t<std::int8_t> iso_weekday(count);
  auto epoch_days_out = epoch_days.mutable_unchecked<1>();
  auto holiday_code_out = holiday_code.mutable_unchecked<1>();
  auto holiday_out = holiday.mutable_unchecked<1>();
  auto working_out = working.mutable_unchecked<1>();
  auto iso_year_out = iso_year.mutable_unchecked<1>();
  auto iso_week_out = iso_week_number.mutable_unchecked<1>();
  auto iso_weekday_out = iso_weekday.mutable_unchecked<1>();
  {
    py::gil_scoped_release release;
    date day = start;
    for (py::ssize_t i = 0; i < count; ++i, day += boost::gregorian::days(1)) {
      const auto kind = holiday_on(day);
      const auto week = iso_week(day);
      epoch_days_out(i) = epoch_day(day);
      holiday_code_out(i) = kind ? static_cast<std::int8_t>(*kind) : std::int8_t{-1};
      holiday_out(i) = is_holiday(day);
      working_out(i) = is_working_day(day, policy);
      iso_year_out(i) = static_cast<std::int16_t>(week.year);
      iso_week_out(i) = static_cast<std::int8_t>(week.week);
      iso_weekday_out(i) = static_cast<std::int8_t>(week.weekday);
    }
  }
  py::dict columns;
  columns["epoch_day"] = epoch_days;
  columns["holiday_code"] = holiday_code;
  columns["is_holiday"] = holiday;
  columns["is_working_day"] = working;
  columns["iso_year"] = iso_year;
  columns["iso_week"] = iso_week_number;
  columns["iso_weekday"] = iso_weekday;
  return columns;
}

std::vector<date> closing_days_from_pickle(py::handle days) {
  if (!py::isinstance<py::list>(days)) wrong_value("pickle", days, "a list of datetime.date");
  std::vector<date> result;
  for (const auto day : days) result.push_back(load<date>(day, "pickle"));
  return result;
}

py::object optional_text(std::optional<std::string_view> text) {
  if (!text) return py::none();
  return py::str(text->data(), text->size());
}

}  // namespace

void register_calendar(py::module_& m) {
  m.attr("FIRST_YEAR") = first_calendar_year;
  m.attr("LAST_YEAR") = last_calendar_year;

  bind_enum<holiday_kind>(m, "HolidayKind", "The named Danish public holidays.");

  m.def(
      "danish_name", [](holiday_kind kind) { return std::string(danish_name(kind)); },
      py::arg("kind"));

  py::class_<holiday>(m, "Holiday", "A named Danish public holiday.")
      .def(py::init([](date day, holiday_kind kind) {
             return holiday{day, kind};
           }),
           py::arg("date"), py::arg("kind"))
      .def_readonly("date", &holiday::date)
      .def_readonly("kind", &holiday::kind)
      .def_property_readonly("name", [](const holiday& h) { return std::string(h.name()); })
      .def(
          "__eq__", [](const holiday& a, const holiday& b) { return a == b; }, py::is_operator())
      .def("__hash__",
           [](const holiday& h) {
             return py::hash(py::make_tuple(py::cast(h.date), static_cast<int>(h.kind)));
           })
      .def("__repr__",
           [](const holiday& h) {
             return "Holiday(date=" + std::string(py::repr(py::cast(h.date))) + ", name='" +
                    std::string(h.name()) + "')";
           })
      .def(py::pickle(
          [](const holiday& h) -> py::object {
            return py::make_tuple(pickle_format_version, h.date, h.kind);
          },
          [](const py::object& pickled) {
            const py::tuple state =
                check_pickle_state(pickled, 3, pickle_format_version, "Holiday");
            return holiday{load<date>(state[1], "pickle"), load<holiday_kind>(state[2], "pickle")};
          }));

  py::class_<deadline_policy>(m, "DeadlinePolicy")
      .def(py::init([](bool constitution_day_closed, bool christmas_eve_closed,
                       bool new_years_eve_closed, const std::vector<date>& closing_days) {
             return deadline_policy{}
                 .with_constitution_day_closed(constitution_day_closed)
                 .with_christmas_eve_closed(christmas_eve_closed)
                 .with_new_years_eve_closed(new_years_eve_closed)
                 .with_closing_days(closing_days);
           }),
           py::kw_only(), py::arg("constitution_day_closed") = true,
           py::arg("christmas_eve_closed") = true, py::arg("new_years_eve_closed") = true,
           py::arg("closing_days") = std::vector<date>{})
      .def_property_readonly("constitution_day_closed", &deadline_policy::constitution_day_closed)
      .def_property_readonly("christmas_eve_closed", &deadline_policy::christmas_eve_closed)
      .def_property_readonly("new_years_eve_closed", &deadline_policy::new_years_eve_closed)
      .def_property_readonly("closing_days", &deadline_policy::closing_days)
      .def(
          "closing_reason",
          [](const deadline_policy& p, date day) { return optional_text(p.closing_reason(day)); },
          py::arg("day"))
      .def(
          "__eq__", [](const deadline_policy& a, const deadline_policy& b) { return a == b; },
          py::is_operator())
      .def(py::pickle(
          [](const deadline_policy& p) -> py::object {
            return py::make_tuple(pickle_format_version, p.constitution_day_closed(),
                                  p.christmas_eve_closed(), p.new_years_eve_closed(),
                                  p.closing_days());
          },
          [](const py::object& pickled) {
            const py::tuple state =
                check_pickle_state(pickled, 5, pickle_format_version, "DeadlinePolicy");
            return deadline_policy{}
                .with_constitution_day_closed(load<bool>(state[1], "pickle"))
                .with_christmas_eve_closed(load<bool>(state[2], "pickle"))
                .with_new_years_eve_closed(load<bool>(state[3], "pickle"))
                .with_closing_days(closing_days_from_pickle(state[4]));
          }));

  m.def("easter_sunday", &easter_sunday, py::arg("year"));
  m.def("holidays", &holidays, py::arg("year"));
  m.def("holiday_on", &holiday_on, py::arg("day"));
  m.def("is_holiday", &is_holiday, py::arg("day"));
  m.def(
      "non_working_reason",
      [](date day, const deadline_policy& policy) {
        return optional_text(non_working_reason(day, policy));
      },
      py::arg("day"), py::arg("policy"));
  m.def("is_working_day", &is_working_day, py::arg("day"), py::arg("policy"));
  m.def("next_working_day", &next_working_day, py::arg("day"), py::arg("policy"));
  m.def("previous_working_day", &previous_working_day, py::arg("day"), py::arg("policy"));
  m.def("roll_forward", &roll_forward, py::arg("day"), py::arg("policy"));
  m.def("add_working_days", &add_working_days, py::arg("day"), py::arg("days"), py::arg("policy"));
  m.def("working_days_between", &working_days_between, py::arg("start"), py::arg("end"),
        py::arg("policy"));
  m.def("add_months", &add_months, py::arg("day"), py::arg("months"));
  py::class_<iso_week_date>(m, "IsoWeekRecord", "An ISO 8601 week date.")
      .def_readonly("year", &iso_week_date::year)
      .def_readonly("week", &iso_week_date::week)
      .def_readonly("weekday", &iso_week_date::weekday);
  m.def("iso_week", &iso_week, py::arg("day"));
  m.def("day_table", &day_table, py::arg("start"), py::arg("end"), py::arg("policy"));
}

}  // namespace mentorcore::python
