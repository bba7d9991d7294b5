#pragma once
/// \file detail/sanitizers.hpp
/// Whether this translation unit is compiled under AddressSanitizer. GCC says so with
/// `__SANITIZE_ADDRESS__`; Clang 14 only through `__has_feature(address_sanitizer)`.

namespace mentorcore::detail {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool address_sanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool address_sanitizer = true;
#else
inline constexpr bool address_sanitizer = false;
#endif
#else
inline constexpr bool address_sanitizer = false;
#endif

}  // namespace mentorcore::detail
