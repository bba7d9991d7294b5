#pragma once
/// \file event.hpp
/// The events a course is made of. Every change to a course is a dated, attributed event; a
/// course validates each against its state and appends it, and all state derives from them.
///
/// Each payload type lists its fields once, in payload_traits<T>::fields, with their stable
/// names. That one list drives conversion to and from Python, the DataFrame views and the
/// event-log format, so a field is named the same everywhere.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <gsl/assert>

#include "mentorcore/contact.hpp"
#include "mentorcore/date.hpp"
#include "mentorcore/handover.hpp"
#include "mentorcore/ids.hpp"
#include "mentorcore/instrument.hpp"
#include "mentorcore/knowledge.hpp"
#include "mentorcore/motivation.hpp"
#include "mentorcore/phase.hpp"

namespace mentorcore {

/// The municipality orders a course for a citizen. Always the first event of a course.
struct course_ordered {
  course_id course;
  citizen_key citizen;
  municipality_code municipality;
  std::string target_group;                        ///< reference data: target_group
  std::optional<std::string> assessment_category;  ///< reference data: assessment_category
  staff_id caseworker;
  int retention_min_months = 3;  ///< planned retention window, in Danish months
  int retention_max_months = 6;
  friend bool operator==(const course_ordered&, const course_ordered&) = default;
};

/// A grant (bevilling): the citizen's plan with the five required fields (goal, mentor and
/// contact, tasks, duration, hours). An extension names its predecessor.
struct grant_made {
  grant_id grant;
  std::string goal;
  staff_id mentor;
  std::string mentor_contact;
  std::string tasks;
  double hours_per_week = 0;
  boost::gregorian::date start;
  boost::gregorian::date end;  ///< inclusive
  std::string legal_basis;     ///< reference data: legal_basis
  std::optional<grant_id> predecessor;
  friend bool operator==(const grant_made&, const grant_made&) = default;
};

/// The course moves to another active phase.
struct phase_changed {
  phase to = phase::pre_employment;
  std::string reason;
  friend bool operator==(const phase_changed&, const phase_changed&) = default;
};

/// The citizen starts work or education (the event's date is the start date).
struct start_recorded {
  start_type type = start_type::ordinary_job;
  std::string employer_or_institution;
  double hours_per_week = 0;
  friend bool operator==(const start_recorded&, const start_recorded&) = default;
};

/// A clarification concluded on a realistic goal.
struct clarification_concluded {
  clarification_outcome outcome = clarification_outcome::job;
  std::string note;
  friend bool operator==(const clarification_concluded&, const clarification_concluded&) = default;
};

/// A contact between mentor and citizen (the event's date is the contact's date).
struct contact_logged {
  staff_id mentor;
  location where = location::home;
  attendance attended = attendance::attended;
  int planned_minutes = 0;
  int actual_minutes = 0;
  bool billable = true;
  std::optional<non_billable_reason> non_billable;
  friend bool operator==(const contact_logged&, const contact_logged&) = default;
};

/// An independence milestone recorded by hand (others are derived from contacts and phases).
struct milestone_recorded {
  milestone reached = milestone::first_office_visit;
  friend bool operator==(const milestone_recorded&, const milestone_recorded&) = default;
};

/// The course is paused (illness, admission, holiday): the clock stops for durations.
struct course_paused {
  pause_reason reason = pause_reason::other;
  friend bool operator==(const course_paused&, const course_paused&) = default;
};

/// The pause ends.
struct course_resumed {
  friend bool operator==(const course_resumed&, const course_resumed&) = default;
};

/// The course is closed with a reason. Only an explicit reopen follows.
struct course_closed {
  closure_reason reason = closure_reason::other;
  std::string note;
  friend bool operator==(const course_closed&, const course_closed&) = default;
};

/// A closed course is reopened, returning to the phase it was closed in.
struct course_reopened {
  std::string reason;
  friend bool operator==(const course_reopened&, const course_reopened&) = default;
};

/// A stage of change assessed for one target behaviour. Rulers store their scale bounds.
struct stage_assessed {
  std::string behaviour;  ///< the target behaviour, e.g. "attends_appointments_alone"
  stage assessed = stage::precontemplation;
  assessment_method method = assessment_method::clinical_judgement;
  staff_id assessor;
  std::optional<double> score;  ///< the method's score, e.g. URICA readiness
  std::optional<double> importance;
  std::optional<double> confidence;
  std::optional<double> readiness;
  int ruler_min = 0;  ///< the rulers' scale: 0-10 by default, some use 1-10
  int ruler_max = 10;
  friend bool operator==(const stage_assessed&, const stage_assessed&) = default;
};

/// Motivational-interviewing talk counted in a session: change talk (DARN-CAT) and sustain talk.
struct talk_counted {
  int desire = 0;
  int ability = 0;
  int reasons = 0;
  int need = 0;
  int commitment = 0;
  int activation = 0;
  int taking_steps = 0;
  int sustain = 0;
  [[nodiscard]] int change_talk() const {
    return desire + ability + reasons + need + commitment + activation + taking_steps;
  }
  friend bool operator==(const talk_counted&, const talk_counted&) = default;
};

/// A rating on a user-defined instrument (defined in the course's reference data).
struct rating_recorded {
  std::string instrument;
  std::vector<double> answers;
  rater rated_by = rater::citizen;
  std::optional<std::string> age_band;  ///< which cut-off applies
  friend bool operator==(const rating_recorded&, const rating_recorded&) = default;
};

/// A goal in the citizen's own words.
struct goal_set {
  goal_id goal;
  std::string text;
  friend bool operator==(const goal_set&, const goal_set&) = default;
};

/// A goal's status changes, or its wording is revised.
struct goal_updated {
  goal_id goal;
  goal_status status = goal_status::active;
  std::optional<std::string> text;
  friend bool operator==(const goal_updated&, const goal_updated&) = default;
};

/// An action step towards a goal.
struct step_planned {
  step_id step;
  goal_id goal;
  std::string text;
  std::optional<boost::gregorian::date> due;
  friend bool operator==(const step_planned&, const step_planned&) = default;
};

/// An action step is done, and by whom.
struct step_done {
  step_id step;
  step_doer done_by = step_doer::citizen_alone;
  friend bool operator==(const step_done&, const step_done&) = default;
};

/// A small success, in a log of its own.
struct success_logged {
  std::string text;
  friend bool operator==(const success_logged&, const success_logged&) = default;
};

/// Something learnt about the person, with its data category and legal basis for sharing.
struct knowledge_recorded {
  knowledge_id item;
  std::string category;  ///< a standard category or a user-defined one
  std::string text;
  data_category data = data_category::ordinary;
  sharing_basis basis = sharing_basis::consent;
  std::string basis_reference;  ///< the consent id, the provision, or the task
  friend bool operator==(const knowledge_recorded&, const knowledge_recorded&) = default;
};

/// A knowledge item is revised; fields left out keep their value.
struct knowledge_revised {
  knowledge_id item;
  std::optional<std::string> category;
  std::optional<std::string> text;
  std::optional<data_category> data;
  std::optional<sharing_basis> basis;
  std::optional<std::string> basis_reference;
  friend bool operator==(const knowledge_revised&, const knowledge_revised&) = default;
};

/// A knowledge item no longer holds; its history stays.
struct knowledge_retired {
  knowledge_id item;
  std::string reason;
  friend bool operator==(const knowledge_retired&, const knowledge_retired&) = default;
};

/// The citizen consents to sharing, scoped by recipient, purposes, data categories and period.
struct consent_given {
  consent_id consent;
  std::optional<staff_id> recipient;
  std::optional<party_role> recipient_role;
  std::vector<std::string> purposes;
  std::vector<data_category> data_categories;
  boost::gregorian::date valid_from;
  std::optional<boost::gregorian::date> valid_to;
  consent_form form = consent_form::written;
  friend bool operator==(const consent_given&, const consent_given&) = default;
};

/// The citizen withdraws a consent (the event's date): later sharing stops, earlier records stay.
struct consent_withdrawn {
  consent_id consent;
  friend bool operator==(const consent_withdrawn&, const consent_withdrawn&) = default;
};

/// A handover is made (I-PASS: severity, summary, actions, situation awareness and contingencies;
/// the receiver's synthesis follows as handover_acknowledged).
struct handover_made {
  handover_id handover;
  staff_id from;
  party_role from_role = party_role::mentor;
  staff_id to;
  party_role to_role = party_role::mentor;
  handover_type type = handover_type::verbal_and_written;
  bool planned = true;
  std::string purpose;  ///< what the sharing is for; a consent must name it
  severity citizen_severity = severity::stable;
  std::string summary_note;
  std::vector<handover_action> actions;
  std::vector<contingency> contingencies;
  std::vector<knowledge_id> knowledge_items;  ///< the items the sender includes
  std::vector<std::string> commitments;       ///< promises made to the citizen
  std::vector<appointment> open_appointments;
  friend bool operator==(const handover_made&, const handover_made&) = default;
};

/// The receiver reads back and accepts the handover: responsibility moves to them.
struct handover_acknowledged {
  handover_id handover;
  std::string read_back;
  friend bool operator==(const handover_acknowledged&, const handover_acknowledged&) = default;
};

/// The receiver does not accept the handover.
struct handover_rejected {
  handover_id handover;
  std::string reason;
  friend bool operator==(const handover_rejected&, const handover_rejected&) = default;
};

/// The sender withdraws the handover before it is settled.
struct handover_revoked {
  handover_id handover;
  std::string reason;
  friend bool operator==(const handover_revoked&, const handover_revoked&) = default;
};

/// One field of a payload: its stable name, the member, and whether input must supply it.
template <class Payload, class Member>
struct field_info {
  std::string_view name;
  Member Payload::*member;
  bool required;
};

template <class Payload, class Member>
constexpr field_info<Payload, Member> required_field(std::string_view name,
                                                     Member Payload::*member) {
  return {name, member, true};
}
template <class Payload, class Member>
constexpr field_info<Payload, Member> optional_field(std::string_view name,
                                                     Member Payload::*member) {
  return {name, member, false};
}

/// Specialised for each payload: its event type name and its fields.
template <class Payload>
struct payload_traits;

template <>
struct payload_traits<course_ordered> {
  static constexpr std::string_view name = "course_ordered";
  static constexpr auto fields = std::make_tuple(
      required_field("course", &course_ordered::course),
      required_field("citizen", &course_ordered::citizen),
      required_field("municipality", &course_ordered::municipality),
      required_field("target_group", &course_ordered::target_group),
      optional_field("assessment_category", &course_ordered::assessment_category),
      required_field("caseworker", &course_ordered::caseworker),
      optional_field("retention_min_months", &course_ordered::retention_min_months),
      optional_field("retention_max_months", &course_ordered::retention_max_months));
};

template <>
struct payload_traits<grant_made> {
  static constexpr std::string_view name = "grant_made";
  static constexpr auto fields = std::make_tuple(
      required_field("grant", &grant_made::grant), required_field("goal", &grant_made::goal),
      required_field("mentor", &grant_made::mentor),
      required_field("mentor_contact", &grant_made::mentor_contact),
      required_field("tasks", &grant_made::tasks),
      required_field("hours_per_week", &grant_made::hours_per_week),
      required_field("start", &grant_made::start), required_field("end", &grant_made::end),
      required_field("legal_basis", &grant_made::legal_basis),
      optional_field("predecessor", &grant_made::predecessor));
};

template <>
struct payload_traits<phase_changed> {
  static constexpr std::string_view name = "phase_changed";
  static constexpr auto fields = std::make_tuple(required_field("to", &phase_changed::to),
                                                 required_field("reason", &phase_changed::reason));
};

template <>
struct payload_traits<start_recorded> {
  static constexpr std::string_view name = "start_recorded";
  static constexpr auto fields = std::make_tuple(
      required_field("start_type", &start_recorded::type),
      required_field("employer_or_institution", &start_recorded::employer_or_institution),
      required_field("hours_per_week", &start_recorded::hours_per_week));
};

template <>
struct payload_traits<clarification_concluded> {
  static constexpr std::string_view name = "clarification_concluded";
  static constexpr auto fields =
      std::make_tuple(required_field("outcome", &clarification_concluded::outcome),
                      optional_field("note", &clarification_concluded::note));
};

template <>
struct payload_traits<contact_logged> {
  static constexpr std::string_view name = "contact_logged";
  static constexpr auto fields =
      std::make_tuple(required_field("mentor", &contact_logged::mentor),
                      required_field("location", &contact_logged::where),
                      required_field("attendance", &contact_logged::attended),
                      required_field("planned_minutes", &contact_logged::planned_minutes),
                      required_field("actual_minutes", &contact_logged::actual_minutes),
                      required_field("billable", &contact_logged::billable),
                      optional_field("non_billable_reason", &contact_logged::non_billable));
};

template <>
struct payload_traits<milestone_recorded> {
  static constexpr std::string_view name = "milestone_recorded";
  static constexpr auto fields =
      std::make_tuple(required_field("milestone", &milestone_recorded::reached));
};

template <>
struct payload_traits<course_paused> {
  static constexpr std::string_view name = "paused";
  static constexpr auto fields = std::make_tuple(required_field("reason", &course_paused::reason));
};

template <>
struct payload_traits<course_resumed> {
  static constexpr std::string_view name = "resumed";
  static constexpr auto fields = std::tuple<>();
};

template <>
struct payload_traits<course_closed> {
  static constexpr std::string_view name = "closed";
  static constexpr auto fields = std::make_tuple(required_field("reason", &course_closed::reason),
                                                 optional_field("note", &course_closed::note));
};

template <>
struct payload_traits<course_reopened> {
  static constexpr std::string_view name = "reopened";
  static constexpr auto fields =
      std::make_tuple(required_field("reason", &course_reopened::reason));
};

template <>
struct payload_traits<stage_assessed> {
  static constexpr std::string_view name = "stage_assessed";
  static constexpr auto fields =
      std::make_tuple(required_field("behaviour", &stage_assessed::behaviour),
                      required_field("stage", &stage_assessed::assessed),
                      required_field("method", &stage_assessed::method),
                      required_field("assessor", &stage_assessed::assessor),
                      optional_field("score", &stage_assessed::score),
                      optional_field("importance", &stage_assessed::importance),
                      optional_field("confidence", &stage_assessed::confidence),
                      optional_field("readiness", &stage_assessed::readiness),
                      optional_field("ruler_min", &stage_assessed::ruler_min),
                      optional_field("ruler_max", &stage_assessed::ruler_max));
};

template <>
struct payload_traits<talk_counted> {
  static constexpr std::string_view name = "talk_counted";
  static constexpr auto fields =
      std::make_tuple(optional_field("desire", &talk_counted::desire),
                      optional_field("ability", &talk_counted::ability),
                      optional_field("reasons", &talk_counted::reasons),
                      optional_field("need", &talk_counted::need),
                      optional_field("commitment", &talk_counted::commitment),
                      optional_field("activation", &talk_counted::activation),
                      optional_field("taking_steps", &talk_counted::taking_steps),
                      optional_field("sustain", &talk_counted::sustain));
};

template <>
struct payload_traits<rating_recorded> {
  static constexpr std::string_view name = "rating_recorded";
  static constexpr auto fields =
      std::make_tuple(required_field("instrument", &rating_recorded::instrument),
                      required_field("answers", &rating_recorded::answers),
                      required_field("rated_by", &rating_recorded::rated_by),
                      optional_field("age_band", &rating_recorded::age_band));
};

template <>
struct payload_traits<goal_set> {
  static constexpr std::string_view name = "goal_set";
  static constexpr auto fields = std::make_tuple(required_field("goal", &goal_set::goal),
                                                 required_field("text", &goal_set::text));
};

template <>
struct payload_traits<goal_updated> {
  static constexpr std::string_view name = "goal_updated";
  static constexpr auto fields = std::make_tuple(required_field("goal", &goal_updated::goal),
                                                 required_field("status", &goal_updated::status),
                                                 optional_field("text", &goal_updated::text));
};

template <>
struct payload_traits<step_planned> {
  static constexpr std::string_view name = "step_planned";
  static constexpr auto fields = std::make_tuple(
      required_field("step", &step_planned::step), required_field("goal", &step_planned::goal),
      required_field("text", &step_planned::text), optional_field("due", &step_planned::due));
};

template <>
struct payload_traits<step_done> {
  static constexpr std::string_view name = "step_done";
  static constexpr auto fields = std::make_tuple(required_field("step", &step_done::step),
                                                 required_field("done_by", &step_done::done_by));
};

template <>
struct payload_traits<success_logged> {
  static constexpr std::string_view name = "success_logged";
  static constexpr auto fields = std::make_tuple(required_field("text", &success_logged::text));
};

template <>
struct payload_traits<knowledge_recorded> {
  static constexpr std::string_view name = "knowledge_recorded";
  static constexpr auto fields =
      std::make_tuple(required_field("item", &knowledge_recorded::item),
                      required_field("category", &knowledge_recorded::category),
                      required_field("text", &knowledge_recorded::text),
                      required_field("data_category", &knowledge_recorded::data),
                      required_field("sharing_basis", &knowledge_recorded::basis),
                      optional_field("basis_reference", &knowledge_recorded::basis_reference));
};

template <>
struct payload_traits<knowledge_revised> {
  static constexpr std::string_view name = "knowledge_revised";
  static constexpr auto fields =
      std::make_tuple(required_field("item", &knowledge_revised::item),
                      optional_field("category", &knowledge_revised::category),
                      optional_field("text", &knowledge_revised::text),
                      optional_field("data_category", &knowledge_revised::data),
                      optional_field("sharing_basis", &knowledge_revised::basis),
                      optional_field("basis_reference", &knowledge_revised::basis_reference));
};

template <>
struct payload_traits<knowledge_retired> {
  static constexpr std::string_view name = "knowledge_retired";
  static constexpr auto fields =
      std::make_tuple(required_field("item", &knowledge_retired::item),
                      required_field("reason", &knowledge_retired::reason));
};

template <>
struct payload_traits<handover_action> {
  static constexpr std::string_view name = "action";
  static constexpr auto fields = std::make_tuple(required_field("task", &handover_action::task),
                                                 required_field("owner", &handover_action::owner),
                                                 optional_field("due", &handover_action::due));
};

template <>
struct payload_traits<contingency> {
  static constexpr std::string_view name = "contingency";
  static constexpr auto fields = std::make_tuple(required_field("if", &contingency::if_),
                                                 required_field("then", &contingency::then));
};

template <>
struct payload_traits<appointment> {
  static constexpr std::string_view name = "appointment";
  static constexpr auto fields = std::make_tuple(required_field("date", &appointment::on),
                                                 required_field("what", &appointment::what));
};

template <>
struct payload_traits<consent_given> {
  static constexpr std::string_view name = "consent_given";
  static constexpr auto fields =
      std::make_tuple(required_field("consent", &consent_given::consent),
                      optional_field("recipient", &consent_given::recipient),
                      optional_field("recipient_role", &consent_given::recipient_role),
                      required_field("purposes", &consent_given::purposes),
                      required_field("data_categories", &consent_given::data_categories),
                      required_field("valid_from", &consent_given::valid_from),
                      optional_field("valid_to", &consent_given::valid_to),
                      required_field("form", &consent_given::form));
};

template <>
struct payload_traits<consent_withdrawn> {
  static constexpr std::string_view name = "consent_withdrawn";
  static constexpr auto fields =
      std::make_tuple(required_field("consent", &consent_withdrawn::consent));
};

template <>
struct payload_traits<handover_made> {
  static constexpr std::string_view name = "handover_made";
  static constexpr auto fields = std::make_tuple(
      required_field("handover", &handover_made::handover),
      required_field("from", &handover_made::from),
      required_field("from_role", &handover_made::from_role),
      required_field("to", &handover_made::to), required_field("to_role", &handover_made::to_role),
      required_field("handover_type", &handover_made::type),
      required_field("planned", &handover_made::planned),
      required_field("purpose", &handover_made::purpose),
      required_field("severity", &handover_made::citizen_severity),
      optional_field("summary_note", &handover_made::summary_note),
      optional_field("actions", &handover_made::actions),
      optional_field("contingencies", &handover_made::contingencies),
      optional_field("knowledge_items", &handover_made::knowledge_items),
      optional_field("commitments", &handover_made::commitments),
      optional_field("open_appointments", &handover_made::open_appointments));
};

template <>
struct payload_traits<handover_acknowledged> {
  static constexpr std::string_view name = "handover_acknowledged";
  static constexpr auto fields =
      std::make_tuple(required_field("handover", &handover_acknowledged::handover),
                      required_field("read_back", &handover_acknowledged::read_back));
};

template <>
struct payload_traits<handover_rejected> {
  static constexpr std::string_view name = "handover_rejected";
  static constexpr auto fields =
      std::make_tuple(required_field("handover", &handover_rejected::handover),
                      required_field("reason", &handover_rejected::reason));
};

template <>
struct payload_traits<handover_revoked> {
  static constexpr std::string_view name = "handover_revoked";
  static constexpr auto fields =
      std::make_tuple(required_field("handover", &handover_revoked::handover),
                      required_field("reason", &handover_revoked::reason));
};

/// A payload kept on the heap. The few large payloads (orders, grants, handovers, consents, ...)
/// are held this way inside event_payload so that an event is as small as the common ones (a
/// contact) rather than as large as the largest. A value like the payload itself: copying copies
/// it, == compares it. Moving leaves the source empty, like a moved-from unique_ptr; an empty box
/// may only be assigned to or destroyed.
template <class T>
class boxed {
 public:
  boxed() : value_(std::make_unique<T>()) {}
  boxed(const T& value) : value_(std::make_unique<T>(value)) {}        // NOLINT: implicit, like T
  boxed(T&& value) : value_(std::make_unique<T>(std::move(value))) {}  // NOLINT
  boxed(const boxed& other) : value_(std::make_unique<T>(*other)) {}
  boxed(boxed&&) noexcept = default;
  boxed& operator=(const boxed& other) {
    if (this != &other) value_ = std::make_unique<T>(*other);
    return *this;
  }
  boxed& operator=(boxed&&) noexcept = default;
  ~boxed() = default;

