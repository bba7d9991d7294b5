/* mentorcore's C interface: the journal for case systems written in any language.
 *
 * A pure C99 header (it compiles as C and as C++) over libmentorcore_c, a shared library that
 * exports only the mc_* functions below. C#, Java, Python and the like call it through their
 * foreign-function interfaces (P/Invoke, JNA or Panama, ctypes); docs/embedding.md shows how.
 *
 * Conventions, which hold for every function unless its comment says otherwise:
 *
 * - Status. Every function returns an mc_status (MC_OK = 0 on success) and passes results
 *   through out-parameters, which are written only on success. The exceptions are the
 *   functions that cannot fail: mc_abi_version, mc_version_string, mc_last_error_message,
 *   mc_last_fault, mc_status_name, mc_fault_name, mc_journal_options_init,
 *   mc_audit_filter_init, and the releasing functions mc_free, mc_journal_close,
 *   mc_course_free and mc_summary_free.
 * - Messages. After a function that returns an mc_status, mc_last_error_message() holds the
 *   calling thread's message for it ("" after MC_OK), and mc_last_fault() the journal's fault.
 *   Messages are redacted as every mentorcore error is: no CPR number reaches one, whatever
 *   the input held. They name the field, the value (redacted) and, for lines, the line.
 * - No C++ exception and no abort crosses this interface: anything unexpected is
 *   MC_ERROR_INTERNAL with a message.
 * - Strings are UTF-8. A `const char*` argument is NUL-terminated unless a length goes with it.
 *   A required pointer argument that is NULL gives MC_ERROR_ARGUMENT, with a message naming
 *   the argument.
 * - Ownership. A `char**` out-parameter receives a new NUL-terminated buffer that the caller
 *   owns and releases with mc_free (its length, without the NUL, goes to the `size_t*` beside
 *   it when that is not NULL). A handle (mc_journal*, mc_course*, mc_summary*) returned through
 *   an out-parameter is owned by the caller and released with its own function. A `const
 *   char**` out-parameter receives a borrowed string: it stays valid while the handle it came
 *   from lives and must not be freed. Nothing else is ever handed over.
 * - Threads. A journal handle may be used from several threads: calls on one handle are
 *   serialised (one waits for the other), and two handles on one file, in one process or
 *   several, behave as SQLite's readers and writer do (a writer waits up to the busy timeout,
 *   then MC_ERROR_BUSY). Course and summary handles are immutable: any thread may read them at
 *   once. The message and the fault are per thread.
 * - Versions. MC_ABI_VERSION (below) is the ABI this header describes; mc_abi_version() is the
 *   ABI of the library loaded. They must be equal: check at start-up. The ABI version is also
 *   the shared library's SOVERSION (libmentorcore_c.so.1). It goes up when a function is
 *   removed or its parameters or meaning change, when a struct's existing fields change, or
 *   when a status or fault code's value changes. It does not go up for new functions, new
 *   status or fault codes (treat an unknown code as an error), or new fields appended to the
 *   option structs (each starts with its size, so an older caller's smaller struct still
 *   works and the new fields take their defaults).
 */
#ifndef MENTORCORE_C_MENTORCORE_H
#define MENTORCORE_C_MENTORCORE_H

/* A C header: C has no `using`, <cstddef> or constexpr, so clang-tidy's C++ advice (for the C++
 * files that include it) is off here. */
// NOLINTBEGIN(modernize-use-using,modernize-deprecated-headers,cppcoreguidelines-macro-usage)

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#if defined(MENTORCORE_C_BUILDING)
#define MC_API __declspec(dllexport)
#else
#define MC_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define MC_API __attribute__((visibility("default")))
#else
#define MC_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** The ABI version this header describes (see "Versions" above). */
#define MC_ABI_VERSION 1

