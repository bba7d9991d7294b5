// The synthetic municipality: one simulated story per course, appended event by event through
// course::append. The weights and durations below are the calibration in docs/synthetic.md;
// change them together with that page and tests/python/test_synthetic.py's bounds.

#include "mentorcore/synthetic.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>

#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include "event_writer.hpp"
#include "gzip.hpp"
#include "mentorcore/calendar.hpp"
#include "mentorcore/interchange.hpp"

namespace mentorcore {

namespace {

using boost::gregorian::days;

// ---- options ----------------------------------------------------------------------------------

constexpr std::size_t max_courses = 100'000'000;  // course ids stay below ten digits
const date earliest_order{2020, 1, 1};            // the built-in target groups' valid_from

struct weighted_municipality {
  int code;
  double weight;  // population, thousands (Danmarks Statistik, 2024)
};
constexpr std::array<weighted_municipality, 5> default_municipalities = {
    {{101, 660}, {751, 367}, {851, 222}, {461, 208}, {561, 116}}};

// ---- randomness -------------------------------------------------------------------------------

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31U);
}

// Boost.Random's engines and distributions are specified code, unlike the standard library's
// distributions, so the same seed gives the same course with any compiler.
class random_source {
 public:
  explicit random_source(std::uint64_t seed) : engine_(seed) {}
  bool chance(double p) { return boost::random::bernoulli_distribution<double>(p)(engine_); }
  int between(int lo, int hi) {
    return boost::random::uniform_int_distribution<int>(lo, hi)(engine_);
  }
  double uniform(double lo, double hi) {
    return boost::random::uniform_real_distribution<double>(lo, hi)(engine_);
  }
  double normal(double mean, double sd) {
    return boost::random::normal_distribution<double>(mean, sd)(engine_);
  }
  template <class T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[static_cast<std::size_t>(between(0, static_cast<int>(N) - 1))];
  }
  /// An index drawn with the given weights.
  template <std::size_t N>
  std::size_t weighted(const std::array<double, N>& weights) {
    double total = 0;
    for (const double w : weights) total += w;
    double x = uniform(0, total);
    for (std::size_t i = 0; i < N; ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return N - 1;
  }

 private:
  boost::random::mt19937_64 engine_;
};

double clamp_round(double value, double lo, double hi, double step) {
  return std::round(std::clamp(value, lo, hi) / step) * step;
}

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

