// The journal's entry points of the C interface: open and close, append and import, the audited
// reads, and what the journal holds. Each wraps the C++ call in c_api::guarded.

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "c_state.hpp"
#include "handles.hpp"
#include "mentorcore/c/mentorcore.h"
#include "mentorcore/date.hpp"
#include "mentorcore/ids.hpp"
#include "mentorcore/interchange.hpp"
#include "mentorcore/journal.hpp"
#include "mentorcore/reference_data.hpp"

namespace mentorcore::c_api {

/// Checks a struct's size field: a struct from an older header of this ABI may be smaller (its
/// missing fields take their defaults; none yet, in ABI 1), one from a newer header is refused
/// rather than have fields the caller set silently ignored.
inline void check_struct_size(std::size_t given, std::size_t known, std::size_t oldest,
                              std::string_view name) {
  if (given < oldest || given > known) {
    throw argument_error(std::string(name) + " = " + std::to_string(given) +
                         ": not the size of this library's struct (" + std::to_string(known) +
                         " bytes); set it with its _init function");
  }
}

[[nodiscard]] inline journal_options journal_options_from_c(const mc_journal_options* given) {
  journal_options options;
  if (given == nullptr) return options;
  check_struct_size(given->struct_size, sizeof(mc_journal_options), sizeof(mc_journal_options),
                    "options->struct_size");
  options.create = given->create != 0;
  options.read_only = given->read_only != 0;
  const int sync = c_enum_value(given->sync);
  switch (sync) {
    case MC_SYNC_FULL: options.sync = journal_sync::full; break;
    case MC_SYNC_NORMAL: options.sync = journal_sync::normal; break;
    default:
      throw invalid_value_error("options->sync", std::to_string(sync),
                                "expected MC_SYNC_FULL (0) or MC_SYNC_NORMAL (1)");
  }
  options.busy_timeout = std::chrono::milliseconds(given->busy_timeout_ms);
  options.max_bytes = given->max_bytes;
  if (given->reference_json != nullptr) {
    options.reference = std::make_shared<const reference_data>(
        reference_data::from_json(given->reference_json, "options->reference_json"));
  }
  if (given->pseudonym_key != nullptr) {
    options.pseudonyms.emplace(std::string(given->pseudonym_key, given->pseudonym_key_len));
  } else if (given->pseudonym_key_len != 0) {
    throw argument_error("options->pseudonym_key = NULL: a key length was given without a key");
  }
  return options;
}

[[nodiscard]] inline course_id require_course_id(const char* id, std::string_view name) {
  return course_id(std::string(require_text(id, name)), name);
}

/// One audit entry as a JSON line (mentorcore/c/mentorcore.h documents the fields).
inline void append_audit_line(std::string& out, const audit_entry& entry) {
  out += R"({"sequence":)";
  out += std::to_string(entry.sequence);
  out += R"(,"at":)";
  append_json_string(out, entry.at);
  out += R"(,"actor":)";
  append_json_string(out, entry.actor.str());
  out += R"(,"action":)";
  append_json_string(out, to_string(entry.action));
  // The purpose and the scope are texts a caller gave (a purpose, an export's file name):
  // redacted here too, whatever the journal stored.
  out += R"(,"purpose":)";
  append_json_string(out, detail::redact_personal_numbers(entry.purpose));
  out += R"(,"courses":[)";
  bool first = true;
  for (const course_id& id : entry.courses) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, id.str());
  }
  out += R"(],"scope":)";
  append_json_string(out, detail::redact_personal_numbers(entry.scope));
  out += "}\n";
}

[[nodiscard]] inline audit_query audit_query_from_c(const mc_audit_filter* filter) {
  audit_query query;
  if (filter == nullptr) return query;
  check_struct_size(filter->struct_size, sizeof(mc_audit_filter), sizeof(mc_audit_filter),
                    "filter->struct_size");
  if (filter->actor != nullptr) query.actor = staff_id(filter->actor, "filter->actor");
  if (filter->course != nullptr) query.course = course_id(filter->course, "filter->course");
  if (filter->action != nullptr) {
    const std::string_view wanted(filter->action);
    for (const audit_action action :
         {audit_action::read_course, audit_action::read_course_as_of, audit_action::read_courses,
          audit_action::export_log, audit_action::read_cohort}) {
      if (to_string(action) == wanted) query.action = action;
    }
    if (!query.action.has_value()) {
      throw invalid_value_error("filter->action", "\"" + std::string(wanted) + "\"",
                                "expected read_course, read_course_as_of, read_courses, "
                                "export_log or read_cohort");
    }
  }
  // Checked here to name the struct's fields (the journal checks them again, as from and until).
  if (filter->from != nullptr) {
    query.from = std::string(filter->from);
    (void)detail::journal_audit_time(*query.from, "filter->from");
  }
  if (filter->until != nullptr) {
    query.until = std::string(filter->until);
    (void)detail::journal_audit_time(*query.until, "filter->until");
  }
  return query;
}

}  // namespace mentorcore::c_api

