#pragma once
// read_cohort's work on several threads: the parts of a read run on a pool of threads while the
// calling thread reports the progress, and every part stops when one is asked to.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "log_lines.hpp"
#include "mentorcore/analytics/read_cohort.hpp"

namespace mentorcore::detail {

// Thrown inside the workers when the read is stopped (the progress callback threw, or an earlier
// part failed); never leaves read_cohort.
struct cohort_read_stopped {};

// What the threads share: whether to stop, and the bytes read so far.
struct cohort_read_control {
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> done{0};
};

// Adds to `control.done` what a line source has read since the last call, every so many lines,
// and stops when asked to.
class cohort_read_meter {
 public:
  // `weight`: how many passes each byte read counts for (2 when one pass does the work of both).
  cohort_read_meter(cohort_read_control& control, const detail::log_line_source& lines,
                    std::uint64_t weight = 1)
      : control_(control), lines_(lines), weight_(weight) {}
  void line() {
    if (control_.stop.load(std::memory_order_relaxed)) throw cohort_read_stopped{};
    if (++lines_since_ >= 1024) flush();
  }
  void flush() {
    lines_since_ = 0;
    const std::uint64_t read = lines_.bytes_read();
    control_.done.fetch_add((read - reported_) * weight_, std::memory_order_relaxed);
    reported_ = read;
  }

 private:
  cohort_read_control& control_;
  const detail::log_line_source& lines_;
  std::uint64_t weight_;
  std::uint64_t reported_ = 0;
  unsigned lines_since_ = 0;
};

// How many parts a large plain file is cut into for each thread reading it (each part at least
// min_part_bytes). The threads take the parts in turn, so a thread whose core runs slower for a
// while (a virtual machine's cores do) reads fewer of them, instead of the others waiting for it
// at the end: with one part a thread, reading on 2 threads took 0.57x the time of 1 thread, not
// 0.5x (docs/benchmarks.md).
constexpr std::uint64_t cohort_parts_per_thread = 8;

// The parts a plain file of `bytes` is cut into for `threads` threads: a multiple of `threads`
// when there are more parts than threads, so that no thread is left with one part more than the
// others at the end.
inline std::uint64_t cohort_plain_parts(std::uint64_t bytes, unsigned threads,
                                        std::uint64_t min_part_bytes) {
  if (threads <= 1) return 1;
  const std::uint64_t parts = std::min<std::uint64_t>(
      cohort_parts_per_thread * threads,
      std::max<std::uint64_t>(1, bytes / std::max<std::uint64_t>(min_part_bytes, 1)));
  return parts > threads ? parts / threads * threads : parts;
}

// ---- running on several threads --------------------------------------------------------------

// Runs work(i) for i in [0, count) on up to `threads` threads, calling `progress` from this
// thread meanwhile. A failed work(i) stops the ones after it (their results would not be used)
// and its exception is returned; the first failure in index order is the one that counts.
// If `progress` throws, everything stops and its exception propagates.
inline std::vector<std::exception_ptr> run_cohort_work(std::size_t count, unsigned threads,
                                                       const std::function<void(std::size_t)>& work,
                                                       const cohort_read_options& options,
                                                       cohort_read_control& control,
                                                       std::uint64_t total) {
  std::vector<std::exception_ptr> errors(count);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> first_failed{count};
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t running = std::min<std::size_t>(threads, count);
  const auto worker = [&] {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= count || i > first_failed.load()) break;
      try {
        work(i);
      } catch (const cohort_read_stopped&) {
        // stopped on purpose: whoever stopped it reports why
      } catch (...) {
        errors[i] = std::current_exception();
        std::size_t seen = first_failed.load();
        while (i < seen && !first_failed.compare_exchange_weak(seen, i)) {
        }
      }
    }
    const std::lock_guard lock(mutex);
    --running;
    changed.notify_all();
  };
  std::exception_ptr stopped_by;
  {
    std::vector<std::jthread> pool;
    pool.reserve(running);
    try {
      for (std::size_t t = 0, n = running; t < n; ++t) pool.emplace_back(worker);
    } catch (...) {
      control.stop = true;
      throw;  // the jthreads already started are joined as `pool` goes
    }
    std::unique_lock lock(mutex);
    while (running > 0) {
      changed.wait_for(lock, std::chrono::milliseconds(100), [&] { return running == 0; });
      if (options.progress && !stopped_by) {
        lock.unlock();
        try {
          const std::uint64_t done = control.done.load();
          options.progress(done, std::max(done, total));
        } catch (...) {
          stopped_by = std::current_exception();
          control.stop = true;
        }
        lock.lock();
      }
    }
  }
  if (stopped_by) std::rethrow_exception(stopped_by);
  return errors;
}

}  // namespace mentorcore::detail
