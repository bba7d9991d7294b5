// Reading one event-log file in one pass (docs/cohort.md, "Reading a cohort from event logs"):
// the usual log, whose courses' lines follow one another and whose lines are all accepted, is
// read once instead of twice. A large plain file is cut at line ends into parts read side by
// side; a gzip file cannot be cut where it lies, so on several threads its text is cut, as one
// thread inflates it, into pieces that the others read side by side. Either way each part is
// read in single-pass mode (cohort_streaming_sink) and the parts' rows are concatenated in
// order; a log that needs two passes, or a cut that split a course, is found and read again.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "cohort_read_sink.hpp"
#include "mentorcore/analytics/detail/cohort_appender.hpp"

namespace mentorcore::detail {
namespace {

// Lines read in single-pass mode: what pass 1 and pass 2 give when each course's lines follow
// one another and no line is rejected. Throws cohort_needs_two_passes for any other log.
// `courses`: the courses read.
cohort_unit_result read_lines_in_one_pass(log_line_source& lines, const std::string& path,
                                          const log_part_start& start, const read_options& options,
                                          cohort_read_meter& meter,
                                          std::unordered_set<std::string>& courses) {
  read_result result;
  cohort_streaming_sink sink(nullptr, meter, &result);
  std::optional<collect_course_attribution> failed;
  try {
    failed = read_log_lines(lines, path, options, sink, result, start);
  } catch (const cohort_needs_two_passes&) {
    meter.flush();  // what was read counts: the progress's total grows by it
    throw;
  }
  meter.flush();
  cohort rows = sink.finish(*failed);
  courses = sink.courses_read();
  return {std::move(rows), std::move(result.rejected), result.redacted_texts};
}

// A part of a file (or all of it) in one pass. Its bytes count for both passes in the progress.
cohort_unit_result read_cohort_part_in_one_pass(
    const std::string& path, const cohort_read_unit& unit, const log_part_start& start,
    const read_options& options, cohort_read_control& control,
    std::unordered_set<std::string>& courses, bool core_to_spare) {
  const auto lines = unit.part
                         ? log_line_source::open_file(path, options.max_line_bytes, *unit.part)
                         : log_line_source::open_file(path, options.max_line_bytes);
  // A gzip file read in one part: a second core can inflate it while this one reads lines.
  if (core_to_spare) lines->inflate_ahead();
  cohort_read_meter meter(control, *lines, 2);
  return read_lines_in_one_pass(*lines, path, start, options, meter, courses);
}

// Where a part may start: fed the lines after a part's target size one at a time, says whether
// this line's course is named and is not the one the line before named (named too).
class cohort_course_change {
 public:
  bool at(std::string_view line) {
    simdjson::dom::element root;
    std::string name = parser_.parse(line.data(), line.size(), false).get(root) == simdjson::SUCCESS
                           ? course_named_in_line(root)
                           : std::string();
    const bool changes = !before_.empty() && !name.empty() && name != before_;
    before_ = std::move(name);
    return changes;
  }
  void forget() { before_.clear(); }

 private:
  simdjson::dom::parser parser_;
  std::string before_;
};

// How far past a part's target size a course change is looked for.
constexpr std::uint64_t cohort_cut_search_bytes = std::uint64_t{8} << 20;
// The largest piece of a gzip file's text (whatever min_part_bytes asks). The pieces waiting and
// being read, and the memory their threads free and keep for reuse, stay small: on the
// 10,000-course log (2 threads) peak RSS was 40 MB with 1 MiB pieces, 42 with 2 MiB, 57 with 4 and
// 87 with 8 (30 on 1 thread), at the same speed.
constexpr std::uint64_t cohort_max_piece_bytes = std::uint64_t{2} << 20;

// The reference data a log's header declares, when `line` (its first line that is not blank)
// is a header; else null. Throws what read_log_header throws.
std::shared_ptr<const reference_data> cohort_header_of(std::string_view line,
                                                       const read_options& options,
                                                       const std::string& path,
                                                       std::size_t line_number) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(line.data(), line.size(), false).get(root) == simdjson::SUCCESS &&
      is_log_header_line(root))
    return read_log_header(root, options, path, line_number);
  return nullptr;
}

