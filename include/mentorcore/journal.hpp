#pragma once
/// \file journal.hpp
/// The journal: courses kept durably in one SQLite file, for case systems that embed mentorcore.
///
/// Each append validates the event against the course as stored (the same rules as
/// course::append) and commits it in one transaction, or throws and stores nothing. Every read
/// or export of a course records who read it, when, what, and why, in an audit trail that the
/// API can only add to. CPR numbers never reach the file: a course_ordered line that carries one
/// is pseudonymised on the way in, as the event-log reader does. Many readers and one writer may
/// use a journal at once, across processes (SQLite's WAL mode); a second writer waits up to the
/// busy timeout, then gets a journal_error. Compiled in mentorcore::io (docs/embedding.md).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mentorcore/analytics/cohort.hpp"
#include "mentorcore/course.hpp"
#include "mentorcore/error.hpp"
#include "mentorcore/event.hpp"
#include "mentorcore/ids.hpp"
#include "mentorcore/interchange.hpp"
#include "mentorcore/reference_data.hpp"

namespace mentorcore {

/// What went wrong with a journal, for callers that act on it (retry when busy, alert when full).
enum class journal_fault : std::uint8_t {
  not_a_journal,   ///< the file is not a mentorcore journal (another SQLite file, or not SQLite)
  newer_schema,    ///< written by a newer mentorcore, whose schema this version cannot read
  read_only,       ///< the file, its directory or the journal (opened read-only) cannot be written
  full,            ///< the disk, or the journal's size limit (journal_options::max_bytes), is full
  busy,            ///< another process held the write lock for longer than the busy timeout
  corrupt,         ///< SQLite found the file damaged
  io,              ///< the operating system refused a read or write (the message says why)
  unknown_course,  ///< no course with that id is in the journal
  duplicate,       ///< a course with that id is already in the journal
  reference_data,  ///< the reference data given does not match the journal's
};

/// The stable name of a fault, e.g. "unknown_course".
[[nodiscard]] std::string_view to_string(journal_fault fault) noexcept;

/// A journal could not do what was asked, for a reason of the file or of the courses it holds
/// (not of one event: an event that breaks a course rule throws rule_violation_error, a bad
/// value invalid_value_error). The message names the file and the cause; every part is redacted
/// as every mentorcore error is.
class journal_error : public error {
 public:
  journal_error(const std::string& file, journal_fault fault, std::string_view message)
      : error(file + ": " + std::string(message)),
        file_(detail::redact_personal_numbers(file)),
        fault_(fault) {}
  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] journal_fault fault() const noexcept { return fault_; }

 private:
  std::string file_;
  journal_fault fault_;
};

/// The schema version this library writes, and the newest it reads. Older journals are migrated
/// on open (one transaction; docs/embedding.md lists the versions).
inline constexpr int journal_schema_version = 1;

/// How durably a commit is written (SQLite's synchronous setting in WAL mode).
enum class journal_sync : std::uint8_t {
  full,    ///< every commit is on disk when append returns, even if the machine loses power
  normal,  ///< a commit survives a crash of the process, not a power loss; faster
};

/// How to open a journal.
struct journal_options {
  /// Create the file (and its schema) if it does not exist; false: a missing file is an error.
  bool create = true;
  /// Open for reading only: every append and import throws journal_error (read_only), and so
  /// does every read of courses (course, course_as_of, courses, export_log, cohort), because
  /// its audit entry could not be written. What needs no audit entry works: course_ids,
  /// contains, event_count, audit and backup (for an auditor, or a copy of a journal on
  /// read-only media).
  bool read_only = false;
  journal_sync sync = journal_sync::full;
  /// How long to wait for another process's write lock before throwing journal_error (busy).
  std::chrono::milliseconds busy_timeout{5000};
  /// The largest the file may grow, in bytes (0: no limit beyond the disk's). A write that
  /// would pass it throws journal_error (full) and stores nothing.
  std::uint64_t max_bytes = 0;
  /// The codes and instruments the courses are checked against. A new journal stores what this
  /// adds to the built-in set, and every later open uses the stored set: passing different
  /// reference data then throws journal_error (reference_data). Null: the journal's own (the
  /// built-in set for a new journal).
  std::shared_ptr<const reference_data> reference;
  /// Needed to append a course_ordered line that carries a "cpr" field (it is replaced by the
  /// citizen key before anything is stored); such a line is rejected without it.
  std::optional<pseudonymiser> pseudonyms;
};

