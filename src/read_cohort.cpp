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
// the cut, and the parts are read on several threads and concatenated in order; a gzip file is
// read in one part. One file is first tried in one pass (read_cohort_one_pass.cpp).

#include "mentorcore/analytics/read_cohort.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "cohort_read_sink.hpp"
#include "file_path.hpp"
#include "log_line_parser.hpp"
#include "mentorcore/detail/redact.hpp"

namespace mentorcore {
namespace {

using detail::cohort_course_lines;
using detail::cohort_log_scan;
using detail::cohort_no_line;
using detail::cohort_read_unit;
using detail::cohort_streaming_sink;
using detail::cohort_unit_result;

// ---- pass 1 -------------------------------------------------------------------------------------

cohort_log_scan scan_log_courses(const std::string& path, const read_options& options,
                                 detail::cohort_read_control& control) {
  cohort_log_scan scan;
  const auto lines = detail::log_line_source::open_file(path, options.max_line_bytes);
  scan.compressed = lines->compressed();
  detail::cohort_read_meter meter(control, *lines);
  detail::log_line_parser parser;
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
      const bool parsed = parser.parse(*lines, content, root) == simdjson::SUCCESS;
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

// Where to cut a scanned plain file into parts of at least `min_bytes`, as many as
// cohort_plain_parts gives for `threads` threads: the starts of courses that no earlier course
// spans.
std::vector<cohort_read_unit> cohort_file_units(std::size_t file, const cohort_log_scan& scan,
                                                std::uint64_t bytes, unsigned threads,
                                                std::uint64_t min_bytes) {
  std::vector<cohort_read_unit> units;
  const std::uint64_t parts = detail::cohort_plain_parts(bytes, threads, min_bytes);
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
    detail::check_file_path(path, "paths");
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
      !detail::read_cohort_in_one_pass(paths[0], sizes[0], threads, options, control, total, units,
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