/** What a function did. The values are fixed: they never change within an ABI version. */
typedef enum mc_status {
  MC_OK = 0,
  /** A required argument is missing (NULL) or unusable: a struct whose size field is wrong, a
   *  length without a buffer. The message names the argument. */
  MC_ERROR_ARGUMENT = 1,
  /** A value for a named field is not acceptable (an id, a date, an empty actor or purpose, a
   *  day before a course's order). The message reads "<field> = <value>: <reason>". */
  MC_ERROR_INVALID_VALUE = 2,
  /** Text could not be read as event-log lines or reference data. The message reads
   *  "<source>:<line>: <field> ...". */
  MC_ERROR_PARSE = 3,
  /** An event breaks a rule of its course as stored (a contact after closure, ...). The
   *  message names the course, the event, its date and the rule. Nothing was stored. (A line
   *  of mc_journal_append_lines or of an imported file that its course rejects is reported as
   *  the event-log reader reports every rejected line: MC_ERROR_PARSE, with the same text
   *  after "<source>:<line>: ".) */
  MC_ERROR_RULE_VIOLATION = 4,
  /** No course with that id is in the journal (fault MC_FAULT_UNKNOWN_COURSE). */
  MC_ERROR_NOT_FOUND = 5,
  /** A course with that id is already in the journal (fault MC_FAULT_DUPLICATE). */
  MC_ERROR_DUPLICATE = 6,
  /** Another process held the journal's write lock longer than the busy timeout (fault
   *  MC_FAULT_BUSY): nothing was stored; try again later. */
  MC_ERROR_BUSY = 7,
  /** The journal's file failed: not a journal, newer schema, read-only, full, corrupt, an I/O
   *  error, reference data that conflicts with the journal's. mc_last_fault() says which, and
   *  the message names the file and the cause. Nothing was stored. */
  MC_ERROR_JOURNAL = 8,
  /** Memory ran out. Nothing was stored. */
  MC_ERROR_OUT_OF_MEMORY = 9,
  /** Anything else: a bug in mentorcore. The message says what was caught. */
  MC_ERROR_INTERNAL = 10
} mc_status;

/** The journal's fault behind the last MC_ERROR_NOT_FOUND, MC_ERROR_DUPLICATE, MC_ERROR_BUSY or
 *  MC_ERROR_JOURNAL of this thread (MC_FAULT_NONE after any other status). Fixed values. */
typedef enum mc_fault {
  MC_FAULT_NONE = 0,
  MC_FAULT_NOT_A_JOURNAL = 1,  /**< the file is not a mentorcore journal */
  MC_FAULT_NEWER_SCHEMA = 2,   /**< written by a newer mentorcore */
  MC_FAULT_READ_ONLY = 3,      /**< the file, its directory or the handle cannot be written */
  MC_FAULT_FULL = 4,           /**< the disk or the journal's size limit (max_bytes) is full */
  MC_FAULT_BUSY = 5,           /**< another process held the write lock too long */
  MC_FAULT_CORRUPT = 6,        /**< SQLite found the file damaged */
  MC_FAULT_IO = 7,             /**< the operating system refused a read or write */
  MC_FAULT_UNKNOWN_COURSE = 8, /**< no course with that id is in the journal */
  MC_FAULT_DUPLICATE = 9,      /**< a course with that id is already in the journal */
  MC_FAULT_REFERENCE_DATA = 10 /**< the reference data given does not match the journal's */
} mc_fault;

/** A journal: one SQLite file of courses and their audit trail. Opaque. */
typedef struct mc_journal mc_journal;
/** One course as read from a journal (as it stands, or as it stood on a day). Opaque, immutable. */
typedef struct mc_course mc_course;
/** The summary counts of every course in a journal on a day (one group). Opaque, immutable. */
typedef struct mc_summary mc_summary;

/* ---- the library -------------------------------------------------------------------------- */

/** The ABI version of the library loaded; compare with MC_ABI_VERSION. */
MC_API int mc_abi_version(void);
/** The mentorcore version, e.g. "0.1.0". Static: never freed. */
MC_API const char* mc_version_string(void);
/** The calling thread's message for the last function that returned an mc_status ("" after
 *  MC_OK). Borrowed: valid until this thread's next call of such a function. Never NULL. */
