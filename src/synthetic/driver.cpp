// The synthetic generator's driver: courses made in fixed blocks on worker threads and handed
// on in index order (to a sink, a vector, or the event log on disk), with at most a few blocks
// in memory at a time.

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "../atomic_file.hpp"
#include "../event_writer.hpp"
#include "../gzip.hpp"
#include "../log_header.hpp"
#include "mentorcore/synthetic.hpp"
#include "story.hpp"

namespace mentorcore {

namespace {

constexpr std::size_t block_size = 512;  // fixed, so gzip members do not depend on threads

unsigned thread_count(const synthetic_options& options, std::size_t blocks) {
  unsigned n =
      options.threads != 0 ? options.threads : std::max(1U, std::thread::hardware_concurrency());
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
  for (std::size_t i = first; i < last; ++i)
    block.push_back(detail::synthetic::tell_story(options, i, reference));
  return block;
}

std::size_t block_count(const synthetic_options& options) {
  return (options.courses + block_size - 1) / block_size;
}

}  // namespace

// ---- public API -------------------------------------------------------------------------------

course synthetic_course(const synthetic_options& options, std::size_t index) {
  options.validate();
  if (index >= options.courses) {
    throw out_of_range_error("index", std::to_string(index),
                             "expected 0 to " + std::to_string(options.courses - 1));
  }
  return detail::synthetic::tell_story(options, index, synthetic_reference());
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
  // The file appears only when complete; until then the blocks go to a temporary file, which
  // is removed if anything fails or the caller cancels.
  std::optional<detail::atomic_file> out;
  try {
    out.emplace(path);
  } catch (const error&) {
    throw invalid_value_error("path", "\"" + path + "\"", "cannot be written");
  }

  struct formatted {
    std::string text;
    std::size_t courses = 0;
    std::size_t events = 0;
  };
  const auto reference = synthetic_reference();
  const std::size_t blocks = block_count(options);
  synthetic_log_summary summary;
  // The log's header declares the rating scales the courses use, so that it reads back with no
  // extra argument; it is its own gzip member.
  const std::array<const reference_data*, 1> used = {reference.get()};
  if (std::string header = detail::log_header_line(used); !header.empty()) {
    header += '\n';
    if (compress) header = detail::gzip(header);
    out->write(header);
    summary.bytes += header.size();
  }
  run_blocks<formatted>(
      blocks, thread_count(options, blocks),
      [&](std::size_t b) {
        const auto courses = make_block(options, b, reference);
        formatted f;
        f.courses = courses.size();
        for (const auto& c : courses) f.events += c.events().size();
        for (const auto& c : courses) {
          std::size_t index = 0;
          for (const auto& e : c.events()) {
            const std::size_t start = f.text.size();
            detail::append_event_json(f.text, c.id(), e);
            detail::check_event_line_length(f.text.size() - start, c.id(), index++, e);
            f.text += '\n';
          }
        }
        // Each block is its own gzip member; concatenated members are one gzip stream.
        if (compress) f.text = detail::gzip(f.text);
        return f;
      },
      [&](std::size_t, const formatted& f) {
        out->write(f.text);
        summary.courses += f.courses;
        summary.events += f.events;
        summary.bytes += f.text.size();
        if (progress && !progress(summary.courses)) throw cancelled_error("generation cancelled");
      });
  out->commit();
  return summary;
}

}  // namespace mentorcore
