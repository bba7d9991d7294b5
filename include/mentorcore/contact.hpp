#pragma once
/// \file contact.hpp
/// Contacts between mentor and citizen: where they happened, whether the citizen came, and
/// whether the time is billable.

#include <array>
#include <cstdint>
#include <string_view>

#include "mentorcore/enum.hpp"

namespace mentorcore {

/// Where a contact took place.
enum class location : std::uint8_t {
  home,                   ///< the citizen's home
  provider_office,        ///< the provider's office
  workplace,              ///< a workplace (internship, work trial, job)
  education_site,         ///< a school or education institution
  public_place,           ///< a café, a walk, a library
  escort_to_appointment,  ///< the mentor escorts the citizen to an appointment
  phone,
  video,
  message,  ///< text message, e-mail, digital post
};

template <>
struct enum_traits<location> {
  static constexpr std::string_view type_name = "location";
  static constexpr std::array<std::string_view, 9> names = {
      "home",           "provider_office", "workplace",
      "education_site", "public_place",    "escort_to_appointment",
      "phone",          "video",           "message"};
};

/// Whether the citizen attended.
enum class attendance : std::uint8_t {
  attended,
  no_show,
  cancelled_by_citizen_in_time,
  cancelled_by_citizen_late,
  cancelled_by_provider,
  rescheduled,
};

template <>
struct enum_traits<attendance> {
  static constexpr std::string_view type_name = "attendance";
  static constexpr std::array<std::string_view, 6> names = {"attended",
                                                            "no_show",
                                                            "cancelled_by_citizen_in_time",
                                                            "cancelled_by_citizen_late",
                                                            "cancelled_by_provider",
                                                            "rescheduled"};
};

/// Why a contact's time is not billable (BEK § 122: transport, mentor sickness and overhead are
/// not).
enum class non_billable_reason : std::uint8_t {
  transport,
  mentor_sick,
  admin,
  citizen_absent,
  other
};

template <>
struct enum_traits<non_billable_reason> {
  static constexpr std::string_view type_name = "non_billable_reason";
  static constexpr std::array<std::string_view, 5> names = {"transport", "mentor_sick", "admin",
                                                            "citizen_absent", "other"};
};

/// Whether the contact met in person (the denominator of the home-visit share).
[[nodiscard]] constexpr bool in_person(location where) noexcept {
  return where != location::phone && where != location::video && where != location::message;
}

}  // namespace mentorcore
