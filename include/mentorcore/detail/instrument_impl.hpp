#pragma once
/// \file detail/instrument_impl.hpp
/// Definitions of instrument validation and scoring.
///
/// Included by the concept header, inline, in the header-only model; compiled once into
/// mentorcore::io by src/model_course.cpp (MENTORCORE_DECL, detail/decl.hpp).

#include <algorithm>
#include <cmath>
#include <set>

#include "mentorcore/detail/decl.hpp"
#include "mentorcore/detail/format.hpp"
#include "mentorcore/instrument.hpp"

namespace mentorcore {
namespace detail {

MENTORCORE_DECL double combine_values(aggregation how, double sum, std::size_t count) {
  return how == aggregation::sum ? sum : sum / static_cast<double>(count);
}

}  // namespace detail

MENTORCORE_DECL instrument::instrument(std::string name, std::string version,
                                       std::vector<item_bounds> items,
                                       std::vector<subscale> subscales, std::vector<cutoff> cutoffs,
                                       double reliable_change, bool higher_is_better,
                                       std::vector<alert_rule> alerts, aggregation combine)
    : name_(std::move(name)),
      version_(std::move(version)),
      items_(std::move(items)),
      subscales_(std::move(subscales)),
      cutoffs_(std::move(cutoffs)),
      reliable_change_(reliable_change),
      higher_is_better_(higher_is_better),
      alerts_(std::move(alerts)),
      combine_(combine) {
  if (name_.empty()) throw invalid_value_error("name", "\"\"", "an instrument needs a name");
  if (items_.empty())
    throw invalid_value_error("items", "[]", "an instrument needs at least one item");
  for (std::size_t i = 0; i < items_.size(); ++i) {
    const auto& item = items_[i];
    if (!std::isfinite(item.min) || !std::isfinite(item.max) || item.min >= item.max) {
      throw invalid_value_error(
          "items[" + std::to_string(i) + "]",
          "[" + detail::number_text(item.min) + ", " + detail::number_text(item.max) + "]",
          "expected finite bounds with min < max");
    }
  }
  std::set<std::string> names;
  for (std::size_t s = 0; s < subscales_.size(); ++s) {
    const auto& scale = subscales_[s];
    const std::string field = "subscales[" + std::to_string(s) + "]";
    if (scale.name.empty() || !names.insert(scale.name).second) {
      throw invalid_value_error(field + ".name", "\"" + scale.name + "\"",
                                "subscale names are non-empty and unique");
    }
    if (scale.items.empty())
      throw invalid_value_error(field + ".items", "[]", "a subscale needs items");
    for (const int item : scale.items) {
      if (item < 1 || item > static_cast<int>(items_.size())) {
        throw invalid_value_error(field + ".items", std::to_string(item),
                                  "item numbers run 1-" + std::to_string(items_.size()));
      }
    }
  }
  const auto [low, high] = total_range();
  std::set<std::string> bands;
  for (const auto& c : cutoffs_) {
    if (c.age_band.empty() || !bands.insert(c.age_band).second) {
      throw invalid_value_error("cutoffs", "\"" + c.age_band + "\"",
                                "age bands are non-empty and unique");
    }
    if (!std::isfinite(c.value) || c.value < low || c.value > high) {
      throw invalid_value_error(
          "cutoffs." + c.age_band, detail::number_text(c.value),
          "outside the total range " + detail::number_text(low) + "-" + detail::number_text(high));
    }
  }
  if (!std::isfinite(reliable_change_) || reliable_change_ < 0) {
    throw invalid_value_error("reliable_change", detail::number_text(reliable_change_),
                              "expected 0 or more");
  }
  for (std::size_t a = 0; a < alerts_.size(); ++a) {
    const auto& rule = alerts_[a];
    const std::string field = "alerts[" + std::to_string(a) + "]";
    if (rule.kind == alert_rule_kind::drop_from_previous && !(rule.points > 0)) {
      throw invalid_value_error(field + ".points", detail::number_text(rule.points),
                                "a drop alert needs points > 0");
    }
    if (rule.kind == alert_rule_kind::no_reliable_improvement) {
      if (rule.sessions < 2) {
        throw invalid_value_error(field + ".sessions", std::to_string(rule.sessions),
                                  "expected 2 or more sessions");
      }
      if (reliable_change_ <= 0) {
        throw invalid_value_error(field, "no_reliable_improvement",
                                  "needs a reliable_change above 0");
      }
    }
    if (rule.kind == alert_rule_kind::below_cutoff && cutoffs_.empty()) {
      throw invalid_value_error(field, "below_cutoff", "needs at least one cut-off");
    }
  }
}

MENTORCORE_DECL std::pair<double, double> instrument::total_range() const {
  double low = 0;
  double high = 0;
  for (const auto& item : items_) {
    low += item.min;
    high += item.max;
  }
  return {detail::combine_values(combine_, low, items_.size()),
          detail::combine_values(combine_, high, items_.size())};
}

MENTORCORE_DECL std::optional<double> instrument::cutoff_for(
    const std::optional<std::string>& age_band) const {
  if (!age_band) {
    if (cutoffs_.size() == 1) return cutoffs_.front().value;
    return std::nullopt;
  }
  for (const auto& c : cutoffs_) {
    if (c.age_band == *age_band) return c.value;
  }
  std::string known;
  for (const auto& c : cutoffs_) known += (known.empty() ? "" : ", ") + c.age_band;
  throw invalid_value_error(
      "age_band", "\"" + *age_band + "\"",
      name_ + " has no cut-off for it" + (known.empty() ? "" : " (bands: " + known + ")"));
}

MENTORCORE_DECL void instrument::check_answers(std::span<const double> answers) const {
  if (answers.size() != items_.size()) {
    throw invalid_value_error("answers", std::to_string(answers.size()) + " answers",
                              name_ + " has " + std::to_string(items_.size()) + " items");
  }
  for (std::size_t i = 0; i < answers.size(); ++i) {
    if (!std::isfinite(answers[i]) || answers[i] < items_[i].min || answers[i] > items_[i].max) {
      throw invalid_value_error(
          "answers[" + std::to_string(i) + "]", detail::number_text(answers[i]),
          "item " + std::to_string(i + 1) + " of " + name_ + " runs " +
              detail::number_text(items_[i].min) + "-" + detail::number_text(items_[i].max));
    }
  }
}

MENTORCORE_DECL rating_score instrument::score(std::span<const double> answers,
                                               const std::optional<std::string>& age_band) const {
  check_answers(answers);
  rating_score result;
  double sum = 0;
  for (const double answer : answers) sum += answer;
  result.total = detail::combine_values(combine_, sum, answers.size());
  for (const auto& scale : subscales_) {
    double part = 0;
    for (const int item : scale.items) part += answers[static_cast<std::size_t>(item - 1)];
    result.subscales.push_back(detail::combine_values(combine_, part, scale.items.size()));
  }
  result.cutoff = cutoff_for(age_band);
  if (result.cutoff) {
    result.below_cutoff = result.total < *result.cutoff;
    result.clinical =
        higher_is_better_ ? result.total < *result.cutoff : result.total > *result.cutoff;
  }
  return result;
}

MENTORCORE_DECL rating_change instrument::change(const rating_score& earlier,
                                                 const rating_score& current) const {
  rating_change result;
  result.change = current.total - earlier.total;
  const double gain = higher_is_better_ ? result.change : -result.change;
  if (reliable_change_ > 0) {
    result.reliably_improved = gain >= reliable_change_;
    result.reliably_deteriorated = -gain >= reliable_change_;
  }
  result.recovered = result.reliably_improved && earlier.clinical.value_or(false) &&
                     current.clinical.has_value() && !*current.clinical;
  return result;
}

}  // namespace mentorcore
