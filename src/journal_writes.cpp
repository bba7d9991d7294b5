// Appending to a journal (src/journal.cpp has the overview): each call is one write
// transaction in which the courses it touches are validated event by event, as stored, and their
// lines inserted; anything thrown rolls the whole call back.

#include <algorithm>
#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <sqlite3.h>

#include "journal_sqlite.hpp"
#include "journal_state.hpp"
#include "log_lines.hpp"
#include "log_reader.hpp"
#include "mentorcore/journal.hpp"

namespace mentorcore {

namespace {

using detail::journal_cached_course;
using detail::journal_reference_text;
using detail::journal_state;
using detail::journal_statement;
using detail::journal_transaction;

// The courses one write transaction touches: working copies of the stored ones, validated and
// inserted event by event. Dropped on failure (the transaction rolls back), handed to the
// cache on commit.
class journal_writer {
 public:
  explicit journal_writer(journal_state& journal) : journal_(journal) {}

  std::size_t add(const course_id& id, event e) {
    if (const auto* order = get_if<course_ordered>(&e.data)) {
      if (order->course != id) {
        throw invalid_value_error(
            "course", order->course.str(),
            "the order's course is not " + id.str() + ", the course it is appended to");
      }
      if (touched_.contains(id.str()) || journal_.stored(id)) {
        throw journal_error(journal_.path, journal_fault::duplicate,
                            "course " + id.str() + " is already in the journal");
      }
      mentorcore::course started(std::move(e), journal_.reference);
      journal_statement insert(journal_.handle(), journal_.path,
                               "INSERT INTO courses (id, citizen, ordered_on) VALUES (?1, ?2, ?3)");
      const std::string ordered_on = to_iso(started.ordered_on());
      insert.bind(1, std::string_view(id.str()))
          .bind(2, std::string_view(started.citizen().str()))
          .bind(3, std::string_view(ordered_on));
      insert.run("cannot store the course");
      const std::int64_t seq = sqlite3_last_insert_rowid(journal_.handle());
      auto& entry =
          touched_.insert_or_assign(id.str(), journal_cached_course{seq, std::move(started)})
              .first->second;
      order_.push_back(id);
      store_last(entry, id);
      return 0;
    }
    auto at = touched_.find(id.str());
    if (at == touched_.end()) {
      at = touched_.emplace(id.str(), journal_.take(id)).first;
      order_.push_back(id);
    }
    at->second.course.append(std::move(e));
    store_last(at->second, id);
    return at->second.course.events().size() - 1;
  }

  // After commit: the courses as stored, for the next append.
  void keep_all() {
    for (const auto& id : order_) {
      if (auto at = touched_.find(id.str()); at != touched_.end()) {
        journal_.keep(id, std::move(at->second));
        touched_.erase(at);
      }
    }
  }

 private:
  void store_last(const journal_cached_course& entry, const course_id& id) {
    const auto& events = entry.course.events();
    const event& last = events.back();
    const std::string line = event_to_json(id, last);
    if (line.size() > max_event_line_bytes) {
      throw invalid_value_error("course", id.str(),
                                "the event would be a line longer than an event log allows");
    }
    const std::string day = to_iso(last.date);
    const auto position = static_cast<std::int64_t>(events.size() - 1);
    journal_statement insert(
        journal_.handle(), journal_.path,
        "INSERT INTO events (course, position, date, type, line) VALUES (?1, ?2, ?3, ?4, ?5)");
    insert.bind(1, entry.seq)
        .bind(2, position)
        .bind(3, std::string_view(day))
        .bind(4, last.type())
        .bind(5, std::string_view(line));
    insert.run("cannot store the event");
  }

  journal_state& journal_;
  std::unordered_map<std::string, journal_cached_course> touched_;
  std::vector<course_id> order_;
};

// Thrown through the event-log reader (which turns every mentorcore::error into a parse_error
// naming the line) to carry a journal_error out unchanged.
struct journal_line_fault : std::exception {
  [[nodiscard]] const char* what() const noexcept override { return "journal fault"; }
};

// append_lines' sink: each event read goes straight to the write transaction.
class journal_line_sink final : public detail::log_course_sink {
 public:
  explicit journal_line_sink(journal_writer& writer) : writer_(writer) {}

  void add(std::string_view id, event&& e,
           const std::shared_ptr<const reference_data>& /*reference*/) override {
    try {
      writer_.add(course_id(std::string(id)), std::move(e));
      ++stored_;
    } catch (const journal_error& fault) {
      fault_.emplace(fault);
      throw journal_line_fault{};
    }
  }
  void line_read(std::size_t /*line*/,
                 const detail::collect_course_attribution& /*failed*/) override {}