// Where single-pass parts of a plain file may start, near the ends of `parts` even shares of
// its bytes, where one course's lines give way to another's, and the reference data its header
// adds. Throws what reading its first line throws.
std::vector<std::uint64_t> cohort_one_pass_cuts(const std::string& path, std::uint64_t bytes,
                                                std::uint64_t parts, const read_options& options,
                                                std::shared_ptr<const reference_data>& header) {
  std::vector<std::uint64_t> cuts;
  const auto lines = log_line_source::open_file(path, options.max_line_bytes);
  while (const auto next = lines->next()) {
    if (next->find_first_not_of(" \t") == std::string_view::npos) continue;
    header = cohort_header_of(*next, options, path, lines->line());
    break;
  }
  // Each cut: the start of the first line after the share's end whose course is not that of
  // the line before (both named), within cohort_cut_search_bytes.
  cohort_course_change change;
  for (std::uint64_t k = 1; k < parts; ++k) {
    const std::uint64_t target = std::max(bytes / parts * k, cuts.empty() ? 0 : cuts.back());
    const auto part = log_line_source::open_file(
        path, options.max_line_bytes, log_line_source::file_part{target, bytes - target, 0});
    change.forget();
    bool whole = false;  // the first line read may be the end of one
    std::uint64_t start = target;
    while (const auto next = part->next()) {
      const std::uint64_t at = std::exchange(start, part->position());
      if (!std::exchange(whole, true)) continue;
      if (next->find_first_not_of(" \t") == std::string_view::npos) continue;
      if (change.at(*next)) {
        if (cuts.empty() || at > cuts.back()) cuts.push_back(at);
        break;
      }
      if (start - target > cohort_cut_search_bytes) break;
    }
  }
  return cuts;
}

// What parts read side by side in single-pass mode come to.
enum class cohort_one_pass_outcome {
  read,        // every part read, and no course in two
  two_passes,  // the log needs two passes
  cut_failed,  // a later part failed, or a course is in two parts: the cut may be to blame
};

// Settles the failures of parts read side by side: the first in order decides. The first part
// reads as the whole file does up to its end, so its fault is rethrown; a later part's fault may
// come from the cut (a course begun before it).
cohort_one_pass_outcome settle_one_pass_failures(const std::vector<std::exception_ptr>& errors) {
  for (std::size_t k = 0; k < errors.size(); ++k) {
    if (!errors[k]) continue;
    try {
      std::rethrow_exception(errors[k]);
    } catch (const cohort_needs_two_passes&) {
      return cohort_one_pass_outcome::two_passes;
    } catch (...) {
      if (k > 0) return cohort_one_pass_outcome::cut_failed;
      throw;
    }
  }
  return cohort_one_pass_outcome::read;
}

// ---- a gzip file's text in pieces -------------------------------------------------------------

// A piece of a log's text: whole lines from line `lines_before + 1` on, each followed by "\n"
// (the log's last line not, when it has no line end), with its blank lines kept so that lines
// keep their numbers.
struct cohort_text_piece {
  std::string text;
  std::size_t lines_before = 0;
};

// The pieces between the thread that cuts them and the threads that read them, at most
// `capacity` waiting, and the cohort their rows join in order, on a thread of its own, as they
// are read. Waits wake every 100 ms to see whether the whole read was stopped.
class cohort_piece_queue {
 public:
  explicit cohort_piece_queue(std::size_t capacity) : capacity_(capacity) {}

