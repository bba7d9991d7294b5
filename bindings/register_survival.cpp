// The survival estimators (mentorcore/analytics/survival.hpp): NumPy arrays in, NumPy arrays out,
// the GIL released while C++ counts and estimates. mentorcore/survival.py checks the arguments'
// types and builds the result objects, frames and plots.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "common.hpp"
#include "mentorcore/analytics/survival.hpp"
#include "register.hpp"

namespace py = pybind11;

namespace mentorcore::python {
namespace {

using float_array = py::array_t<double, py::array::c_style | py::array::forcecast>;
using int_array = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;
using count_array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

template <class T, class Array>
std::span<const T> survival_span(const Array& values) {
  return {values.data(), static_cast<std::size_t>(values.size())};
}

template <class T>
py::array_t<T> to_numpy(const std::vector<T>& values) {
  py::array_t<T> result(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), result.mutable_data());
  return result;
}

template <class T>
py::array_t<T> to_numpy_2d(const std::vector<std::vector<T>>& rows, std::size_t columns) {
  py::array_t<T> result({static_cast<py::ssize_t>(rows.size()), static_cast<py::ssize_t>(columns)});
  T* out = result.mutable_data();
  for (const auto& row : rows) out = std::copy(row.begin(), row.end(), out);
  return result;
}

py::dict counts_to_python(const survival_counts& counts) {
  py::dict result;
  result["time"] = to_numpy(counts.time);
  result["at_risk"] = to_numpy(counts.at_risk);
  result["entered"] = to_numpy(counts.entered);
  result["events"] = to_numpy(counts.events);
  result["censored"] = to_numpy(counts.censored);
  result["events_by_outcome"] = to_numpy_2d(counts.events_by_outcome, counts.time.size());
  result["initial"] = counts.initial;
  return result;
}

survival_counts counts_from_python(const float_array& time, const count_array& entered,
                                   const count_array& events, const count_array& censored,
                                   const count_array& events_by_outcome, std::int64_t initial) {
  survival_counts counts;
  const auto copy = [](const auto& array) {
    const auto values = survival_span<typename std::decay_t<decltype(array)>::value_type>(array);
    return std::vector(values.begin(), values.end());
  };
  counts.time = copy(time);
  counts.entered = copy(entered);
  counts.events = copy(events);
  counts.censored = copy(censored);
  counts.initial = initial;
  if (events_by_outcome.ndim() != 2) {
    throw invalid_value_error("events_by_outcome", std::to_string(events_by_outcome.ndim()),
                              "expected a 2-dimensional array (outcomes x times)");
  }
  const auto outcomes = static_cast<std::size_t>(events_by_outcome.shape(0));
  const auto times = static_cast<std::size_t>(events_by_outcome.shape(1));
  const std::span<const std::int64_t> all(events_by_outcome.data(), outcomes * times);
  for (std::size_t k = 0; k < outcomes; ++k) {
    const auto row = all.subspan(k * times, times);
    counts.events_by_outcome.emplace_back(row.begin(), row.end());
  }
  // at_risk follows from the rest (and is checked where it is used). The caller's counts may be
  // anything, so it is summed modulo 2^64 (unsigned: no overflow is undefined): wherever the
  // true sum fits in 64 bits, as it does up to the first row the check refuses, it is exact.
  counts.at_risk.resize(counts.time.size());
  auto at_risk = static_cast<std::uint64_t>(initial);
  for (std::size_t j = 0; j < counts.time.size() && j < counts.entered.size() &&
                          j < counts.events.size() && j < counts.censored.size();
       ++j) {
    counts.at_risk[j] = static_cast<std::int64_t>(at_risk);
    at_risk += static_cast<std::uint64_t>(counts.entered[j]) -
               static_cast<std::uint64_t>(counts.events[j]) -
               static_cast<std::uint64_t>(counts.censored[j]);
  }
  return counts;
}

survival_input make_input(const float_array& durations, const int_array& outcomes,
                          const std::optional<float_array>& entry,
                          const std::optional<float_array>& weights, const char* outcomes_name,
                          unsigned threads) {
  survival_input input;
  input.durations = survival_span<double>(durations);
  input.outcomes = survival_span<std::int32_t>(outcomes);
  if (entry) input.entry = survival_span<double>(*entry);
  if (weights) input.weights = survival_span<double>(*weights);
  input.outcomes_name = outcomes_name;
  input.threads = threads;
  return input;
}

py::dict kaplan_meier_to_python(const kaplan_meier_result& km) {
  py::dict result = counts_to_python(km.counts);
  result["survival"] = to_numpy(km.survival);
  result["greenwood"] = to_numpy(km.greenwood);
  result["std_err"] = to_numpy(km.std_err);
  result["ci_lower"] = to_numpy(km.ci_lower);
  result["ci_upper"] = to_numpy(km.ci_upper);
  return result;
}

py::dict aalen_johansen_to_python(const aalen_johansen_result& aj) {
  py::dict result = counts_to_python(aj.counts);
  const std::size_t times = aj.counts.time.size();
  result["survival"] = to_numpy(aj.survival);
  result["incidence"] = to_numpy_2d(aj.incidence, times);
  result["std_err"] = to_numpy_2d(aj.std_err, times);
  result["ci_lower"] = to_numpy_2d(aj.ci_lower, times);
  result["ci_upper"] = to_numpy_2d(aj.ci_upper, times);
  return result;
}

}  // namespace