constexpr std::array<target_group_profile, 11> target_groups = {{
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
constexpr std::size_t job_lost_draw = enum_traits<closure_reason>::names.size();
constexpr std::array<double, job_lost_draw + 1> ending_weights = {16.0, 5.0,  11.0, 13.0, 3.5, 4.5,
                                                                  7.0,  11.0, 14.0, 0.5,  5.5, 9.0};

constexpr std::array<std::string_view, 12> behaviours = {
    "attends_appointments_alone", "looks_for_work",          "keeps_daily_routine",
    "takes_medication_as_agreed", "reduces_cannabis_use",    "uses_public_transport",
    "opens_digital_post",         "keeps_work_trial_hours",  "contacts_network",
    "manages_own_finances",       "sleeps_at_regular_times", "seeks_education"};

constexpr std::array<std::string_view, 10> goal_texts = {
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

constexpr std::array<std::string_view, 12> step_texts = {"Ringe til lægen og bestille tid",
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

constexpr std::array<std::string_view, 8> success_texts = {
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
constexpr std::array<knowledge_source, 10> knowledge_sources = {{
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
constexpr std::array<double, 10> knowledge_source_weights = {14, 10, 12, 11, 13, 10, 8, 12, 8, 2};

constexpr std::array<std::string_view, 6> employers = {"Bageriet A/S",           "Lagerhuset ApS",
                                                       "Plejecentret Solbakken", "Byens Rengøring",
                                                       "Kommunens park",         "Supermarkedet"};
constexpr std::array<std::string_view, 4> schools = {"VUC", "Produktionsskolen", "FGU",
                                                     "Social- og sundhedsskolen"};

// ---- one story --------------------------------------------------------------------------------

/// Thrown inside a story when an event falls after the observation date; ends the story.
struct observation_reached {};

struct segment {
  phase which;
  int weeks;
  std::string_view reason;  // for the phase change into it
};

class story {
 public:
  story(const synthetic_options& options, std::size_t index,
        const std::shared_ptr<const reference_data>& reference)
      : options_(options),
        index_(index),
        rng_(seed_for(options.seed, index)),
        observation_(options.observation_date()),
        reference_(reference) {}

  course run() {
    make_order();
    try {
      live();
    } catch (const observation_reached&) {
      // Censored: the course goes on after the observation date.
    }
    return std::move(*course_);
  }

 private:
  static std::uint64_t seed_for(std::uint64_t seed, std::size_t index) {
    std::uint64_t state = seed;
    const std::uint64_t base = splitmix64(state);
    state = base ^ (static_cast<std::uint64_t>(index) * 0xD1B54A32D192ED03ULL);
    return splitmix64(state);
  }

  // ---- emitting ----

  void emit(date on, const staff_id& by, event_payload payload) {
    if (on < now_) on = now_;
    if (on > observation_) throw observation_reached{};
    course_->append(event{on, by, std::move(payload)});
    now_ = on;
  }

  /// A weekday of the week starting `monday` (0 = Monday), moved past holidays.
  date weekday(date monday, int day) const { return roll_forward(monday + days(day)); }

  // ---- the order ----

  void make_order() {
    const int span = static_cast<int>((options_.last_order - options_.first_order).days());
    const date ordered = options_.first_order + days(rng_.between(0, span));

    std::array<double, 11> group_weights{};
    for (std::size_t i = 0; i < target_groups.size(); ++i)
      group_weights[i] = target_groups[i].weight;
    group_ = &target_groups[rng_.weighted(group_weights)];

    int municipality = 0;
    if (options_.municipalities.empty()) {
      std::array<double, 5> weights{};
      for (std::size_t i = 0; i < weights.size(); ++i)
        weights[i] = default_municipalities[i].weight;
      municipality = default_municipalities[rng_.weighted(weights)].code;
    } else {
      const auto n = static_cast<int>(options_.municipalities.size());
      municipality =
          options_.municipalities[static_cast<std::size_t>(rng_.between(0, n - 1))].value();
    }
    municipality_ = std::to_string(municipality);
    caseworker_ = staff_id("cw-" + municipality_ + "-" + std::to_string(rng_.between(1, 40)));
    mentor_ = new_mentor();

    course_ordered o;
    char id[24];
    std::snprintf(id, sizeof id, "C-%07zu", index_ + 1);
    o.course = course_id(id);
    o.citizen = citizen_for_index();
    o.municipality = municipality_code(municipality);
    o.target_group = std::string(group_->code);
    if (!group_->assessment.empty()) o.assessment_category = std::string(group_->assessment);
    o.caseworker = caseworker_;
    o.retention_min_months = 3;
    o.retention_max_months = 6;
    course_.emplace(event{ordered, caseworker_, std::move(o)}, reference_);
    now_ = ordered;
  }

  citizen_key citizen_for_index() {
    // Shaped like the pseudonymiser's keys: "P-" and 32 letters a-p.
    std::uint64_t state = options_.seed ^ (0xA0761D6478BD642FULL * (index_ + 1));
    std::string key = "P-";
    for (int word = 0; word < 2; ++word) {
      std::uint64_t bits = splitmix64(state);
      for (int i = 0; i < 16; ++i, bits >>= 4U) key += static_cast<char>('a' + (bits & 15U));
    }
    return citizen_key(std::move(key));
  }

  staff_id new_mentor() {
    staff_id next;
    do {
      next = staff_id("m-" + municipality_ + "-" + std::to_string(rng_.between(1, 60)));
    } while (next == mentor_);
    return next;
  }

  // ---- the plan ----

  /// Sets outcome_ and job_lost_ (a lost job is planned as a job that ends early).
  void draw_ending() {
    auto weights = ending_weights;
    const auto index = [](closure_reason r) { return static_cast<std::size_t>(r); };
    weights[index(closure_reason::job)] *= group_->job_odds;
    weights[job_lost_draw] *= group_->job_odds;
    weights[index(closure_reason::education)] *= group_->education_odds;
    weights[index(closure_reason::flex_job)] *= group_->flex_odds;
    if (group_->youth) weights[index(closure_reason::pension)] *= 0.1;
    const std::size_t drawn = rng_.weighted(weights);
    job_lost_ = drawn == job_lost_draw;
    outcome_ = job_lost_ ? closure_reason::job : static_cast<closure_reason>(drawn);
  }

  int weeks(int lo, int hi) { return (rng_.between(lo, hi) + rng_.between(lo, hi) + 1) / 2; }

  std::vector<segment> draw_path(bool starts_work) {
    std::vector<segment> path;
    if (rng_.chance(group_->vulnerable ? 0.9 : 0.6))
      path.push_back({phase::pre_employment, weeks(6, 28), "første møde"});
    if (rng_.chance(0.75))
      path.push_back({phase::clarification, weeks(4, 14), "klar til at se på job og uddannelse"});
    const bool trial = starts_work
                           ? rng_.chance(outcome_ == closure_reason::education ? 0.15 : 0.55)
                           : rng_.chance(0.3);
    if (trial) {
      path.push_back({phase::work_trial, weeks(4, 13), "praktik aftalt"});
      if (rng_.chance(0.15)) {  // a failed trial goes back to clarification, then a new trial
        path.push_back({phase::clarification, weeks(3, 8), "praktikken blev afbrudt"});
        path.push_back({phase::work_trial, weeks(4, 10), "ny praktik"});
      }
    }
    if (path.empty()) path.push_back({phase::pre_employment, weeks(2, 6), "kort forløb mod job"});
    return path;
  }

  static void truncate(std::vector<segment>& path, int total_weeks) {
    for (std::size_t s = 0; s < path.size(); ++s) {
      if (total_weeks <= path[s].weeks) {
        path[s].weeks = std::max(total_weeks, 1);
        path.resize(s + 1);
        return;
      }
      total_weeks -= path[s].weeks;
    }
  }

  // ---- living the course ----

  void live() {
    draw_ending();
    const bool starts_work = outcome_ == closure_reason::job ||
                             outcome_ == closure_reason::flex_job ||
                             outcome_ == closure_reason::education;
    auto path = draw_path(starts_work);
    if (!starts_work && outcome_ != closure_reason::other_measure &&
        outcome_ != closure_reason::pension && outcome_ != closure_reason::grant_expired) {
      truncate(path, weeks(4, 44));  // an early ending: moved, sick, dropped out, ...
    }
    fit_ = rng_.chance(0.5);
    motivational_ = rng_.chance(0.4);
    ladder_ = group_->vulnerable ? 0 : 1;
    no_show_propensity_ = std::clamp(rng_.normal(0.09, 0.05), 0.01, 0.35);
    ruler_min_ = rng_.chance(0.15) ? 1 : 0;
    hours_ = std::array<double, 5>{1.0, 1.5, 2.0, 3.0,
                                   0.5}[rng_.weighted(std::array<double, 5>{35, 22, 35, 4, 4})];
    wellbeing_ = std::clamp(rng_.normal(19, 6), 4.0, 34.0);
    alliance_ = std::clamp(rng_.normal(38.3, 0.9), 35.0, 40.0);
    const int n_behaviours = rng_.between(1, 3);
    for (int i = 0; i < n_behaviours; ++i) {
      const std::string_view b = rng_.pick(behaviours);
      if (std::find(behaviour_.begin(), behaviour_.end(), b) != behaviour_.end()) continue;
      behaviour_.push_back(b);
      stage_.push_back(static_cast<int>(rng_.weighted(std::array<double, 4>{30, 40, 25, 5})));
    }
    knowledge_target_ = rng_.between(3, 14);

    // Before the start: knowledge from the caseworker, the grant, consent, maybe a handover.
    if (rng_.chance(0.5)) {
      for (int i = rng_.between(1, 2); i > 0; --i)
        record_knowledge(now_ + days(rng_.between(0, 3)), caseworker_);
    }
    const date start = roll_forward(now_ + days(rng_.between(7, 21)));
    make_grant(now_ + days(rng_.between(1, 6)), start, std::nullopt);
    if (rng_.chance(0.9)) give_consent(start - days(rng_.between(0, 5)));
    if (rng_.chance(0.55)) {
      make_handover(start - days(rng_.between(0, 3)), caseworker_, party_role::caseworker, mentor_,
                    party_role::mentor, "overdragelse");
    }

    emit(start, mentor_, phase_changed{path.front().which, std::string(path.front().reason)});
    date monday =
        start -
        days(start.day_of_week().as_number() == 0 ? 6 : start.day_of_week().as_number() - 1);

    for (std::size_t s = 0; s < path.size(); ++s) {
      if (s > 0) {
        emit(monday, mentor_, phase_changed{path[s].which, std::string(path[s].reason)});
      }
      live_weeks(monday, path[s].weeks, path[s].which);
    }

    const date transition = monday;
    switch (outcome_) {
      case closure_reason::job:
      case closure_reason::flex_job:
      case closure_reason::education: {
        start_work(transition);
        int retention_weeks = weeks(13, 26);
        if (rng_.chance(0.1)) retention_weeks += rng_.between(4, 8);  // longer than planned
        if (job_lost_) retention_weeks = rng_.between(3, 12);
        live_weeks(monday, retention_weeks, phase::retention);
        if (job_lost_) {
          emit(monday, mentor_, phase_changed{phase::clarification, "jobbet ophørte"});
          live_weeks(monday, weeks(6, 16), phase::clarification);
          close(monday,
                rng_.chance(0.5) ? closure_reason::other_measure : closure_reason::dropped_out);
          return;
        }
        close(monday, outcome_);
        if (outcome_ == closure_reason::job && rng_.chance(0.04)) reopen_after_lost_job(monday);
        return;
      }
      case closure_reason::other_measure:
      case closure_reason::pension: {
        const auto outcome = outcome_ == closure_reason::pension
                                 ? clarification_outcome::pension
                                 : clarification_outcome::other_measure;
        emit(monday, mentor_,
             clarification_concluded{outcome, "afklaret i samarbejde med borgeren"});
        if (rng_.chance(0.2)) {
          emit(monday, mentor_,
               phase_changed{phase::retention, "fastholdelse i ny foranstaltning"});
          live_weeks(monday, weeks(4, 12), phase::retention);
        }
        close(monday, outcome_);
        return;
      }
      case closure_reason::grant_expired: {
        // Runs on in the last phase until a grant ends without an extension.
        expire_ = true;
        while (monday + days(7) <= grant_end_) live_weeks(monday, 1, course_->current_phase());
        close(std::max(grant_end_, now_), closure_reason::grant_expired);
        return;
      }
      default:  // an early ending: moved, sick, dropped out, deceased, other
        close(monday, outcome_);
        return;
    }
  }

  void start_work(date on) {
    start_recorded s;
    switch (outcome_) {
      case closure_reason::flex_job:
        s = {start_type::flex_job, std::string(rng_.pick(employers)),
             static_cast<double>(rng_.between(8, 20))};
        break;
      case closure_reason::education:
        s = {start_type::education, std::string(rng_.pick(schools)),
             static_cast<double>(rng_.between(15, 30))};
        break;
      default:
        s = {rng_.chance(0.2) ? start_type::wage_subsidy : start_type::ordinary_job,
             std::string(rng_.pick(employers)), static_cast<double>(rng_.between(10, 37))};
    }
    education_ = s.type == start_type::education;
    emit(on, mentor_, std::move(s));
    emit(on, mentor_, phase_changed{phase::retention, "startet i job eller uddannelse"});
    ladder_ = 3;
    if (!education_ && rng_.chance(0.12)) hand_to_employer_mentor(on);
  }

  void close(date on, closure_reason reason) {
    settle_open_handover_before(on);
    paused_weeks_left_ = 0;  // closing ends a pause
    emit(on, caseworker_, course_closed{reason, ""});
  }

  void reopen_after_lost_job(date& monday) {
    monday += days(7 * rng_.between(2, 8));
    emit(monday, caseworker_, course_reopened{"jobbet ophørte i prøveperioden"});
    if (grant_end_ < monday) make_grant(monday, monday, last_grant_);
    emit(monday + days(1), mentor_, phase_changed{phase::clarification, "nyt jobmål"});
    live_weeks(monday, weeks(6, 12), phase::clarification);
    close(monday, closure_reason::other_measure);
  }

  /// `count` weeks of ordinary course life from `monday`; pauses add weeks (the clock stops).
  void live_weeks(date& monday, int count, phase in) {
    for (int week = 0; week < count; ++week, monday += days(7)) {
      if (paused_weeks_left_ > 0) {
        if (--paused_weeks_left_ == 0)
          emit(monday, mentor_, course_resumed{});
        else {
          ++count;
          continue;
        }
      } else if (count - week >= 3 && rng_.chance(0.006)) {
        const auto reason =
            static_cast<pause_reason>(rng_.weighted(std::array<double, 4>{45, 20, 25, 10}));
        emit(weekday(monday, rng_.between(0, 4)), mentor_, course_paused{reason});
        paused_weeks_left_ = rng_.between(1, 6);
        ++count;
        continue;
      }
      one_week(monday, in);
    }
  }

  void one_week(date monday, phase in) {
    ++week_of_course_;
    const int month = week_of_course_ / 4;
    extend_grant_if_due(monday);
    settle_due_handover(monday + days(6));

    if (week_of_course_ % 4 == 0 && ladder_ < 2 && rng_.chance(0.3)) ++ladder_;
    if (in == phase::work_trial) ladder_ = std::max(ladder_, 3);
    if (ladder_ >= 2 && !own_appointment_recorded_) {
      own_appointment_recorded_ = true;
      emit(weekday(monday, 0), mentor_, milestone_recorded{milestone::first_own_appointment_alone});
    }

    if (month > 0 && week_of_course_ % 6 == 0)
      assess_stages(weekday(monday, rng_.between(0, 4)), in);
    if (goals_.empty() && week_of_course_ == 2) set_goals(weekday(monday, 1));
    if (!goals_.empty() && rng_.chance(0.15)) plan_step(weekday(monday, rng_.between(0, 2)));
    finish_steps(monday, month);
    learn(monday);
    maybe_change_mentor(monday, in);

    // Contacts: the week's granted hours, as one to three meetings; retention needs fewer.
    if (skip_weeks_ > 0) {
      --skip_weeks_;
      return;
    }
    if (rng_.chance(0.08)) return;  // holidays, a busy week
    const double budget = hours_ * 60 * (in == phase::retention ? 0.6 : 1.0);
    int meetings = budget <= 45    ? (rng_.chance(0.5) ? 1 : 0)
                   : budget <= 75  ? 1
                   : budget <= 100 ? rng_.between(1, 2)
                   : budget <= 150 ? 2
                                   : 3;
    int day = rng_.between(0, 1);
    for (int m = 0; m < meetings && day <= 4; ++m, day += rng_.between(1, 2)) {
      contact(weekday(monday, day), in, static_cast<int>(budget / meetings));
    }
    if (rng_.chance(0.3)) {  // a short check-in by phone or text between meetings
      contact_logged c;
      c.mentor = mentor_;
      c.where = rng_.chance(0.6) ? location::phone : location::message;
      c.planned_minutes = 15;
      c.actual_minutes = 15;
      emit(weekday(monday, 4), mentor_, std::move(c));
    }
    if (rng_.chance(0.04))
      emit(weekday(monday, 4), mentor_, success_logged{std::string(rng_.pick(success_texts))});
  }

  location where(phase in) {
    if (in == phase::retention || ladder_ >= 3) {
      if (education_)
        return rng_.chance(0.4) ? location::education_site
                                : rng_.pick(std::array{location::provider_office, location::phone,
                                                       location::message, location::video});
      const std::array<double, 9> w = {3, 22, 45, 0, 5, 2, 13, 4, 6};
      return static_cast<location>(rng_.weighted(w));
    }
    static constexpr std::array<std::array<double, 9>, 3> by_rung = {{
        {70, 8, 0, 0, 10, 6, 4, 1, 1},   // home visits
        {14, 56, 0, 0, 12, 8, 6, 2, 2},  // meets at the office
        {5, 58, 0, 2, 10, 1, 14, 5, 5},  // attends own appointments alone
    }};
    return static_cast<location>(rng_.weighted(by_rung[static_cast<std::size_t>(ladder_)]));
  }

  void contact(date on, phase in, int minutes) {
    contact_logged c;
    c.mentor = mentor_;
    c.where = where(in);
    const bool remote = !in_person(c.where);
    c.planned_minutes =
        remote ? rng_.between(2, 6) * 5 : std::clamp(minutes - minutes % 15, 30, 120);
    const double p_no_show =
        no_show_propensity_ * (remote ? 0.5 : 1.0) * (in == phase::retention ? 0.7 : 1.0);
    const auto index = rng_.weighted(
        std::array<double, 6>{1 - p_no_show - 0.125, p_no_show, 0.05, 0.03, 0.03, 0.015});
    c.attended = static_cast<attendance>(index);
    if (c.attended == attendance::attended) {
      c.actual_minutes = std::max(10, c.planned_minutes + rng_.between(-3, 3) * 5);
      c.billable = !rng_.chance(0.03);
      if (!c.billable)
        c.non_billable = rng_.chance(0.5) ? non_billable_reason::admin : non_billable_reason::other;
    } else {
      c.actual_minutes = 0;
      c.billable = false;
      c.non_billable = c.attended == attendance::cancelled_by_provider
                           ? non_billable_reason::mentor_sick
                           : non_billable_reason::citizen_absent;
    }
    const bool attended = c.attended == attendance::attended;
    const location place = c.where;
    emit(on, mentor_, std::move(c));
    if (!attended) return;
    if (motivational_ && rng_.chance(0.2)) {
      emit(on, mentor_,
           talk_counted{rng_.between(0, 4), rng_.between(0, 3), rng_.between(0, 4),
                        rng_.between(0, 3), rng_.between(0, 2), rng_.between(0, 2),
                        rng_.between(0, 2), rng_.between(0, 5)});
    }
    if (fit_ && place != location::message && on >= next_rating_) rate(on);
  }

  // ---- ratings and stages ----

  std::vector<double> answers(double total, double spread, double lo, double hi) {
    std::vector<double> items(4);
    for (auto& item : items) item = clamp_round(total / 4 + rng_.normal(0, spread), lo, hi, 0.1);
    return items;
  }

  void rate(date on) {
    next_rating_ = on + days(rng_.between(21, 35));
    wellbeing_ = std::clamp(wellbeing_ + rng_.normal(0.8, 2.5), 2.0, 38.0);
    const std::optional<std::string> band = group_->code == "unge_under_18"
                                                ? std::optional<std::string>("adolescent")
                                                : std::optional<std::string>("adult");
    emit(on, mentor_,
         rating_recorded{"outcome_scale", answers(wellbeing_, 0.8, 0, 10), rater::citizen, band});
    double session = alliance_ + rng_.normal(0, 0.6);
    if (rng_.chance(0.05)) session -= rng_.uniform(4, 10);  // a rupture in the alliance
    emit(on, mentor_,
         rating_recorded{"session_scale", answers(session, 0.4, 0, 10), rater::citizen,
                         std::nullopt});
    if (rng_.chance(0.25)) {  // mentors see more benefit than citizens do (VIVE 2015)
      emit(on, mentor_,
           rating_recorded{"outcome_scale", answers(wellbeing_ + 5, 0.6, 0, 10), rater::mentor,
                           band});
    }
  }

  void assess_stages(date on, phase in) {
    const double forward = in == phase::work_trial || in == phase::retention ? 0.4 : 0.3;
    for (std::size_t b = 0; b < behaviour_.size(); ++b) {
      int& s = stage_[b];
      const double x = rng_.uniform(0, 1);
      if (x < 0.12 && s > 0)
        --s;  // relapse: a movement back, not an error
      else if (x > 1 - forward && s < 4)
        ++s;
      stage_assessed a;
      a.behaviour = std::string(behaviour_[b]);
      a.assessed = static_cast<stage>(s);
      a.assessor = mentor_;
      const auto method = rng_.weighted(std::array<double, 3>{60, 32, 8});
      if (method == 1) {
        a.method = assessment_method::ruler;
        a.ruler_min = ruler_min_;
        const auto ruler = [&](double centre) {
          return clamp_round(centre + rng_.normal(0, 1.2), ruler_min_, 10, 1);
        };
        a.importance = ruler(4 + 1.4 * s);
        a.confidence = ruler(2 + 1.6 * s);
        if (rng_.chance(0.5)) a.readiness = ruler(3 + 1.5 * s);
      } else if (method == 2) {
        a.method = assessment_method::urica_32;
        a.score = clamp_round(7.5 + 1.4 * s + rng_.normal(0, 0.9), -2, 14, 0.01);
      }
      emit(on, mentor_, std::move(a));
    }
  }

  // ---- goals, steps, knowledge ----

  void set_goals(date on) {
    for (int g = rng_.between(1, 3); g > 0; --g) {
      goal_id id("G" + std::to_string(goals_.size() + 1));
      emit(on, mentor_, goal_set{id, std::string(rng_.pick(goal_texts))});
      goals_.push_back(id);
      goal_active_.push_back(true);
    }
  }

  void plan_step(date on) {
    std::vector<std::size_t> active;
    for (std::size_t g = 0; g < goals_.size(); ++g) {
      if (goal_active_[g]) active.push_back(g);
    }
    if (active.empty()) return;
    const auto pick =
        active[static_cast<std::size_t>(rng_.between(0, static_cast<int>(active.size()) - 1))];
    step_id id("S" + std::to_string(++steps_planned_));
    std::optional<date> due;
    if (rng_.chance(0.7)) due = on + days(rng_.between(7, 21));
    emit(on, mentor_, step_planned{id, goals_[pick], std::string(rng_.pick(step_texts)), due});
    open_steps_.push_back(std::move(id));
  }

  void finish_steps(date monday, int month) {
    const double alone = std::min(0.8, 0.12 + 0.06 * month);  // more alone as the course goes on
    for (std::size_t i = 0; i < open_steps_.size();) {
      if (!rng_.chance(0.35)) {
        ++i;
        continue;
      }
      const double x = rng_.uniform(0, 1);
      const step_doer by = x < alone                        ? step_doer::citizen_alone
                           : x < alone + (1 - alone) * 0.65 ? step_doer::citizen_with_support
                                                            : step_doer::mentor_on_behalf;
      emit(weekday(monday, 3), mentor_, step_done{open_steps_[i], by});
      open_steps_.erase(open_steps_.begin() + static_cast<std::ptrdiff_t>(i));
    }
    if (week_of_course_ % 13 == 0 && !goals_.empty() && rng_.chance(0.3)) {
      const auto g = static_cast<std::size_t>(rng_.between(0, static_cast<int>(goals_.size()) - 1));
      if (goal_active_[g]) {
        goal_active_[g] = false;
        emit(weekday(monday, 4), mentor_,
             goal_updated{goals_[g],
                          rng_.chance(0.7) ? goal_status::achieved : goal_status::abandoned,
                          std::nullopt});
      }
    }
  }

  void record_knowledge(date on, const staff_id& by) {
    const auto& source = knowledge_sources[rng_.weighted(knowledge_source_weights)];
    knowledge_recorded k;
    k.item = knowledge_id("K" + std::to_string(knowledge_.size() + 1));
    k.category = std::string(source.category);
    k.text = std::string(rng_.pick(source.texts));
    k.data = static_cast<data_category>(rng_.weighted(source.data_weights));
    const auto basis = rng_.weighted(std::array<double, 3>{75, 10, 15});
    k.basis = static_cast<sharing_basis>(basis);
    k.basis_reference = basis == 0   ? "C1"
                        : basis == 1 ? "forvaltningsloven § 28, stk. 2"
                                     : "mentorstøtte efter LAB kapitel 26";
    knowledge_.push_back({k.item, false});
    emit(on, by, std::move(k));
  }

  void learn(date monday) {
    const bool early = week_of_course_ <= 12;
    if (static_cast<int>(knowledge_.size()) < knowledge_target_ && rng_.chance(early ? 0.4 : 0.05))
      record_knowledge(weekday(monday, 2), mentor_);
    if (!knowledge_.empty() && rng_.chance(0.02)) {
      auto& item = knowledge_[static_cast<std::size_t>(
          rng_.between(0, static_cast<int>(knowledge_.size()) - 1))];
      if (!item.retired) {
        if (rng_.chance(0.7)) {
          knowledge_revised r;
          r.item = item.id;
          if (rng_.chance(0.5))
            r.text = "Opdateret efter samtale";
          else
            r.data = data_category::confidential;
          emit(weekday(monday, 2), mentor_, std::move(r));
        } else {
          item.retired = true;
          emit(weekday(monday, 2), mentor_, knowledge_retired{item.id, "gælder ikke længere"});
        }
      }
    }
    if (consent_given_ && !consent_withdrawn_ && rng_.chance(0.003)) {
      consent_withdrawn_ = true;
      emit(weekday(monday, 1), caseworker_, consent_withdrawn{consent_id("C1")});
    }
  }

  // ---- grants and consent ----

  void make_grant(date made_on, date start, std::optional<grant_id> predecessor) {
    grant_made g;
    g.grant = grant_id("B" + std::to_string(++grants_));
    g.goal = "Stabil hverdag og et realistisk mål om job eller uddannelse";
    g.mentor = mentor_;
    g.mentor_contact = mentor_.str() + " via udbyderens hovednummer";
    g.tasks = "Ugentlige samtaler, følge til aftaler, støtte i praktik";
    g.hours_per_week = hours_;
    g.start = start;
    g.end = add_months(start, 6) - days(1);
    g.legal_basis = "LAB-167";
    g.predecessor = std::move(predecessor);
    grant_end_ = g.end;
    last_grant_ = g.grant;
    emit(std::min(made_on, start), caseworker_, std::move(g));
  }

  void extend_grant_if_due(date monday) {
    if (monday + days(14) < grant_end_ || expire_) return;
    if (course_->current_phase() == phase::retention && hours_ > 1) hours_ = 1;
    make_grant(std::max(grant_end_ - days(rng_.between(3, 12)), now_), grant_end_ + days(1),
               last_grant_);
  }

  void give_consent(date on) {
    consent_given c;
    c.consent = consent_id("C1");
    c.recipient_role = party_role::mentor;
    c.purposes = {"overdragelse", "koordinering"};
    if (rng_.chance(0.55)) {
      c.data_categories = {data_category::ordinary, data_category::confidential,
                           data_category::health, data_category::criminal,
                           data_category::serious_social_problems};
    } else {  // partial consent: health and the most sensitive categories are left out
      c.data_categories = {data_category::ordinary, data_category::confidential};
      if (rng_.chance(0.4)) c.data_categories.push_back(data_category::health);
    }
    c.valid_from = on;
    if (rng_.chance(0.4)) c.valid_to = add_months(on, 12);
    c.form = static_cast<consent_form>(rng_.weighted(std::array<double, 3>{60, 15, 25}));
    consent_given_ = true;
    emit(on, caseworker_, std::move(c));
  }

  // ---- handovers ----

  void make_handover(date on, const staff_id& from, party_role from_role, const staff_id& to,
                     party_role to_role, std::string_view purpose) {
    const auto type =
        static_cast<handover_type>(rng_.weighted(std::array<double, 4>{25, 35, 25, 15}));
    handover_made h;
    h.handover = handover_id("H" + std::to_string(++handovers_));
    h.from = from;
    h.from_role = from_role;
    h.to = to;
    h.to_role = to_role;
    h.type = type;
    h.planned = type != handover_type::unplanned;
    h.purpose = std::string(purpose);
    h.citizen_severity = static_cast<severity>(
        rng_.weighted(type == handover_type::unplanned ? std::array<double, 3>{40, 40, 20}
                                                       : std::array<double, 3>{60, 30, 10}));
    const double thorough = type == handover_type::warm                 ? 0.9
                            : type == handover_type::verbal_and_written ? 0.75
                            : type == handover_type::written_only       ? 0.55
                                                                        : 0.3;
    h.summary_note = rng_.chance(thorough) ? "Borgeren er i gang og møder stabilt op" : "";
    if (rng_.chance(thorough))
      h.actions.push_back(
          {"Første samtale med ny kontaktperson", "modtager", on + days(rng_.between(3, 10))});
    if (rng_.chance(thorough * 0.7))
      h.actions.push_back({"Opfølgning med sagsbehandler", "mentor", std::nullopt});
    if (rng_.chance(thorough * 0.8))
      h.contingencies.push_back(
          {"to udeblivelser i træk", "hjemmebesøg og besked til sagsbehandler"});
    if (rng_.chance(thorough * 0.6))
      h.commitments.push_back("Mentor følger med til første møde på arbejdspladsen");
    if (rng_.chance(thorough * 0.6))
      h.open_appointments.push_back({on + days(rng_.between(2, 20)), "Lægetid"});
    const double drop = type == handover_type::warm                 ? 0.05
                        : type == handover_type::verbal_and_written ? 0.15
                        : type == handover_type::written_only       ? 0.35
                                                                    : 0.5;
    for (const auto& item : knowledge_) {
      if (!item.retired && !rng_.chance(drop)) h.knowledge_items.push_back(item.id);
    }
    emit(on, from, std::move(h));

    pending_ = pending_handover{};
    pending_->id = handover_id("H" + std::to_string(handovers_));
    pending_->from = from;
    pending_->to = to;
    pending_->to_role = to_role;
    const double late = type == handover_type::written_only ? 0.25
                        : type == handover_type::unplanned  ? 0.3
                                                            : 0.1;
    const double x = rng_.uniform(0, 1);
    pending_->outcome = x < 0.05   ? handover_state::rejected
                        : x < 0.08 ? handover_state::revoked
                                   : handover_state::acknowledged;
    pending_->due = now_ + days(rng_.chance(late) ? rng_.between(11, 30) : rng_.between(0, 5));
  }

  void settle_due_handover(date week_end) {
    if (!pending_ || pending_->due > week_end) return;
    settle(pending_->due);
  }

  void settle_open_handover_before(date on) {
    if (pending_) settle(std::min(pending_->due, on));
  }

  void settle(date on) {
    auto p = std::move(*pending_);
    pending_.reset();
    switch (p.outcome) {
      case handover_state::acknowledged:
        emit(on, p.to,
             handover_acknowledged{p.id, "Jeg har læst overdragelsen og overtager aftalerne"});
        if (p.to_role == party_role::mentor) {
          mentor_ = p.to;
          if (rng_.chance(0.4))
            skip_weeks_ = rng_.between(1, 2);  // a gap before the new mentor's first contact
        }
        break;
      case handover_state::rejected:
        emit(on, p.to, handover_rejected{p.id, "Mangler oplysninger om aftaler og netværk"});
        break;
      case handover_state::revoked:
        emit(on, p.from, handover_revoked{p.id, "Mentor fortsætter alligevel"});
        break;
      case handover_state::made: break;
    }
  }

  void maybe_change_mentor(date monday, phase in) {
    if (pending_ || in == phase::retention) return;
    if (!rng_.chance(0.012)) return;
    const date on = weekday(monday, rng_.between(0, 4));
    const staff_id next = new_mentor();
    make_handover(on, mentor_, party_role::mentor, next, party_role::mentor, "overdragelse");
  }

  void hand_to_employer_mentor(date on) {
    if (pending_) return;
    const staff_id employer_mentor("em-" + municipality_ + "-" +
                                   std::to_string(rng_.between(1, 200)));
    if (rng_.chance(0.5)) {
      consent_given c;
      c.consent = consent_id("C2");
      c.recipient_role = party_role::employer_mentor;
      c.purposes = {"fastholdelse"};
      c.data_categories = {data_category::ordinary};
      c.valid_from = on;
      c.form = consent_form::written;
      emit(on, caseworker_, std::move(c));
    }
    make_handover(on, mentor_, party_role::mentor, employer_mentor, party_role::employer_mentor,
                  "fastholdelse");
  }

  struct pending_handover {
    handover_id id;
    staff_id from;
    staff_id to;
    party_role to_role = party_role::mentor;
    handover_state outcome = handover_state::acknowledged;
    date due;
  };
  struct known_item {
    knowledge_id id;
    bool retired = false;
  };

  const synthetic_options& options_;
  std::size_t index_;
  random_source rng_;
  date observation_;
  std::shared_ptr<const reference_data> reference_;
  std::optional<course> course_;
  date now_;

  const target_group_profile* group_ = nullptr;
  std::string municipality_;
  staff_id caseworker_;
  staff_id mentor_;
  closure_reason outcome_ = closure_reason::other;  ///< the planned closure
  bool job_lost_ = false;  ///< starts work, loses it in retention, ends otherwise
  bool fit_ = false;
  bool motivational_ = false;
  bool education_ = false;
  bool expire_ = false;
  bool own_appointment_recorded_ = false;
  bool consent_given_ = false;
  bool consent_withdrawn_ = false;
  int ladder_ = 0;  // 0 home visits, 1 office, 2 own appointments alone, 3 workplace
  int ruler_min_ = 0;
  int week_of_course_ = 0;
  int paused_weeks_left_ = 0;
  int skip_weeks_ = 0;
  int knowledge_target_ = 0;
  int grants_ = 0;
  int handovers_ = 0;
  int steps_planned_ = 0;
  double hours_ = 1;
  double no_show_propensity_ = 0.1;
  double wellbeing_ = 20;
  double alliance_ = 38;
  date grant_end_;
  std::optional<grant_id> last_grant_;
  date next_rating_{1900, 1, 1};
  std::vector<std::string_view> behaviour_;
  std::vector<int> stage_;
  std::vector<goal_id> goals_;
  std::vector<bool> goal_active_;
  std::vector<step_id> open_steps_;
  std::vector<known_item> knowledge_;
  std::optional<pending_handover> pending_;
};

// ---- running many stories ---------------------------------------------------------------------

constexpr std::size_t block_size = 512;  // fixed, so gzip members do not depend on threads

unsigned thread_count(const synthetic_options& options, std::size_t blocks) {
  unsigned n =
      options.threads ? options.threads : std::max(1U, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::min<std::size_t>(n, std::max<std::size_t>(blocks, 1)));
}

/// Makes blocks [0, blocks) on worker threads with `make(b)` and hands them to `consume` in
/// block order on the calling thread, with at most a few blocks in flight.
template <class Block, class Make, class Consume>
void run_blocks(std::size_t blocks, unsigned threads, const Make& make, const Consume& consume) {
  std::mutex mutex;
  std::condition_variable changed;
  std::map<std::size_t, Block> done;
  std::size_t next_to_make = 0;
  std::size_t next_to_consume = 0;
  std::exception_ptr failure;
  bool stop = false;
  const std::size_t window = 2 * static_cast<std::size_t>(threads);

  const auto worker = [&] {
    for (;;) {
      std::size_t b = 0;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] {
          return stop || next_to_make >= blocks || next_to_make < next_to_consume + window;
        });
        if (stop || next_to_make >= blocks) return;
        b = next_to_make++;
      }
      try {
        Block block = make(b);
        std::lock_guard lock(mutex);
        done.emplace(b, std::move(block));
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        stop = true;
      }
      changed.notify_all();
    }
  };

  std::vector<std::jthread> pool;
  pool.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  const auto halt = [&] {
    {
      std::lock_guard lock(mutex);
      stop = true;
    }
    changed.notify_all();
    pool.clear();  // joins
  };
  try {
    while (next_to_consume < blocks) {
      Block block;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return stop || done.count(next_to_consume) > 0; });
        if (failure) break;
        if (stop) break;
        auto node = done.extract(next_to_consume);
        block = std::move(node.mapped());
      }
      consume(next_to_consume, std::move(block));
      {
        std::lock_guard lock(mutex);
        ++next_to_consume;
      }
      changed.notify_all();
    }
  } catch (...) {
    halt();
    throw;
  }
  halt();
  if (failure) std::rethrow_exception(failure);
}

std::vector<course> make_block(const synthetic_options& options, std::size_t b,
                               const std::shared_ptr<const reference_data>& reference) {
  const std::size_t first = b * block_size;
  const std::size_t last = std::min(options.courses, first + block_size);
  std::vector<course> block;
  block.reserve(last - first);
  for (std::size_t i = first; i < last; ++i) block.push_back(story(options, i, reference).run());
  return block;
}

std::size_t block_count(const synthetic_options& options) {
  return (options.courses + block_size - 1) / block_size;
}

}  // namespace

