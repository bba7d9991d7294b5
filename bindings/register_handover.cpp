// Consent and handovers: enums and the course's handover views.

#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "casters.hpp"
#include "common.hpp"
#include "convert.hpp"
#include "mentorcore/course.hpp"
#include "register.hpp"

namespace py = pybind11;

namespace mentorcore::python {
namespace {

py::list ids(const std::vector<knowledge_id>& items) {
  py::list result;
  for (const auto& id : items) result.append(id.str());
  return result;
}

py::dict handover_dict(const handover_record& h) {
  py::dict d;
  d["handover"] = h.id.str();
  d["date"] = h.made_on;
  d["from"] = h.from.str();
  d["from_role"] = h.from_role;
  d["to"] = h.to.str();
  d["to_role"] = h.to_role;
  d["handover_type"] = h.type;
  d["planned"] = h.planned;
  d["purpose"] = h.purpose;
  d["severity"] = h.citizen_severity;
  d["summary_note"] = h.summary_note;
  d["actions"] = dump(h.actions);
  d["contingencies"] = dump(h.contingencies);
  d["commitments"] = dump(h.commitments);
  d["open_appointments"] = dump(h.open_appointments);
  d["state"] = h.state;
  d["settled_on"] = dump(h.settled_on);
  d["read_back"] = h.read_back;
  d["reason"] = h.reason;
  d["carried"] = ids(h.carried);
  d["withheld"] = ids(h.withheld);
  d["dropped"] = ids(h.dropped);
  py::dict withheld_by_category;
  for (const auto category : all_values<data_category>()) {
    const int count = h.withheld_by_category[static_cast<std::size_t>(category)];
    if (count > 0) withheld_by_category[py::str(std::string(to_string(category)))] = count;
  }
  d["withheld_by_category"] = withheld_by_category;
  d["completeness"] = h.completeness();
  d["days_to_first_contact"] = dump(h.days_to_first_contact);
  d["no_shows_within_30_days"] = h.no_shows_within_30_days;
  py::dict ratings;
  for (const auto& r : h.ratings)
    ratings[py::str(r.instrument)] = py::make_tuple(r.before, r.after, r.change());
  d["ratings"] = ratings;
  return d;
}

const handover_record& nth_handover(const std::vector<handover_record>& all, py::handle index) {
  const int i = load<int>(index, "index");
  if (i < 0 || static_cast<std::size_t>(i) >= all.size()) {
    throw out_of_range_error("index", std::to_string(i),
                             "the course has " + std::to_string(all.size()) + " handovers");
  }
  return all[static_cast<std::size_t>(i)];
}

}  // namespace

void register_handover(py::module_& m) {
  bind_enum<party_role>(m, "PartyRole", "The role of a party to a handover or a consent.");
  bind_enum<handover_type>(m, "HandoverType", "How a handover happened.");
  bind_enum<severity>(m, "Severity", "How stable the citizen's situation is (I-PASS).");
  bind_enum<consent_form>(m, "ConsentForm", "How a consent was given.");
  bind_enum<handover_state>(m, "HandoverState", "Where a handover stands.");
  bind_enum<handover_section>(m, "HandoverSection",
                              "Sections a handover's completeness is checked for.");
}

void add_handover_views(py::class_<course>& cls) {
  cls.def("handovers",
          [](const course& c) {
            py::list rows;
            for (const auto& h : c.handovers()) rows.append(handover_dict(h));
            return rows;
          })
      .def(
          "handover_markdown",
          [](const course& c, py::handle index) {
            return c.handover_markdown(nth_handover(c.handovers(), index));
          },
          py::arg("index"))
      .def(
          "handover_completeness",
          [](const course& c, py::handle index, py::handle sections) {
            handover_checklist checklist;
            checklist.sections = load<std::vector<handover_section>>(sections, "checklist");
            return nth_handover(c.handovers(), index).completeness(checklist);
          },
          py::arg("index"), py::arg("checklist"))
      .def("consents",
           [](const course& c) {
             py::list rows;
             for (const auto& r : c.consents()) {
               rows.append(py::make_tuple(r.id.str(), dump(r.recipient), dump(r.recipient_role),
                                          r.purposes, dump(r.data_categories), r.valid_from,
                                          r.valid_to, r.form, r.given_on, r.withdrawn_on));
             }
             return rows;
           })
      .def("responsible",
           [](const course& c) {
             const auto [who, role] = c.responsible();
             return py::make_tuple(who.str(), role);
           })
      .def("mentor_changes", &course::mentor_changes);
}

}  // namespace mentorcore::python