  [[nodiscard]] std::size_t stored() const noexcept { return stored_; }
  [[nodiscard]] const std::optional<journal_error>& fault() const noexcept { return fault_; }

 private:
  journal_writer& writer_;
  std::size_t stored_ = 0;
  std::optional<journal_error> fault_;
};

}  // namespace

std::size_t journal::append(const course_id& course, event e) {
  impl_->refuse_if_read_only("cannot append");
  journal_transaction transaction(impl_->handle(), impl_->path, true);
  journal_writer writer(*impl_);
  const std::size_t position = writer.add(course, std::move(e));
  transaction.commit();
  writer.keep_all();
  return position;
}

void journal::append_many(std::span<const journal_event> events) {
  impl_->refuse_if_read_only("cannot append");
  if (events.empty()) return;
  journal_transaction transaction(impl_->handle(), impl_->path, true);
  journal_writer writer(*impl_);
  for (const auto& item : events) writer.add(item.course, item.event);
  transaction.commit();
  writer.keep_all();
}

std::size_t journal::append_lines(std::string_view lines, std::string_view source) {
  impl_->refuse_if_read_only("cannot append");
  read_options options;
  options.reference = impl_->reference;
  options.pseudonyms = impl_->options.pseudonyms;
  read_result ignored;
  detail::log_line_source text(lines, std::string(source), options.max_line_bytes);
  journal_transaction transaction(impl_->handle(), impl_->path, true);
  journal_writer writer(*impl_);
  journal_line_sink sink(writer);
  try {
    // Not at the start of a log: a header line is refused, the journal's reference data used.
    (void)detail::read_log_lines(text, source, options, sink, ignored,
                                 detail::log_part_start{false, impl_->reference});
  } catch (const journal_line_fault&) {
    // The same fault, its message ("<file>: <cause>") with the line in front of the cause.
    const auto& fault = *sink.fault();
    std::string cause = fault.what();
    const std::string prefix = fault.file() + ": ";
    if (cause.rfind(prefix, 0) == 0) cause.erase(0, prefix.size());
    throw journal_error(impl_->path, fault.fault(),
                        std::string(source) + ":" + std::to_string(text.line()) + ": " + cause);
  }
  transaction.commit();
  writer.keep_all();
  return sink.stored();
}

journal_import_result journal::import_log(const std::string& path) {
  impl_->refuse_if_read_only("cannot import");
  read_options options;
  options.reference = impl_->reference;
  options.pseudonyms = impl_->options.pseudonyms;
  auto read = read_events_file(path, options);
  // A header may declare reference data; the courses must need nothing the journal lacks.
  const std::string own = journal_reference_text(*impl_->reference);
  std::vector<const reference_data*> checked = {impl_->reference.get()};
  for (const auto& c : read.courses) {
    if (std::find(checked.begin(), checked.end(), &c.reference()) != checked.end()) continue;
    if (journal_reference_text(c.reference()) != own) {
      throw journal_error(impl_->path, journal_fault::reference_data,
                          "cannot import " + path +
                              ": its header declares reference data the journal does not have");
    }
    checked.push_back(&c.reference());
  }
  journal_transaction transaction(impl_->handle(), impl_->path, true);
  journal_import_result result;
  journal_statement insert_course(
      impl_->handle(), impl_->path,
      "INSERT INTO courses (id, citizen, ordered_on) VALUES (?1, ?2, ?3)");
  journal_statement insert_event(
      impl_->handle(), impl_->path,
      "INSERT INTO events (course, position, date, type, line) VALUES (?1, ?2, ?3, ?4, ?5)");
  for (const auto& c : read.courses) {
    if (impl_->stored(c.id())) {
      throw journal_error(
          impl_->path, journal_fault::duplicate,
          "cannot import " + path + ": course " + c.id().str() + " is already in the journal");
    }
    const std::string ordered_on = to_iso(c.ordered_on());
    insert_course.bind(1, std::string_view(c.id().str()))
        .bind(2, std::string_view(c.citizen().str()))
        .bind(3, std::string_view(ordered_on));
    insert_course.run("cannot store the course");
    const std::int64_t seq = sqlite3_last_insert_rowid(impl_->handle());
    std::int64_t position = 0;
    for (const auto& e : c.events()) {
      const std::string line = event_to_json(c.id(), e);
      const std::string day = to_iso(e.date);
      insert_event.bind(1, seq)
          .bind(2, position++)
          .bind(3, std::string_view(day))
          .bind(4, e.type())
          .bind(5, std::string_view(line));
      insert_event.run("cannot store the event");
    }
    result.events += c.events().size();
    ++result.courses;
  }
  transaction.commit();
  result.redacted_texts = read.redacted_texts;
  return result;
}

}  // namespace mentorcore