// ---- public API -------------------------------------------------------------------------------

void synthetic_options::validate() const {
  if (courses < 1 || courses > max_courses) {
    throw invalid_value_error("courses", std::to_string(courses), "expected 1 to 100000000");
  }
  require_calendar_day(first_order, "first_order");
  require_calendar_day(last_order, "last_order");
  if (first_order < earliest_order) {
    throw invalid_value_error("first_order", to_iso(first_order),
                              "the built-in target groups are valid from 2020-01-01");
  }
  if (last_order < first_order) {
    throw invalid_value_error("last_order", to_iso(last_order),
                              "is before first_order " + to_iso(first_order));
  }
  if (observation) {
    require_calendar_day(*observation, "observation");
    if (*observation < last_order) {
      throw invalid_value_error("observation", to_iso(*observation),
                                "is before last_order " + to_iso(last_order) +
                                    ": every ordered course must be observable");
    }
    if (*observation > add_months(last_order, 120)) {
      throw invalid_value_error("observation", to_iso(*observation),
                                "more than ten years after last_order");
    }
  }
  if (threads > 1024)
    throw invalid_value_error("threads", std::to_string(threads), "expected 0-1024");
}

std::shared_ptr<const reference_data> synthetic_reference() {
  static const auto reference = [] {
    reference_data scales;
    scales.add_instrument(instrument("outcome_scale", "1",
                                     std::vector<item_bounds>(4, item_bounds{0, 10}), {},
                                     {{"adult", 25}, {"adolescent", 28}}, 5, true,
                                     {{alert_rule_kind::no_reliable_improvement, 1, 4}}));
    scales.add_instrument(instrument(
        "session_scale", "1", std::vector<item_bounds>(4, item_bounds{0, 10}), {}, {{"all", 36}}, 5,
        true,
        {{alert_rule_kind::below_cutoff, 1, 3}, {alert_rule_kind::drop_from_previous, 3, 3}}));
    return std::make_shared<const reference_data>(reference_data::builtin()->extended(scales));
  }();
  return reference;
}