  [[nodiscard]] T& operator*() {
    Expects(value_ != nullptr);
    return *value_;
  }
  [[nodiscard]] const T& operator*() const {
    Expects(value_ != nullptr);
    return *value_;
  }
  [[nodiscard]] T* operator->() { return &**this; }
  [[nodiscard]] const T* operator->() const { return &**this; }

  friend bool operator==(const boxed& a, const boxed& b) { return *a == *b; }

 private:
  std::unique_ptr<T> value_;
};

namespace detail {

/// Payloads larger than this many bytes are boxed; the rest are stored in the event itself. Equal
/// to the size of a contact_logged, the commonest event, on 64-bit libstdc++.
inline constexpr std::size_t inline_payload_limit = 48;

template <class T>
using stored_payload = std::conditional_t<(sizeof(T) > inline_payload_limit), boxed<T>, T>;

template <class T>
T& unbox(T& value) noexcept {
  return value;
}
template <class T>
const T& unbox(const T& value) noexcept {
  return value;
}
template <class T>
T& unbox(boxed<T>& value) {
  return *value;
}
template <class T>
const T& unbox(const boxed<T>& value) {
  return *value;
}

}  // namespace detail

/// One of the payload types P..., like std::variant<P...>, with the large ones boxed (see boxed).
/// Boxing is invisible: a payload is constructed and assigned from a plain payload value, and
/// mentorcore::get, get_if, holds_alternative and visit (found unqualified by argument-dependent
/// lookup) hand out the payload itself, never the box. == compares payloads.
template <class... P>
class basic_event_payload {
 public:
  /// How many payload types there are, and the I-th of them.
  static constexpr std::size_t size = sizeof...(P);
  template <std::size_t I>
  using alternative = std::tuple_element_t<I, std::tuple<P...>>;
  /// Whether T is one of the payload types.
  template <class T>
  static constexpr bool holds_type = (std::is_same_v<T, P> || ...);

