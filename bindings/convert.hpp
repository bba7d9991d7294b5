#pragma once
// Checked conversions between Python objects and mentorcore field types. Every failure is an
// invalid_value_error naming the field and the (redacted) value, so Python sees
// mentorcore.InvalidValueError, never a TypeError from the binding layer.

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <pybind11/pybind11.h>

#include "casters.hpp"
#include "mentorcore/enum.hpp"
#include "mentorcore/error.hpp"
#include "mentorcore/event.hpp"
#include "mentorcore/ids.hpp"

namespace mentorcore::python {

namespace py = pybind11;

[[noreturn]] inline void wrong_value(std::string_view field, py::handle value,
                                     std::string_view expected) {
  // Redacted before it is cut: a cut could leave nine digits of a CPR number no rule knows.
  const std::string shown = mentorcore::detail::redacted_excerpt(std::string(py::repr(value)), 80);
  const std::string type_name = py::str(py::type::handle_of(value).attr("__name__"));
  throw invalid_value_error(std::string(field), shown,
                            "expected " + std::string(expected) + ", got " + type_name);
}

template <class T>
struct converter;

template <>
struct converter<int> {
  static int load(py::handle value, std::string_view field) {
    if (PyBool_Check(value.ptr()) != 0 || PyIndex_Check(value.ptr()) == 0)
      wrong_value(field, value, "an integer");
    const auto number =
        py::cast<long long>(py::reinterpret_steal<py::object>(PyNumber_Index(value.ptr())));
    if (number < std::numeric_limits<int>::min() || number > std::numeric_limits<int>::max()) {
      throw out_of_range_error(std::string(field), std::to_string(number),
                               "outside the range of a 32-bit integer");
    }
    return static_cast<int>(number);
  }
  static py::object dump(int value) { return py::int_(value); }
};

template <>
struct converter<double> {
  static double load(py::handle value, std::string_view field) {
    // numbers.Real covers NumPy's float32 and the like, which are not float subclasses.
    static const py::handle real =
        py::object(py::module_::import("numbers").attr("Real")).release();  // kept for the process
    const bool is_number = PyFloat_Check(value.ptr()) != 0 || PyIndex_Check(value.ptr()) != 0 ||
                           py::isinstance(value, real);
    if (PyBool_Check(value.ptr()) != 0 || !is_number) {
      wrong_value(field, value, "a number");
    }
    const double number = PyFloat_AsDouble(value.ptr());
    if (PyErr_Occurred()) throw py::error_already_set();
    if (!std::isfinite(number)) wrong_value(field, value, "a finite number");
    return number;
  }
  static py::object dump(double value) { return py::float_(value); }
};

template <>
struct converter<bool> {
  static bool load(py::handle value, std::string_view field) {
    if (!PyBool_Check(value.ptr())) {
      // numpy.bool_ is not a bool subclass, but it is a bool.
      const std::string type_name = py::str(py::type::handle_of(value).attr("__name__"));
      if (type_name != "bool" && type_name != "bool_") wrong_value(field, value, "True or False");
    }
    return py::cast<bool>(value);
  }
  static py::object dump(bool value) { return py::bool_(value); }
};

template <>
struct converter<std::string> {
  static std::string load(py::handle value, std::string_view field) {
    if (!PyUnicode_Check(value.ptr())) wrong_value(field, value, "a str");
    return py::cast<std::string>(value);
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
    if (!PyUnicode_Check(value.ptr())) wrong_value(field, value, "an identifier (str)");
    return basic_id<Tag>(py::cast<std::string>(value), field);
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
      try {
        return from_string<Enum>(py::cast<std::string>(value));
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
    for (const auto item : value) {
      result.push_back(
          converter<T>::load(item, std::string(field) + "[" + std::to_string(index++) + "]"));
    }
    return result;
  }
  static py::object dump(const std::vector<T>& values) {
    py::list result;
    for (const auto& value : values) result.append(converter<T>::dump(value));
    return result;
  }
};

template <class T>
T load(py::handle value, std::string_view field) {
  return converter<T>::load(value, field);
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
      const std::string key = py::str(item.first);
      bool found = false;
      for_each_field(payload,
                     [&](std::string_view name, auto&, bool) { found = found || name == key; });
      if (!found) {
        throw invalid_value_error(qualified(key), std::string(py::repr(item.second)),
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
