// The journal (mentorcore/journal.hpp): courses kept durably in SQLite, with an audit trail.
// Thin: mentorcore/journal.py checks the keywords, converts times and builds the DataFrame.
//
// A journal is not for two threads at once, while Python threads may share one object: every
// call releases the GIL and then takes the journal's own mutex (never the other way round, so a
// thread holding the mutex never waits for the GIL). close() ends the course streams made from
// the journal before the journal itself, since a stream must not outlive its journal.

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "casters.hpp"
#include "common.hpp"
#include "convert.hpp"
#include "mentorcore/detail/redact.hpp"
#include "mentorcore/detail/text.hpp"
#include "mentorcore/journal.hpp"
#include "register.hpp"

namespace py = pybind11;

namespace mentorcore::python {
namespace {

// One stream made by Journal.courses(); emptied by close().
struct journal_stream_slot {
  std::optional<journal_course_stream> stream;
};

// What the Python Journal object holds.
struct bound_journal_state {
  std::mutex lock;
  std::string shown_path;  // for the error after close()
  std::unique_ptr<journal> opened;
  std::vector<std::weak_ptr<journal_stream_slot>> streams;

  bound_journal_state() = default;
  bound_journal_state(const bound_journal_state&) = delete;
  bound_journal_state& operator=(const bound_journal_state&) = delete;
  bound_journal_state(bound_journal_state&&) = delete;
  bound_journal_state& operator=(bound_journal_state&&) = delete;

  // The journal, or an error if it was closed; the caller holds `lock`.
  [[nodiscard]] journal& get() const {
    if (!opened) throw error(shown_path + ": the journal is closed");
    return *opened;
  }

  // Closes the streams, then the journal; the caller holds `lock`.
  void close_locked() noexcept {
    for (const auto& weak : streams) {
      if (const auto slot = weak.lock()) slot->stream.reset();
    }
    streams.clear();
    opened.reset();
  }

