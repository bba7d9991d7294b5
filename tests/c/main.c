/* The C interface from C: a journal in a temporary directory, valid and invalid events, a
 * course as of a day, the audit trail, a refused read, an export and import, a summary; every
 * status and message checked, everything freed. Exits 0 when all checks pass. */
#define _POSIX_C_SOURCE 200809L

#include <mentorcore/c/mentorcore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures = 0;

#define CHECK(condition)                                                                      \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      fprintf(stderr, "%s:%d: check failed: %s (last message: \"%s\")\n", __FILE__, __LINE__, \
              #condition, mc_last_error_message());                                           \
      ++failures;                                                                             \
    }                                                                                         \
  } while (0)

/* Checks that a call returned `expected` and that its message contains `needle`. */
static void expect_status(mc_status got, mc_status expected, const char* needle, int line) {
  const char* message = mc_last_error_message();
  if (got != expected) {
    fprintf(stderr, "main.c:%d: got %s, expected %s (message: \"%s\")\n", line, mc_status_name(got),
            mc_status_name(expected), message);
    ++failures;
  } else if (needle != NULL && strstr(message, needle) == NULL) {
    fprintf(stderr, "main.c:%d: the message \"%s\" does not contain \"%s\"\n", line, message,
            needle);
    ++failures;
  } else {
    printf("  %-24s %s\n", mc_status_name(got), message);
  }
}
#define EXPECT(call, status, needle) expect_status((call), (status), (needle), __LINE__)

static const char* const course_lines =
    "{\"schema\":\"mentorcore/2\",\"course\":\"K-1\",\"type\":\"course_ordered\",\"date\":"
    "\"2024-01-08\",\"recorded_by\":\"cw-17\",\"citizen\":\"P-8d2f\",\"municipality\":101,"
    "\"target_group\":\"kontanthjaelp_aktivitetsparat\",\"assessment_category\":"
    "\"aktivitetsparat\",\"caseworker\":\"cw-17\",\"retention_min_months\":3,"
    "\"retention_max_months\":6}\n"
    "{\"schema\":\"mentorcore/2\",\"course\":\"K-1\",\"type\":\"grant_made\",\"date\":"
    "\"2024-01-10\",\"recorded_by\":\"cw-17\",\"grant\":\"G1\",\"goal\":\"Stabil hverdag\","
    "\"mentor\":\"mentor-4\",\"mentor_contact\":\"mentor-4 via udbyderen\",\"tasks\":"
    "\"Ugentlige samtaler\",\"hours_per_week\":2.0,\"start\":\"2024-01-15\",\"end\":"
    "\"2024-07-14\",\"legal_basis\":\"LAB-167\",\"predecessor\":null,\"provider\":null}\n"
    "{\"schema\":\"mentorcore/2\",\"course\":\"K-1\",\"type\":\"phase_changed\",\"date\":"
    "\"2024-01-15\",\"recorded_by\":\"mentor-4\",\"to\":\"pre_employment\",\"reason\":"
    "\"first meeting at home\"}\n";

static const char* const contact_line =
    "{\"schema\":\"mentorcore/2\",\"course\":\"K-1\",\"type\":\"contact_logged\",\"date\":"
    "\"2024-01-22\",\"recorded_by\":\"mentor-4\",\"mentor\":\"mentor-4\",\"location\":\"home\","
    "\"attendance\":\"attended\",\"planned_minutes\":60,\"actual_minutes\":60,\"billable\":true,"
    "\"non_billable_reason\":null}\n";

/* The same contact at a location that does not exist. */
static const char* const bad_location_line =
    "{\"schema\":\"mentorcore/2\",\"course\":\"K-1\",\"type\":\"contact_logged\",\"date\":"
    "\"2024-01-23\",\"recorded_by\":\"mentor-4\",\"mentor\":\"mentor-4\",\"location\":\"moon\","
    "\"attendance\":\"attended\",\"planned_minutes\":60,\"actual_minutes\":60,\"billable\":true,"
    "\"non_billable_reason\":null}\n";

/* Resuming a course that is not paused breaks a rule of the course. */
static const char* const resume_line =
    "{\"schema\":\"mentorcore/2\",\"course\":\"K-1\",\"type\":\"resumed\",\"date\":"
    "\"2024-01-24\",\"recorded_by\":\"mentor-4\"}\n";

