#pragma once
// The synthetic municipality's calibration: who is referred, how courses end, and the texts a
// story writes. The weights are the figures in docs/synthetic.md; change them together with that
// page and the bounds in tests/python/test_synthetic.py.

#include <array>
#include <cstddef>
#include <string_view>

#include "mentorcore/enum.hpp"
#include "mentorcore/phase.hpp"

namespace mentorcore::detail::synthetic {

// ---- where referrals come from -----------------------------------------------------------------

struct weighted_municipality {
  int code;
  double weight;  // population, thousands (Danmarks Statistik, 2024)
};
inline constexpr std::array<weighted_municipality, 5> default_municipalities = {
    {{101, 660}, {751, 367}, {851, 222}, {461, 208}, {561, 116}}};

// ---- municipalities and providers: the stated effects (docs/synthetic.md, "Effects") -----------

/// How a municipality's or a provider's practice shifts a course. Each is a multiplier, 1 for none;
/// a course gets the product of its municipality's and its provider's.
struct practice_effect {
  double job_odds;        // on the weights of ending in a job (kept or lost)
  double education_odds;  // on the weights of ending in education (kept or dropped)
  double intensity;       // on the minutes of mentoring a week and the chance of a check-in
  double warm_odds;       // on the weight of warm handovers (a joint meeting)
};

/// A municipality's practice and the providers (leverandører) it buys from: provider k (1-3) is
/// `lev-<code>-k`, with the share of the municipality's courses in `provider_weights` (0: none).
struct municipality_profile {
  int code;
  practice_effect effect;
  std::array<double, 3> provider_weights;
};
inline constexpr std::array<municipality_profile, 5> municipality_profiles = {{
    {101, {0.80, 1.15, 1.00, 0.75}, {50, 30, 20}},
    {751, {1.40, 1.00, 1.15, 1.40}, {45, 35, 20}},
    {851, {1.00, 1.00, 0.90, 1.00}, {60, 40, 0}},
    {461, {0.90, 0.85, 1.00, 0.70}, {55, 45, 0}},
    {561, {1.15, 0.90, 0.85, 1.20}, {50, 50, 0}},
}};
/// The profile of a municipality code: its own, or for a code not listed the one at code % 5.
[[nodiscard]] inline const municipality_profile& municipality_profile_of(int code) {
  for (const auto& p : municipality_profiles) {
    if (p.code == code) return p;
  }
  return municipality_profiles[static_cast<std::size_t>(code) % municipality_profiles.size()];
}

/// Provider k's practice, the same archetype in every municipality: 1 the usual practice, 2
/// job-first and intensive with joint handovers, 3 light-touch.
inline constexpr std::array<practice_effect, 3> provider_effects = {{
    {1.00, 1.00, 1.00, 1.00},
    {1.35, 0.90, 1.25, 1.60},
    {0.70, 1.10, 0.75, 0.50},
}};
/// Mentors work for one provider: provider k's are m-<code>-n for n in (k-1)*20+1 ... k*20.
inline constexpr int mentors_per_provider = 20;

// ---- stages of change (docs/synthetic.md, "Effects")
// ---------------------------------------------

/// The chance that a reassessment finds the behaviour one stage further on, by the stage it was
/// in (precontemplation ... maintenance), before the effects below.
inline constexpr std::array<double, 5> stage_forward = {0.20, 0.30, 0.38, 0.30, 0.0};
/// The chance that it finds the behaviour one stage back (a relapse), by stage.
inline constexpr std::array<double, 5> stage_relapse = {0.0, 0.10, 0.10, 0.15, 0.09};
/// Moves forward are this much likelier in a work trial or retention.
inline constexpr double stage_forward_at_work = 1.3;
/// The alliance: forward moves are multiplied, and relapses divided, by
/// exp(stage_alliance_slope x (alliance - stage_alliance_centre)), alliance out of 40.
inline constexpr double stage_alliance_slope = 0.45;
inline constexpr double stage_alliance_centre = 38.3;
/// After a rupture in the alliance (a session rating 4-10 points down), the next reassessment's
/// relapse chance is doubled and its forward chance halved.
inline constexpr double stage_rupture_relapse = 2.0;

// ---- the end of a start and the status after closure (docs/synthetic.md, "Follow-up") ---------

/// The chance a month that a start still going at closure ends, by start_type (ordinary job,
/// flex job, education, wage subsidy).
inline constexpr std::array<double, 4> start_end_hazard_per_month = {0.035, 0.015, 0.03, 0.04};
/// Wage-subsidy positions run out (contract_ended) 6-12 months after the start in this share.
inline constexpr double wage_subsidy_runs_out = 0.6;
/// Short educations, completed 26-52 weeks after the start, among education starts.
inline constexpr double short_education = 0.15;
/// Why a job ends after closure: dismissed, quit, contract_ended, other.
inline constexpr std::array<double, 4> job_end_causes_after_closure = {35, 25, 25, 15};
/// Why a job lost during retention ends: dismissed, quit, contract_ended, trial_period_failed
/// (only in the first 3 months), other.
inline constexpr std::array<double, 5> job_end_causes_in_course = {30, 20, 10, 35, 5};
/// A consent with an end runs this many Danish months from the day it is given. It is the
/// farthest a story looks past the day of an event it records (a grant runs 6 months from a
/// start at most 13 days later, a handover's appointments are at most 20 days ahead), so the
/// calendar must reach this far past the observation date (synthetic_options::validate).
inline constexpr int consent_valid_months = 12;
/// Statuses are recorded at these Danish months after closure (0-6 days earlier).
inline constexpr std::array<int, 4> status_months = {1, 3, 6, 12};
/// A status is not recorded in this share.
inline constexpr double status_missing = 0.04;
/// The next status is the same as the last one (when no start decides it) in this share.
inline constexpr double status_persists = 0.65;
/// Statuses drawn when no ongoing start decides them: in_work, in_education, on_benefit,
/// self_supporting, other; by what came before.
inline constexpr std::array<double, 5> status_after_other_measure = {7, 5, 75, 5, 8};
inline constexpr std::array<double, 5> status_after_pension = {0, 0, 5, 0, 95};
inline constexpr std::array<double, 5> status_after_lost_start = {22, 6, 55, 10, 7};
inline constexpr std::array<double, 5> status_after_completed_education = {35, 30, 25, 5, 5};
inline constexpr std::array<double, 5> status_after_early_ending = {8, 6, 70, 6, 10};
/// Sources of a status: register, citizen_contact, employer (employer only for work or education).
inline constexpr std::array<double, 3> status_sources_in_work = {85, 5, 10};
inline constexpr std::array<double, 3> status_sources_otherwise = {90, 10, 0};

// ---- the things a story draws from ------------------------------------------------------------

struct target_group_profile {
  std::string_view code;
  std::string_view assessment;  // "" for none
  double weight;                // share of mentor referrals
  double job_odds;              // multipliers on the outcome weights below
  double education_odds;
  double flex_odds;
  bool youth;
  bool vulnerable;  // starts with home visits
};

inline constexpr std::array<target_group_profile, 11> target_groups = {{
    {"kontanthjaelp_aktivitetsparat", "aktivitetsparat", 30, 0.8, 0.6, 0.8, false, true},
    {"uddannelseshjaelp_aktivitetsparat", "aktivitetsparat", 16, 0.6, 2.2, 0.2, true, true},
    {"sygedagpenge", "", 11, 1.5, 0.5, 1.0, false, false},
    {"ressourceforloeb", "", 12, 0.5, 0.6, 2.0, false, true},
    {"jobafklaringsforloeb", "", 6, 0.9, 0.5, 1.8, false, true},
    {"ledighedsydelse", "", 5, 0.4, 0.2, 4.0, false, false},
    {"revalidering", "", 3, 1.2, 1.5, 0.8, false, false},
    {"kontanthjaelp_jobparat", "jobparat", 5, 1.8, 0.7, 0.3, false, false},
    {"forsikret_ledig", "", 4, 2.0, 0.6, 0.3, false, false},
    {"uddannelseshjaelp_uddannelsesparat", "uddannelsesparat", 5, 0.7, 3.0, 0.1, true, false},
    {"unge_under_18", "", 3, 0.3, 3.5, 0.0, true, true},
}};

// How courses end, before the target group's odds (see docs/synthetic.md): one weight per
// closure_reason, in its order, and a last one for a job lost in retention, after which the
// course ends otherwise.
// The last but one is a job lost in retention, after which the course ends otherwise; the last an
// education dropped in retention, the same way.
inline constexpr std::size_t job_lost_draw = enum_traits<closure_reason>::names.size();
inline constexpr std::size_t education_dropped_draw = job_lost_draw + 1;
inline constexpr std::array<double, job_lost_draw + 2> ending_weights = {
    16.0, 5.0, 11.0, 13.0, 3.5, 4.5, 7.0, 11.0, 14.0, 0.5, 5.5, 9.0, 3.0};

// The behaviours whose stage of change is assessed, and how easily each moves forward (a multiplier
// on stage_forward): cannabis and finances are hard, transport and digital post easy.
inline constexpr std::array<std::string_view, 12> behaviours = {
    "attends_appointments_alone", "looks_for_work",          "keeps_daily_routine",
    "takes_medication_as_agreed", "reduces_cannabis_use",    "uses_public_transport",
    "opens_digital_post",         "keeps_work_trial_hours",  "contacts_network",
    "manages_own_finances",       "sleeps_at_regular_times", "seeks_education"};
inline constexpr std::array<double, 12> behaviour_ease = {1.1, 0.9, 1.0, 1.1, 0.6,  1.4,
                                                          1.4, 0.9, 1.0, 0.7, 0.85, 0.9};

inline constexpr std::array<std::string_view, 10> goal_texts = {
    "Komme op om morgenen og passe mine aftaler",
    "Finde en praktik inden for lager eller logistik",
    "Starte på VUC og tage dansk og matematik",
    "Få styr på min økonomi",
    "Kunne tage bussen alene til jobcentret",
    "Arbejde 15 timer om ugen",
    "Få en fast læge og gå til kontrol",
    "Komme i gang med en uddannelse",
    "Have en fast døgnrytme",
    "Turde gå til samtaler uden min mentor"};

inline constexpr std::array<std::string_view, 12> step_texts = {
    "Ringe til lægen og bestille tid",
    "Åbne e-Boks sammen og svare på brevet",
    "Skrive et CV",
    "Besøge praktikstedet",
    "Tage bussen til kontoret alene",
    "Lave en ugeplan",
    "Søge to job",
    "Melde sig til holdstart",
    "Gå til tandlægen",
    "Købe ind efter en madplan",
    "Ringe til sagsbehandleren selv",
    "Møde op til første praktikdag"};

inline constexpr std::array<std::string_view, 8> success_texts = {
    "Mødte op alene til lægen",
    "Ringede selv til sagsbehandleren",
    "Var på praktikstedet alle fire dage",
    "Tog bussen alene for første gang",
    "Betalte regningerne til tiden",
    "Sagde ja til en samtale om uddannelse",
    "Fik et fast arbejde",
    "Kom til samtalen, selvom det var svært"};

struct knowledge_source {
  std::string_view category;
  std::array<double, 5> data_weights;  // ordinary, confidential, health, criminal, serious social
  std::array<std::string_view, 3> texts;
};
inline constexpr std::array<knowledge_source, 10> knowledge_sources = {{
    {"resource",
     {80, 20, 0, 0, 0},
     {"God til at holde orden", "Stærk familie i nærheden", "Humoristisk og let at tale med"}},
    {"competence",
     {85, 15, 0, 0, 0},
     {"Truckcertifikat", "Erfaring fra køkken", "Kan arbejde med hænderne"}},
    {"limitation",
     {20, 30, 50, 0, 0},
     {"Kan ikke løfte tungt", "Trættes efter fire timer", "Svært ved mange mennesker"}},
    {"fear",
     {20, 35, 45, 0, 0},
     {"Bange for at fejle foran andre", "Frygter telefonopkald fra ukendte",
      "Angst for offentlig transport"}},
    {"everyday_challenge",
     {30, 35, 10, 0, 25},
     {"Glemmer post og regninger", "Uregelmæssig søvn", "Gæld fylder meget"}},
    {"thought_pattern",
     {25, 35, 40, 0, 0},
     {"Tænker at det aldrig lykkes", "Sammenligner sig med andre", "Tror ikke andre vil hjælpe"}},
    {"success",
     {85, 15, 0, 0, 0},
     {"Kom til alle samtaler i marts", "Gennemførte praktikken", "Ringede selv til lægen"}},
    {"what_works",
     {85, 15, 0, 0, 0},
     {"SMS dagen før en aftale", "Korte møder med en klar plan", "At gå en tur mens vi taler"}},
    {"network_contact",
     {40, 40, 10, 10, 0},
     {"Egen læge i nærheden", "Kontakt til misbrugsbehandling",
      "Støtte-kontaktperson fra kommunen"}},
    {"kontaktrebus",
     {100, 0, 0, 0, 0},
     {"Svarer bedst om eftermiddagen", "Foretrækker en fast mentor",
      "Skal mødes på neutral grund først"}},
}};
inline constexpr std::array<double, 10> knowledge_source_weights = {14, 10, 12, 11, 13,
                                                                    10, 8,  12, 8,  2};

inline constexpr std::array<std::string_view, 6> employers = {
    "Bageriet A/S",    "Lagerhuset ApS", "Plejecentret Solbakken",
    "Byens Rengøring", "Kommunens park", "Supermarkedet"};
inline constexpr std::array<std::string_view, 4> schools = {"VUC", "Produktionsskolen", "FGU",
                                                            "Social- og sundhedsskolen"};

}  // namespace mentorcore::detail::synthetic
