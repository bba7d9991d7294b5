// Reading a cohort from event-log files without keeping course objects (docs/cohort.md,
// "Reading a cohort from event logs").
//
// Pass 1 reads each regular file once, parsing every line but looking only at the course it
// names, and records each course's first line and the last line that can affect it (its own
// lines, and the lines after it whose course cannot be told, which collect mode blames on it).
// Pass 2 replays the lines through read_events' own line loop (log_reader.hpp); its sink keeps
// a course only until the last line that can affect it, then hands it to a cohort_builder,
// whatever courses are still open before it. The builder so gets the courses in the order they
// end; cohort::reordered then puts them in the order read_events gives (first line first), with
// the codes they would have had. So memory holds only the courses open at the line being read
// (however the log is sorted) and the cohort's rows. A pipe cannot be read twice: its
// courses are kept until it ends. A large plain file is cut, for pass 2, where no course spans
// the cut, and the parts are read on several threads and concatenated in order; a gzip file,
// read in one part, is inflated on a second thread while the first reads its lines.

#include "mentorcore/analytics/read_cohort.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "cohort_read_work.hpp"
#include "log_attribution.hpp"
#include "log_lines.hpp"
#include "log_reader.hpp"
#include "log_values.hpp"
#include "mentorcore/detail/redact.hpp"

namespace mentorcore {
namespace {

constexpr std::size_t cohort_no_line = std::numeric_limits<std::size_t>::max();

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

cohort_log_scan scan_log_courses(const std::string& path, const read_options& options,
                                 detail::cohort_read_control& control) {
  cohort_log_scan scan;
  const auto lines = detail::log_line_source::open_file(path, options.max_line_bytes);
  scan.compressed = lines->compressed();
  detail::cohort_read_meter meter(control, *lines);
  simdjson::dom::parser parser;
  enum class previous { none, header, known, unknown, other };
  previous before = previous::none;
  std::uint64_t before_end = 0;  // the byte after the line before
  std::size_t before_line = 0;
  std::size_t last_known = cohort_no_line;  // the course the last line naming one named last
  std::string last_name;                    // and its name
  bool first = true;
  try {
    while (const auto next = lines->next()) {
      meter.line();
      const std::size_t line = lines->line();
      const std::string_view content = *next;
      if (content.find_first_not_of(" \t") == std::string_view::npos) continue;
      const bool is_first = std::exchange(first, false);
      bool header = false;
      simdjson::dom::element root;
      const bool parsed =
          parser.parse(content.data(), content.size(), false).get(root) == simdjson::SUCCESS;
      // Most lines name the course of the line before: that course now ends here, found without
      // building its name or looking it up (course_named_in_line's rule, on a string_view).
      if (parsed && before == previous::known && last_known != cohort_no_line) {
        simdjson::dom::element value;
        std::string_view id;
        if (root.at_key("course").get(value) == simdjson::SUCCESS &&
            value.get_string().get(id) == simdjson::SUCCESS && id == last_name &&
            !detail::is_log_header_line(root)) {
          scan.courses[last_known].end = line;
          before_end = lines->position();
          before_line = line;
          continue;
        }
      }
      // The courses the reader will tie this line to, as read_log_lines decides it.
      std::vector<std::string> names;
      if (parsed && detail::is_log_header_line(root)) {
        header = true;
        if (is_first) scan.header_reference = detail::read_log_header(root, options, path, line);
      } else if (auto named = parsed ? detail::course_named_in_line(root) : std::string();
                 !named.empty()) {
        names.push_back(std::move(named));
      } else {
        // Not JSON, or no "course" string: the tolerant scan, as collect mode does.
        names = detail::scan_line_for_course_ids(content);
      }
      if (header) {
        before = is_first ? previous::header : previous::other;
      } else if (names.empty()) {
        // Collect mode blames the course before it (and the one after, whose interval starts
        // at its own line anyway).
        if (last_known != cohort_no_line) scan.courses[last_known].end = line;
        before = previous::unknown;
      } else {
        for (auto& name : names) {
          auto [at, added] = scan.index.try_emplace(std::move(name), scan.courses.size());
          if (added) {
            const bool clean =
                before == previous::none || before == previous::header || before == previous::known;
            scan.courses.push_back({line, line, before_end, before_line, clean});
          }
          scan.courses[at->second].end = line;
          last_known = at->second;
          last_name = at->first;
        }
        before = previous::known;
      }
      before_end = lines->position();
      before_line = line;
    }
    scan.complete = true;
  } catch (const error&) {
    // A fault of the input as a whole (a line too long, corrupt gzip, a bad header): pass 2
    // reads to the same place, after reporting any bad line before it, and throws the same.
  }
  meter.flush();
  return scan;
}

// ---- pass 2 -------------------------------------------------------------------------------------

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
class cohort_streaming_sink final : public detail::log_course_sink {
 public:
  cohort_streaming_sink(const cohort_log_scan* scan, detail::cohort_read_meter& meter,
                        const read_result* single_pass = nullptr)
      : scan_(scan), meter_(meter), single_pass_(single_pass) {}

