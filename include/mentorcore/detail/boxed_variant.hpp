#pragma once
/// \file detail/boxed_variant.hpp
/// The machinery behind mentorcore::event_payload: a variant whose large alternatives are kept
/// on the heap, so that an event is as small as the common payloads rather than the largest.
/// Include mentorcore/event.hpp, not this header.

#include <cstddef>
#include <memory>
#include <new>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include <gsl/assert>
#include <gsl/pointers>

#include "mentorcore/detail/box_cache.hpp"

namespace mentorcore {

/// A payload kept on the heap. The few large payloads (orders, grants, handovers, consents, ...)
/// are held this way inside event_payload so that an event is as small as the common ones (a
/// contact) rather than as large as the largest. A value like the payload itself: copying copies
/// it, == compares it. Moving leaves the source empty, like a moved-from unique_ptr; an empty box
/// may only be assigned to or destroyed.
template <class T>
class boxed {
 public:
  boxed() : value_(make()) {}
  boxed(const T& value) : value_(make(value)) {}        // NOLINT: implicit, like T
  boxed(T&& value) : value_(make(std::move(value))) {}  // NOLINT
  boxed(const boxed& other) : value_(make(*other)) {}
  boxed(boxed&&) noexcept = default;
  boxed& operator=(const boxed& other) {
    if (this != &other) *this = boxed(other);  // copied first: a throwing copy changes nothing
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
  // Boxes of one size share their thread's cache of freed blocks (sizes rounded to 16 bytes,
  // the allocator's granule, so that payloads of nearly one size share it too).
  using cache = detail::box_cache<(sizeof(T) + 15) / 16 * 16>;
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__,
                "a boxed payload needs no more alignment than operator new gives");

  template <class... Args>
  static gsl::owner<T*> make(Args&&... args) {
    void* block = cache::take();
    try {
      return ::new (block) T(std::forward<Args>(args)...);
    } catch (...) {
      cache::give(block);
      throw;
    }
  }
  struct destroy {
    void operator()(gsl::owner<T*> value) const noexcept {
      value->~T();
      cache::give(value);
    }
  };

  std::unique_ptr<T, destroy> value_;
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

}  // namespace mentorcore
