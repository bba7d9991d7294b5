#pragma once
/// \file detail/parts_on_threads.hpp
/// Running the parts of a count on threads, for the header-only analytics (the summary's count,
/// the survival count): part 0 on the calling thread, each other part on a thread of its own.
/// Once every part has finished, the first failure in part order (std::bad_alloc) is rethrown.

#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace mentorcore::detail {

template <class Part>
void run_parts_on_threads(std::size_t parts, const Part& part) {
  if (parts <= 1) {
    if (parts == 1) part(std::size_t{0});
    return;
  }
  std::vector<std::exception_ptr> failures(parts);
  {
    std::vector<std::jthread> pool;  // joined when it goes out of scope, failed or not
    pool.reserve(parts - 1);
    for (std::size_t k = 1; k < parts; ++k) {
      pool.emplace_back([&failures, &part, k] {
        try {
          part(k);
        } catch (...) {
          failures[k] = std::current_exception();
        }
      });
    }
    try {
      part(std::size_t{0});
    } catch (...) {
      failures[0] = std::current_exception();
    }
  }
  for (const auto& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
}

}  // namespace mentorcore::detail