/// Who reads courses, and why: every read and export needs both, and both go to the audit
/// trail. An empty purpose or actor is refused (invalid_value_error) before anything is read.
struct journal_access {
  staff_id actor;       ///< the member of staff or system account that reads
  std::string purpose;  ///< why, in the caller's words (e.g. "handover to new mentor")
};

/// What an audit entry records.
enum class audit_action : std::uint8_t {
  read_course,        ///< course(): one course as it stands
  read_course_as_of,  ///< course_as_of(): one course as it stood on a date
  read_courses,       ///< courses(): every course, streamed
  export_log,         ///< export_log(): courses written to an event-log file
  read_cohort,        ///< cohort(): every course, as column tables
};

/// The stable name of an audit action, e.g. "read_course".
[[nodiscard]] std::string_view to_string(audit_action action) noexcept;

/// One read or export, as the audit trail holds it.
struct audit_entry {
  std::int64_t sequence = 0;  ///< 1, 2, ... in the order the entries were made
  /// When, in UTC, as ISO 8601 with milliseconds ("2026-11-30T09:15:02.123Z").
  std::string at;
  staff_id actor;
  audit_action action = audit_action::read_course;
  std::string purpose;
  /// The courses read or exported; empty when the scope was every course in the journal.
  std::vector<course_id> courses;
  /// What else defines the scope: the date of an as-of read ("2025-03-31"), the file of an
  /// export, "all courses"; empty when the courses say it all.
  std::string scope;
  friend bool operator==(const audit_entry&, const audit_entry&) = default;
};

/// Which audit entries to return; every field given must match.
struct audit_query {
  std::optional<staff_id> actor;
  std::optional<course_id> course;  ///< entries whose courses include it, or whose scope is all
  std::optional<audit_action> action;
  /// Entries at or after this UTC time: ISO 8601 as `at` ("2026-11-30T09:15:02.123Z"), or a
  /// prefix of it that ends after the year, month, day, hour, minute or second ("2026-11",
  /// "2026-11-30", "2026-11-30T09:15", "2026-11-30T09:15:02Z"), a time with or without its "Z".
  /// Anything else (another format, an offset other than Z, a date that is not in the calendar)
  /// makes audit() throw invalid_value_error naming `from`.
  std::optional<std::string> from;
  /// Entries before this UTC time, in the same forms as `from` (invalid_value_error naming
  /// `until`).
  std::optional<std::string> until;
};

namespace detail {
/// `text`, an audit_query time, as audit() compares it with the entries' `at` (without its
/// "Z"); throws invalid_value_error naming `field` if it is not one of the forms audit_query
/// documents. For the C and Python interfaces, which name the field their own way.
[[nodiscard]] std::string journal_audit_time(std::string_view text, std::string_view field);
}  // namespace detail

/// What import_log stored.
struct journal_import_result {
  std::size_t courses = 0;
  std::size_t events = 0;
  /// As read_result::redacted_texts: texts stored with a CPR-shaped number replaced.
  std::size_t redacted_texts = 0;
};

/// A course and an event to append to it (the course is the order's own for a course_ordered).
struct journal_event {
  course_id course;
  mentorcore::event event;
};

class journal_course_stream;

/// A journal: one SQLite file holding courses and their audit trail. Move-only; not for use by
/// two threads at once (open one per thread, or guard it: SQLite connections are not shared).
class journal {
 public:
  // The reads are named course(), course_as_of() and cohort(), as in the C and Python
  // interfaces; inside the class the types are therefore spelled mentorcore::course and
  // mentorcore::cohort.
  /// Opens (or, with options.create, creates) the journal at `path`. Throws journal_error if the
  /// file is not a journal, is from a newer schema, cannot be opened or written as asked, or its
  /// stored reference data conflicts with options.reference.
  [[nodiscard]] static journal open(const std::string& path, journal_options options = {});

  journal(journal&& other) noexcept;
  journal& operator=(journal&& other) noexcept;
  journal(const journal&) = delete;
  journal& operator=(const journal&) = delete;
  ~journal();

  /// The path the journal was opened with.
  [[nodiscard]] const std::string& path() const noexcept;
  /// The reference data the journal's courses are checked against.
  [[nodiscard]] const std::shared_ptr<const reference_data>& reference() const noexcept;

  // ---- writing (each call is one transaction: all of it is stored, or nothing) -------------