  /// A default-constructed payload of the first type, as std::variant.
  basic_event_payload() = default;
  /// From a payload: `event{date, by, handover_made{...}}` works as with a plain variant.
  template <class T>
  requires holds_type<std::remove_cvref_t<T>> basic_event_payload(T&& payload)  // NOLINT
      : value_(std::in_place_type<detail::stored_payload<std::remove_cvref_t<T>>>,
               std::forward<T>(payload)) {}
  template <class T>
  requires holds_type<std::remove_cvref_t<T>> basic_event_payload& operator=(T&& payload) {
    value_ = detail::stored_payload<std::remove_cvref_t<T>>(std::forward<T>(payload));
    return *this;
  }

  /// The position of the held payload's type among P..., as std::variant::index.
  [[nodiscard]] std::size_t index() const noexcept { return value_.index(); }

  /// The payload if it is a T, else nullptr.
  template <class T>
  [[nodiscard]] T* get_if() noexcept {
    static_assert(holds_type<T>, "not one of the event payload types");
    auto* stored = std::get_if<detail::stored_payload<T>>(&value_);
    return stored ? &detail::unbox(*stored) : nullptr;
  }
  template <class T>
  [[nodiscard]] const T* get_if() const noexcept {
    static_assert(holds_type<T>, "not one of the event payload types");
    const auto* stored = std::get_if<detail::stored_payload<T>>(&value_);
    return stored ? &detail::unbox(*stored) : nullptr;
  }
  /// The payload as a T; throws std::bad_variant_access if it is not one, as std::get.
  template <class T>
  [[nodiscard]] T& get() {
    static_assert(holds_type<T>, "not one of the event payload types");
    return detail::unbox(std::get<detail::stored_payload<T>>(value_));
  }
  template <class T>
  [[nodiscard]] const T& get() const {
    static_assert(holds_type<T>, "not one of the event payload types");
    return detail::unbox(std::get<detail::stored_payload<T>>(value_));
  }
  /// Calls `visitor(payload)` with the payload itself (never the box), as std::visit.
  template <class Visitor>
  decltype(auto) visit(Visitor&& visitor) {
    return std::visit(
        [&](auto& stored) -> decltype(auto) {
          return std::forward<Visitor>(visitor)(detail::unbox(stored));
        },
        value_);
  }
  template <class Visitor>
  decltype(auto) visit(Visitor&& visitor) const {
    return std::visit(
        [&](const auto& stored) -> decltype(auto) {
          return std::forward<Visitor>(visitor)(detail::unbox(stored));
        },
        value_);
  }