  // Waits while `capacity` pieces wait, or twice that many have not joined the cohort (read
  // after a piece still being read). False (nothing kept): the readers stopped taking pieces.
  bool put(cohort_text_piece piece, const cohort_read_control& control) {
    std::unique_lock lock(mutex_);
    while ((waiting_.size() >= capacity_ || put_ - joined_ >= 2 * capacity_) && !abandoned_)
      wait(lock, control);
    if (abandoned_) return false;
    waiting_.emplace_back(put_++, std::move(piece));
    errors_.emplace_back();
    changed_.notify_all();
    return true;
  }
  // No more pieces: the cutter ended (`error`: with this fault, or stopped).
  void close(std::exception_ptr error) {
    const std::lock_guard lock(mutex_);
    closed_ = true;
    cutter_error_ = std::move(error);
    changed_.notify_all();
  }
  // The next piece and its number, or none when there are no more to read.
  std::optional<std::pair<std::size_t, cohort_text_piece>> take(
      const cohort_read_control& control) {
    std::unique_lock lock(mutex_);
    while (waiting_.empty() && !closed_ && !abandoned_) wait(lock, control);
    if (waiting_.empty() || abandoned_) return std::nullopt;
    auto next = std::move(waiting_.front());
    waiting_.pop_front();
    changed_.notify_all();
    return next;
  }
  // Piece `k` read: its rows wait to join.
  void done(std::size_t k, cohort_unit_result result) {
    const std::lock_guard lock(mutex_);
    read_.emplace(k, std::move(result));
    changed_.notify_all();
  }
  // Piece `k` failed: no piece after it is taken (its result would not be used).
  void failed(std::size_t k, std::exception_ptr error) {
    const std::lock_guard lock(mutex_);
    errors_[k] = std::move(error);
    abandoned_ = true;
    changed_.notify_all();
  }
  // Joins the pieces' rows in order as they are read, until every piece has joined or the
  // readers stop. One thread does it, so that the cohort's columns grow in one thread's memory
  // (freed blocks are reused there rather than kept by each thread that grew a column once).
  void join(const cohort_read_control& control) {
    try {
      join_in_order(control);
    } catch (const cohort_read_stopped&) {
      throw;
    } catch (...) {
      // Out of memory: no piece is taken or put any more, and the exception propagates.
      const std::lock_guard lock(mutex_);
      abandoned_ = true;
      changed_.notify_all();
      throw;
    }
  }

  // After every thread has ended:
  [[nodiscard]] const std::exception_ptr& cutter_error() const { return cutter_error_; }
  [[nodiscard]] const std::vector<std::exception_ptr>& errors() const { return errors_; }
  [[nodiscard]] bool split_course() const { return split_course_; }
  [[nodiscard]] bool all_joined() const { return !abandoned_ && joined_ == put_; }
  cohort_unit_result joined() { return {cohort_.finish(), std::move(rejected_), redacted_texts_}; }

 private:
  void join_in_order(const cohort_read_control& control) {
    for (;;) {
      cohort_unit_result next;
      {
        std::unique_lock lock(mutex_);
        const auto ready = [&] { return !read_.empty() && read_.begin()->first == joined_; };
        while (!abandoned_ && !ready() && !(closed_ && joined_ == put_)) wait(lock, control);
        if (abandoned_ || !ready()) return;
        next = std::move(read_.begin()->second);
        read_.erase(read_.begin());
      }
      try {
        cohort_.add(std::move(next.rows));
      } catch (const error&) {
        // A course in two pieces (the cut split it, or its lines come apart in the log).
        const std::lock_guard lock(mutex_);
        split_course_ = true;
        abandoned_ = true;
        changed_.notify_all();
        return;
      }
      for (auto& r : next.rejected) rejected_.push_back(std::move(r));
      redacted_texts_ += next.redacted_texts;
      const std::lock_guard lock(mutex_);
      ++joined_;
      changed_.notify_all();
    }
  }

  void wait(std::unique_lock<std::mutex>& lock, const cohort_read_control& control) {
    if (control.stop.load()) throw cohort_read_stopped{};
    changed_.wait_for(lock, std::chrono::milliseconds(100));
  }