static const char* const unknown_course_line =
    "{\"schema\":\"mentorcore/2\",\"course\":\"K-9\",\"type\":\"resumed\",\"date\":"
    "\"2024-01-24\",\"recorded_by\":\"mentor-4\"}\n";

static size_t count_lines(const char* text) {
  size_t lines = 0;
  for (; *text != '\0'; ++text) lines += *text == '\n';
  return lines;
}

static void check_course(mc_course* course, const char* id, const char* phase, size_t events) {
  const char* got_id = NULL;
  const char* got_phase = NULL;
  size_t got_events = 0;
  CHECK(mc_course_id(course, &got_id) == MC_OK && strcmp(got_id, id) == 0);
  CHECK(mc_course_phase(course, &got_phase) == MC_OK && strcmp(got_phase, phase) == 0);
  CHECK(mc_course_event_count(course, &got_events) == MC_OK && got_events == events);
  char* lines = NULL;
  size_t length = 0;
  CHECK(mc_course_events_json(course, &lines, &length) == MC_OK);
  if (lines != NULL) {
    CHECK(strlen(lines) == length);
    CHECK(count_lines(lines) == events);
    CHECK(strncmp(lines, course_lines, strcspn(course_lines, "\n")) == 0);
  }
  mc_free(lines);
}