  friend bool operator==(const basic_event_payload&, const basic_event_payload&) = default;

 private:
  std::variant<detail::stored_payload<P>...> value_;
};

/// The payload if it is a T, else nullptr (as std::get_if).
template <class T, class... P>
[[nodiscard]] T* get_if(basic_event_payload<P...>* payload) noexcept {
  return payload ? payload->template get_if<T>() : nullptr;
}
template <class T, class... P>
[[nodiscard]] const T* get_if(const basic_event_payload<P...>* payload) noexcept {
  return payload ? payload->template get_if<T>() : nullptr;
}
/// The payload as a T; throws std::bad_variant_access if it is not one (as std::get).
template <class T, class... P>
[[nodiscard]] T& get(basic_event_payload<P...>& payload) {
  return payload.template get<T>();
}
template <class T, class... P>
[[nodiscard]] const T& get(const basic_event_payload<P...>& payload) {
  return payload.template get<T>();
}
template <class T, class... P>
[[nodiscard]] T&& get(basic_event_payload<P...>&& payload) {
  return std::move(payload.template get<T>());
}
/// Whether the payload is a T (as std::holds_alternative).
template <class T, class... P>
[[nodiscard]] bool holds_alternative(const basic_event_payload<P...>& payload) noexcept {
  return payload.template get_if<T>() != nullptr;
}
/// Calls `visitor(payload)` with the payload itself (as std::visit with one variant).
template <class Visitor, class... P>
decltype(auto) visit(Visitor&& visitor, basic_event_payload<P...>& payload) {
  return payload.visit(std::forward<Visitor>(visitor));
}
template <class Visitor, class... P>
decltype(auto) visit(Visitor&& visitor, const basic_event_payload<P...>& payload) {
  return payload.visit(std::forward<Visitor>(visitor));
}

/// Any event payload. Use mentorcore::get, get_if, holds_alternative and visit on it (unqualified
/// calls find them): the std:: ones do not apply, as some payloads are boxed.
using event_payload =
    basic_event_payload<course_ordered, grant_made, phase_changed, start_recorded,
                        clarification_concluded, contact_logged, milestone_recorded, course_paused,
                        course_resumed, course_closed, course_reopened, stage_assessed,
                        talk_counted, rating_recorded, goal_set, goal_updated, step_planned,
                        step_done, success_logged, knowledge_recorded, knowledge_revised,
                        knowledge_retired, consent_given, consent_withdrawn, handover_made,
                        handover_acknowledged, handover_rejected, handover_revoked>;

/// How many event types there are.
inline constexpr std::size_t event_type_count = event_payload::size;
/// The I-th payload type, in event_payload's order.
template <std::size_t I>
using event_payload_type = typename event_payload::template alternative<I>;

/// The stable event type names, indexed like event_payload's types.
inline constexpr auto event_type_names = []<std::size_t... I>(std::index_sequence<I...>) {
  return std::array<std::string_view, sizeof...(I)>{payload_traits<event_payload_type<I>>::name...};
}
(std::make_index_sequence<event_type_count>{});

/// A dated, attributed change to a course.
struct event {
  boost::gregorian::date date;  ///< the day the change took effect
  staff_id recorded_by;         ///< who made the change (a member of staff or a system account)
  event_payload data;