course synthetic_course(const synthetic_options& options, std::size_t index) {
  options.validate();
  if (index >= options.courses) {
    throw out_of_range_error("index", std::to_string(index),
                             "expected 0 to " + std::to_string(options.courses - 1));
  }
  return story(options, index, synthetic_reference()).run();
}

void generate_courses(const synthetic_options& options,
                      const std::function<void(std::span<const course>)>& sink,
                      const synthetic_progress& progress) {
  options.validate();
  const auto reference = synthetic_reference();
  const std::size_t blocks = block_count(options);
  std::size_t done = 0;
  run_blocks<std::vector<course>>(
      blocks, thread_count(options, blocks),
      [&](std::size_t b) { return make_block(options, b, reference); },
      [&](std::size_t, std::vector<course> block) {
        sink(block);
        done += block.size();
        if (progress && !progress(done)) throw cancelled_error("generation cancelled");
      });
}

std::vector<course> generate_courses(const synthetic_options& options) {
  std::vector<course> all;
  options.validate();
  all.reserve(options.courses);
  generate_courses(options, [&](std::span<const course> block) {
    all.insert(all.end(), block.begin(), block.end());
  });
  return all;
}

synthetic_log_summary write_synthetic_event_log(const synthetic_options& options,
                                                const std::string& path,
                                                const synthetic_progress& progress) {
  options.validate();
  if (path.empty()) throw invalid_value_error("path", "\"\"", "an output path is required");
  const bool compress = path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
  const std::string partial = path + ".partial";
  std::ofstream out(partial, std::ios::binary | std::ios::trunc);
  if (!out) throw invalid_value_error("path", "\"" + path + "\"", "cannot be written");

  struct formatted {
    std::string text;
    std::size_t courses = 0;
    std::size_t events = 0;
  };
  const auto reference = synthetic_reference();
  const std::size_t blocks = block_count(options);
  synthetic_log_summary summary;
  try {
    run_blocks<formatted>(
        blocks, thread_count(options, blocks),
        [&](std::size_t b) {
          const auto courses = make_block(options, b, reference);
          formatted f;
          f.courses = courses.size();
          for (const auto& c : courses) f.events += c.events().size();
          for (const auto& c : courses) {
            for (const auto& e : c.events()) {
              detail::append_event_json(f.text, c.id(), e);
              f.text += '\n';
            }
          }
          // Each block is its own gzip member; concatenated members are one gzip stream.
          if (compress) f.text = detail::gzip(f.text);
          return f;
        },
        [&](std::size_t, formatted f) {
          out.write(f.text.data(), static_cast<std::streamsize>(f.text.size()));
          if (!out) throw error("writing " + path + " failed");
          summary.courses += f.courses;
          summary.events += f.events;
          summary.bytes += f.text.size();
          if (progress && !progress(summary.courses)) throw cancelled_error("generation cancelled");
        });
    out.close();
    if (!out) throw error("writing " + path + " failed");
    std::filesystem::rename(partial, path);
  } catch (...) {
    out.close();
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    throw;
  }
  return summary;
}

}  // namespace mentorcore