  void add(std::string_view id, event&& e,
           const std::shared_ptr<const reference_data>& reference) override {
    if (current_ != cohort_no_line && detail::short_text_equals(id, current_name_)) {
      detail::accepted_texts_append::append(*queue_[current_ - first_].value, std::move(e));
      return;
    }
    std::string name(id);
    if (single_pass_) {
      if (handed_over_.contains(name)) throw cohort_needs_two_passes{};
      // The course before has ended (no line was rejected: line_read would have stopped).
      if (current_ != cohort_no_line) hand_over(current_, no_failures_);
    }
    if (const auto known = open_.find(name); known != open_.end()) {
      detail::accepted_texts_append::append(*queue_[known->second - first_].value, std::move(e));
      current_ = known->second;
      current_name_ = std::move(name);
      return;
    }
    auto started = std::make_unique<course>(std::move(e), reference);  // throws before anything
    const std::size_t sequence = first_ + queue_.size();               // is kept
    // Courses in one log run to similar lengths: room for as many events as the last one had
    // saves the history's doublings (each moves every event so far). Only for a course that is
    // the one open (a log whose courses' lines follow one another, the usual one): courses read
    // side by side each grow as they need, so a long course before many interleaved short ones
    // cannot multiply the memory that bounded reading promises.
    if (typical_events_ > 1 && open_.empty())
      detail::accepted_texts_append::reserve_history(*started, typical_events_);
    const std::size_t end = scan_ ? scan_->end_of(name) : cohort_no_line;
    queue_.push_back({name, std::move(started)});
    open_.emplace(name, sequence);
    ending_.emplace(end, sequence);
    current_ = sequence;
    current_name_ = std::move(name);
  }

