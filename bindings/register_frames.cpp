// The course's tables as columns (columns.hpp): one method per table on Course, and the
// handovers of many courses. mentorcore/frames.py turns each into a DataFrame in one step.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "casters.hpp"
#include "columns.hpp"
#include "common.hpp"
#include "convert.hpp"
#include "courses.hpp"
#include "mentorcore/course.hpp"
#include "register.hpp"

namespace py = pybind11;

namespace mentorcore::python {
namespace {

template <class Payload>
using dated = std::pair<date, const Payload*>;

py::dict consent_columns(const course& c) {
  return column_table(c.consents())
      .add("consent", [](const consent_record& r) { return r.id.str(); })
      .add("recipient", [](const consent_record& r) { return r.recipient; })
      .add("recipient_role", [](const consent_record& r) { return r.recipient_role; })
      .add_objects("purposes", [](const consent_record& r) { return dump(r.purposes); })
      .add_objects("data_categories",
                   [](const consent_record& r) {
                     py::list names;
                     for (const auto category : r.data_categories)
                       names.append(std::string(to_string(category)));
                     return names;
                   })
      .add("valid_from", [](const consent_record& r) { return r.valid_from; })
      .add("valid_to", [](const consent_record& r) { return r.valid_to; })
      .add("form", [](const consent_record& r) { return r.form; })
      .add("given_on", [](const consent_record& r) { return r.given_on; })
      .add("withdrawn_on", [](const consent_record& r) { return r.withdrawn_on; })
      .done();
}

py::dict assessment_columns(const course& c) {
  const auto rows = c.stage_assessments();
  using row = dated<stage_assessed>;
  return column_table(rows)
      .add("date", [](const row& r) { return r.first; })
      .add("behaviour", [](const row& r) { return r.second->behaviour; })
      .add("stage", [](const row& r) { return r.second->assessed; })
      .add("method", [](const row& r) { return r.second->method; })
      .add("assessor", [](const row& r) { return r.second->assessor.str(); })
      .add("score", [](const row& r) { return r.second->score; })
      .add("importance", [](const row& r) { return r.second->importance; })
      .add("confidence", [](const row& r) { return r.second->confidence; })
      .add("readiness", [](const row& r) { return r.second->readiness; })
      .add("ruler_min", [](const row& r) { return r.second->ruler_min; })
      .add("ruler_max", [](const row& r) { return r.second->ruler_max; })
      .done();
}

py::dict rating_columns(const course& c, const std::string& instrument_name) {
  const auto rows = c.ratings(instrument_name);
  using R = scored_rating;
  const auto from_baseline = [](auto get) {
    return [get](const R& r) {
      return r.from_baseline ? std::optional(get(*r.from_baseline)) : std::nullopt;
    };
  };
  auto table = column_table(rows);
  table.add("date", [](const R& r) { return r.on; })
      .add("instrument", [](const R& r) { return r.instrument; })
      .add("rated_by", [](const R& r) { return r.rated_by; })
      .add("age_band", [](const R& r) { return r.age_band; })
      .add("session", [](const R& r) { return r.session; })
      .add("total", [](const R& r) { return r.score.total; })
      .add("cutoff", [](const R& r) { return r.score.cutoff; })
      .add("below_cutoff", [](const R& r) { return r.score.below_cutoff; })
      .add("clinical", [](const R& r) { return r.score.clinical; })
      .add("change_from_baseline", from_baseline([](const rating_change& x) { return x.change; }))
      .add("reliably_improved",
           from_baseline([](const rating_change& x) { return x.reliably_improved; }))
      .add("reliably_deteriorated",
           from_baseline([](const rating_change& x) { return x.reliably_deteriorated; }))
      .add("recovered", from_baseline([](const rating_change& x) { return x.recovered; }))
      .add("change_from_previous", [](const R& r) {
        return r.from_previous ? std::optional(r.from_previous->change) : std::nullopt;
      });
  py::dict columns = table.done();
  // One instrument: its subscales too, one column each.
  if (!instrument_name.empty()) {
    if (const auto* definition = c.reference().find_instrument(instrument_name)) {
      for (std::size_t s = 0; s < definition->subscales().size(); ++s) {
        std::vector<double> values;
        values.reserve(rows.size());
        for (const auto& r : rows) values.push_back(r.score.subscales[s]);
        columns[py::str(definition->subscales()[s].name)] = column(values);
      }
    }
  }
  return columns;
}

py::dict talk_columns(const course& c) {
  const auto rows = c.talk_counts();
  using row = dated<talk_counted>;
  return column_table(rows)
      .add("date", [](const row& r) { return r.first; })
      .add("desire", [](const row& r) { return r.second->desire; })
      .add("ability", [](const row& r) { return r.second->ability; })
      .add("reasons", [](const row& r) { return r.second->reasons; })
      .add("need", [](const row& r) { return r.second->need; })
      .add("commitment", [](const row& r) { return r.second->commitment; })
      .add("activation", [](const row& r) { return r.second->activation; })
      .add("taking_steps", [](const row& r) { return r.second->taking_steps; })
      .add("sustain", [](const row& r) { return r.second->sustain; })
      .add("change_talk", [](const row& r) { return r.second->change_talk(); })
      .done();
}

py::dict goal_columns(const course& c) {
  return column_table(c.goals())
      .add("goal", [](const goal_state& g) { return g.id.str(); })
      .add("text", [](const goal_state& g) { return g.text; })
      .add("status", [](const goal_state& g) { return g.status; })
      .add("set_on", [](const goal_state& g) { return g.set_on; })
      .add("status_changed_on", [](const goal_state& g) { return g.status_changed_on; })
      .done();
}

py::dict step_columns(const course& c) {
  return column_table(c.steps())
      .add("step", [](const step_state& s) { return s.id.str(); })
      .add("goal", [](const step_state& s) { return s.goal.str(); })
      .add("text", [](const step_state& s) { return s.text; })
      .add("planned_on", [](const step_state& s) { return s.planned_on; })
      .add("due", [](const step_state& s) { return s.due; })
      .add("done_on", [](const step_state& s) { return s.done_on; })
      .add("done_by", [](const step_state& s) { return s.done_by; })
      .done();
}

py::dict empowerment_columns(const course& c) {
  const auto rows = c.empowerment_by_month();
  return column_table(rows)
      .add("month_of_course", [](const empowerment_month& m) { return m.month_of_course; })
      .add("done_alone", [](const empowerment_month& m) { return m.done_alone; })
      .add("done_with_support", [](const empowerment_month& m) { return m.done_with_support; })
      .add("done_by_mentor", [](const empowerment_month& m) { return m.done_by_mentor; })
      .add("done", [](const empowerment_month& m) { return m.done(); })
      .done();
}

py::dict knowledge_columns(const course& c, bool include_retired) {
  const auto rows = c.knowledge_profile(include_retired);
  using K = knowledge_item;
  return column_table(rows)
      .add("item", [](const K& k) { return k.id.str(); })
      .add("category", [](const K& k) { return k.category; })
      .add("text", [](const K& k) { return k.text; })
      .add("data_category", [](const K& k) { return k.data; })
      .add("sharing_basis", [](const K& k) { return k.basis; })
      .add("basis_reference", [](const K& k) { return k.basis_reference; })
      .add("recorded_on", [](const K& k) { return k.recorded_on; })
      .add("recorded_by", [](const K& k) { return k.recorded_by.str(); })
      .add("revised_on", [](const K& k) { return k.revised_on; })
      .add("revisions", [](const K& k) { return k.revisions; })
      .add("retired_on", [](const K& k) { return k.retired_on; })
      .add("retired_reason", [](const K& k) { return k.retired_reason; })
      .done();
}

py::dict phase_columns(const course& c) {
  return column_table(c.phases())
      .add("phase", [](const phase_period& p) { return p.which; })
      .add("start", [](const phase_period& p) { return p.start; })
      .add("end", [](const phase_period& p) { return p.end; })
      .add("reason", [](const phase_period& p) { return p.reason; })
      .done();
}

py::dict pause_columns(const course& c) {
  return column_table(c.pauses())
      .add("reason", [](const pause_period& p) { return p.reason; })
      .add("start", [](const pause_period& p) { return p.start; })
      .add("end", [](const pause_period& p) { return p.end; })
      .done();
}

// The existing columns keep their positions; provider, counted_to and hours_planned follow.
py::dict grant_columns(const course& c, const std::optional<date>& as_of) {
  const auto rows = c.grant_usage_by_grant(as_of);
  return column_table(rows)
      .add("grant", [](const grant_usage& g) { return g.grant.str(); })
      .add("predecessor", [](const grant_usage& g) { return g.predecessor; })
      .add("legal_basis", [](const grant_usage& g) { return g.legal_basis; })
      .add("start", [](const grant_usage& g) { return g.start; })
      .add("end", [](const grant_usage& g) { return g.end; })
      .add("hours_per_week", [](const grant_usage& g) { return g.hours_per_week; })
      .add("hours_granted", [](const grant_usage& g) { return g.hours_granted; })
      .add("hours_delivered", [](const grant_usage& g) { return g.hours_delivered; })
      .add("utilisation", [](const grant_usage& g) { return g.utilisation(); })
      .add("provider", [](const grant_usage& g) { return g.provider; })
      // Before `start` when none of the grant is counted: shown as missing.
      .add("counted_to",
           [](const grant_usage& g) {
             return g.counted_to < g.start ? std::nullopt : std::optional(g.counted_to);
           })
      .add("hours_planned", [](const grant_usage& g) { return g.hours_planned; })
      .done();
}

py::dict start_columns(const course& c) {
  return column_table(c.starts())
      .add("start_type", [](const start_period& s) { return s.type; })
      .add("employer_or_institution",
           [](const start_period& s) { return s.employer_or_institution; })
      .add("hours_per_week", [](const start_period& s) { return s.hours_per_week; })
      .add("start", [](const start_period& s) { return s.start; })
      .add("end", [](const start_period& s) { return s.end; })
      .add("cause", [](const start_period& s) { return s.cause; })
      .add("superseded", [](const start_period& s) { return s.superseded; })
      .done();
}

py::dict status_columns(const course& c) {
  return column_table(c.statuses_after_closure())
      .add("date", [](const followup_record& r) { return r.on; })
      .add("status", [](const followup_record& r) { return r.status; })
      .add("source", [](const followup_record& r) { return r.source; })
      .add("closed_on", [](const followup_record& r) { return r.closed_on; })
      .add("days_after_closure", [](const followup_record& r) { return r.days_after_closure; })
      .done();
}

py::dict attendance_columns(const course& c) {
  const auto rows = c.attendance_by_location();
  auto table = column_table(rows);
  table.add("location", [](const attendance_counts& a) { return a.where; })
      .add("contacts", [](const attendance_counts& a) { return a.contacts; });
  py::dict columns = table.done();
  for (const auto which : all_values<attendance>()) {
    std::vector<int> counts;
    counts.reserve(rows.size());
    for (const auto& row : rows) counts.push_back(row.count(which));
    columns[py::str(std::string(to_string(which)))] = column(counts);
  }
  return columns;
}

py::dict home_visit_columns(const course& c) {
  const auto rows = c.home_visit_share_by_month();
  return column_table(rows)
      .add("month_of_course", [](const monthly_home_share& m) { return m.month_of_course; })
      .add("home_visits", [](const monthly_home_share& m) { return m.home_visits; })
      .add("in_person_contacts", [](const monthly_home_share& m) { return m.in_person_contacts; })
      .done();
}

// The handovers of many courses, one row each, with the course's id and mentor changes.
py::dict handover_columns(const std::vector<const course*>& courses) {
  struct row {
    const course* of;
    handover_record h;
    int mentor_changes;
  };
  std::vector<row> rows;
  for (const auto* c : courses) {
    const int changes = c->mentor_changes();
    for (auto& h : c->handovers()) rows.push_back({c, std::move(h), changes});
  }
  return column_table(rows)
      .add("course", [](const row& r) { return r.of->id().str(); })
      .add("handover", [](const row& r) { return r.h.id.str(); })
      .add("date", [](const row& r) { return r.h.made_on; })
      .add("sender", [](const row& r) { return r.h.from.str(); })
      .add("sender_role", [](const row& r) { return r.h.from_role; })
      .add("receiver", [](const row& r) { return r.h.to.str(); })
      .add("receiver_role", [](const row& r) { return r.h.to_role; })
      .add("handover_type", [](const row& r) { return r.h.type; })
      .add("planned", [](const row& r) { return r.h.planned; })
      .add("severity", [](const row& r) { return r.h.citizen_severity; })
      .add("state", [](const row& r) { return r.h.state; })
      .add("settled_on", [](const row& r) { return r.h.settled_on; })
      .add("carried", [](const row& r) { return static_cast<int>(r.h.carried.size()); })
      .add("withheld", [](const row& r) { return static_cast<int>(r.h.withheld.size()); })
      .add("dropped", [](const row& r) { return static_cast<int>(r.h.dropped.size()); })
      .add("completeness", [](const row& r) { return r.h.completeness(); })
      .add("days_to_first_contact", [](const row& r) { return r.h.days_to_first_contact; })
      .add("no_shows_within_30_days", [](const row& r) { return r.h.no_shows_within_30_days; })
      .add("mentor_changes", [](const row& r) { return r.mentor_changes; })
      .add_objects("rating_changes",
                   [](const row& r) {
                     py::dict changes;
                     for (const auto& rating : r.h.ratings)
                       changes[py::str(rating.instrument)] = rating.change();
                     return changes;
                   })
      .done();
}

}  // namespace

void register_frames(py::module_& m) {
  m.def(
      "handover_columns",
      [](py::handle courses) {
        py::list keep;
        return handover_columns(courses_from_python(courses, keep));
      },
      py::arg("courses"), "The handovers of an iterable of Course as columns.");
}

void add_frame_views(py::class_<course>& cls) {
  cls.def("consent_columns", &consent_columns)
      .def("assessment_columns", &assessment_columns)
      .def(
          "rating_columns",
          [](const course& c, py::handle instrument_name) {
            return rating_columns(c, load<std::string>(instrument_name, "instrument"));
          },
          py::arg("instrument") = "")
      .def("talk_columns", &talk_columns)
      .def("goal_columns", &goal_columns)
      .def("step_columns", &step_columns)
      .def("empowerment_columns", &empowerment_columns)
      .def(
          "knowledge_columns",
          [](const course& c, py::handle include_retired) {
            return knowledge_columns(c, load<bool>(include_retired, "include_retired"));
          },
          py::arg("include_retired") = false)
      .def("phase_columns", &phase_columns)
      .def("pause_columns", &pause_columns)
      .def(
          "grant_columns",
          [](const course& c, py::handle as_of) {
            return grant_columns(c, load<std::optional<date>>(as_of, "as_of"));
          },
          py::arg("as_of") = py::none())
      .def("start_columns", &start_columns)
      .def("status_columns", &status_columns)
      .def("attendance_columns", &attendance_columns)
      .def("home_visit_columns", &home_visit_columns);
}

}  // namespace mentorcore::python
