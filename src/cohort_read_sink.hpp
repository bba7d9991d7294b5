#pragma once
// What read_cohort's two ways of reading share (read_cohort.cpp, read_cohort_one_pass.cpp): what
// pass 1 learns of a file, the sink that turns courses into cohort rows as soon as they end, and
// what one piece of work gives.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "cohort_read_work.hpp"
#include "log_attribution.hpp"
#include "log_lines.hpp"
#include "log_reader.hpp"
#include "log_values.hpp"
#include "mentorcore/analytics/cohort.hpp"
#include "mentorcore/analytics/read_cohort.hpp"
#include "mentorcore/detail/accepted_texts_append.hpp"

namespace mentorcore::detail {

inline constexpr std::size_t cohort_no_line = std::numeric_limits<std::size_t>::max();

// ---- pass 1 -------------------------------------------------------------------------------------

// The lines of one course in a file.
struct cohort_course_lines {
  std::size_t first = 0;  // its first line
  std::size_t end = 0;    // the last line that can affect it
  // Where a part starting with this course's first line would start: just after the line before
  // it, and that line's number; and whether a part may start there (the line before names a
  // course or is the header: no line whose course cannot be told is waiting for a course).
  std::uint64_t start_byte = 0;
  std::size_t lines_before = 0;
  bool clean_start = false;
};

// What pass 1 learnt about one file.
struct cohort_log_scan {
  bool complete = false;    // pass 1 read the whole file (else pass 2 meets the same fault)
  bool compressed = false;  // gzip: read in one part
  std::shared_ptr<const reference_data> header_reference;  // what its header declares, if any
  std::vector<cohort_course_lines> courses;                // in order of first line
  std::unordered_map<std::string, std::size_t> index;      // course -> position in `courses`

  [[nodiscard]] std::size_t end_of(const std::string& course) const {
    const auto found = index.find(course);
    return found == index.end() ? cohort_no_line : courses[found->second].end;
  }
};

// Thrown by a single-pass read (read_cohort_in_one_pass) that meets a log it cannot read in one
// pass: a course's lines apart, or a rejected line. Not an `error`: the line loop lets it
// through, and read_cohort then reads the file in two passes. Never leaves read_cohort.
struct cohort_needs_two_passes {};

// The sink of pass 2: keeps each course until the last line that can affect it, then hands it
// to the builder at once; finish() restores the order of first lines (the order read_events
// gives).
//
// Single-pass mode (`single_pass` set, no scan): mentorcore's writers put each course's lines
// together, so a course is taken to end where the next one starts and is handed over then. That
// is what pass 1 would have found unless a course's lines come apart or a line is rejected
// (collect mode: its course may not be told, and neighbours take the blame); either throws
// cohort_needs_two_passes before anything is returned.
class cohort_streaming_sink final : public log_course_sink {
 public:
  cohort_streaming_sink(const cohort_log_scan* scan, cohort_read_meter& meter,
                        const read_result* single_pass = nullptr)
      : scan_(scan), meter_(meter), single_pass_(single_pass) {}

  void add(std::string_view id, event&& e,
           const std::shared_ptr<const reference_data>& reference) override {
    if (current_ != cohort_no_line && short_text_equals(id, current_name_)) {
      accepted_texts_append::append(*queue_[current_ - first_].value, std::move(e));
      return;
    }
    std::string name(id);
    if (single_pass_) {
      if (handed_over_.contains(name)) throw cohort_needs_two_passes{};
      // The course before has ended (no line was rejected: line_read would have stopped).
      if (current_ != cohort_no_line) hand_over(current_, no_failures_);
    }
    if (const auto known = open_.find(name); known != open_.end()) {
      accepted_texts_append::append(*queue_[known->second - first_].value, std::move(e));
      current_ = known->second;
      current_name_ = std::move(name);
      return;
    }
    // Courses in one log run to similar lengths. When no other course is open (a log whose
    // courses' lines follow one another, the usual one), the course handed over last lends the
    // new one its memory, or else the new one gets room for as many events as that one had:
    // either saves the history's and the lists' doublings (each moves all they hold). Courses
    // read side by side each grow as they need, so a long course before many interleaved short
    // ones cannot multiply the memory that bounded reading promises.
    const bool alone = open_.empty();
    std::unique_ptr<course> started;
    if (alone && spare_) {
      accepted_texts_append::restart(*spare_, std::move(e), reference);  // throws before
      started = std::move(spare_);                                       // anything is kept
    } else {
      started = std::make_unique<course>(std::move(e), reference);
    }
    const std::size_t sequence = first_ + queue_.size();
    if (typical_events_ > 1 && alone)
      accepted_texts_append::reserve_history(*started, typical_events_);
    const std::size_t end = scan_ ? scan_->end_of(name) : cohort_no_line;
    queue_.push_back({name, std::move(started)});
    open_.emplace(name, sequence);
    ending_.emplace(end, sequence);
    current_ = sequence;
    current_name_ = std::move(name);
  }

