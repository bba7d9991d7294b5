#pragma once
/// \file detail/box_cache.hpp
/// Where mentorcore::boxed keeps its payloads: memory from the global operator new, with the
/// blocks a thread frees kept (up to a bound) for the next box of the same size on that thread.
/// Include mentorcore/event.hpp, not this header.
///
/// Why: a course's history holds a box for each large event, and reading a log builds a course,
/// turns it into rows and drops it, some ten thousand times a second. Every box of one course is
/// freed at once, and the next course asks for as many again. The C library's per-thread cache
/// holds only 7 blocks of a size, so most of these went through its slower shared bins; kept
/// here, they cost a push and a pop. Blocks are plain operator-new memory, so a box freed on
/// another thread than the one that made it, or after this thread's cache is gone, is simply
/// cached there or given back.

#include <array>
#include <cstddef>
#include <new>
#include <span>

#include "mentorcore/detail/sanitizers.hpp"

namespace mentorcore::detail {

/// Whether freed boxes are kept for reuse: not under AddressSanitizer, which must see every
/// free to catch a use after it.
inline constexpr bool box_cache_enabled = !address_sanitizer;

/// The freed blocks of `Size` bytes this thread keeps, at most `capacity` of them (a few hundred
/// kilobytes a size at the most, given back when the thread ends).
template <std::size_t Size>
class box_cache {
 public:
  static constexpr std::size_t capacity = 256;

  /// A block of Size bytes, aligned for any payload; throws std::bad_alloc like operator new.
  [[nodiscard]] static void* take() {
    if constexpr (box_cache_enabled) {
      if (!ended()) {
        auto& cache = local();
        if (cache.count_ > 0) return cache.free_[--cache.count_];
      }
    }
    return ::operator new(Size);
  }

  /// Takes back a block from take() (of any thread), whose object is already destroyed.
  static void give(void* block) noexcept {
    if constexpr (box_cache_enabled) {
      if (!ended()) {
        auto& cache = local();
        if (cache.count_ < capacity) {
          cache.free_[cache.count_++] = block;
          return;
        }
      }
    }
    ::operator delete(block);
  }

  box_cache(const box_cache&) = delete;
  box_cache& operator=(const box_cache&) = delete;
  box_cache(box_cache&&) = delete;
  box_cache& operator=(box_cache&&) = delete;

 private:
  box_cache() = default;
  // At the thread's end: its blocks go back, and later frees on it (thread-local or static
  // objects destroyed after this one) bypass the cache.
  ~box_cache() {
    ended() = true;
    for (void* block : std::span(free_).first(count_)) ::operator delete(block);
  }

  static box_cache& local() {
    thread_local box_cache cache;
    return cache;
  }
  // Trivially destructible, so readable until the thread is gone.
  static bool& ended() noexcept {
    thread_local bool flag = false;
    return flag;
  }

  std::array<void*, capacity> free_{};
  std::size_t count_ = 0;
};

}  // namespace mentorcore::detail