  std::size_t capacity_;
  std::mutex mutex_;  // guards everything but the rows joined, which only join() touches
  std::condition_variable changed_;
  std::deque<std::pair<std::size_t, cohort_text_piece>> waiting_;
  std::size_t put_ = 0;  // the pieces put
  bool closed_ = false;
  bool abandoned_ = false;
  bool split_course_ = false;
  std::exception_ptr cutter_error_;
  std::vector<std::exception_ptr> errors_;          // by piece
  std::map<std::size_t, cohort_unit_result> read_;  // by piece: read, not joined
  std::size_t joined_ = 0;                          // the pieces that have joined
  cohort_appender cohort_;
  std::vector<rejected_line> rejected_;
  std::size_t redacted_texts_ = 0;
};

// Cuts the text of the log at `path` into pieces of about `piece_bytes` where one course's lines
// give way to another's (or, none found within cohort_cut_search_bytes, where it has got to:
// the course in two pieces is found later) and puts them in `queue`. Sets `header` to what the
// log's header declares before the second piece is put. Throws what reading the lines throws.
void cut_cohort_pieces(const std::string& path, std::uint64_t piece_bytes,
                       const read_options& options, cohort_read_control& control,
                       cohort_piece_queue& queue, std::shared_ptr<const reference_data>& header) {
  const auto lines = log_line_source::open_file(path, options.max_line_bytes);
  cohort_read_meter meter(control, *lines, 2);
  cohort_course_change change;
  cohort_text_piece piece;
  std::size_t last_line = 0;  // the number of the last line put in a piece
  bool first = true;
  bool looking = false;  // for a course change: the piece is large enough
  while (const auto next = lines->next()) {
    meter.line();
    const std::size_t line = lines->line();
    const bool blank = next->find_first_not_of(" \t") == std::string_view::npos;
    if (!blank && std::exchange(first, false))
      header = cohort_header_of(*next, options, path, line);
    if (looking && !blank &&
        (change.at(*next) || piece.text.size() > piece_bytes + cohort_cut_search_bytes)) {
      const std::size_t lines_before = last_line;
      if (!queue.put(std::exchange(piece, cohort_text_piece{{}, lines_before}), control)) return;
      piece.text.reserve(piece_bytes + piece_bytes / 8);  // at most cohort_max_piece_bytes
      looking = false;
      change.forget();
    }
    piece.text.append(line - last_line - 1, '\n');  // the blank lines before it
    piece.text.append(*next);
    if (!lines->unterminated()) piece.text.push_back('\n');
    last_line = line;
    looking = looking || piece.text.size() >= piece_bytes;
  }
  meter.flush();
  if (!piece.text.empty()) queue.put(std::move(piece), control);
}

// Reads pieces from `queue` until there are none, each in single-pass mode.
void read_cohort_pieces(const std::string& path, const read_options& options,
                        cohort_read_control& control, cohort_piece_queue& queue,
                        const std::shared_ptr<const reference_data>& header) {
  while (auto next = queue.take(control)) {
    auto& [k, piece] = *next;
    try {
      const auto lines =
          log_line_source::plain_text(piece.text, path, options.max_line_bytes, piece.lines_before);
      cohort_read_meter meter(control, *lines, 0);  // the cutter counts the bytes
      log_part_start start;
      start.at_start = k == 0;
      if (k > 0) start.reference = header;
      std::unordered_set<std::string> courses;  // the queue's cohort finds a course in two
      queue.done(k, read_lines_in_one_pass(*lines, path, start, options, meter, courses));
    } catch (const cohort_read_stopped&) {
      throw;
    } catch (...) {
      queue.failed(k, std::current_exception());
    }
  }
}