  void line_read(std::size_t line, const collect_course_attribution& failed) override {
    meter_.line();
    if (single_pass_ && !single_pass_->rejected.empty()) throw cohort_needs_two_passes{};
    while (!ending_.empty() && ending_.top().first <= line) {
      const std::size_t sequence = ending_.top().second;
      ending_.pop();
      hand_over(sequence, failed);
    }
  }

  // Single-pass mode, after finish(): the courses read.
  [[nodiscard]] std::unordered_set<std::string> courses_read() { return std::move(handed_over_); }

  // Every course left (a pipe's, or one whose end pass 1 did not see) and the cohort, its
  // courses in the order of their first lines.
  cohort finish(const collect_course_attribution& failed) {
    while (!ending_.empty()) {
      const std::size_t sequence = ending_.top().second;
      ending_.pop();
      hand_over(sequence, failed);
    }
    cohort built = builder_.finish();
    if (std::is_sorted(added_.begin(), added_.end())) return built;
    std::vector<std::size_t> order(added_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return added_[a] < added_[b]; });
    return built.reordered(order);
  }

 private:
  struct held_course {
    std::string name;
    std::unique_ptr<course> value;  // null once handed over
  };

  // Hands course `sequence` over (unless it has a rejected line) and frees it; the front of the
  // queue moves past the courses handed over.
  void hand_over(std::size_t sequence, const collect_course_attribution& failed) {
    if (sequence < first_) return;  // handed over already
    auto& done = queue_[sequence - first_];
    if (!done.value) return;
    typical_events_ = std::min(done.value->events().size(), max_typical_events);
    if (!failed.failed_at.contains(done.name)) {
      builder_.add(*done.value);
      added_.push_back(sequence);
    }
    if (single_pass_) handed_over_.insert(done.name);
    spare_ = std::move(done.value);
    open_.erase(done.name);
    if (current_ == sequence) current_ = cohort_no_line;
    while (!queue_.empty() && !queue_.front().value) {
      queue_.pop_front();
      ++first_;
    }
  }

  // The events of the course handed over last (at most max_typical_events): what a new course
  // reserves.
  static constexpr std::size_t max_typical_events = 4096;
  std::size_t typical_events_ = 0;
  // The course handed over last, its memory kept for the next one to start in (see add).
  std::unique_ptr<course> spare_;
  const cohort_log_scan* scan_;  // null for a pipe: its courses end with it
  cohort_read_meter& meter_;
  // In order of first line, from sequence number first_; the courses handed over stay until
  // every earlier one has been, as a name and an empty pointer.
  std::deque<held_course> queue_;
  std::size_t first_ = 0;
  std::unordered_map<std::string, std::size_t> open_;  // course -> sequence number
  // (last line, sequence number), soonest first
  std::priority_queue<std::pair<std::size_t, std::size_t>,
                      std::vector<std::pair<std::size_t, std::size_t>>, std::greater<>>
      ending_;
  std::size_t current_ = cohort_no_line;  // the course of the last line added
  std::string current_name_;
  cohort_builder builder_;
  std::vector<std::size_t> added_;  // the sequence number of each course added, in order
  const read_result* single_pass_;  // single-pass mode: the lines rejected so far
  std::unordered_set<std::string> handed_over_;  // single-pass mode: the courses done
  collect_course_attribution no_failures_;       // single-pass mode: none rejected
};

// One piece of work of pass 2: a file, or a part of one.
struct cohort_read_unit {
  std::size_t file = 0;
  std::optional<log_line_source::file_part> part;  // none: the whole file
  bool at_start = true;
};

// What one unit gave.
struct cohort_unit_result {
  cohort rows;
  std::vector<rejected_line> rejected;
  std::size_t redacted_texts = 0;
};

// One plain or gzip file in one pass (read_cohort_one_pass.cpp): in up to `threads` parts of a
// plain file cut blindly at line ends, or in pieces of a gzip file's text handed to `threads`
// threads as it is inflated; the same cohort as two passes give when the parts' courses are
// apart. Fills `units` and `results`, or throws what reading the file in order would first
// meet. False, with nothing filled: the file needs two passes.
bool read_cohort_in_one_pass(const std::string& path, std::uint64_t bytes, unsigned threads,
                             const cohort_read_options& options, cohort_read_control& control,
                             std::uint64_t total, std::vector<cohort_read_unit>& units,
                             std::vector<std::optional<cohort_unit_result>>& results);

}  // namespace mentorcore::detail