MC_API const char* mc_last_error_message(void);
/** The calling thread's journal fault for the last function that returned an mc_status. */
MC_API mc_fault mc_last_fault(void);
/** The name of a status ("MC_ERROR_PARSE"), or "unknown status". Static: never freed. */
MC_API const char* mc_status_name(mc_status status);
/** The stable name of a fault ("unknown_course", "none"), or "unknown fault". Static. */
MC_API const char* mc_fault_name(mc_fault fault);
/** Releases a buffer this library returned through a `char**` out-parameter. NULL is allowed. */
MC_API void mc_free(void* buffer);

/* ---- opening and closing ------------------------------------------------------------------ */

/** How the journal's commits reach the disk (SQLite's synchronous setting in WAL mode). */
typedef enum mc_sync {
  MC_SYNC_FULL = 0,  /**< every commit is on disk when the append returns, even on power loss */
  MC_SYNC_NORMAL = 1 /**< a commit survives a crash of the process, not a power loss; faster */
} mc_sync;

/** How to open a journal. Fill it with mc_journal_options_init, then change what you need:
 *  struct_size tells the library which fields the caller knows (fields may be appended in later
 *  versions of the same ABI; see "Versions"). */
typedef struct mc_journal_options {
  size_t struct_size; /**< sizeof(mc_journal_options), set by mc_journal_options_init */
  int create;         /**< nonzero (default): create the file if missing */
  /** Nonzero: nothing is written, so appends, imports and the audited reads (which must record
   *  themselves) fail with MC_FAULT_READ_ONLY; mc_journal_audit_json still answers. */
  int read_only;
  mc_sync sync;             /**< default MC_SYNC_FULL */
  uint32_t busy_timeout_ms; /**< how long a writer waits for another's lock (default 5000) */
  uint64_t max_bytes;       /**< the largest the file may grow (0, the default: no limit) */
  /** A reference-data JSON document (docs/reference-data.md) with the codes and rating
   *  instruments beyond the built-in set that the courses use; NULL (default): the journal's
   *  own. A new journal stores it; a later open with different data fails
   *  (MC_FAULT_REFERENCE_DATA). */
  const char* reference_json;
  /** The pseudonymisation key (at least 16 bytes, any bytes) that turns a "cpr" field of a
   *  course_ordered line into a citizen key before anything is stored; NULL (default): such
   *  lines are refused. */
  const char* pseudonym_key;
  size_t pseudonym_key_len; /**< the key's length in bytes */
} mc_journal_options;

/** Sets `options` to the defaults and its struct_size to sizeof(mc_journal_options). */
MC_API void mc_journal_options_init(mc_journal_options* options);

/** Opens (or creates, with options->create) the journal at `path`. `options` may be NULL for
 *  the defaults. On success *out is a new handle, owned by the caller: release it with
 *  mc_journal_close. Fails with MC_ERROR_JOURNAL (fault: not_a_journal, newer_schema,
 *  read_only, io, reference_data, ...) naming the file, MC_ERROR_PARSE for bad reference_json,
 *  MC_ERROR_INVALID_VALUE for a pseudonym key shorter than 16 bytes. */
MC_API mc_status mc_journal_open(const char* path, const mc_journal_options* options,
                                 mc_journal** out);
/** Closes a journal and releases its handle. NULL is allowed. The courses and summaries read
 *  from it stay valid. */
MC_API void mc_journal_close(mc_journal* journal);

/* ---- writing (each call is one transaction: all of it is stored, or nothing) -------------- */