  /// The stable event type name, e.g. "contact_logged".
  [[nodiscard]] std::string_view type() const { return event_type_names[data.index()]; }
  friend bool operator==(const event&, const event&) = default;
};

static_assert(std::is_nothrow_move_constructible_v<event>,
              "events move, not copy, when a course's history grows");

/// Calls `visit(name, member_reference, required)` for each field of `payload`.
template <class Payload, class Visitor>
constexpr void for_each_field(Payload& payload, Visitor&& visit) {
  using traits = payload_traits<std::remove_const_t<Payload>>;
  std::apply(
      [&](const auto&... field) {
        (visit(field.name, payload.*(field.member), field.required), ...);
      },
      traits::fields);
}

/// Calls `visit(type_tag)` with a value-initialised payload for each event type, in variant
/// order: for building tables of all event types.
template <class Visitor>
constexpr void for_each_event_type(Visitor&& visit) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (visit(event_payload_type<I>{}), ...);
  }
  (std::make_index_sequence<event_type_count>{});
}

/// The payload type index for an event type name, or nothing.
[[nodiscard]] inline std::optional<std::size_t> event_type_index(std::string_view name) {
  for (std::size_t index = 0; index < event_type_names.size(); ++index) {
    if (event_type_names[index] == name) return index;
  }
  return std::nullopt;
}

}  // namespace mentorcore
