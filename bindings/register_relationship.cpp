// Motivation, ratings, goals and knowledge: enums, instruments, URICA, and the course's views.

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "casters.hpp"
#include "columns.hpp"
#include "common.hpp"
#include "convert.hpp"
#include "mentorcore/course.hpp"
#include "register.hpp"

namespace py = pybind11;

namespace mentorcore::python {
namespace {

std::vector<item_bounds> items_from_python(py::handle items) {
  if (!py::isinstance<py::iterable>(items) || PyUnicode_Check(items.ptr())) {
    wrong_value("items", items, "a list of (min, max) pairs");
  }
  std::vector<item_bounds> result;
  std::size_t index = 0;
  iterate_python(items, "items", "a list of (min, max) pairs", [&] {
    for (const auto item : items) {
      const std::string field = "items[" + std::to_string(index++) + "]";
      const auto pair = load<std::vector<double>>(item, field);
      if (pair.size() != 2) wrong_value(field, item, "a (min, max) pair");
      result.push_back({pair[0], pair[1]});
    }
  });
  return result;
}

std::vector<subscale> subscales_from_python(py::handle subscales) {
  if (subscales.is_none()) return {};
  if (!PyDict_Check(subscales.ptr()))
    wrong_value("subscales", subscales, "a dict of name: [item numbers]");
  std::vector<subscale> result;
  for (const auto& item : py::reinterpret_borrow<py::dict>(subscales)) {
    const auto name = load<std::string>(item.first, "subscales");
    result.push_back({name, load<std::vector<int>>(item.second, "subscales." + name)});
  }
  return result;
}

std::vector<cutoff> cutoffs_from_python(py::handle cutoffs) {
  if (cutoffs.is_none()) return {};
  if (!PyDict_Check(cutoffs.ptr())) wrong_value("cutoffs", cutoffs, "a dict of age band: cut-off");
  std::vector<cutoff> result;
  for (const auto& item : py::reinterpret_borrow<py::dict>(cutoffs)) {
    const auto band = load<std::string>(item.first, "cutoffs");
    result.push_back({band, load<double>(item.second, "cutoffs." + band)});
  }
  return result;
}

std::vector<alert_rule> alerts_from_python(py::handle alerts) {
  if (alerts.is_none()) return {};
  if (!py::isinstance<py::iterable>(alerts) || PyUnicode_Check(alerts.ptr())) {
    wrong_value("alerts", alerts,
                R"(a list of dicts like {"rule": "drop_from_previous", "points": 1})");
  }
  std::vector<alert_rule> result;
  std::size_t index = 0;
  iterate_python(alerts, "alerts", "a list of dicts", [&] {
    for (const auto item : alerts) {
      const std::string field = "alerts[" + std::to_string(index++) + "]";
      if (!PyDict_Check(item.ptr())) wrong_value(field, item, "a dict with a \"rule\"");
      const auto rule_dict = py::reinterpret_borrow<py::dict>(item);
      if (!rule_dict.contains("rule"))
        throw invalid_value_error(field + ".rule", "missing", "required field");
      alert_rule rule;
      rule.kind = load<alert_rule_kind>(rule_dict["rule"], field + ".rule");
      if (rule_dict.contains("points"))
        rule.points = load<double>(rule_dict["points"], field + ".points");
      if (rule_dict.contains("sessions"))
        rule.sessions = load<int>(rule_dict["sessions"], field + ".sessions");
      result.push_back(rule);
    }
  });
  return result;
}

py::dict subscale_dict(const instrument& definition, const rating_score& score) {
  py::dict result;
  for (std::size_t i = 0; i < definition.subscales().size(); ++i) {
    result[py::str(definition.subscales()[i].name)] = score.subscales[i];
  }
  return result;
}

py::dict score_dict(const instrument& definition, const rating_score& score) {
  py::dict result;
  result["total"] = score.total;
  result["subscales"] = subscale_dict(definition, score);
  result["cutoff"] = dump(score.cutoff);
  result["below_cutoff"] = dump(score.below_cutoff);
  result["clinical"] = dump(score.clinical);
  return result;
}

py::dict change_dict(const rating_change& change) {
  py::dict result;
  result["change"] = change.change;
  result["reliably_improved"] = change.reliably_improved;
  result["reliably_deteriorated"] = change.reliably_deteriorated;
  result["recovered"] = change.recovered;
  return result;
}

}  // namespace

void register_relationship(py::module_& m) {
  bind_enum<stage>(m, "Stage", "Stages of change.");
  bind_enum<assessment_method>(m, "AssessmentMethod", "How a stage was assessed.");
  bind_enum<rater>(m, "Rater", "Who gave a rating.");
  bind_enum<goal_status>(m, "GoalStatus", "The status of a goal.");
  bind_enum<step_doer>(m, "StepDoer", "Who did an action step.");
  bind_enum<data_category>(m, "DataCategory", "The data-protection category of a knowledge item.");
  bind_enum<sharing_basis>(m, "SharingBasis", "The legal basis for sharing a knowledge item.");
  bind_enum<alert_rule_kind>(m, "AlertRule", "Kinds of alert an instrument can raise.");
  bind_enum<aggregation>(m, "Aggregation", "How item answers combine.");

  py::class_<urica_result>(m, "UricaRecord", "A scored URICA-32.")
      .def_readonly("precontemplation", &urica_result::precontemplation)
      .def_readonly("contemplation", &urica_result::contemplation)
      .def_readonly("action", &urica_result::action)
      .def_readonly("maintenance", &urica_result::maintenance)
      .def_readonly("readiness", &urica_result::readiness)
      .def_readonly("stage", &urica_result::nearest_stage);
  py::class_<stage_trajectory>(m, "TrajectoryRecord", "The stages assessed for one behaviour.")
      .def_readonly("behaviour", &stage_trajectory::behaviour)
      .def_readonly("current", &stage_trajectory::current)
      .def_readonly("since", &stage_trajectory::since)
      .def_readonly("last_assessed", &stage_trajectory::last_assessed)
      .def_readonly("assessments", &stage_trajectory::assessments)
      .def_readonly("forward_moves", &stage_trajectory::forward_moves)
      .def_readonly("relapses", &stage_trajectory::relapses)
      .def_property_readonly("transitions", [](const stage_trajectory& t) {
        py::array_t<std::int64_t> matrix({6, 6});
        auto out = matrix.mutable_unchecked<2>();
        for (py::ssize_t i = 0; i < 6; ++i) {
          for (py::ssize_t j = 0; j < 6; ++j)
            out(i, j) = t.transitions[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
        }
        return matrix;
      });
  py::class_<course_alert>(m, "AlertRecord", "An alert derived from a course's events.")
      .def_readonly("code", &course_alert::code)
      .def_readonly("date", &course_alert::on)
      .def_readonly("subject", &course_alert::subject)
      .def_readonly("message", &course_alert::message);
  py::class_<knowledge_item>(m, "KnowledgeItemRecord", "A knowledge item as it stands.")
      .def_property_readonly("item", [](const knowledge_item& k) { return k.id.str(); })
      .def_readonly("category", &knowledge_item::category)
      .def_readonly("text", &knowledge_item::text)
      .def_readonly("data_category", &knowledge_item::data)
      .def_readonly("sharing_basis", &knowledge_item::basis)
      .def_readonly("basis_reference", &knowledge_item::basis_reference)
      .def_readonly("recorded_on", &knowledge_item::recorded_on)
      .def_property_readonly("recorded_by",
                             [](const knowledge_item& k) { return k.recorded_by.str(); })
      .def_readonly("revised_on", &knowledge_item::revised_on)
      .def_readonly("revisions", &knowledge_item::revisions)
      .def_readonly("retired_on", &knowledge_item::retired_on)
      .def_readonly("retired_reason", &knowledge_item::retired_reason);

  m.attr("STANDARD_KNOWLEDGE_CATEGORIES") = [] {
    py::tuple names(standard_knowledge_categories.size());
    for (std::size_t i = 0; i < standard_knowledge_categories.size(); ++i) {
      names[i] = std::string(standard_knowledge_categories[i]);
    }
    return names;
  }();

  m.def(
      "urica_score",
      [](py::handle answers, py::handle group_means) {
        const auto values = load<std::vector<int>>(answers, "answers");
        urica_staging staging;
        if (!group_means.is_none()) {
          if (!PyDict_Check(group_means.ptr()))
            wrong_value("group_means", group_means, "a dict of stage: mean");
          staging.group_means.clear();
          for (const auto& item : py::reinterpret_borrow<py::dict>(group_means)) {
            staging.group_means.emplace_back(load<stage>(item.first, "group_means"),
                                             load<double>(item.second, "group_means"));
          }
        }
        return urica_score(values, staging);
      },
      py::arg("answers"), py::arg("group_means") = py::none());

  py::class_<instrument>(m, "Instrument")
      .def(py::init([](py::handle name, py::handle version, py::handle items, py::handle subscales,
                       py::handle cutoffs, py::handle reliable_change, py::handle higher_is_better,
                       py::handle alerts, py::handle combine) {
             return instrument(
                 load<std::string>(name, "name"), load<std::string>(version, "version"),
                 items_from_python(items), subscales_from_python(subscales),
                 cutoffs_from_python(cutoffs), load<double>(reliable_change, "reliable_change"),
                 load<bool>(higher_is_better, "higher_is_better"), alerts_from_python(alerts),
                 load<aggregation>(combine, "aggregation"));
           }),
           py::arg("name"), py::kw_only(), py::arg("version") = "", py::arg("items"),
           py::arg("subscales") = py::none(), py::arg("cutoffs") = py::none(),
           py::arg("reliable_change") = 0.0, py::arg("higher_is_better") = true,
           py::arg("alerts") = py::none(), py::arg("aggregation") = "sum")
      .def_property_readonly("name", &instrument::name)
      .def_property_readonly("version", &instrument::version)
      .def_property_readonly("items",
                             [](const instrument& i) {
                               py::list result;
                               for (const auto& item : i.items())
                                 result.append(py::make_tuple(item.min, item.max));
                               return result;
                             })
      .def_property_readonly("subscales",
                             [](const instrument& i) {
                               py::dict result;
                               for (const auto& scale : i.subscales())
                                 result[py::str(scale.name)] = scale.items;
                               return result;
                             })
      .def_property_readonly("cutoffs",
                             [](const instrument& i) {
                               py::dict result;
                               for (const auto& c : i.cutoffs())
                                 result[py::str(c.age_band)] = c.value;
                               return result;
                             })
      .def_property_readonly("reliable_change", &instrument::reliable_change)
      .def_property_readonly("higher_is_better", &instrument::higher_is_better)
      .def_property_readonly("aggregation", &instrument::combine)
      .def_property_readonly("alerts",
                             [](const instrument& i) {
                               py::list result;
                               for (const auto& rule : i.alerts()) {
                                 py::dict entry;
                                 entry["rule"] = std::string(to_string(rule.kind));
                                 entry["points"] = rule.points;
                                 entry["sessions"] = rule.sessions;
                                 result.append(entry);
                               }
                               return result;
                             })
      .def_property_readonly("total_range", &instrument::total_range)
      .def(
          "score",
          [](const instrument& i, py::handle answers, py::handle age_band) {
            return score_dict(i, i.score(load<std::vector<double>>(answers, "answers"),
                                         load<std::optional<std::string>>(age_band, "age_band")));
          },
          py::arg("answers"), py::arg("age_band") = py::none())
      .def(
          "change",
          [](const instrument& i, py::handle earlier, py::handle current, py::handle age_band) {
            const auto band = load<std::optional<std::string>>(age_band, "age_band");
            return change_dict(
                i.change(i.score(load<std::vector<double>>(earlier, "earlier"), band),
                         i.score(load<std::vector<double>>(current, "current"), band)));
          },
          py::arg("earlier"), py::arg("current"), py::arg("age_band") = py::none())
      .def(
          "__eq__", [](const instrument& a, const instrument& b) { return a == b; },
          py::is_operator())
      .def(py::pickle(
          [](const instrument& i) -> py::object {
            py::list items;
            for (const auto& item : i.items()) items.append(py::make_tuple(item.min, item.max));
            py::dict subscales;
            for (const auto& scale : i.subscales()) subscales[py::str(scale.name)] = scale.items;
            py::dict cutoffs;
            for (const auto& c : i.cutoffs()) cutoffs[py::str(c.age_band)] = c.value;
            py::list alerts;
            for (const auto& rule : i.alerts()) {
              py::dict entry;
              entry["rule"] = std::string(to_string(rule.kind));
              entry["points"] = rule.points;
              entry["sessions"] = rule.sessions;
              alerts.append(entry);
            }
            return py::make_tuple(1, i.name(), i.version(), items, subscales, cutoffs,
                                  i.reliable_change(), i.higher_is_better(), alerts,
                                  std::string(to_string(i.combine())));
          },
          [](const py::object& pickled) {
            const py::tuple state = check_pickle_state(pickled, 10, 1, "Instrument");
            // Rebuilt through the same checks as a new definition.
            return instrument(
                load<std::string>(state[1], "name"), load<std::string>(state[2], "version"),
                items_from_python(state[3]), subscales_from_python(state[4]),
                cutoffs_from_python(state[5]), load<double>(state[6], "reliable_change"),
                load<bool>(state[7], "higher_is_better"), alerts_from_python(state[8]),
                load<aggregation>(state[9], "aggregation"));
          }))
      .def("__repr__", [](const instrument& i) {
        return "Instrument('" + i.name() + "', items=" + std::to_string(i.items().size()) +
               ", total " + std::string(py::repr(py::cast(i.total_range()))) + ")";
      });
}

void add_relationship_views(py::class_<course>& cls) {
  cls.def("stage_trajectories", &course::stage_trajectories)
      .def("latest_rating_totals",
           [](const course& c) {
             // The last total of each instrument, in order of first rating: what a course's
             // notebook view shows.
             std::vector<scored_rating> latest;
             for (const auto& r : c.ratings()) {
               auto it = std::find_if(latest.begin(), latest.end(), [&](const scored_rating& l) {
                 return l.instrument == r.instrument;
               });
               if (it == latest.end())
                 latest.push_back(r);
               else
                 *it = r;
             }
             return column_table(latest)
                 .add("instrument", [](const scored_rating& r) { return r.instrument; })
                 .add("date", [](const scored_rating& r) { return r.on; })
                 .add("total", [](const scored_rating& r) { return r.score.total; })
                 .done();
           })
      .def("successes", &course::successes)
      .def("knowledge_profile", &course::knowledge_profile, py::arg("include_retired") = false)
      .def(
          "alerts",
          [](const course& c, py::handle as_of, py::handle no_contact_working_days,
             const deadline_policy& deadlines) {
            alert_policy policy;
            policy.no_contact_working_days =
                load<int>(no_contact_working_days, "no_contact_working_days");
            policy.deadlines = deadlines;
            return c.alerts(load<date>(as_of, "as_of"), policy);
          },
          py::arg("as_of"), py::arg("no_contact_working_days"), py::arg("deadlines"));
}

}  // namespace mentorcore::python