  void line_read(std::size_t line, const detail::collect_course_attribution& failed) override {
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
  cohort finish(const detail::collect_course_attribution& failed) {
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
  void hand_over(std::size_t sequence, const detail::collect_course_attribution& failed) {
    if (sequence < first_) return;  // handed over already
    auto& done = queue_[sequence - first_];
    if (!done.value) return;
    typical_events_ = std::min(done.value->events().size(), max_typical_events);
    if (!failed.failed_at.contains(done.name)) {
      builder_.add(*done.value);
      added_.push_back(sequence);
    }
    if (single_pass_) handed_over_.insert(done.name);
    done.value.reset();
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
  const cohort_log_scan* scan_;  // null for a pipe: its courses end with it
  detail::cohort_read_meter& meter_;
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
  std::unordered_set<std::string> handed_over_;     // single-pass mode: the courses done
  detail::collect_course_attribution no_failures_;  // single-pass mode: none rejected
};

// One piece of work of pass 2: a file, or a part of one.
struct cohort_read_unit {
  std::size_t file = 0;
  std::optional<detail::log_line_source::file_part> part;  // none: the whole file
  bool at_start = true;
};

// What one unit gave.
struct cohort_unit_result {
  cohort rows;
  std::vector<rejected_line> rejected;
  std::size_t redacted_texts = 0;
};

cohort_unit_result read_cohort_unit(const std::string& path, const cohort_read_unit& unit,
                                    const cohort_log_scan* scan, const read_options& options,
                                    detail::cohort_read_control& control) {
  const auto lines =
      unit.part ? detail::log_line_source::open_file(path, options.max_line_bytes, *unit.part)
                : detail::log_line_source::open_file(path, options.max_line_bytes);
  detail::cohort_read_meter meter(control, *lines);
  cohort_streaming_sink sink(scan, meter);
  read_result result;
  detail::log_part_start start;
  start.at_start = unit.at_start;
  if (!unit.at_start && scan) start.reference = scan->header_reference;
  const auto failed = detail::read_log_lines(*lines, path, options, sink, result, start);
  meter.flush();
  return {sink.finish(failed), std::move(result.rejected), result.redacted_texts};
}

// A part of a file (or all of it) in one pass, in single-pass mode (cohort_streaming_sink): what
// pass 1 and pass 2 give when each course's lines follow one another and no line is rejected,
// the usual log, at the cost of one reading instead of two. Throws cohort_needs_two_passes for
// any other log. Its bytes count for both passes in the progress. `courses`: the courses read.
cohort_unit_result read_cohort_part_in_one_pass(
    const std::string& path, const cohort_read_unit& unit, const detail::log_part_start& start,
    const read_options& options, detail::cohort_read_control& control,
    std::unordered_set<std::string>& courses, bool core_to_spare) {
  const auto lines =
      unit.part ? detail::log_line_source::open_file(path, options.max_line_bytes, *unit.part)
                : detail::log_line_source::open_file(path, options.max_line_bytes);
  // A gzip file is read in one part; a second core can inflate it while this one reads lines.
  if (core_to_spare) lines->inflate_ahead();
  detail::cohort_read_meter meter(control, *lines, 2);
  read_result result;
  cohort_streaming_sink sink(nullptr, meter, &result);
  std::optional<detail::collect_course_attribution> failed;
  try {
    failed = detail::read_log_lines(*lines, path, options, sink, result, start);
  } catch (const cohort_needs_two_passes&) {
    meter.flush();  // what was read counts: the progress's total grows by it
    throw;
  }
  meter.flush();
  cohort rows = sink.finish(*failed);
  courses = sink.courses_read();
  return {std::move(rows), std::move(result.rejected), result.redacted_texts};
}

// Where single-pass parts of a plain file may start, near the ends of `parts` even shares of
// its bytes, where one course's lines give way to another's (none for gzip), and the reference
// data its header adds. Throws what reading its first line throws.
std::vector<std::uint64_t> cohort_one_pass_cuts(const std::string& path, std::uint64_t bytes,
                                                std::uint64_t parts, const read_options& options,
                                                std::shared_ptr<const reference_data>& header) {
  std::vector<std::uint64_t> cuts;
  const auto lines = detail::log_line_source::open_file(path, options.max_line_bytes);
  if (lines->compressed()) return cuts;
  simdjson::dom::parser parser;
  while (const auto next = lines->next()) {
    if (next->find_first_not_of(" \t") == std::string_view::npos) continue;
    simdjson::dom::element root;
    if (parser.parse(next->data(), next->size(), false).get(root) == simdjson::SUCCESS &&
        detail::is_log_header_line(root))
      header = detail::read_log_header(root, options, path, lines->line());
    break;
  }
  // Each cut: the start of the first line after the share's end whose course is not that of
  // the line before (both named), within 8 MiB.
  for (std::uint64_t k = 1; k < parts; ++k) {
    const std::uint64_t target = std::max(bytes / parts * k, cuts.empty() ? 0 : cuts.back());
    const auto part = detail::log_line_source::open_file(
        path, options.max_line_bytes,
        detail::log_line_source::file_part{target, bytes - target, 0});
    std::string before;
    bool whole = false;  // the first line read may be the end of one
    std::uint64_t start = target;
    while (const auto next = part->next()) {
      const std::uint64_t at = std::exchange(start, part->position());
      if (!std::exchange(whole, true)) continue;
      if (next->find_first_not_of(" \t") == std::string_view::npos) continue;
      simdjson::dom::element root;
      const std::string name =
          parser.parse(next->data(), next->size(), false).get(root) == simdjson::SUCCESS
              ? detail::course_named_in_line(root)
              : std::string();
      if (!before.empty() && !name.empty() && name != before) {
        if (cuts.empty() || at > cuts.back()) cuts.push_back(at);
        break;
      }
      before = name;
      if (start - target > (std::uint64_t{8} << 20)) break;
    }
  }
  return cuts;
}

// One plain or gzip file in one pass, in up to `threads` parts cut blindly at line ends: the
// same cohort as two passes give when the parts' courses are apart (each part's lines read in
// single-pass mode). Fills `units` and `results`, or throws what reading the file in order
// would first meet. False, with nothing filled: the file needs two passes.
bool read_cohort_in_one_pass(const std::string& path, std::uint64_t bytes, unsigned threads,
                             const cohort_read_options& options,
                             detail::cohort_read_control& control, std::uint64_t total,
                             std::vector<cohort_read_unit>& units,
                             std::vector<std::optional<cohort_unit_result>>& results) {
  const std::uint64_t parts = std::min<std::uint64_t>(
      std::max(threads, 1U),
      std::max<std::uint64_t>(1, bytes / std::max<std::uint64_t>(options.min_part_bytes, 1)));
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
                         : std::optional(detail::log_line_source::file_part{begin, end - begin, 0}),
                     k == 0});
  }
  std::vector<std::optional<cohort_unit_result>> read(tried.size());
  std::vector<std::unordered_set<std::string>> courses(tried.size());
  const auto errors = detail::run_cohort_work(
      tried.size(), threads,
      [&](std::size_t k) {
        detail::log_part_start start;
        start.at_start = k == 0;
        if (k > 0) start.reference = header;
        read[k] = read_cohort_part_in_one_pass(path, tried[k], start, options, control, courses[k],
                                               tried.size() == 1 && threads > 1);
      },
      options, control, total);
  for (std::size_t k = 0; k < errors.size(); ++k) {
    if (!errors[k]) continue;
    try {
      std::rethrow_exception(errors[k]);
    } catch (const cohort_needs_two_passes&) {
      return false;
    } catch (...) {
      // The first part reads as the whole file does up to its end; a later part's fault may
      // come from the cut (a course begun before it).
      if (k > 0) return false;
      throw;
    }
  }
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

// Where to cut a scanned plain file into about `wanted` parts of at least `min_bytes`: the
// starts of courses that no earlier course spans.
std::vector<cohort_read_unit> cohort_file_units(std::size_t file, const cohort_log_scan& scan,
                                                std::uint64_t bytes, unsigned wanted,
                                                std::uint64_t min_bytes) {
  std::vector<cohort_read_unit> units;
  const std::uint64_t parts = std::min<std::uint64_t>(
      wanted, std::max<std::uint64_t>(1, bytes / std::max<std::uint64_t>(min_bytes, 1)));
  if (!scan.complete || scan.compressed || parts <= 1) {
    units.push_back({file, std::nullopt, true});
    return units;
  }
  std::vector<const cohort_course_lines*> cuts;
  std::size_t spanned_to = 0;  // the last line any course so far can be affected by
  for (const auto& c : scan.courses) {
    if (c.clean_start && c.start_byte > 0 && spanned_to < c.first) cuts.push_back(&c);
    spanned_to = std::max(spanned_to, c.end);
  }
  std::vector<const cohort_course_lines*> chosen;
  auto next = cuts.begin();
  for (std::uint64_t k = 1; k < parts; ++k) {
    const std::uint64_t target = bytes / parts * k;
    next = std::find_if(next, cuts.end(), [&](const auto* c) { return c->start_byte >= target; });
    if (next == cuts.end()) break;
    chosen.push_back(*next);
    ++next;
  }
  std::uint64_t begin = 0;
  std::size_t lines_before = 0;
  for (std::size_t i = 0; i <= chosen.size(); ++i) {
    const std::uint64_t end = i < chosen.size() ? chosen[i]->start_byte : bytes;
    units.push_back(
        {file, detail::log_line_source::file_part{begin, end - begin, lines_before}, i == 0});
    if (i < chosen.size()) {
      begin = chosen[i]->start_byte;
      lines_before = chosen[i]->lines_before;
    }
  }
  return units;
}

void check_cohort_paths(std::span<const std::string> paths, std::vector<bool>& regular,
                        std::vector<std::uint64_t>& sizes) {
  for (const auto& path : paths) {
    struct stat about {};
    errno = 0;
    if (::stat(path.c_str(), &about) != 0) {
      throw parse_error(
          path, 0, "",
          "cannot open the file: " + std::error_code(errno, std::generic_category()).message());
    }
    if (S_ISDIR(about.st_mode))
      throw parse_error(path, 0, "", "cannot read the file: it is a directory, not an event log");
    regular.push_back(S_ISREG(about.st_mode));
    sizes.push_back(S_ISREG(about.st_mode) ? static_cast<std::uint64_t>(about.st_size) : 0);
  }
}

// A course's lines in two files: the files do not make one log, whichever mode.
void refuse_courses_in_two_files(std::span<const std::string> paths,
                                 const std::vector<std::optional<cohort_log_scan>>& scans) {
  for (std::size_t j = 1; j < scans.size(); ++j) {
    if (!scans[j] || !scans[j]->complete) continue;
    std::vector<std::pair<std::size_t, const std::string*>> names;  // (first line, name)
    for (const auto& [name, at] : scans[j]->index)
      names.emplace_back(scans[j]->courses[at].first, &name);
    std::sort(names.begin(), names.end());
    for (const auto& [line, name] : names) {
      for (std::size_t i = 0; i < j; ++i) {
        if (!scans[i] || !scans[i]->complete) continue;
        const auto found = scans[i]->index.find(*name);
        if (found == scans[i]->index.end()) continue;
        try {
          (void)course_id(*name, "course");
        } catch (const invalid_value_error&) {
          continue;  // not an id: those lines are rejected in either file
        }
        throw parse_error(paths[j], line, "course",
                          "course \"" + detail::redacted_excerpt(*name, max_id_length) +
                              "\" is also in " + paths[i] + " (line " +
                              std::to_string(scans[i]->courses[found->second].first) +
                              "): a course's lines must all be in one file");
      }
    }
  }
}

// Reads `paths` in two passes (the file comment): fills `units` and `results`, or throws what
// reading them in order would first meet.
void read_cohort_in_two_passes(std::span<const std::string> paths, const std::vector<bool>& regular,
                               const std::vector<std::uint64_t>& sizes, unsigned threads,
                               const cohort_read_options& options,
                               detail::cohort_read_control& control, std::uint64_t total,
                               std::vector<cohort_read_unit>& units,
                               std::vector<std::optional<cohort_unit_result>>& results) {
  // Pass 1, one file per thread. A pipe is not scanned: it could not be read again.
  std::vector<std::optional<cohort_log_scan>> scans(paths.size());
  std::vector<std::size_t> scanned;
  for (std::size_t i = 0; i < paths.size(); ++i)
    if (regular[i]) scanned.push_back(i);
  const auto scan_errors = detail::run_cohort_work(
      scanned.size(), threads,
      [&](std::size_t k) {
        const std::size_t i = scanned[k];
        scans[i] = scan_log_courses(paths[i], options, control);
      },
      options, control, total);
  for (const auto& e : scan_errors)
    if (e) std::rethrow_exception(e);
  refuse_courses_in_two_files(paths, scans);

  // Pass 2, one unit (a file or a part of one) per thread.
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (!scans[i]) {
      units.push_back({i, std::nullopt, true});
      continue;
    }
    auto parts = cohort_file_units(i, *scans[i], sizes[i], threads, options.min_part_bytes);
    units.insert(units.end(), parts.begin(), parts.end());
  }
  results.resize(units.size());
  const auto errors = detail::run_cohort_work(
      units.size(), threads,
      [&](std::size_t k) {
        const auto& unit = units[k];
        const auto* scan = scans[unit.file] ? &*scans[unit.file] : nullptr;
        results[k] = read_cohort_unit(paths[unit.file], unit, scan, options, control);
      },
      options, control, total);
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);  // the first failed unit: where reading in order stops
}

}  // namespace

