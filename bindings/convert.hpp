#pragma once
// Checked conversions between Python objects and mentorcore field types. Every failure is an
// invalid_value_error naming the field and the (redacted) value, so Python sees
// mentorcore.InvalidValueError, never a TypeError from the binding layer.

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>

#include "casters.hpp"
#include "mentorcore/detail/redact.hpp"
#include "mentorcore/enum.hpp"
#include "mentorcore/error.hpp"
#include "mentorcore/event.hpp"
#include "mentorcore/ids.hpp"

namespace mentorcore::python {

namespace py = pybind11;

// Every Python C-API call below has its result checked: a NULL or -1 with an exception set is
// turned into a mentorcore error naming the field (issue #12: an unchecked PyNumber_Index let
// numpy.array([60, 30]) and an __index__ that raises kill the process).

/// The name of `value`'s type ("ndarray", "str"), never throwing.
inline std::string python_type_name(py::handle value) {
  const std::string_view full = Py_TYPE(value.ptr())->tp_name;
  const auto dot = full.rfind('.');
  return std::string(dot == std::string_view::npos ? full : full.substr(dot + 1));
}

/// `text` (a str object) as UTF-8, with lone surrogates shown as escapes; never throws a Python
/// error. Empty if `text` is null.
inline std::string python_text_for_message(PyObject* text) {
  if (text == nullptr) return {};
  PyObject* bytes = PyUnicode_AsEncodedString(text, "utf-8", "backslashreplace");
  if (bytes == nullptr) {
    PyErr_Clear();
    return {};
  }
  std::string result(PyBytes_AS_STRING(bytes), static_cast<std::size_t>(PyBytes_GET_SIZE(bytes)));
  Py_DECREF(bytes);
  return result;
}

/// repr(value) for an error message: redacted, then cut to 80 characters (in that order, so a
/// cut can never leave part of a CPR number behind). A __repr__ that raises, recurses too deeply
/// (a list nested 100,000 levels) or returns text that is not UTF-8 gives "<T object>" instead:
/// describing a bad value must not raise a second, different error.
inline std::string python_value_text(py::handle value) {
  PyObject* text = PyObject_Repr(value.ptr());
  std::string shown;
  if (text == nullptr) {
    PyErr_Clear();
  } else {
    shown = python_text_for_message(text);
    Py_DECREF(text);
  }
  if (shown.empty()) shown = "<" + python_type_name(value) + " object>";
  return mentorcore::detail::redacted_excerpt(shown, 80);
}

[[noreturn]] inline void wrong_value(std::string_view field, py::handle value,
                                     std::string_view expected) {
  throw invalid_value_error(
      std::string(field), python_value_text(value),
      "expected " + std::string(expected) + ", got " + python_type_name(value));
}

/// Turns the Python exception that is set (a C-API call just failed) into invalid_value_error
/// naming `field`, with the Python error's type and message as the reason. KeyboardInterrupt,
/// SystemExit and MemoryError are not bad input: they propagate unchanged.
[[noreturn]] inline void python_failure(std::string_view field, py::handle value,
                                        std::string_view expected) {
  py::error_already_set failure;  // takes the error indicator
  if (!failure.matches(PyExc_Exception) || failure.matches(PyExc_MemoryError)) throw failure;
  std::string reason = "expected " + std::string(expected) + " (" +
                       python_type_name(failure.value().ptr() ? failure.value() : failure.type());
  PyObject* message = PyObject_Str(failure.value().ptr());
  if (message == nullptr) {
    PyErr_Clear();
  } else {
    const std::string text = python_text_for_message(message);
    Py_DECREF(message);
    if (!text.empty()) reason += ": " + text;
  }
  throw invalid_value_error(std::string(field), python_value_text(value), reason + ")");
}

/// Runs `loop`, a loop over the Python iterable `value`, turning an exception the iterable raises
/// (a generator that fails part-way) into invalid_value_error naming `field`.
template <class Loop>
void iterate_python(py::handle value, std::string_view field, std::string_view expected,
                    Loop&& loop) {
  try {
    std::forward<Loop>(loop)();
  } catch (py::error_already_set& failure) {
    if (!failure.matches(PyExc_Exception) || failure.matches(PyExc_MemoryError)) throw;
    failure.restore();
    python_failure(field, value, expected);
  }
}

/// The UTF-8 text of a str. A str holding a lone surrogate ('\ud800', or bytes decoded with
/// errors="surrogateescape") has no UTF-8 form and is refused, naming the field.
inline std::string load_text(py::handle value, std::string_view field, std::string_view expected) {
  if (!PyUnicode_Check(value.ptr())) wrong_value(field, value, expected);
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(value.ptr(), &size);
  if (data == nullptr) {
    if (PyErr_ExceptionMatches(PyExc_UnicodeError) == 0) python_failure(field, value, expected);
    PyErr_Clear();
    throw invalid_value_error(std::string(field), python_value_text(value),
                              "not valid text: it holds a lone surrogate, which has no UTF-8 form");
  }
  return {data, static_cast<std::size_t>(size)};
}

/// A file path as the operating system's bytes: a str is encoded as os.fsencode does, so a
/// file name that is not UTF-8 (which Python holds with lone surrogates) names its own file;
/// bytes are taken as they are. Anything else is refused, naming the field.
inline std::string load_path(py::handle value, std::string_view field) {
  if (PyBytes_Check(value.ptr()) != 0) {
    return {PyBytes_AS_STRING(value.ptr()),
            static_cast<std::size_t>(PyBytes_GET_SIZE(value.ptr()))};
  }
  if (PyUnicode_Check(value.ptr()) == 0) wrong_value(field, value, "a file path (str)");
  const auto bytes = py::reinterpret_steal<py::object>(PyUnicode_EncodeFSDefault(value.ptr()));
  if (!bytes) python_failure(field, value, "a file path (str)");
  return {PyBytes_AS_STRING(bytes.ptr()), static_cast<std::size_t>(PyBytes_GET_SIZE(bytes.ptr()))};
}

template <class T>
struct converter;

template <>
struct converter<int> {
  static int load(py::handle value, std::string_view field) {
    if (PyBool_Check(value.ptr()) != 0 || PyIndex_Check(value.ptr()) == 0)
      wrong_value(field, value, "an integer");
    // __index__ may raise: numpy.array([60, 30]) and numpy.array(60.5) both do.
    const auto number = py::reinterpret_steal<py::object>(PyNumber_Index(value.ptr()));
    if (!number) python_failure(field, value, "an integer");
    int overflow = 0;
    const long long result = PyLong_AsLongLongAndOverflow(number.ptr(), &overflow);
    if (result == -1 && PyErr_Occurred()) python_failure(field, value, "an integer");
    if (overflow != 0 || result < std::numeric_limits<int>::min() ||
        result > std::numeric_limits<int>::max()) {
      throw out_of_range_error(std::string(field), python_value_text(number),
                               "outside the range of a 32-bit integer");
    }
    return static_cast<int>(result);
  }
  static py::object dump(int value) { return py::int_(value); }
};

template <>
struct converter<double> {
  static double load(py::handle value, std::string_view field) {
    // numbers.Real covers NumPy's float32 and the like, which are not float subclasses.
    static const py::handle real =
        py::object(py::module_::import("numbers").attr("Real")).release();  // kept for the process
    bool is_number = PyFloat_Check(value.ptr()) != 0 || PyIndex_Check(value.ptr()) != 0;
    if (!is_number) {
      const int is_real = PyObject_IsInstance(value.ptr(), real.ptr());
      if (is_real < 0) python_failure(field, value, "a number");
      is_number = is_real == 1;
    }
    if (PyBool_Check(value.ptr()) != 0 || !is_number) {
      wrong_value(field, value, "a number");
    }
    const double number = PyFloat_AsDouble(value.ptr());
    if (number == -1.0 && PyErr_Occurred() != nullptr) {
      if (PyErr_ExceptionMatches(PyExc_OverflowError) != 0) {
        PyErr_Clear();
        throw out_of_range_error(std::string(field), python_value_text(value),
                                 "too large for a floating-point number");
      }
      python_failure(field, value, "a number");
    }
    if (!std::isfinite(number)) wrong_value(field, value, "a finite number");
    return number;
  }
  static py::object dump(double value) { return py::float_(value); }
};

template <>
struct converter<bool> {
  static bool load(py::handle value, std::string_view field) {
    if (PyBool_Check(value.ptr())) return value.ptr() == Py_True;
    // numpy.bool_ is not a bool subclass, but it is a bool.
    // NumPy 1 calls its type numpy.bool_, NumPy 2 numpy.bool.
    const std::string type_name = python_type_name(value);
    if (type_name != "bool" && type_name != "bool_") wrong_value(field, value, "True or False");
    const int truth = PyObject_IsTrue(value.ptr());
    if (truth < 0) python_failure(field, value, "True or False");
    return truth == 1;
  }
  static py::object dump(bool value) { return py::bool_(value); }
};

template <>
struct converter<std::string> {
  static std::string load(py::handle value, std::string_view field) {
    return load_text(value, field, "a str");
  }
  static py::object dump(const std::string& value) { return py::str(value); }
};

template <>
struct converter<boost::gregorian::date> {
  static boost::gregorian::date load(py::handle value, std::string_view field) {
    if (is_datetime(value.ptr())) {
      wrong_value(field, value, "a datetime.date (pass value.date() to drop the time of day)");
    }
    py::detail::make_caster<boost::gregorian::date> caster;
    if (!caster.load(value, false)) wrong_value(field, value, "a datetime.date");
    return py::detail::cast_op<boost::gregorian::date>(caster);
  }
  static py::object dump(const boost::gregorian::date& value) {
    if (value.is_special()) return py::none();
    return py::cast(value);
  }
};

template <class Tag>
struct converter<basic_id<Tag>> {
  static basic_id<Tag> load(py::handle value, std::string_view field) {
    return basic_id<Tag>(load_text(value, field, "an identifier (str)"), field);
  }
  static py::object dump(const basic_id<Tag>& value) {
    if (value.empty()) return py::none();
    return py::str(value.str());
  }
};

template <>
struct converter<municipality_code> {
  static municipality_code load(py::handle value, std::string_view field) {
    return municipality_code(converter<int>::load(value, field), field);
  }
  static py::object dump(const municipality_code& value) {
    if (value.empty()) return py::none();
    return py::int_(value.value());
  }
};

template <named_enum Enum>
struct converter<Enum> {
  static Enum load(py::handle value, std::string_view field) {
    if (PyUnicode_Check(value.ptr())) {
      const std::string name = load_text(value, field, "a name");
      try {
        return from_string<Enum>(name);
      } catch (const invalid_value_error& e) {
        throw invalid_value_error(std::string(field), e.value(), e.reason());
      }
    }
    try {
      return py::cast<Enum>(value);
    } catch (const py::cast_error&) {
      wrong_value(field, value, "a " + std::string(enum_traits<Enum>::type_name) + " or its name");
    }
  }
  static py::object dump(Enum value) { return py::cast(value); }
};

template <class T>
struct converter<std::optional<T>> {
  static std::optional<T> load(py::handle value, std::string_view field) {
    if (value.is_none()) return std::nullopt;
    return converter<T>::load(value, field);
  }
  static py::object dump(const std::optional<T>& value) {
    if (!value) return py::none();
    return converter<T>::dump(*value);
  }
};

template <class T>
T load(py::handle value, std::string_view field);
template <class P>
P payload_from_dict(const py::dict& fields, std::string_view prefix = {});
template <class P>
py::dict payload_to_dict(const P& payload);

/// Nested records with a field table (a handover's actions, contingencies, appointments) travel
/// as dicts.
template <class T>
requires requires {
  payload_traits<T>::fields;
}
struct converter<T> {
  static T load(py::handle value, std::string_view field) {
    if (!PyDict_Check(value.ptr())) wrong_value(field, value, "a dict");
    return payload_from_dict<T>(py::reinterpret_borrow<py::dict>(value), field);
  }
  static py::object dump(const T& value) { return payload_to_dict(value); }
};

template <class T>
struct converter<std::vector<T>> {
  static std::vector<T> load(py::handle value, std::string_view field) {
    if (PyUnicode_Check(value.ptr()) || PyBytes_Check(value.ptr()) || PyDict_Check(value.ptr()) ||
        !py::isinstance<py::iterable>(value)) {
      wrong_value(field, value, "a list");
    }
    std::vector<T> result;
    std::size_t index = 0;
    // Iterating may raise (a generator that fails): load() below names the list for that.
    for (const auto item : value) {
      result.push_back(mentorcore::python::load<T>(
          item, std::string(field) + "[" + std::to_string(index++) + "]"));
    }
    return result;
  }
  static py::object dump(const std::vector<T>& values) {
    py::list result;
    for (const auto& value : values) result.append(converter<T>::dump(value));
    return result;
  }
};

/// `value` as a T, or a mentorcore error naming `field`: the one way the bindings take a value
/// from Python. Whatever Python raises while converting (an __index__, __float__, __iter__ or
/// __eq__ that fails, a pybind11 cast that does not apply) becomes invalid_value_error, so bad
/// input never surfaces as TypeError, RuntimeError or OverflowError.
template <class T>
T load(py::handle value, std::string_view field) {
  try {
    return converter<T>::load(value, field);
  } catch (py::error_already_set& failure) {
    if (!failure.matches(PyExc_Exception) || failure.matches(PyExc_MemoryError)) throw;
    failure.restore();
    python_failure(field, value, "a valid value");
  } catch (const py::cast_error&) {
    wrong_value(field, value, "a value of the field's type");
  }
}

template <class T>
py::object dump(const T& value) {
  return converter<T>::dump(value);
}

/// A payload of type P from keyword fields; unknown and missing fields are errors. Field names in
/// errors are prefixed with `prefix` (for nested records: "actions[0]").
template <class P>
P payload_from_dict(const py::dict& fields, std::string_view prefix) {
  P payload{};
  std::size_t used = 0;
  const auto qualified = [&](std::string_view name) {
    return prefix.empty() ? std::string(name) : std::string(prefix) + "." + std::string(name);
  };
  for_each_field(payload, [&](std::string_view name, auto& member, bool required) {
    const py::str key(name.data(), name.size());
    if (fields.contains(key)) {
      member = load<std::decay_t<decltype(member)>>(fields[key], qualified(name));
      ++used;
    } else if (required) {
      throw invalid_value_error(qualified(name), "missing",
                                "required field of " + std::string(payload_traits<P>::name));
    }
  });
  if (used != fields.size()) {
    std::string known;
    for_each_field(payload, [&](std::string_view name, auto&, bool) {
      known += known.empty() ? "" : ", ";
      known += name;
    });
    for (const auto& item : fields) {
      const std::string key = PyUnicode_Check(item.first.ptr())
                                  ? python_text_for_message(item.first.ptr())
                                  : python_value_text(item.first);
      bool found = false;
      for_each_field(payload,
                     [&](std::string_view name, auto&, bool) { found = found || name == key; });
      if (!found) {
        throw invalid_value_error(qualified(key), python_value_text(item.second),
                                  "not a field of " + std::string(payload_traits<P>::name) +
                                      " (fields: " + (known.empty() ? "none" : known) + ")");
      }
    }
  }
  return payload;
}

/// The fields of a payload as a dict, in their declared order.
template <class P>
py::dict payload_to_dict(const P& payload) {
  py::dict fields;
  for_each_field(payload, [&](std::string_view name, const auto& member, bool) {
    fields[py::str(name.data(), name.size())] = dump(member);
  });
  return fields;
}

}  // namespace mentorcore::python
