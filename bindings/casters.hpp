#pragma once
// Conversions between C++ value types and Python objects.
//
// mentorcore::date <-> datetime.date. Only a datetime.date is accepted: a datetime.datetime
// (or pandas.Timestamp) would silently lose its time of day, and strings are not dates.

#include <stdexcept>
#include <string>

#include <pybind11/pybind11.h>

#include <datetime.h>

#include "mentorcore/date.hpp"
#include "mentorcore/error.hpp"

namespace pybind11::detail {

template <>
struct type_caster<boost::gregorian::date> {
 public:
  PYBIND11_TYPE_CASTER(boost::gregorian::date, const_name("datetime.date"));

  bool load(handle source, bool /*convert*/) {
    ensure_datetime_api();
    if (!source || !PyDate_Check(source.ptr()) || PyDateTime_Check(source.ptr())) return false;
    const int year = PyDateTime_GET_YEAR(source.ptr());
    const int month = PyDateTime_GET_MONTH(source.ptr());
    const int day = PyDateTime_GET_DAY(source.ptr());
    try {
      value = boost::gregorian::date(static_cast<unsigned short>(year), static_cast<unsigned short>(month),
                                     static_cast<unsigned short>(day));
    } catch (const std::out_of_range&) {
      throw mentorcore::out_of_range_error("date", std::string(str(source)),
                                           "outside the dates mentorcore can represent (1400-9999)");
    }
    return true;
  }

  static handle cast(const boost::gregorian::date& day, return_value_policy, handle) {
    ensure_datetime_api();
    mentorcore::require_real_date(day, "date");
    return PyDate_FromDate(day.year(), day.month().as_number(), day.day().as_number());
  }

 private:
  static void ensure_datetime_api() {
    if (!PyDateTimeAPI) {
      PyDateTime_IMPORT;
    }
    if (!PyDateTimeAPI) throw error_already_set();
  }
};

}  // namespace pybind11::detail
