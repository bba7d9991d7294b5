#pragma once
/// \file fwd.hpp
/// Forward declarations of mentorcore's public types, for headers that only name them.
///
/// `mentorcore::date` is boost::gregorian::date: include "mentorcore/date.hpp" for it.

#include <cstdint>

namespace mentorcore {

// error.hpp
class error;
class invalid_value_error;
class out_of_range_error;
class parse_error;
class rule_violation_error;

// calendar.hpp
enum class holiday_kind : std::uint8_t;
struct holiday;
class deadline_policy;
struct iso_week_date;

// ids.hpp
template <class Tag>
class basic_id;
struct course_id_tag;
struct citizen_key_tag;
struct staff_id_tag;
struct grant_id_tag;
struct provider_id_tag;
struct goal_id_tag;
struct step_id_tag;
struct knowledge_id_tag;
struct consent_id_tag;
struct handover_id_tag;
using course_id = basic_id<course_id_tag>;
using citizen_key = basic_id<citizen_key_tag>;
using staff_id = basic_id<staff_id_tag>;
using grant_id = basic_id<grant_id_tag>;
using provider_id = basic_id<provider_id_tag>;
using goal_id = basic_id<goal_id_tag>;
using step_id = basic_id<step_id_tag>;
using knowledge_id = basic_id<knowledge_id_tag>;
using consent_id = basic_id<consent_id_tag>;
using handover_id = basic_id<handover_id_tag>;
class municipality_code;

// phase.hpp
enum class phase : std::uint8_t;
enum class pause_reason : std::uint8_t;
enum class start_type : std::uint8_t;
enum class clarification_outcome : std::uint8_t;
enum class closure_reason : std::uint8_t;
enum class start_end_cause : std::uint8_t;
enum class followup_status : std::uint8_t;
enum class status_source : std::uint8_t;
enum class milestone : std::uint8_t;

// outcome.hpp
enum class outcome : std::uint8_t;

// contact.hpp
enum class location : std::uint8_t;
enum class attendance : std::uint8_t;
enum class non_billable_reason : std::uint8_t;

// motivation.hpp
enum class stage : std::uint8_t;
enum class assessment_method : std::uint8_t;
struct urica_staging;
struct urica_result;

// knowledge.hpp
enum class data_category : std::uint8_t;
enum class sharing_basis : std::uint8_t;
enum class goal_status : std::uint8_t;
enum class step_doer : std::uint8_t;

// instrument.hpp
enum class aggregation : std::uint8_t;
enum class rater : std::uint8_t;
enum class alert_rule_kind : std::uint8_t;
struct alert_rule;
struct item_bounds;
struct subscale;
struct cutoff;
struct rating_score;
struct rating_change;
class instrument;

// reference_data.hpp
enum class reference_kind : std::uint8_t;
struct reference_entry;
class reference_data;

// handover.hpp
enum class party_role : std::uint8_t;
enum class handover_type : std::uint8_t;
enum class severity : std::uint8_t;
enum class consent_form : std::uint8_t;
enum class handover_state : std::uint8_t;
enum class handover_section : std::uint8_t;
struct handover_action;
struct contingency;
struct appointment;
struct consent_record;
struct handover_checklist;
struct rating_across_handover;
struct handover_record;

// event.hpp: the payloads, one per event type, and the event that carries one.
struct course_ordered;
struct grant_made;
struct phase_changed;
struct start_recorded;
struct clarification_concluded;
struct contact_logged;
struct milestone_recorded;
struct course_paused;
struct course_resumed;
struct course_closed;
struct course_reopened;
struct start_ended;
struct status_recorded;
struct stage_assessed;
struct talk_counted;
struct rating_recorded;
struct goal_set;
struct goal_updated;
struct step_planned;
struct step_done;
struct success_logged;
struct knowledge_recorded;
struct knowledge_revised;
struct knowledge_retired;
struct consent_given;
struct consent_withdrawn;
struct handover_made;
struct handover_acknowledged;
struct handover_rejected;
struct handover_revoked;
struct event;

// course.hpp
struct reporting_policy;
struct phase_period;
struct pause_period;
struct grant_usage;
struct week_usage;
struct start_period;
struct followup_record;
struct attendance_counts;
struct monthly_home_share;
struct milestone_reached;
struct course_warning;
struct stage_trajectory;
struct scored_rating;
struct goal_state;
struct step_state;
struct empowerment_month;
struct knowledge_item;
struct alert_policy;
struct course_alert;
class course;

// interchange.hpp (mentorcore::io)
class pseudonymiser;
struct read_options;
struct rejected_line;
struct read_result;

// synthetic.hpp (mentorcore::io)
struct synthetic_options;
class cancelled_error;
struct synthetic_log_summary;
struct realised_rate;

}  // namespace mentorcore