// One gzip file on `threads` threads besides the one that inflates and cuts it and the one
// that joins the pieces' rows (the file comment). Fills `units` and `results` when the outcome is
// `read`.
cohort_one_pass_outcome read_gzip_cohort_in_pieces(
    const std::string& path, unsigned threads, const cohort_read_options& options,
    cohort_read_control& control, std::uint64_t total, std::vector<cohort_read_unit>& units,
    std::vector<std::optional<cohort_unit_result>>& results) {
  cohort_piece_queue queue(2 * std::size_t{threads});
  std::shared_ptr<const reference_data> header;
  // The cutter, the joiner and `threads` readers.
  const auto errors = run_cohort_work(
      std::size_t{threads} + 2, threads + 2,
      [&](std::size_t k) {
        if (k == 1) return queue.join(control);
        if (k > 1) return read_cohort_pieces(path, options, control, queue, header);
        try {
          cut_cohort_pieces(
              path, std::clamp<std::uint64_t>(options.min_part_bytes, 1, cohort_max_piece_bytes),
              options, control, queue, header);
          queue.close(nullptr);
        } catch (...) {
          queue.close(std::current_exception());
          throw;
        }
      },
      options, control, total);
  // The cutter's fault (corrupt gzip, a line too long, a bad header) is met by reading in one
  // part too, after the lines before it, as reading in order meets it.
  if (errors[1]) std::rethrow_exception(errors[1]);  // the joiner's: out of memory
  if (queue.cutter_error() || errors[0]) return cohort_one_pass_outcome::cut_failed;
  const auto outcome = settle_one_pass_failures(queue.errors());
  if (outcome != cohort_one_pass_outcome::read) return outcome;
  // A course in two pieces: joining found it.
  if (queue.split_course() || !queue.all_joined()) return cohort_one_pass_outcome::cut_failed;
  units.push_back({0, std::nullopt, true});
  results.emplace_back(queue.joined());
  return outcome;
}

}  // namespace

bool read_cohort_in_one_pass(const std::string& path, std::uint64_t bytes, unsigned threads,
                             const cohort_read_options& options, cohort_read_control& control,
                             std::uint64_t total, std::vector<cohort_read_unit>& units,
                             std::vector<std::optional<cohort_unit_result>>& results) {
  bool compressed = false;
  try {
    compressed = log_line_source::open_file(path, options.max_line_bytes)->compressed();
  } catch (const error&) {
    return false;  // two passes report it where reading in order meets it
  }
  if (compressed && threads > 1) {
    switch (read_gzip_cohort_in_pieces(path, threads, options, control, total, units, results)) {
      case cohort_one_pass_outcome::read: return true;
      case cohort_one_pass_outcome::two_passes: return false;
      case cohort_one_pass_outcome::cut_failed:
        // Read again in one part: what was read counts, as the progress's total grows by it.
        units.clear();
        results.clear();
        total += control.done.load();
        break;
    }
  }
  const std::uint64_t parts =
      compressed ? 1 : cohort_plain_parts(bytes, threads, options.min_part_bytes);
  std::shared_ptr<const reference_data> header;
  std::vector<std::uint64_t> cuts;
  if (parts > 1) {
    try {
      cuts = cohort_one_pass_cuts(path, bytes, parts, options, header);
    } catch (const error&) {
      return false;  // two passes report it where reading in order meets it
    }
  }
  std::vector<cohort_read_unit> tried;
  for (std::size_t k = 0; k <= cuts.size(); ++k) {
    const std::uint64_t begin = k == 0 ? 0 : cuts[k - 1];
    const std::uint64_t end = k < cuts.size() ? cuts[k] : bytes;
    tried.push_back({0,
                     cuts.empty()
                         ? std::nullopt
                         : std::optional(log_line_source::file_part{begin, end - begin, 0}),
                     k == 0});
  }
  std::vector<std::optional<cohort_unit_result>> read(tried.size());
  std::vector<std::unordered_set<std::string>> courses(tried.size());
  const auto errors = run_cohort_work(
      tried.size(), threads,
      [&](std::size_t k) {
        log_part_start start;
        start.at_start = k == 0;
        if (k > 0) start.reference = header;
        read[k] = read_cohort_part_in_one_pass(path, tried[k], start, options, control, courses[k],
                                               tried.size() == 1 && threads > 1);
      },
      options, control, total);
  if (settle_one_pass_failures(errors) != cohort_one_pass_outcome::read) return false;
  // A course in two parts: the cut split it.
  for (std::size_t k = 1; k < courses.size(); ++k) {
    for (const auto& name : courses[k])
      if (courses[0].contains(name)) return false;
    courses[0].merge(courses[k]);
  }
  units = std::move(tried);
  results = std::move(read);
  return true;
}

}  // namespace mentorcore::detail
