#pragma once
/// \file interchange.hpp
/// The event log: a versioned JSON Lines format in which case systems and mentorcore exchange
/// courses. One JSON object per line, one event per object, each with "schema": "mentorcore/2".
/// Reading replays every course through the same validation as the live API; writing is
/// deterministic; personal identity numbers are pseudonymised at the edge. See
/// docs/event-schema.md.

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mentorcore/course.hpp"
#include "mentorcore/ids.hpp"
#include "mentorcore/reference_data.hpp"

namespace mentorcore {

/// The schema version this library writes (and the newest it reads).
inline constexpr std::string_view event_schema = "mentorcore/2";
/// The oldest schema version this library reads. mentorcore/1 is mentorcore/2 without the end of
/// a start (start_ended), the status after closure (status_recorded) and a grant's provider; a
/// line that says mentorcore/1 and uses one of them is an error (docs/event-schema.md).
inline constexpr std::string_view oldest_event_schema = "mentorcore/1";

/// Turns a CPR number into a citizen's pseudonymous key: a keyed HMAC-SHA256 of the ten digits,
/// written as "P-" and 32 letters a-p (letters only, so a key can never look like a CPR
/// number). The same key and CPR always give the same citizen key; without the key the CPR
/// cannot be recovered. The CPR is never stored, written, logged or echoed.
class pseudonymiser {
 public:
  /// Throws invalid_value_error if `key` is shorter than 16 bytes.
  explicit pseudonymiser(std::string key);
  /// The key from the environment variable MENTORCORE_PSEUDONYM_KEY, if set.
  [[nodiscard]] static std::optional<pseudonymiser> from_environment();
  /// Validates `cpr` ("DDMMYYSSSS" or "DDMMYY-SSSS": ten digits whose first six are a real
  /// date) and returns the citizen key. Errors name the field "cpr", never the number.
  [[nodiscard]] citizen_key citizen_for(std::string_view cpr) const;

 private:
  std::string key_;
};

/// The longest line an event log may have, in bytes (8 MiB): far beyond any event mentorcore
/// writes, and small enough that a hostile or mistaken input (a file of zeros, /dev/zero, a gzip
/// bomb of one endless line) is refused before it takes much memory. Readers hold one line at a
/// time; writers refuse to write a longer line, so whatever they write reads back.
inline constexpr std::size_t max_event_line_bytes = std::size_t{8} << 20;

/// How to read an event log.
struct read_options {
  /// Codes and instruments the courses are checked against.
  std::shared_ptr<const reference_data> reference = reference_data::builtin();
  /// Needed if any course_ordered line carries a "cpr" field; such a file is rejected without it.
  std::optional<pseudonymiser> pseudonyms;
  /// false: the first bad line throws parse_error and nothing is loaded. true: courses with a
  /// bad line are left out and every rejected line is reported.
  bool collect_errors = false;
  /// A longer line throws parse_error (even when collecting errors: the input is not a log).
  std::size_t max_line_bytes = max_event_line_bytes;
};

/// A line that was not loaded, and why.
struct rejected_line {
  std::size_t line = 0;
  std::string course;  ///< the course it belongs to, when known
  std::string message;
};

/// What reading produced.
struct read_result {
  std::vector<course> courses;  ///< in order of first appearance
  std::vector<rejected_line> rejected;
  /// How many texts on the lines read had a CPR-shaped number replaced by
  /// "[redacted: possible CPR number]" (detail::accept_free_text): a figure of the file's data
  /// quality, so that no replacement goes unreported.
  std::size_t redacted_texts = 0;
};

/// Reads an event log from text (gzip-compressed text is recognised and decompressed, a piece
/// at a time). `source` names it in errors. Throws parse_error ("source:line: ...") on the first
/// bad line unless collecting errors. A first line of type "header" declares reference data
/// beyond the built-in set, which is added to `options.reference` (docs/event-schema.md).
[[nodiscard]] read_result read_events(std::string_view text, std::string_view source = "<string>",
                                      const read_options& options = {});

/// Reads an event log file (plain or gzip-compressed), in chunks: memory holds the courses and
/// one line, however large the file or what it decompresses to. Pipes, FIFOs and process
/// substitution (/dev/fd/N) read like files. Throws parse_error (line 0) with the system's
/// reason if the file cannot be opened or read.
[[nodiscard]] read_result read_events_file(const std::string& path,
                                           const read_options& options = {});

/// Writes courses as an event log: every event of the first course in order, then the next, ...
/// Deterministic: the same courses give the same bytes. When the courses use reference data
/// beyond the built-in set (instruments, added codes), a first "header" line declares it, so the
/// log reads back with no extra argument. Throws invalid_value_error, before writing anything,
/// if two courses have the same id (the log could not be read back) or an event's line would be
/// longer than max_event_line_bytes.
[[nodiscard]] std::string write_events(std::span<const course> courses);
/// The same, for courses held elsewhere (no copies).
[[nodiscard]] std::string write_events(std::span<const course* const> courses);

/// Writes an event log file; a path ending in ".gz" is gzip-compressed (deterministically: no
/// timestamp or name in the gzip header).
void write_events_file(std::span<const course> courses, const std::string& path);
void write_events_file(std::span<const course* const> courses, const std::string& path);

/// One event as its JSON line (without the newline).
[[nodiscard]] std::string event_to_json(const course_id& course, const event& e);

/// The JSON Schema (draft 2020-12) of one event-log line, generated from the event field tables.
[[nodiscard]] std::string event_json_schema();

}  // namespace mentorcore
