#pragma once
// Conversions between C++ value types and Python objects.
//
// mentorcore::date <-> datetime.date. Only a datetime.date is accepted: a datetime.datetime
// (or pandas.Timestamp) would silently lose its time of day, and strings are not dates.

#include <pybind11/pybind11.h>

#include "mentorcore/date.hpp"

namespace mentorcore::python {

// The CPython datetime C API keeps its function table in a per-translation-unit static
// (PyDateTimeAPI), so every use of it lives in datetime_api.cpp behind these functions.
bool is_date(PyObject* object);      ///< a datetime.date (datetime.datetime included)
bool is_datetime(PyObject* object);  ///< a datetime.datetime (or subclass such as pandas.Timestamp)
/// The date of a datetime.date; throws out_of_range_error naming "date" outside 1400-9999.
date date_of(PyObject* object);
/// A new datetime.date; throws for a special (not-a-date) value.
PyObject* new_date(const date& day);

}  // namespace mentorcore::python

namespace pybind11::detail {

template <>
struct type_caster<boost::gregorian::date> {
 public:
  PYBIND11_TYPE_CASTER(boost::gregorian::date, const_name("datetime.date"));

  bool load(handle source, bool /*convert*/) {
    if (!source || !mentorcore::python::is_date(source.ptr()) ||
        mentorcore::python::is_datetime(source.ptr())) {
      return false;
    }
    value = mentorcore::python::date_of(source.ptr());
    return true;
  }

  static handle cast(const boost::gregorian::date& day, return_value_policy /*policy*/,
                     handle /*parent*/) {
    return mentorcore::python::new_date(day);
  }
};

}  // namespace pybind11::detail