/** Appends event-log lines (JSON Lines, one event per line, as docs/event-schema.md defines
 *  them; `len` bytes, which need not end in a NUL or a newline), all or nothing: each event is
 *  validated against its course as stored (and the batch's earlier events); a course_ordered
 *  starts a course; a "header" line is refused (the journal's reference data is given at
 *  open). On success *stored (which may be NULL) is the number of events stored. Fails with
 *  MC_ERROR_PARSE ("<lines>:<line>: ...": a line that is not an event, or an event its course
 *  rejects, with the course, the event and the rule), MC_ERROR_NOT_FOUND (an event of a course
 *  not stored), MC_ERROR_DUPLICATE (an order of a course already stored), MC_ERROR_BUSY or
 *  MC_ERROR_JOURNAL; nothing is stored then. */
MC_API mc_status mc_journal_append_lines(mc_journal* journal, const char* lines, size_t len,
                                         size_t* stored);
/** Stores every course of an event-log file (plain or gzip), all or nothing. Each out-parameter
 *  may be NULL: the courses and events stored, and the texts whose CPR-shaped number was
 *  replaced on the way in. */
MC_API mc_status mc_journal_import_log(mc_journal* journal, const char* path, size_t* courses,
                                       size_t* events, size_t* redacted_texts);

/* ---- reading (each call adds one entry to the audit trail before it returns data) -------- */
/* `actor` is the staff id or system account that reads (an id: 1-64 of A-Z a-z 0-9 _ . : -) and
 * `purpose` why, in the caller's words. Both are required: NULL is MC_ERROR_ARGUMENT, an empty
 * one MC_ERROR_INVALID_VALUE, and nothing is read or recorded then. */

/** Course `id` as it stands. *out: a new handle, released with mc_course_free. Fails with
 *  MC_ERROR_NOT_FOUND if no such course is stored. */
MC_API mc_status mc_journal_course(mc_journal* journal, const char* id, const char* actor,
                                   const char* purpose, mc_course** out);
/** Course `id` as it stood at the end of `day` ("YYYY-MM-DD"). MC_ERROR_INVALID_VALUE if the day
 *  is not a date or is before the course's order. */
MC_API mc_status mc_journal_course_as_of(mc_journal* journal, const char* id, const char* day,
                                         const char* actor, const char* purpose, mc_course** out);
/** Writes courses to an event-log file, byte for byte what mentorcore's write_events_file
 *  writes for them (".gz": gzip). `ids` holds `id_count` course ids, written in journal order;
 *  `ids` NULL (with id_count 0) means every course. MC_ERROR_NOT_FOUND names the first id not
 *  stored, before anything is written. */
MC_API mc_status mc_journal_export_log(mc_journal* journal, const char* path, const char* actor,
                                       const char* purpose, const char* const* ids,
                                       size_t id_count);
/** The summary counts of every course ordered by `as_of` ("YYYY-MM-DD"), from the journal's
 *  cohort (audited as read_cohort). *out: a new handle, released with mc_summary_free. */
MC_API mc_status mc_journal_summary(mc_journal* journal, const char* actor, const char* purpose,
                                    const char* as_of, mc_summary** out);

/* ---- what the journal holds (not audited: no course is read) ------------------------------ */

/** The ids of the stored courses, in the order they were started, as a JSON array of strings
 *  (["K-1","K-2"]). *out: a new buffer, released with mc_free; *len (may be NULL): its length. */
MC_API mc_status mc_journal_course_ids(mc_journal* journal, char** out, size_t* len);
/** The number of events stored for course `id` (0 if it is not stored). */
MC_API mc_status mc_journal_event_count(mc_journal* journal, const char* id, size_t* out);

/** Which audit entries to return: a field that is NULL matches every entry; every field given
 *  must match. Fill it with mc_audit_filter_init. */
typedef struct mc_audit_filter {
  size_t struct_size; /**< sizeof(mc_audit_filter), set by mc_audit_filter_init */
  const char* actor;  /**< entries by this actor */
  const char* course; /**< entries whose courses include it, or whose scope was every course */
  const char* action; /**< "read_course", "read_course_as_of", "read_courses", "export_log",
                           "read_cohort" */
  const char* from;   /**< entries at or after this UTC time (ISO 8601, as "at" below) */
  const char* until;  /**< entries before this UTC time */
} mc_audit_filter;