  /// Validates `e` against course `course` as stored and stores it; a course_ordered starts a
  /// new course. Returns the event's position in the course (0 for the order). Throws
  /// rule_violation_error or invalid_value_error if the course rejects it, journal_error
  /// (unknown_course) for an event of a course not in the journal, (duplicate) for an order of
  /// one that is, and journal_error for a fault of the file; nothing is stored then.
  std::size_t append(const course_id& course, event e);
  /// Appends every event in order, all or nothing (a batch may start courses and continue them).
  void append_many(std::span<const journal_event> events);
  /// Parses event-log lines (JSON Lines without a header; "cpr" as options.pseudonyms allows)
  /// and appends them as append_many does. `source` names the text in parse errors
  /// ("source:line: ..."). Returns how many events were stored.
  std::size_t append_lines(std::string_view lines, std::string_view source = "<lines>");
  /// Stores every course of an event-log file (plain or gzip), all or nothing: a bad line, a
  /// course already in the journal or reference data the journal does not have throws, and
  /// nothing is stored.
  journal_import_result import_log(const std::string& path);

  // ---- reading (each call adds one entry to the audit trail before it returns data) -------

  /// Course `id` as it stands. Throws journal_error (unknown_course) if it is not stored.
  [[nodiscard]] mentorcore::course course(const course_id& id, const journal_access& who);
  /// Course `id` as it stood at the end of `day` (course::as_of). Throws invalid_value_error if
  /// `day` is before the order.
  [[nodiscard]] mentorcore::course course_as_of(const course_id& id, const date& day,
                                                const journal_access& who);
  /// Every course, in the order they were started, one at a time: memory holds one course. The
  /// stream sees the journal as it was when made; the journal must outlive it.
  [[nodiscard]] journal_course_stream courses(const journal_access& who);
  /// Writes the courses (all, or those of `ids` in journal order, each once however often it is
  /// named) to an event-log file, byte for byte what write_events_file writes for the same
  /// courses (".gz": gzip). All or nothing with its audit entry: the file is written beside
  /// `path` and put in place once the entry is committed, so a failure leaves `path` as it was
  /// and records nothing. Throws journal_error (unknown_course) naming the first id not stored,
  /// (corrupt) if a stored course does not replay, (io, naming `path`) if the file cannot be
  /// written; invalid_value_error naming `path` if it is not UTF-8 (it is recorded) or is the
  /// journal's own file or one of its -wal, -shm, -journal companions.
  void export_log(const std::string& path, const journal_access& who,
                  std::optional<std::span<const course_id>> ids = std::nullopt);
  /// Every course as column tables, the same as cohort::from_courses over courses(), without
  /// keeping the courses.
  [[nodiscard]] mentorcore::cohort cohort(const journal_access& who);

  // ---- what the journal holds, without reading any course (not audited) -------------------

  /// The ids of the stored courses, in the order they were started.
  [[nodiscard]] std::vector<course_id> course_ids() const;
  /// Whether course `id` is stored.
  [[nodiscard]] bool contains(const course_id& id) const;
  /// The number of events stored for course `id` (0 if it is not stored).
  [[nodiscard]] std::size_t event_count(const course_id& id) const;

  /// The audit trail, oldest entry first.
  [[nodiscard]] std::vector<audit_entry> audit(const audit_query& query = {}) const;

  /// Copies the journal, consistently, to `path` while other processes may be writing to it
  /// (SQLite's online backup). The copy is a journal with the same courses and audit trail. A new
  /// file is written beside `path` and put in place when complete; an existing file at `path`
  /// must be a mentorcore journal (else journal_error, not_a_journal), which is overwritten in
  /// one SQLite transaction. On any failure the file at `path` is left as it was. Throws
  /// invalid_value_error naming `path` if it is the journal's own file or a companion of it.
  void backup(const std::string& path) const;

 private:
  struct impl;
  explicit journal(std::unique_ptr<impl> state);
  // Every course, on a connection of its own (courses() and cohort(), which audit first).
  [[nodiscard]] journal_course_stream stream_courses() const;
  std::unique_ptr<impl> impl_;
  friend class journal_course_stream;
};

/// The courses of a journal, one at a time (journal::courses).
class journal_course_stream {
 public:
  journal_course_stream(journal_course_stream&& other) noexcept;
  journal_course_stream& operator=(journal_course_stream&& other) noexcept;
  journal_course_stream(const journal_course_stream&) = delete;
  journal_course_stream& operator=(const journal_course_stream&) = delete;
  ~journal_course_stream();

  /// The next course, or nothing at the end.
  [[nodiscard]] std::optional<course> next();

 private:
  struct state;
  explicit journal_course_stream(std::unique_ptr<state> s);
  std::unique_ptr<state> state_;
  friend class journal;
};

}  // namespace mentorcore