extern "C" {

void mc_journal_options_init(mc_journal_options* options) {
  if (options == nullptr) return;
  *options = mc_journal_options{};
  options->struct_size = sizeof(mc_journal_options);
  options->create = 1;
  options->read_only = 0;
  options->sync = MC_SYNC_FULL;
  options->busy_timeout_ms = 5000;
}

mc_status mc_journal_open(const char* path, const mc_journal_options* options, mc_journal** out) {
  return mentorcore::c_api::guarded([&] {
    const std::string file(mentorcore::c_api::require_text(path, "path"));
    mentorcore::c_api::require(out, "out");
    auto handle = std::make_unique<mc_journal>(
        mentorcore::journal::open(file, mentorcore::c_api::journal_options_from_c(options)));
    *out = handle.release();
  });
}

void mc_journal_close(mc_journal* journal) {
  // The journal's destructor closes SQLite and throws nothing.
  const std::unique_ptr<mc_journal> owned(journal);
}

mc_status mc_journal_append_lines(mc_journal* journal, const char* lines, size_t len,
                                  size_t* stored) {
  return mentorcore::c_api::guarded([&] {
    const mentorcore::c_api::locked_journal j(journal);
    if (lines == nullptr && len != 0) mentorcore::c_api::require(lines, "lines");
    const std::string_view text = len == 0 ? std::string_view() : std::string_view(lines, len);
    const std::size_t count = j->append_lines(text, "<lines>");
    if (stored != nullptr) *stored = count;
  });
}

mc_status mc_journal_import_log(mc_journal* journal, const char* path, size_t* courses,
                                size_t* events, size_t* redacted_texts) {
  return mentorcore::c_api::guarded([&] {
    const mentorcore::c_api::locked_journal j(journal);
    const mentorcore::journal_import_result result =
        j->import_log(std::string(mentorcore::c_api::require_text(path, "path")));
    if (courses != nullptr) *courses = result.courses;
    if (events != nullptr) *events = result.events;
    if (redacted_texts != nullptr) *redacted_texts = result.redacted_texts;
  });
}

mc_status mc_journal_course(mc_journal* journal, const char* id, const char* actor,
                            const char* purpose, mc_course** out) {
  return mentorcore::c_api::guarded([&] {
    const mentorcore::c_api::locked_journal j(journal);
    const mentorcore::course_id course = mentorcore::c_api::require_course_id(id, "id");
    const mentorcore::journal_access who = mentorcore::c_api::require_access(actor, purpose);
    mentorcore::c_api::require(out, "out");
    auto handle = std::make_unique<mc_course>(j->course(course, who));
    *out = handle.release();
  });
}

mc_status mc_journal_course_as_of(mc_journal* journal, const char* id, const char* day,
                                  const char* actor, const char* purpose, mc_course** out) {
  return mentorcore::c_api::guarded([&] {
    const mentorcore::c_api::locked_journal j(journal);
    const mentorcore::course_id course = mentorcore::c_api::require_course_id(id, "id");
    const mentorcore::date as_of =
        mentorcore::parse_iso_date(mentorcore::c_api::require_text(day, "day"), "day");
    const mentorcore::journal_access who = mentorcore::c_api::require_access(actor, purpose);
    mentorcore::c_api::require(out, "out");
    auto handle = std::make_unique<mc_course>(j->course_as_of(course, as_of, who));
    *out = handle.release();
  });
}

mc_status mc_journal_export_log(mc_journal* journal, const char* path, const char* actor,
                                const char* purpose, const char* const* ids, size_t id_count) {
  return mentorcore::c_api::guarded([&] {
    const mentorcore::c_api::locked_journal j(journal);
    const std::string file(mentorcore::c_api::require_text(path, "path"));
    const mentorcore::journal_access who = mentorcore::c_api::require_access(actor, purpose);
    if (ids == nullptr) {
      if (id_count != 0) mentorcore::c_api::require(ids, "ids");
      j->export_log(file, who);
      return;
    }
    std::vector<mentorcore::course_id> chosen;
    chosen.reserve(id_count);
    std::size_t index = 0;
    for (const char* id : std::span<const char* const>(ids, id_count)) {
      chosen.push_back(
          mentorcore::c_api::require_course_id(id, "ids[" + std::to_string(index) + "]"));
      ++index;
    }
    j->export_log(file, who, std::span<const mentorcore::course_id>(chosen));
  });
}

mc_status mc_journal_course_ids(mc_journal* journal, char** out, size_t* len) {
  return mentorcore::c_api::guarded([&] {
    const mentorcore::c_api::locked_journal j(journal);
    mentorcore::c_api::require(out, "out");
    std::string text = "[";
    bool first = true;
    for (const mentorcore::course_id& id : j->course_ids()) {
      if (!first) text += ',';
      first = false;
      mentorcore::c_api::append_json_string(text, id.str());
    }
    text += ']';
    mentorcore::c_api::hand_over(text, out, len);
  });
}

mc_status mc_journal_event_count(mc_journal* journal, const char* id, size_t* out) {
  return mentorcore::c_api::guarded([&] {
    const mentorcore::c_api::locked_journal j(journal);
    const mentorcore::course_id course = mentorcore::c_api::require_course_id(id, "id");
    mentorcore::c_api::require(out, "out");
    *out = j->event_count(course);
  });
}

void mc_audit_filter_init(mc_audit_filter* filter) {
  if (filter == nullptr) return;
  *filter = mc_audit_filter{};
  filter->struct_size = sizeof(mc_audit_filter);
}

mc_status mc_journal_audit_json(mc_journal* journal, const mc_audit_filter* filter, char** out,
                                size_t* len) {
  return mentorcore::c_api::guarded([&] {
    const mentorcore::c_api::locked_journal j(journal);
    const mentorcore::audit_query query = mentorcore::c_api::audit_query_from_c(filter);
    mentorcore::c_api::require(out, "out");
    std::string text;
    for (const mentorcore::audit_entry& entry : j->audit(query)) {
      mentorcore::c_api::append_audit_line(text, entry);
    }
    mentorcore::c_api::hand_over(text, out, len);
  });
}

mc_status mc_journal_backup(mc_journal* journal, const char* path) {
  return mentorcore::c_api::guarded([&] {
    const mentorcore::c_api::locked_journal j(journal);
    j->backup(std::string(mentorcore::c_api::require_text(path, "path")));
  });
}

}  // extern "C"