void register_survival(py::module_& m) {
  m.def(
      "kaplan_meier",
      [](const float_array& durations, const int_array& observed,
         const std::optional<float_array>& entry, const std::optional<float_array>& weights,
         double alpha, unsigned threads) {
        std::optional<kaplan_meier_result> km;
        {
          py::gil_scoped_release unlocked;
          km = kaplan_meier(make_input(durations, observed, entry, weights, "observed", threads),
                            alpha);
        }
        return kaplan_meier_to_python(*km);
      },
      py::arg("durations"), py::arg("observed"), py::arg("entry"), py::arg("weights"),
      py::arg("alpha"), py::arg("threads"));
  m.def(
      "kaplan_meier_from_counts",
      [](const float_array& time, const count_array& entered, const count_array& events,
         const count_array& censored, std::int64_t initial, double alpha) {
        const count_array no_outcomes(std::vector<py::ssize_t>{0, time.size()});
        auto counts = counts_from_python(time, entered, events, censored, no_outcomes, initial);
        return kaplan_meier_to_python(kaplan_meier(std::move(counts), alpha));
      },
      py::arg("time"), py::arg("entered"), py::arg("events"), py::arg("censored"),
      py::arg("initial"), py::arg("alpha"));
  m.def(
      "aalen_johansen",
      [](const float_array& durations, const int_array& causes,
         const std::optional<float_array>& entry, const std::optional<float_array>& weights,
         double alpha, const std::string& variance, std::int32_t outcomes, unsigned threads) {
        const auto method = from_string<incidence_variance>(variance);
        std::optional<aalen_johansen_result> aj;
        {
          py::gil_scoped_release unlocked;
          aj = aalen_johansen(make_input(durations, causes, entry, weights, "causes", threads),
                              alpha, method, outcomes);
        }
        return aalen_johansen_to_python(*aj);
      },
      py::arg("durations"), py::arg("causes"), py::arg("entry"), py::arg("weights"),
      py::arg("alpha"), py::arg("variance"), py::arg("outcomes"), py::arg("threads"));
  m.def(
      "aalen_johansen_from_counts",
      [](const float_array& time, const count_array& entered, const count_array& censored,
         const count_array& events_by_outcome, std::int64_t initial, double alpha,
         const std::string& variance) {
        const auto method = from_string<incidence_variance>(variance);
        count_array events(time.size());
        std::ranges::fill(std::span(events.mutable_data(), static_cast<std::size_t>(events.size())),
                          std::int64_t{0});
        // Summed modulo 2^64 (unsigned: the caller's counts may overflow, which is undefined
        // for signed ones); the sums are exact wherever the outcomes' events pass the check.
        if (events_by_outcome.ndim() == 2 && events_by_outcome.shape(1) == time.size()) {
          for (py::ssize_t k = 0; k < events_by_outcome.shape(0); ++k) {
            for (py::ssize_t j = 0; j < time.size(); ++j) {
              events.mutable_at(j) =
                  static_cast<std::int64_t>(static_cast<std::uint64_t>(events.at(j)) +
                                            static_cast<std::uint64_t>(events_by_outcome.at(k, j)));
            }
          }
        }
        auto counts =
            counts_from_python(time, entered, events, censored, events_by_outcome, initial);
        return aalen_johansen_to_python(aalen_johansen(std::move(counts), alpha, method));
      },
      py::arg("time"), py::arg("entered"), py::arg("censored"), py::arg("events_by_outcome"),
      py::arg("initial"), py::arg("alpha"), py::arg("variance"));
}

}  // namespace mentorcore::python
