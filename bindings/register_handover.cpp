// Consent and handovers: enums and the course's handover views.

#include <map>
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

  py::class_<rating_across_handover>(
      m, "RatingAcrossHandover", "An instrument's last total before and first after a handover.")
      .def_readonly("instrument", &rating_across_handover::instrument)
      .def_readonly("before", &rating_across_handover::before)
      .def_readonly("after", &rating_across_handover::after)
      .def_property_readonly("change", &rating_across_handover::change);

  using H = handover_record;
  py::class_<H>(m, "HandoverRecord", "A handover as it stands, with its measures.")
      .def_property_readonly("id", [](const H& h) { return h.id.str(); })
      .def_readonly("date", &H::made_on)
      .def_property_readonly("sender", [](const H& h) { return h.from.str(); })
      .def_readonly("sender_role", &H::from_role)
      .def_property_readonly("receiver", [](const H& h) { return h.to.str(); })
      .def_readonly("receiver_role", &H::to_role)
      .def_readonly("handover_type", &H::type)
      .def_readonly("planned", &H::planned)
      .def_readonly("purpose", &H::purpose)
      .def_readonly("severity", &H::citizen_severity)
      .def_readonly("summary_note", &H::summary_note)
      // Actions, contingencies and appointments keep the shape they were recorded in (the
      // event's fields), so they read back as they were given.
      .def_property_readonly("actions", [](const H& h) { return dump(h.actions); })
      .def_property_readonly("contingencies", [](const H& h) { return dump(h.contingencies); })
      .def_readonly("commitments", &H::commitments)
      .def_property_readonly("open_appointments",
                             [](const H& h) { return dump(h.open_appointments); })
      .def_readonly("state", &H::state)
      .def_readonly("settled_on", &H::settled_on)
      .def_readonly("read_back", &H::read_back)
      .def_readonly("reason", &H::reason)
      .def_property_readonly("carried", [](const H& h) { return ids(h.carried); })
      .def_property_readonly("withheld", [](const H& h) { return ids(h.withheld); })
      .def_property_readonly("dropped", [](const H& h) { return ids(h.dropped); })
      .def_property_readonly("withheld_by_category",
                             [](const H& h) {
                               std::map<data_category, int> counts;
                               for (const auto category : all_values<data_category>()) {
                                 const int count =
                                     h.withheld_by_category[static_cast<std::size_t>(category)];
                                 if (count > 0) counts[category] = count;
                               }
                               return counts;
                             })
      .def_property_readonly("completeness", [](const H& h) { return h.completeness(); })
      .def_readonly("days_to_first_contact", &H::days_to_first_contact)
      .def_readonly("no_shows_within_30_days", &H::no_shows_within_30_days)
      .def_readonly("ratings", &H::ratings);
}

void add_handover_views(py::class_<course>& cls) {
  cls.def("handovers", &course::handovers)
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
      .def("responsible",
           [](const course& c) {
             const auto [who, role] = c.responsible();
             return py::make_tuple(who.str(), role);
           })
      .def("mentor_changes", &course::mentor_changes);
}

}  // namespace mentorcore::python