namespace mentorcore {

namespace {

const course& as_course(const course& c) {
  return c;
}
const course& as_course(const course* c) {
  return *c;
}

template <class Courses>
std::vector<realised_rate> rates_of(const Courses& courses) {
  std::vector<realised_rate> rates;
  const auto add = [&](std::string measure, double numerator, double denominator) {
    rates.push_back({std::move(measure), numerator, denominator});
  };
  double all = 0, started = 0, closed = 0, open = 0, started_work = 0, skipped_pre = 0,
         with_trial = 0, back_moved = 0, paused = 0, with_grant = 0, extended = 0,
         hours_granted = 0, hours_delivered = 0, own_appointment = 0, duration_days = 0,
         longer_than_6_months = 0, mentor_changed = 0;
  std::array<double, enum_traits<closure_reason>::names.size()> by_closure{};
  std::array<double, enum_traits<attendance>::names.size()> by_attendance{};
  double contacts = 0;
  std::array<double, 2> home{}, in_person{};          // months 0-2, months 6 and later
  std::array<double, 2> steps_alone{}, steps_done{};  // the same
  double assessments = 0, relapses = 0, session_ratings = 0, session_alerts = 0;
  double handovers = 0, late = 0, acknowledged = 0, rejected = 0, revoked = 0;
  std::array<double, enum_traits<handover_type>::names.size()> by_type{};
  double with_withheld = 0, carried = 0, withheld = 0, dropped = 0;
  std::array<double, enum_traits<data_category>::names.size()> withheld_by_category{};
  std::array<double, enum_traits<handover_type>::names.size()> dropped_by_type{}, profile_by_type{};

  for (const auto& item : courses) {
    const course& c = as_course(item);
    ++all;
    if (c.closed_on()) {
      ++closed;
      ++by_closure[static_cast<std::size_t>(*c.closure())];
    } else {
      ++open;
    }
    if (!c.started_on()) continue;
    ++started;
    const date start = *c.started_on();
    if (c.closed_on()) {
      duration_days += static_cast<double>((*c.closed_on() - start).days());
      longer_than_6_months += *c.closed_on() > add_months(start, 6) ? 1 : 0;
    }
    const auto& phases = c.phases();
    if (phases.size() > 1 && phases[1].which != phase::pre_employment) ++skipped_pre;
    bool trial = false, back = false;
    for (std::size_t i = 0; i < phases.size(); ++i) {
      trial = trial || phases[i].which == phase::work_trial;
      back = back || (i > 0 && phases[i].which == phase::clarification &&
                      phases[i - 1].which == phase::work_trial);
    }
    with_trial += trial ? 1 : 0;
    back_moved += back ? 1 : 0;
    paused += c.pauses().empty() ? 0 : 1;
    mentor_changed += c.mentor_changes() > 0 ? 1 : 0;
    const auto grants = c.grant_usage_by_grant();
    if (!grants.empty()) ++with_grant;
    if (grants.size() > 1) ++extended;
    for (const auto& g : grants) {
      hours_granted += g.hours_granted;
      hours_delivered += g.hours_delivered;
    }
    for (const auto& m : c.milestones()) {
      own_appointment += !m.derived && m.which == milestone::first_own_appointment_alone ? 1 : 0;
    }
    bool worked = false;
    for (const auto& e : c.events()) worked = worked || holds_alternative<start_recorded>(e.data);
    started_work += worked ? 1 : 0;

    for (const auto& [day, contact] : c.contacts()) {
      ++contacts;
      ++by_attendance[static_cast<std::size_t>(contact->attended)];
    }
    for (const auto& month : c.home_visit_share_by_month()) {
      const int band = month.month_of_course < 3 ? 0 : month.month_of_course >= 6 ? 1 : -1;
      if (band < 0) continue;
      home[static_cast<std::size_t>(band)] += month.home_visits;
      in_person[static_cast<std::size_t>(band)] += month.in_person_contacts;
    }
    for (const auto& month : c.empowerment_by_month()) {
      const int band = month.month_of_course < 3 ? 0 : month.month_of_course >= 6 ? 1 : -1;
      if (band < 0) continue;
      steps_alone[static_cast<std::size_t>(band)] += month.done_alone;
      steps_done[static_cast<std::size_t>(band)] += month.done();
    }
    for (const auto& t : c.stage_trajectories()) {
      assessments += t.assessments - 1;  // moves are counted between assessments
      relapses += t.relapses;
    }
    for (const auto& r : c.ratings("session_scale")) {
      ++session_ratings;
      session_alerts += r.score.clinical.value_or(false) ? 1 : 0;
    }
    for (const auto& h : c.handovers()) {
      ++handovers;
      const auto type = static_cast<std::size_t>(h.type);
      ++by_type[type];
      acknowledged += h.state == handover_state::acknowledged ? 1 : 0;
      rejected += h.state == handover_state::rejected ? 1 : 0;
      revoked += h.state == handover_state::revoked ? 1 : 0;
      if (h.state == handover_state::acknowledged && (*h.settled_on - h.made_on).days() > 10)
        ++late;
      with_withheld += h.withheld.empty() ? 0 : 1;
      for (std::size_t k = 0; k < withheld_by_category.size(); ++k)
        withheld_by_category[k] += h.withheld_by_category[k];
      carried += static_cast<double>(h.carried.size());
      withheld += static_cast<double>(h.withheld.size());
      dropped += static_cast<double>(h.dropped.size());
      dropped_by_type[type] += static_cast<double>(h.dropped.size());
      profile_by_type[type] +=
          static_cast<double>(h.carried.size() + h.withheld.size() + h.dropped.size());
    }
  }

  add("courses.closed", closed, all);
  add("courses.open_at_observation", open, all);
  for (std::size_t r = 0; r < by_closure.size(); ++r) {
    add("closure." + std::string(enum_traits<closure_reason>::names[r]), by_closure[r], closed);
  }
  add("course.days_from_start_to_closure", duration_days, closed);
  add("course.longer_than_6_months", longer_than_6_months, closed);
  add("course.started_work_or_education", started_work, started);
  add("phase.skipped_pre_employment", skipped_pre, started);
  add("phase.back_from_work_trial", back_moved, with_trial);
  add("course.paused", paused, started);
  add("grant.extended", extended, with_grant);
  add("grant.hours_delivered_of_granted", hours_delivered, hours_granted);
  add("contacts.per_started_course", contacts, started);
  for (std::size_t a = 0; a < by_attendance.size(); ++a) {
    add("contacts." + std::string(enum_traits<attendance>::names[a]), by_attendance[a], contacts);
  }
  add("home_visits.months_0_2", home[0], in_person[0]);
  add("home_visits.months_6_on", home[1], in_person[1]);
  add("milestone.first_own_appointment_alone", own_appointment, started);
  add("steps.done_alone.months_0_2", steps_alone[0], steps_done[0]);
  add("steps.done_alone.months_6_on", steps_alone[1], steps_done[1]);
  add("stage.relapses_per_reassessment", relapses, assessments);
  add("ratings.session_below_cutoff", session_alerts, session_ratings);
  add("course.mentor_changed", mentor_changed, started);
  for (std::size_t t = 0; t < by_type.size(); ++t) {
    add("handover." + std::string(enum_traits<handover_type>::names[t]), by_type[t], handovers);
  }
  add("handover.acknowledged", acknowledged, handovers);
  add("handover.rejected", rejected, handovers);
  add("handover.revoked", revoked, handovers);
  add("handover.acknowledged_after_10_days", late, acknowledged);
  add("handover.with_items_withheld", with_withheld, handovers);
  add("handover_items.withheld", withheld, carried + withheld);
  for (std::size_t k = 0; k < withheld_by_category.size(); ++k) {
    add("handover_items.withheld." + std::string(enum_traits<data_category>::names[k]),
        withheld_by_category[k], withheld);
  }
  add("handover_items.dropped", dropped, carried + withheld + dropped);
  for (std::size_t t = 0; t < by_type.size(); ++t) {
    add("handover_items.dropped." + std::string(enum_traits<handover_type>::names[t]),
        dropped_by_type[t], profile_by_type[t]);
  }
  return rates;
}

}  // namespace

std::vector<realised_rate> realised_rates(std::span<const course> courses) {
  return rates_of(courses);
}

std::vector<realised_rate> realised_rates(std::span<const course* const> courses) {
  return rates_of(courses);
}

}  // namespace mentorcore