/** Sets every field of `filter` to NULL and its struct_size to sizeof(mc_audit_filter). */
MC_API void mc_audit_filter_init(mc_audit_filter* filter);

/** The audit trail (oldest entry first) as JSON Lines: one object per entry, each line ending
 *  in "\n", with "sequence" (1, 2, ...), "at" (UTC, "2026-11-30T09:15:02.123Z"), "actor",
 *  "action" (as in mc_audit_filter), "purpose", "courses" (an array of ids; empty when the
 *  scope was every course) and "scope" (the day of an as-of read, the file of an export, "all
 *  courses", or ""). `filter` may be NULL: every entry. No entries: "" (length 0). *out: a new
 *  buffer, released with mc_free. */
MC_API mc_status mc_journal_audit_json(mc_journal* journal, const mc_audit_filter* filter,
                                       char** out, size_t* len);

/** Copies the journal, consistently, to a new file at `path` while others may write to it. */
MC_API mc_status mc_journal_backup(mc_journal* journal, const char* path);

/* ---- a course ----------------------------------------------------------------------------- */

/** Releases a course handle. NULL is allowed. */
MC_API void mc_course_free(mc_course* course);
/** The course's id. *out: borrowed, valid while the course handle lives. */
MC_API mc_status mc_course_id(const mc_course* course, const char** out);
/** The phase the course is in after its last event: "referred", "pre_employment",
 *  "clarification", "work_trial", "retention" or "closed". *out: static, never freed. */
MC_API mc_status mc_course_phase(const mc_course* course, const char** out);
/** The number of events of the course (1 for a course that was only ordered). */
MC_API mc_status mc_course_event_count(const mc_course* course, size_t* out);
/** The course's events as event-log lines, exactly as mentorcore's write_events writes the
 *  course: one line per event, each ending in "\n", preceded by a "header" line when the
 *  course uses reference data beyond the built-in set. *out: a new buffer, released with
 *  mc_free. */
MC_API mc_status mc_course_events_json(const mc_course* course, char** out, size_t* len);

/* ---- a summary ---------------------------------------------------------------------------- */

/** Releases a summary handle. NULL is allowed. */
MC_API void mc_summary_free(mc_summary* summary);
/** The number of courses counted (those ordered by the summary's day). */
MC_API mc_status mc_summary_course_count(const mc_summary* summary, size_t* out);
/** One count: `table` is a table name of docs/kpis.md ("exits", "statuses", "contacts",
 *  "intensity", "home_visits", "milestones", "grants", "utilisation", "handovers",
 *  "continuity", "stages", "ratings") and `cell` one of its cells ("closed", "1m:eligible",
 *  ...). MC_ERROR_INVALID_VALUE naming "table" or "cell" if there is no such table or cell (a
 *  stage transition or an instrument that never occurred has no cell). */
MC_API mc_status mc_summary_count(const mc_summary* summary, const char* table, const char* cell,
                                  int64_t* out);
/** Every count as one JSON object: {"as_of": "YYYY-MM-DD", "courses": N, "tables": {"exits":
 *  {"courses": n, "open": n, ...}, ...}}, with every table of mc_summary_count, its cells in
 *  the order of docs/kpis.md ("stages": "<behaviour>:<from>><to>", "ratings":
 *  "<instrument>:<measure>", in order of those names). *out: a new buffer, released with
 *  mc_free. */
MC_API mc_status mc_summary_json(const mc_summary* summary, char** out, size_t* len);

#ifdef __cplusplus
} /* extern "C" */
#endif

// NOLINTEND(modernize-use-using,modernize-deprecated-headers,cppcoreguidelines-macro-usage)

#endif /* MENTORCORE_C_MENTORCORE_H */
