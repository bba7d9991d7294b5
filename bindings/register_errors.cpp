#include <exception>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include "mentorcore/detail/format.hpp"
#include "mentorcore/error.hpp"
#include "mentorcore/journal.hpp"
#include "register.hpp"

namespace py = pybind11;

namespace mentorcore::python {
namespace {

// A message or attribute as a Python str. Messages carry bytes from the input (a file name
// that is not UTF-8, a value cut to a fixed width in the middle of a character), and a
// translator that failed to decode them would raise UnicodeDecodeError instead of the
// mentorcore error: invalid UTF-8 becomes U+FFFD instead.
py::str python_error_text(std::string_view text) {
  PyObject* decoded =
      PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "replace");
  if (decoded == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(decoded);
}

// Raise `type(message)` with the C++ exception's field, value and reason as attributes, so a
// notebook can inspect which field was wrong without parsing the message.
void raise_with_details(PyObject* type, const invalid_value_error& e) {
  py::object instance = py::reinterpret_borrow<py::object>(type)(python_error_text(e.what()));
  instance.attr("field") = python_error_text(e.field());
  instance.attr("value") = python_error_text(e.value());
  instance.attr("reason") = python_error_text(e.reason());
  PyErr_SetObject(type, instance.ptr());
}

}  // namespace

void register_errors(py::module_& m) {
  // Stored in function-local statics: translators outlive this call.
  static py::handle error_type = PyErr_NewExceptionWithDoc(
      "mentorcore.Error", "Base of every error mentorcore raises for bad input; a ValueError.",
      PyExc_ValueError, nullptr);
  static py::handle invalid_value_type = PyErr_NewExceptionWithDoc(
      "mentorcore.InvalidValueError",
      "A value given for a named field is not acceptable; `.field`, `.value` and `.reason` say "
      "which and why.",
      error_type.ptr(), nullptr);
  static py::handle out_of_range_type = PyErr_NewExceptionWithDoc(
      "mentorcore.OutOfRangeError",
      "A value outside the range mentorcore supports (e.g. a year outside 1900-2200).",
      invalid_value_type.ptr(), nullptr);
  static py::handle rule_violation_type = PyErr_NewExceptionWithDoc(
      "mentorcore.RuleViolationError",
      "An event breaks a rule of the course's state; the course is unchanged. `.course`, "
      "`.event_index`, `.event_type`, `.date` and `.rule` say which, and `.field` the event's "
      "field the rule is about (empty when it is about the event or the course as a whole).",
      error_type.ptr(), nullptr);
  static py::handle parse_error_type = PyErr_NewExceptionWithDoc(
      "mentorcore.ParseError",
      "Text or a file could not be read; `.source`, `.line` and `.field` say where.",
      error_type.ptr(), nullptr);
  static py::handle journal_error_type = PyErr_NewExceptionWithDoc(
      "mentorcore.JournalError",
      "A journal could not do what was asked, for a reason of its file or of the courses it "
      "holds; `.fault` (e.g. 'unknown_course', 'busy', 'full') and `.file` say which.",
      error_type.ptr(), nullptr);
  if (!error_type || !invalid_value_type || !out_of_range_type || !rule_violation_type ||
      !parse_error_type || !journal_error_type) {
    throw py::error_already_set();
  }

  m.attr("Error") = error_type;
  m.attr("InvalidValueError") = invalid_value_type;
  m.attr("OutOfRangeError") = out_of_range_type;
  m.attr("RuleViolationError") = rule_violation_type;
  m.attr("ParseError") = parse_error_type;
  m.attr("JournalError") = journal_error_type;

  m.def("redact_personal_numbers", &mentorcore::detail::redact_personal_numbers, py::arg("text"),
        "The text with anything that could be a CPR number replaced.");
  // The one number formatter: Python's renderings call the one the C++ messages use.
  m.def(
      "number_text", [](double value) { return mentorcore::detail::number_text(value); },
      py::arg("value"),
      "A number without trailing zeros, as messages show it: 25 -> '25', 2.5 -> '2.5'.");

  py::register_exception_translator([](std::exception_ptr pointer) {
    if (!pointer) return;
    try {
      std::rethrow_exception(std::move(pointer));
    } catch (const out_of_range_error& e) {
      raise_with_details(out_of_range_type.ptr(), e);
    } catch (const invalid_value_error& e) {
      raise_with_details(invalid_value_type.ptr(), e);
    } catch (const rule_violation_error& e) {
      py::object instance = rule_violation_type(python_error_text(e.what()));
      instance.attr("course") = python_error_text(e.course());
      instance.attr("event_index") = e.event_index();
      instance.attr("event_type") = python_error_text(e.event_type());
      instance.attr("date") = python_error_text(e.date());
      instance.attr("rule") = python_error_text(e.rule());
      instance.attr("field") = python_error_text(e.field());
      PyErr_SetObject(rule_violation_type.ptr(), instance.ptr());
    } catch (const parse_error& e) {
      py::object instance = parse_error_type(python_error_text(e.what()));
      instance.attr("source") = python_error_text(e.source());
      instance.attr("line") = e.line();
      instance.attr("field") = python_error_text(e.field());
      PyErr_SetObject(parse_error_type.ptr(), instance.ptr());
    } catch (const journal_error& e) {
      py::object instance = journal_error_type(python_error_text(e.what()));
      instance.attr("fault") = python_error_text(to_string(e.fault()));
      instance.attr("file") = python_error_text(e.file());
      PyErr_SetObject(journal_error_type.ptr(), instance.ptr());
    } catch (const error& e) {
      PyErr_SetObject(error_type.ptr(), python_error_text(e.what()).ptr());
    } catch (const boost::gregorian::bad_year& e) {
      // Boost's own range errors derive from std::out_of_range, which pybind11 would turn into
      // an IndexError; they are bad input, so they are mentorcore errors.
      PyErr_SetString(out_of_range_type.ptr(), e.what());
    } catch (const boost::gregorian::bad_month& e) {
      PyErr_SetString(out_of_range_type.ptr(), e.what());
    } catch (const boost::gregorian::bad_day_of_month& e) {
      PyErr_SetString(out_of_range_type.ptr(), e.what());
    }
  });
}

}  // namespace mentorcore::python