int main(void) {
  printf("mentorcore %s, C ABI %d\n", mc_version_string(), mc_abi_version());
  CHECK(mc_abi_version() == MC_ABI_VERSION);

  char directory[] = "/tmp/mentorcore-c-XXXXXX";
  if (mkdtemp(directory) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  char path[256];
  char exported[256];
  char imported[256];
  char not_a_journal[256];
  snprintf(path, sizeof path, "%s/journal.db", directory);
  snprintf(exported, sizeof exported, "%s/export.jsonl", directory);
  snprintf(imported, sizeof imported, "%s/imported.db", directory);
  snprintf(not_a_journal, sizeof not_a_journal, "%s/notes.txt", directory);

  /* Arguments: a NULL is refused, naming the argument. */
  mc_journal* journal = NULL;
  EXPECT(mc_journal_open(NULL, NULL, &journal), MC_ERROR_ARGUMENT, "path");
  EXPECT(mc_journal_open(path, NULL, NULL), MC_ERROR_ARGUMENT, "out");
  mc_journal_options options;
  mc_journal_options_init(&options);
  options.struct_size = 3;
  EXPECT(mc_journal_open(path, &options, &journal), MC_ERROR_ARGUMENT, "struct_size");
  CHECK(journal == NULL);

  /* A file that is not a journal. */
  FILE* text = fopen(not_a_journal, "w");
  CHECK(text != NULL);
  if (text != NULL) {
    fputs("these are notes, not a journal\n", text);
    fclose(text);
  }
  EXPECT(mc_journal_open(not_a_journal, NULL, &journal), MC_ERROR_JOURNAL, "notes.txt");
  CHECK(mc_last_fault() == MC_FAULT_NOT_A_JOURNAL);
  CHECK(journal == NULL);

  mc_journal_options_init(&options);
  options.sync = MC_SYNC_NORMAL;
  EXPECT(mc_journal_open(path, &options, &journal), MC_OK, "");
  CHECK(journal != NULL);
  CHECK(mc_last_fault() == MC_FAULT_NONE);
  if (journal == NULL) return 1;

  /* Valid events: a course ordered, a grant and a phase change in one batch, then a contact. */
  size_t stored = 0;
  EXPECT(mc_journal_append_lines(journal, course_lines, strlen(course_lines), &stored), MC_OK, "");
  CHECK(stored == 3);
  EXPECT(mc_journal_append_lines(journal, contact_line, strlen(contact_line), &stored), MC_OK, "");
  CHECK(stored == 1);

  /* Invalid events: each refused with its status and a message naming the cause. */
  stored = 99;
  EXPECT(mc_journal_append_lines(journal, bad_location_line, strlen(bad_location_line), &stored),
         MC_ERROR_PARSE, "location");
  CHECK(stored == 99); /* out-parameters are written only on success */
  /* A line the course rejects: the event-log reader reports it as a parse error of the line,
   * naming the course, the event and the rule (MC_ERROR_RULE_VIOLATION is the status of a
   * rule_violation_error that reaches the interface as such). */
  const mc_status rejected =
      mc_journal_append_lines(journal, resume_line, strlen(resume_line), NULL);
  CHECK(rejected == MC_ERROR_PARSE || rejected == MC_ERROR_RULE_VIOLATION);
  CHECK(strstr(mc_last_error_message(), "course K-1, event #4 resumed") != NULL);
  CHECK(strstr(mc_last_error_message(), "not paused") != NULL);
  EXPECT(mc_journal_append_lines(journal, unknown_course_line, strlen(unknown_course_line), NULL),
         MC_ERROR_NOT_FOUND, "K-9");
  CHECK(mc_last_fault() == MC_FAULT_UNKNOWN_COURSE);
  EXPECT(mc_journal_append_lines(journal, course_lines, strlen(course_lines), NULL),
         MC_ERROR_DUPLICATE, "K-1");
  CHECK(mc_last_fault() == MC_FAULT_DUPLICATE);
  EXPECT(mc_journal_append_lines(journal, "{not json", 9, NULL), MC_ERROR_PARSE, "<lines>:1");
  EXPECT(mc_journal_append_lines(journal, NULL, 5, NULL), MC_ERROR_ARGUMENT, "lines");
  size_t events = 0;
  EXPECT(mc_journal_event_count(journal, "K-1", &events), MC_OK, "");
  CHECK(events == 4); /* nothing of the refused lines was stored */

  char* ids = NULL;
  EXPECT(mc_journal_course_ids(journal, &ids, NULL), MC_OK, "");
  CHECK(ids != NULL && strcmp(ids, "[\"K-1\"]") == 0);
  mc_free(ids);

  /* Reads: as it stands, as it stood on a day, and refused without an actor or a purpose. */
  mc_course* course = NULL;
  EXPECT(mc_journal_course(journal, "K-1", "cw-17", "handover to new mentor", &course), MC_OK, "");
  if (course != NULL) check_course(course, "K-1", "pre_employment", 4);
  mc_course_free(course);
  course = NULL;
  EXPECT(mc_journal_course_as_of(journal, "K-1", "2024-01-12", "cw-17", "annual review", &course),
         MC_OK, "");
  if (course != NULL) check_course(course, "K-1", "referred", 2);
  mc_course_free(course);
  course = NULL;
  EXPECT(mc_journal_course(journal, "K-1", "cw-17", "", &course), MC_ERROR_INVALID_VALUE,
         "purpose");
  EXPECT(mc_journal_course(journal, "K-1", "cw-17", NULL, &course), MC_ERROR_ARGUMENT, "purpose");
  EXPECT(mc_journal_course(journal, "K-1", NULL, "review", &course), MC_ERROR_ARGUMENT, "actor");
  EXPECT(mc_journal_course_as_of(journal, "K-1", "2024-02-30", "cw-17", "review", &course),
         MC_ERROR_INVALID_VALUE, "day");
  EXPECT(mc_journal_course(journal, "K-2", "cw-17", "review", &course), MC_ERROR_NOT_FOUND, "K-2");
  CHECK(course == NULL);

  /* An export of the course, imported into a second journal. */
  const char* const export_ids[] = {"K-1"};
  EXPECT(mc_journal_export_log(journal, exported, "cw-17", "statistics", export_ids, 1), MC_OK, "");
  mc_journal* second = NULL;
  EXPECT(mc_journal_open(imported, NULL, &second), MC_OK, "");
  size_t courses = 0;
  events = 0;
  EXPECT(mc_journal_import_log(second, exported, &courses, &events, NULL), MC_OK, "");
  CHECK(courses == 1 && events == 4);
  EXPECT(mc_journal_import_log(second, exported, NULL, NULL, NULL), MC_ERROR_DUPLICATE, "K-1");
  mc_journal_close(second);

  /* The summary on a day: one course, ordered and not closed. */
  mc_summary* summary = NULL;
  EXPECT(mc_journal_summary(journal, "analyst-1", "monthly figures", "2024-12-31", &summary), MC_OK,
         "");
  if (summary != NULL) {
    size_t counted = 0;
    int64_t count = -1;
    CHECK(mc_summary_course_count(summary, &counted) == MC_OK && counted == 1);
    CHECK(mc_summary_count(summary, "exits", "courses", &count) == MC_OK && count == 1);
    CHECK(mc_summary_count(summary, "exits", "open", &count) == MC_OK && count == 1);
    EXPECT(mc_summary_count(summary, "exits", "no such cell", &count), MC_ERROR_INVALID_VALUE,
           "cell");
    char* json = NULL;
    CHECK(mc_summary_json(summary, &json, NULL) == MC_OK);
    CHECK(json != NULL && strncmp(json, "{\"as_of\":\"2024-12-31\",\"courses\":1,", 34) == 0);
    mc_free(json);
  }
  mc_summary_free(summary);

  /* The audit trail: the two reads, the export and the summary, oldest first; the refused
   * reads left no entry. */
  char* audit = NULL;
  size_t length = 0;
  EXPECT(mc_journal_audit_json(journal, NULL, &audit, &length), MC_OK, "");
  if (audit != NULL) {
    printf("%s", audit);
    CHECK(strlen(audit) == length);
    CHECK(count_lines(audit) == 4);
    CHECK(strstr(audit, "\"action\":\"read_course\"") != NULL);
    CHECK(strstr(audit, "\"action\":\"read_course_as_of\"") != NULL);
    CHECK(strstr(audit, "\"scope\":\"2024-01-12\"") != NULL);
    CHECK(strstr(audit, "\"purpose\":\"handover to new mentor\"") != NULL);
    CHECK(strstr(audit, "\"action\":\"export_log\"") != NULL);
    CHECK(strstr(audit, "\"action\":\"read_cohort\"") != NULL);
  }
  mc_free(audit);
  mc_audit_filter filter;
  mc_audit_filter_init(&filter);
  filter.action = "read_course_as_of";
  EXPECT(mc_journal_audit_json(journal, &filter, &audit, NULL), MC_OK, "");
  CHECK(audit != NULL && count_lines(audit) == 1);
  mc_free(audit);
  filter.action = "delete_everything";
  EXPECT(mc_journal_audit_json(journal, &filter, &audit, NULL), MC_ERROR_INVALID_VALUE,
         "filter->action");
  mc_audit_filter_init(&filter);
  filter.from = "2024-13-45T99:99";
  EXPECT(mc_journal_audit_json(journal, &filter, &audit, NULL), MC_ERROR_INVALID_VALUE,
         "filter->from");
  mc_audit_filter_init(&filter);
  filter.until = "yesterday";
  EXPECT(mc_journal_audit_json(journal, &filter, &audit, NULL), MC_ERROR_INVALID_VALUE,
         "filter->until");

  /* Refused, recording nothing and leaving every file as it was: an export onto the journal
   * itself, a purpose that is not UTF-8, a backup onto a file that is not a journal. */
  EXPECT(mc_journal_export_log(journal, path, "cw-17", "transfer", NULL, 0),
         MC_ERROR_INVALID_VALUE, "path");
  EXPECT(mc_journal_export_log(journal, exported, "cw-17", "caf\xe9", NULL, 0),
         MC_ERROR_INVALID_VALUE, "purpose");
  EXPECT(mc_journal_backup(journal, not_a_journal), MC_ERROR_JOURNAL, "not a mentorcore journal");
  CHECK(mc_last_fault() == MC_FAULT_NOT_A_JOURNAL);
  CHECK(access(not_a_journal, F_OK) == 0);
  EXPECT(mc_journal_audit_json(journal, NULL, &audit, NULL), MC_OK, "");
  CHECK(audit != NULL && count_lines(audit) == 4);
  mc_free(audit);

  mc_journal_close(journal);
  mc_journal_close(NULL);
  mc_free(NULL);
  mc_course_free(NULL);
  mc_summary_free(NULL);

  unlink(not_a_journal);
  unlink(exported);
  /* SQLite's WAL files go when the journals close; remove whatever is left. */
  char command[300];
  snprintf(command, sizeof command, "rm -rf '%s'", directory);
  if (system(command) != 0) fprintf(stderr, "could not remove %s\n", directory);

  if (failures != 0) {
    fprintf(stderr, "%d checks failed\n", failures);
    return 1;
  }
  printf("all checks passed\n");
  return 0;
}