  ~bound_journal_state() { close_locked(); }
};

using shared_journal_state = std::shared_ptr<bound_journal_state>;

// Runs `work(journal&)` without the GIL, holding the journal's mutex.
template <class Work>
auto with_journal(bound_journal_state& state, Work&& work) {
  const py::gil_scoped_release unlocked;
  const std::lock_guard guard(state.lock);
  return std::forward<Work>(work)(state.get());
}

// A stream and the journal it reads (kept alive, and its mutex taken, by every next()).
struct bound_journal_stream {
  shared_journal_state owner;
  std::shared_ptr<journal_stream_slot> slot;
};

// The purpose is a text like any in an event: at most 4,000 bytes, with a CPR-shaped number
// replaced before it reaches the audit trail.
journal_access journal_access_of(py::handle actor, py::handle purpose) {
  journal_access who{load<staff_id>(actor, "actor"), load<std::string>(purpose, "purpose")};
  mentorcore::detail::accept_free_text(who.purpose, "purpose");
  return who;
}

template <class Enum>
std::optional<Enum> journal_enum_named(std::string_view name, Enum last) {
  for (int i = 0; i <= static_cast<int>(last); ++i) {
    const auto value = static_cast<Enum>(i);
    if (to_string(value) == name) return value;
  }
  return std::nullopt;
}

std::vector<std::string> journal_enum_names(auto last) {
  std::vector<std::string> names;
  for (int i = 0; i <= static_cast<int>(last); ++i)
    names.emplace_back(to_string(static_cast<decltype(last)>(i)));
  return names;
}

journal_options journal_options_of(bool create, bool read_only, py::handle sync,
                                   py::handle busy_timeout_ms, py::handle max_bytes,
                                   const std::shared_ptr<reference_data>& reference,
                                   py::handle key) {
  journal_options options;
  options.create = create;
  options.read_only = read_only;
  const auto sync_name = load<std::string>(sync, "sync");
  if (sync_name == "full") {
    options.sync = journal_sync::full;
  } else if (sync_name == "normal") {
    options.sync = journal_sync::normal;
  } else {
    throw invalid_value_error("sync", python_value_text(sync), R"(expected "full" or "normal")");
  }
  const int timeout = load<int>(busy_timeout_ms, "busy_timeout");
  if (timeout < 0) {
    throw invalid_value_error("busy_timeout", python_value_text(busy_timeout_ms),
                              "must not be negative");
  }
  options.busy_timeout = std::chrono::milliseconds(timeout);
  if (!PyLong_Check(max_bytes.ptr()) || PyBool_Check(max_bytes.ptr()))
    wrong_value("max_bytes", max_bytes, "a whole number of bytes (0: no limit)");
  const unsigned long long limit = PyLong_AsUnsignedLongLong(max_bytes.ptr());
  if (limit == static_cast<unsigned long long>(-1) && PyErr_Occurred() != nullptr) {
    PyErr_Clear();
    throw out_of_range_error("max_bytes", python_value_text(max_bytes),
                             "expected 0 to 2**64 - 1 bytes");
  }
  options.max_bytes = static_cast<std::uint64_t>(limit);
  if (reference) options.reference = reference;
  if (!key.is_none()) options.pseudonyms = pseudonymiser(load<std::string>(key, "pseudonym_key"));
  return options;
}

py::dict audit_entry_to_python(const audit_entry& entry) {
  py::dict row;
  row["sequence"] = entry.sequence;
  row["at"] = entry.at;
  row["actor"] = entry.actor.str();
  row["action"] = std::string(to_string(entry.action));
  // Redacted again on the way out: the trail may hold texts written by other versions or tools.
  row["purpose"] = mentorcore::detail::redact_personal_numbers(entry.purpose);
  py::list courses;
  for (const auto& id : entry.courses) courses.append(id.str());
  row["courses"] = courses;
  row["scope"] = mentorcore::detail::redact_personal_numbers(entry.scope);
  return row;
}

audit_query audit_query_of(py::handle actor, py::handle course, py::handle action, py::handle since,
                           py::handle until) {
  audit_query query;
  if (!actor.is_none()) query.actor = load<staff_id>(actor, "actor");
  if (!course.is_none()) query.course = load<course_id>(course, "course");
  if (!action.is_none()) {
    const auto name = load<std::string>(action, "action");
    query.action = journal_enum_named(name, audit_action::read_cohort);
    if (!query.action) {
      std::string known;
      for (const auto& one : journal_enum_names(audit_action::read_cohort))
        known += (known.empty() ? "" : ", ") + one;
      throw invalid_value_error("action", python_value_text(action),
                                "not an audit action (" + known + ")");
    }
  }
  // Checked here to name the arguments (the journal checks them again, as from and until).
  if (!since.is_none()) {
    query.from = load<std::string>(since, "since");
    (void)mentorcore::detail::journal_audit_time(*query.from, "since");
  }
  if (!until.is_none()) {
    query.until = load<std::string>(until, "until");
    (void)mentorcore::detail::journal_audit_time(*query.until, "until");
  }
  return query;
}

std::vector<journal_event> journal_events_of(py::handle items) {
  if (PyUnicode_Check(items.ptr()) || PyBytes_Check(items.ptr()) || PyDict_Check(items.ptr()) ||
      !py::isinstance<py::iterable>(items)) {
    wrong_value("events", items, "an iterable of (course, Event) pairs");
  }
  std::vector<journal_event> events;
  std::size_t index = 0;
  iterate_python(items, "events", "an iterable of (course, Event) pairs", [&] {
    for (const auto item : items) {
      const std::string field = "events[" + std::to_string(index++) + "]";
      if (!PyTuple_Check(item.ptr()) || PyTuple_GET_SIZE(item.ptr()) != 2)
        wrong_value(field, item, "a (course, Event) pair");
      const auto pair = py::reinterpret_borrow<py::tuple>(item);
      auto course = load<course_id>(pair[0], field + ".course");
      try {
        events.push_back(journal_event{std::move(course), py::cast<const event&>(pair[1])});
      } catch (const py::cast_error&) {
        wrong_value(field + ".event", pair[1], "an Event");
      }
    }
  });
  return events;
}

}  // namespace

void register_journal(py::module_& m) {
  m.attr("JOURNAL_SCHEMA_VERSION") = journal_schema_version;
  m.attr("JOURNAL_FAULTS") = journal_enum_names(journal_fault::reference_data);
  m.attr("AUDIT_ACTIONS") = journal_enum_names(audit_action::read_cohort);

  py::class_<journal_import_result>(m, "JournalImportRecord", "What import_log stored.")
      .def_readonly("courses", &journal_import_result::courses)
      .def_readonly("events", &journal_import_result::events)
      .def_readonly("redacted_texts", &journal_import_result::redacted_texts);

  py::class_<bound_journal_stream>(m, "JournalCourseStream",
                                   "The courses of a journal, one at a time.")
      .def(
          "next",
          [](bound_journal_stream& s) -> py::object {
            std::optional<course> next;
            {
              const py::gil_scoped_release unlocked;
              const std::lock_guard guard(s.owner->lock);
              if (!s.owner->opened || !s.slot->stream) {
                throw error(s.owner->shown_path + ": the journal is closed");
              }
              next = s.slot->stream->next();
              if (!next) s.slot->stream.reset();  // done: let go of the read transaction
            }
            if (!next) return py::none();
            return py::cast(std::move(*next));
          },
          "The next course, or None at the end.")
      .def(
          "close",
          [](bound_journal_stream& s) {
            const py::gil_scoped_release unlocked;
            const std::lock_guard guard(s.owner->lock);
            s.slot->stream.reset();
          },
          "Ends the stream (and its read of the journal).");

  py::class_<bound_journal_state, shared_journal_state>(
      m, "Journal", "A journal (the core of mentorcore.Journal).")
      .def(py::init([](py::handle path, bool create, bool read_only, py::handle sync,
                       py::handle busy_timeout_ms, py::handle max_bytes,
                       const std::shared_ptr<reference_data>& reference, py::handle key) {
             const std::string file = load_path(path, "path");
             auto options = journal_options_of(create, read_only, sync, busy_timeout_ms, max_bytes,
                                               reference, key);
             auto state = std::make_shared<bound_journal_state>();
             state->shown_path = mentorcore::detail::redact_personal_numbers(file);
             {
               const py::gil_scoped_release unlocked;
               state->opened = std::make_unique<journal>(journal::open(file, std::move(options)));
             }
             return state;
           }),
           py::arg("path"), py::arg("create"), py::arg("read_only"), py::arg("sync"),
           py::arg("busy_timeout_ms"), py::arg("max_bytes"), py::arg("reference"),
           py::arg("pseudonym_key"))
      .def_property_readonly("closed",
                             [](bound_journal_state& s) {
                               const py::gil_scoped_release unlocked;
                               const std::lock_guard guard(s.lock);
                               return !s.opened;
                             })
      .def(
          "close",
          [](bound_journal_state& s) {
            const py::gil_scoped_release unlocked;
            const std::lock_guard guard(s.lock);
            s.close_locked();
          },
          "Closes the journal and every course stream made from it.")
      .def_property_readonly("reference",
                             [](bound_journal_state& s) {
                               // A copy: Python must not change the journal's reference data under
                               // it.
                               return with_journal(s, [](journal& j) {
                                 return std::make_shared<reference_data>(*j.reference());
                               });
                             })
      .def(
          "append",
          [](bound_journal_state& s, py::handle course, py::handle e) {
            auto id = load<course_id>(course, "course");
            event copy = [&] {
              try {
                return py::cast<const event&>(e);
              } catch (const py::cast_error&) {
                wrong_value("event", e, "an Event");
              }
            }();
            return with_journal(s, [&](journal& j) { return j.append(id, std::move(copy)); });
          },
          py::arg("course"), py::arg("event"))
      .def(
          "append_many",
          [](bound_journal_state& s, py::handle events) {
            const auto batch = journal_events_of(events);
            with_journal(s, [&](journal& j) { j.append_many(batch); });
            return batch.size();
          },
          py::arg("events"))
      .def(
          "append_lines",
          [](bound_journal_state& s, const py::bytes& lines, py::handle source) {
            const auto name = load<std::string>(source, "source");
            const std::string_view text = lines;  // the bytes stay alive for the call
            return with_journal(s, [&](journal& j) { return j.append_lines(text, name); });
          },
          py::arg("lines"), py::arg("source"))
      .def(
          "import_log",
          [](bound_journal_state& s, py::handle path) {
            const std::string file = load_path(path, "path");
            return with_journal(s, [&](journal& j) { return j.import_log(file); });
          },
          py::arg("path"))
      .def(
          "course",
          [](bound_journal_state& s, py::handle id, py::handle actor, py::handle purpose) {
            const auto course = load<course_id>(id, "course");
            const auto who = journal_access_of(actor, purpose);
            return with_journal(s, [&](journal& j) { return j.course(course, who); });
          },
          py::arg("course"), py::arg("actor"), py::arg("purpose"))
      .def(
          "course_as_of",
          [](bound_journal_state& s, py::handle id, py::handle day, py::handle actor,
             py::handle purpose) {
            const auto course = load<course_id>(id, "course");
            const auto on = load<date>(day, "date");
            const auto who = journal_access_of(actor, purpose);
            return with_journal(s, [&](journal& j) { return j.course_as_of(course, on, who); });
          },
          py::arg("course"), py::arg("date"), py::arg("actor"), py::arg("purpose"))
      .def(
          "courses",
          [](const shared_journal_state& s, py::handle actor, py::handle purpose) {
            const auto who = journal_access_of(actor, purpose);
            auto slot = std::make_shared<journal_stream_slot>();
            with_journal(*s, [&](journal& j) {
              slot->stream.emplace(j.courses(who));
              // Forget the streams that have ended, so a long-lived journal does not collect them.
              std::erase_if(s->streams, [](const auto& weak) { return weak.expired(); });
              s->streams.push_back(slot);
            });
            return bound_journal_stream{s, slot};
          },
          py::arg("actor"), py::arg("purpose"))
      .def(
          "export_log",
          [](bound_journal_state& s, py::handle path, py::handle actor, py::handle purpose,
             py::handle ids) {
            const std::string file = load_path(path, "path");
            const auto who = journal_access_of(actor, purpose);
            std::optional<std::vector<course_id>> chosen;
            if (!ids.is_none()) chosen = load<std::vector<course_id>>(ids, "courses");
            with_journal(s, [&](journal& j) {
              if (chosen) {
                j.export_log(file, who, std::span<const course_id>(*chosen));
              } else {
                j.export_log(file, who);
              }
            });
          },
          py::arg("path"), py::arg("actor"), py::arg("purpose"), py::arg("courses"))
      .def(
          "cohort",
          [](bound_journal_state& s, py::handle actor, py::handle purpose) {
            const auto who = journal_access_of(actor, purpose);
            return with_journal(
                s, [&](journal& j) { return std::make_shared<cohort>(j.cohort(who)); });
          },
          py::arg("actor"), py::arg("purpose"))
      .def("course_ids",
           [](bound_journal_state& s) {
             const auto ids = with_journal(s, [](journal& j) { return j.course_ids(); });
             std::vector<std::string> result;
             result.reserve(ids.size());
             for (const auto& id : ids) result.push_back(id.str());
             return result;
           })
      .def(
          "contains",
          [](bound_journal_state& s, py::handle id) {
            const auto course = load<course_id>(id, "course");
            return with_journal(s, [&](journal& j) { return j.contains(course); });
          },
          py::arg("course"))
      .def(
          "event_count",
          [](bound_journal_state& s, py::handle id) {
            const auto course = load<course_id>(id, "course");
            return with_journal(s, [&](journal& j) { return j.event_count(course); });
          },
          py::arg("course"))
      .def(
          "audit",
          [](bound_journal_state& s, py::handle actor, py::handle course, py::handle action,
             py::handle since, py::handle until) {
            const auto query = audit_query_of(actor, course, action, since, until);
            const auto entries = with_journal(s, [&](journal& j) { return j.audit(query); });
            py::list rows;
            for (const auto& entry : entries) rows.append(audit_entry_to_python(entry));
            return rows;
          },
          py::arg("actor"), py::arg("course"), py::arg("action"), py::arg("since"),
          py::arg("until"))
      .def(
          "backup",
          [](bound_journal_state& s, py::handle path) {
            const std::string file = load_path(path, "path");
            with_journal(s, [&](journal& j) { j.backup(file); });
          },
          py::arg("path"));
}

}  // namespace mentorcore::python