cohort_read_result read_cohort(std::span<const std::string> paths,
                               const cohort_read_options& options) {
  if (!options.reference)
    throw invalid_value_error("reference", "null", "reading needs reference data");
  std::vector<bool> regular;
  std::vector<std::uint64_t> sizes;
  check_cohort_paths(paths, regular, sizes);
  const unsigned threads =
      options.threads > 0 ? options.threads : std::max(1U, std::thread::hardware_concurrency());
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < paths.size(); ++i) total += 2 * sizes[i];
  detail::cohort_read_control control;

  std::vector<cohort_read_unit> units;
  std::vector<std::optional<cohort_unit_result>> results;
  // One file: in one pass, unless the log needs two (what the attempt read counts too, so that
  // the progress still ends at its total).
  if (paths.size() == 1 && regular[0] &&
      !read_cohort_in_one_pass(paths[0], sizes[0], threads, options, control, total, units,
                               results))
    total += control.done.load();
  if (units.empty())
    read_cohort_in_two_passes(paths, regular, sizes, threads, options, control, total, units,
                              results);
  if (options.progress) {
    const std::uint64_t done = control.done.load();
    options.progress(done, std::max(done, total));
  }

  cohort_read_result read;
  std::vector<cohort> parts;
  parts.reserve(results.size());
  for (std::size_t k = 0; k < results.size(); ++k) {
    auto& result = *results[k];
    for (auto& r : result.rejected) {
      read.rejected.push_back(
          {paths[units[k].file], r.line, std::move(r.course), std::move(r.message)});
    }
    read.redacted_texts += result.redacted_texts;
    parts.push_back(std::move(result.rows));
  }
  if (parts.size() == 1) {
    read.cohort = std::move(parts.front());
  } else if (!parts.empty()) {
    try {
      read.cohort = concatenate(std::move(parts));
    } catch (const invalid_value_error& e) {
      // A course in a pipe and in another file: its id shown redacted, like every value.
      throw invalid_value_error(e.field(), detail::redact_personal_numbers(e.value()), e.reason());
    }
  }
  return read;
}

cohort_read_result read_cohort(const std::string& path, const cohort_read_options& options) {
  return read_cohort(std::span<const std::string>(&path, 1), options);
}

}  // namespace mentorcore
