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
inline constexpr std::size_t job_lost_draw = enum_traits<closure_reason>::names.size();
inline constexpr std::array<double, job_lost_draw + 1> ending_weights = {
    16.0, 5.0, 11.0, 13.0, 3.5, 4.5, 7.0, 11.0, 14.0, 0.5, 5.5, 9.0};

inline constexpr std::array<std::string_view, 12> behaviours = {
    "attends_appointments_alone", "looks_for_work",          "keeps_daily_routine",
    "takes_medication_as_agreed", "reduces_cannabis_use",    "uses_public_transport",
    "opens_digital_post",         "keeps_work_trial_hours",  "contacts_network",
    "manages_own_finances",       "sleeps_at_regular_times", "seeks_education"};

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
