// Motivation, ratings, goals and knowledge: enums, instruments, URICA, and the course's views.

#include <array>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "casters.hpp"
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
  for (const auto item : items) {
    const std::string field = "items[" + std::to_string(index++) + "]";
    const auto pair = load<std::vector<double>>(item, field);
    if (pair.size() != 2) wrong_value(field, item, "a (min, max) pair");
    result.push_back({pair[0], pair[1]});
  }
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
                "a list of dicts like {\"rule\": \"drop_from_previous\", \"points\": 1}");
  }
  std::vector<alert_rule> result;
  std::size_t index = 0;
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
        const auto result = urica_score(values, staging);
        return py::make_tuple(result.precontemplation, result.contemplation, result.action,
                              result.maintenance, result.readiness, result.nearest_stage);
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
          [](const instrument& i) {
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
          [](const py::tuple& state) {
            check_pickle_state(state, 10, 1, "Instrument");
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
  cls.def("stage_trajectories",
          [](const course& c) {
            py::list rows;
            for (const auto& t : c.stage_trajectories()) {
              py::array_t<std::int32_t> matrix({6, 6});
              auto out = matrix.mutable_unchecked<2>();
              for (py::ssize_t i = 0; i < 6; ++i) {
                for (py::ssize_t j = 0; j < 6; ++j)
                  out(i, j) =
                      t.transitions[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
              }
              rows.append(py::make_tuple(t.behaviour, t.current, t.since, t.last_assessed,
                                         t.assessments, t.forward_moves, t.relapses, matrix));
            }
            return rows;
          })
      .def("stage_assessments",
           [](const course& c) {
             py::list rows;
             for (const auto& [day, a] : c.stage_assessments())
               rows.append(py::make_tuple(day, payload_to_dict(*a)));
             return rows;
           })
      .def(
          "ratings",
          [](const course& c, const std::string& name) {
            py::list rows;
            for (const auto& r : c.ratings(name)) {
              const auto* definition = c.reference().find_instrument(r.instrument);
              rows.append(py::make_tuple(
                  r.on, r.instrument, r.rated_by, dump(r.age_band), r.session,
                  score_dict(*definition, r.score),
                  r.from_baseline ? py::object(change_dict(*r.from_baseline)) : py::none(),
                  r.from_previous ? py::object(change_dict(*r.from_previous)) : py::none()));
            }
            return rows;
          },
          py::arg("instrument") = "")
      .def("talk_counts",
           [](const course& c) {
             py::list rows;
             for (const auto& [day, t] : c.talk_counts())
               rows.append(py::make_tuple(day, payload_to_dict(*t)));
             return rows;
           })
      .def("goals",
           [](const course& c) {
             py::list rows;
             for (const auto& g : c.goals()) {
               rows.append(
                   py::make_tuple(g.id.str(), g.text, g.status, g.set_on, g.status_changed_on));
             }
             return rows;
           })
      .def("steps",
           [](const course& c) {
             py::list rows;
             for (const auto& s : c.steps()) {
               rows.append(py::make_tuple(s.id.str(), s.goal.str(), s.text, s.planned_on, s.due,
                                          s.done_on, s.done_by));
             }
             return rows;
           })
      .def("successes", &course::successes)
      .def("empowerment_by_month",
           [](const course& c) {
             py::list rows;
             for (const auto& row : c.empowerment_by_month()) {
               rows.append(py::make_tuple(row.month_of_course, row.done_alone,
                                          row.done_with_support, row.done_by_mentor, row.done()));
             }
             return rows;
           })
      .def(
          "knowledge_profile",
          [](const course& c, bool include_retired) {
            py::list rows;
            for (const auto& k : c.knowledge_profile(include_retired)) {
              rows.append(py::make_tuple(
                  k.id.str(), k.category, k.text, k.data, k.basis, k.basis_reference, k.recorded_on,
                  k.recorded_by.str(), k.revised_on, k.revisions, k.retired_on, k.retired_reason));
            }
            return rows;
          },
          py::arg("include_retired") = false)
      .def(
          "alerts",
          [](const course& c, py::handle as_of, py::handle no_contact_working_days,
             const deadline_policy& deadlines) {
            alert_policy policy;
            policy.no_contact_working_days =
                load<int>(no_contact_working_days, "no_contact_working_days");
            policy.deadlines = deadlines;
            py::list rows;
            for (const auto& a : c.alerts(load<date>(as_of, "as_of"), policy)) {
              rows.append(py::make_tuple(a.code, a.on, a.subject, a.message));
            }
            return rows;
          },
          py::arg("as_of"), py::arg("no_contact_working_days"), py::arg("deadlines"));
}

}  // namespace mentorcore::python
