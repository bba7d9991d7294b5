#include <stdexcept>
#include <string>

#include <pybind11/pybind11.h>

#include <datetime.h>

#include "casters.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore::python {
namespace {

void ensure_datetime_api() {
  if (!PyDateTimeAPI) {
    PyDateTime_IMPORT;
  }
  if (!PyDateTimeAPI) throw pybind11::error_already_set();
}

}  // namespace

bool is_date(PyObject* object) {
  ensure_datetime_api();
  return PyDate_Check(object) != 0;
}

bool is_datetime(PyObject* object) {
  ensure_datetime_api();
  return PyDateTime_Check(object) != 0;
}

date date_of(PyObject* object) {
  ensure_datetime_api();
  const int year = PyDateTime_GET_YEAR(object);
  const int month = PyDateTime_GET_MONTH(object);
  const int day = PyDateTime_GET_DAY(object);
  try {
    return {static_cast<unsigned short>(year), static_cast<unsigned short>(month),
            static_cast<unsigned short>(day)};
  } catch (const std::out_of_range&) {
    throw out_of_range_error("date", std::string(pybind11::str(object)),
                             "outside the dates mentorcore can represent (1400-9999)");
  }
}

PyObject* new_date(const date& day) {
  ensure_datetime_api();
  require_real_date(day, "date");
  PyObject* result = PyDate_FromDate(day.year(), day.month().as_number(), day.day().as_number());
  if (!result) throw pybind11::error_already_set();
  return result;
}

}  // namespace mentorcore::python
