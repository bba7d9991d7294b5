// Reading the event log: simdjson parses each line, the field tables fill each payload, and
// every course is replayed through course::append, so a file passes the same validation as the
// live API.

#include "mentorcore/interchange.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <simdjson.h>
#include <gsl/assert>

#include "log_attribution.hpp"
#include "log_header.hpp"
#include "log_line_parser.hpp"
#include "log_lines.hpp"
#include "log_reader.hpp"
#include "log_values.hpp"
#include "mentorcore/detail/accepted_texts_append.hpp"
#include "mentorcore/detail/free_text.hpp"

namespace mentorcore {
namespace {

namespace dom = simdjson::dom;

// The keys every line carries around the event's own fields.
bool is_envelope_key(std::string_view key) {
  return key == "schema" || key == "course" || key == "type" || key == "date" ||
         key == "recorded_by" || key == "cpr";
}

// A record's fields by position: their names, whether input must supply them, and a reader for
// each that fills the member from a JSON value.
template <class P>
struct field_table {
  static constexpr const auto& fields = payload_traits<P>::fields;
  static constexpr std::size_t count = std::tuple_size_v<std::decay_t<decltype(fields)>>;
  static_assert(count <= 64);

  static constexpr auto names = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<std::string_view, count>{std::get<I>(fields).name...};
  }
  (std::make_index_sequence<count>{});
  static constexpr auto required = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<bool, count>{std::get<I>(fields).required...};
  }
  (std::make_index_sequence<count>{});
  // The required fields as bits, by position: a record has them all when seen & mask == mask.
  static constexpr std::uint64_t required_mask = [] {
    std::uint64_t mask = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (required[i]) mask |= std::uint64_t{1} << i;
    }
    return mask;
  }();

  template <std::size_t I>
  static void read_one(P& payload, const dom::element& value, const detail::field_path& path) {
    auto& target = payload.*(std::get<I>(fields).member);
    target = detail::json_reader<std::decay_t<decltype(target)>>::read(value, path);
  }
  using reader = void (*)(P&, const dom::element&, const detail::field_path&);
  static constexpr auto readers = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<reader, count>{&read_one<I>...};
  }
  (std::make_index_sequence<count>{});

  // The position of the field named `key`, or `count` if there is none. Fields usually come in
  // their declared order (the writer's), so the one at `hint` is tried first.
  static std::size_t find(std::string_view key, std::size_t hint) {
    if (hint < count && detail::short_text_equals(names[hint], key)) return hint;
    for (std::size_t i = 0; i < count; ++i) {
      if (detail::short_text_equals(names[i], key)) return i;
    }
    return count;
  }
};

// Fills `payload` from `members` (each with .key and .value), in their order. Unknown, duplicate
// and missing required fields are errors naming the field, qualified by `prefix` (the record's
// own place, for nested records). A required field is excused if `skip_envelope` and it is an
// envelope key, or if it is named in `not_required`.
template <class P, class Members>
void read_fields(const Members& members, P& payload, const detail::field_path* prefix,
                 bool skip_envelope, std::span<const std::string_view> not_required = {}) {
  using table = field_table<P>;
  std::uint64_t seen = 0;  // by position, as table::required_mask
  std::size_t hint = 0;
  for (const auto& member : members) {
    const std::string_view key = member.key;
    const detail::field_path path{key, prefix};
    const std::size_t index = table::find(key, hint);
    if (index == table::count) {
      std::string names;
      for (const auto name : table::names) names += (names.empty() ? "" : ", ") + std::string(name);
      throw invalid_value_error(path.str(), detail::shown(member.value),
                                "not a field of " + std::string(payload_traits<P>::name) +
                                    " (fields: " + (names.empty() ? "none" : names) + ")");
    }
    const std::uint64_t bit = std::uint64_t{1} << index;
    if ((seen & bit) != 0)
      throw invalid_value_error(path.str(), "repeated", "the field appears twice");
    seen |= bit;
    table::readers[index](payload, member.value, path);
    hint = index + 1;
  }
  // Nearly every record has every required field: one test settles it.
  if ((seen & table::required_mask) == table::required_mask) return;
  for (std::size_t index = 0; index < table::count; ++index) {
    if (!table::required[index] || (seen & (std::uint64_t{1} << index)) != 0) continue;
    const std::string_view name = table::names[index];
    const bool excused =
        (skip_envelope && is_envelope_key(name)) ||
        std::find(not_required.begin(), not_required.end(), name) != not_required.end();
    if (!excused) {
      throw invalid_value_error(detail::field_path{name, prefix}.str(), "missing",
                                "required field of " + std::string(payload_traits<P>::name));
    }
  }
}

}  // namespace

// Nested records (a handover's actions, contingencies, appointments): a specialisation of the
// value readers (log_values.hpp), in their namespace, through the record reader above.
namespace detail {
template <class T>
requires requires {
  payload_traits<T>::fields;
}
struct json_reader<T> {
  static T read(const dom::element& v, const field_path& field) {
    dom::object object;
    if (v.get_object().get(object) != simdjson::SUCCESS) wrong(field, v, "an object");
    T record{};
    read_fields(object, record, &field, false);
    return record;
  }
};
}  // namespace detail

namespace {

// ---- one line -----------------------------------------------------------------------------------

// A member of a line's object that is not part of the envelope: one of the event's own fields.
struct member_ref {
  std::string_view key;
  dom::element value;
};

// The envelope's date, by months parsed in full before. A log's lines run through few months,
// and a course's lines through its own, so a date is nearly always "YYYY-MM-" as one seen
// before and a day of that month: its date is the month's first day plus the day, with no parse
// of the whole text. The months are kept in a small table by their text's word (a month met
// again after other courses' months finds its slot). Anything else (a month not kept, a day the
// month does not have, not digits) is parsed in full, which gives the errors.
class envelope_dates {
 public:
  date read(const dom::element& value) {
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS)
      return detail::json_reader<date>::read(value, {"date"});  // throws: not a text
    return read(text);
  }
  date read(std::string_view text) {
    if (text.size() == 10) {
      const std::uint64_t word = detail::short_text_word(text.data());
      const month_seen& month = months_[slot(word)];
      const auto digit = [&](std::size_t i) { return static_cast<unsigned>(text[i]) - '0'; };
      const unsigned day = digit(8) * 10 + digit(9);
      if (month.days != 0 && month.word == word && digit(8) <= 9 && digit(9) <= 9 && day >= 1 &&
          day <= month.days) {
        // The month's first day plus the day: Boost's day number plus days, as date + days()
        // (whose checks for infinities are not needed for a date parsed in full).
        return date(month.first.day_number() + day - 1);
      }
    }
    const date parsed = parse_iso_date(text, "date");  // as json_reader<date> reads a text
    // Parsed: `text` is a date as "YYYY-MM-DD", and its first 8 characters name its month.
    const std::uint64_t word = detail::short_text_word(text.data());
    months_[slot(word)] = {word, date(parsed.year(), parsed.month(), 1),
                           parsed.end_of_month().day()};
    return parsed;
  }

 private:
  struct month_seen {
    std::uint64_t word = 0;  // "YYYY-MM-" as one word
    date first;              // its first day
    unsigned days = 0;       // its length; 0: the slot is empty
  };
  // 64 months: five years and more of a log's dates, in 1 KiB.
  static constexpr std::size_t slots = 64;
  static std::size_t slot(std::uint64_t word) noexcept {
    // The year's last digit and the month's two ("YYYY-MM-": bytes 3, 5 and 6) tell 10 years
    // of months apart; a multiplication spreads them over the slots.
    constexpr std::uint64_t spread = 0x9E3779B97F4A7C15ULL;
    return static_cast<std::size_t>(((word & 0x00FFFF00FF000000ULL) * spread) >> 58U);
  }
  std::array<month_seen, slots> months_{};
};

// What reading one line needs beyond the line, kept from line to line so that it is allocated once.
struct line_reader {
  std::vector<member_ref> fields;  // the current line's non-envelope members, in order
  std::string valid_course;        // the last course id found valid (lines of a course run on)
  staff_id recorded_by;            // the last recorded_by
  envelope_dates dates;            // the last date's month
};

struct parsed_line {
  // Built in place (std::optional::emplace), the payload straight from `read` (the prvalue it
  // returns is the event's own) and the author copied once: each text is moved as rarely as
  // can be, and an id's move or copy is a call to memcpy.
  template <class Read>
  parsed_line(std::string_view course_id, date day, const staff_id& recorded_by, Read&& read)
      : course(course_id), e{day, recorded_by, std::forward<Read>(read)()} {}

  std::string_view course;  // into the parser's buffer: valid until the next line is parsed
  event e;
};

template <class P>
event_payload read_payload(std::span<const member_ref> fields, bool has_cpr) {
  P payload{};
  static constexpr std::array<std::string_view, 1> citizen = {"citizen"};
  // With a CPR number to pseudonymise, the order need not carry a citizen key.
  read_fields(
      fields, payload, nullptr, true,
      has_cpr ? std::span<const std::string_view>(citizen) : std::span<const std::string_view>());
  return event_payload(std::move(payload));
}

using payload_reader = event_payload (*)(std::span<const member_ref>, bool);

// One reader per event type, indexed like event_payload's alternatives.
constexpr auto payload_readers = []<std::size_t... I>(std::index_sequence<I...>) {
  return std::array<payload_reader, sizeof...(I)>{&read_payload<event_payload_type<I>>...};
}
(std::make_index_sequence<event_type_count>{});

// The event type index for a type name, as event_type_index, by a table of the names by length.
std::optional<std::size_t> type_index(std::string_view name) {
  static constexpr std::size_t longest = 32;
  static const auto by_length = [] {
    std::array<std::vector<std::size_t>, longest + 1> table;
    for (std::size_t i = 0; i < event_type_names.size(); ++i) {
      table[std::min(event_type_names[i].size(), longest)].push_back(i);
    }
    return table;
  }();
  for (const auto index : by_length[std::min(name.size(), longest)]) {
    if (detail::short_text_equals(event_type_names[index], name)) return index;
  }
  return std::nullopt;
}

// The envelope's keys, by slot.
constexpr std::array<std::string_view, 6> envelope_names = {"schema", "course",      "type",
                                                            "date",   "recorded_by", "cpr"};

// The envelope slot of `key`, or -1 for an event field.
int envelope_slot(std::string_view key) {
  const auto is = [&](const char* name, std::size_t size) {
    return std::memcmp(key.data(), name, size) == 0;
  };
  switch (key.size()) {
    case 3: return is("cpr", 3) ? 5 : -1;
    case 4:
      if (is("type", 4)) return 2;
      return is("date", 4) ? 3 : -1;
    case 6:
      if (is("course", 6)) return 1;
      return is("schema", 6) ? 0 : -1;
    case 11: return is("recorded_by", 11) ? 4 : -1;
    default: return -1;
  }
}

// The envelope's members as the member loop meets them: each one's text, read there. A value
// that is not a text is an error, met later in the order of checks, and found again then
// (envelope_value). A text's pointer and length are kept apart, copied apart from simdjson's
// result: GCC copied a whole text (or value) that a call had just written with one 16-byte load,
// which the store buffer cannot forward from two 8-byte stores (a stall on every member, 2-3% of
// reading by `perf` on the AMD machine); and no array of six values is cleared for each line.
// NOLINTNEXTLINE(cppcoreguidelines-pro-type-member-init): texts are set where `texts` says
struct envelope_members {
  unsigned present = 0;  // by slot (envelope_slot)
  unsigned texts = 0;    // by slot: the value is a text
  // By slot, set only where `texts` says.
  std::array<const char*, 6> text_data;
  std::array<std::size_t, 6> text_size;

  [[nodiscard]] bool has(std::size_t slot) const noexcept { return (present & (1U << slot)) != 0; }
  [[nodiscard]] bool is_text(std::size_t slot) const noexcept {
    return (texts & (1U << slot)) != 0;
  }
  [[nodiscard]] std::string_view text(std::size_t slot) const noexcept {
    return {text_data[slot], text_size[slot]};
  }
  // Keeps the text of `slot`, if `value` is one.
  void keep(std::size_t slot, const dom::element& value) {
    const auto read = value.get_string();
    if (read.error() != simdjson::SUCCESS) return;
    const std::string_view& text = read.value_unsafe();
    text_data[slot] = text.data();
    text_size[slot] = text.size();
    texts |= 1U << slot;
  }
};

// The value of the envelope member of `slot` (present, not a text) for its error: the first of
// its name, as the member loop keeps the first.
dom::element envelope_value(const dom::object& object, std::size_t slot) {
  dom::element value;
  const auto found = object.at_key(envelope_names[slot]).get(value);
  Expects(found == simdjson::SUCCESS);  // the member loop met it
  return value;
}

enum class line_kind { event, header };

// Reads one line in a single pass over its members: the envelope's are kept by slot and the
// event's own in order. The checks then run in a fixed order (envelope, then fields in member
// order), so a line with several faults always reports the same one. A line whose first "type"
// is "header" is the log's header (is_log_header_line's rule, found on the same pass instead of
// a lookup of its own on every line): line_kind::header, with `entry` left empty. On an error
// `entry` may hold the event as far as it was read, for the caller to drop with the line.
line_kind parse_line(const dom::element& root, const read_options& options, line_reader& reader,
                     std::optional<parsed_line>& entry) {
  dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS)
    detail::wrong("line", root, "a JSON object (one event)");
  envelope_members envelope;
  std::string_view repeated;  // the first envelope key met twice: refused unless a header
  reader.fields.clear();
  // The iterator's key() and value(), not its member pair (the 16-byte copy of envelope_members).
  for (auto member = object.begin(), end = object.end(); member != end; ++member) {
    const std::string_view key = member.key();
    const int slot = envelope_slot(key);
    if (slot < 0) {
      reader.fields.push_back({key, member.value()});
      continue;
    }
    const auto at = static_cast<std::size_t>(slot);
    const unsigned bit = 1U << at;
    if (envelope.has(at)) {
      if (repeated.empty()) repeated = key;
      continue;
    }
    envelope.present |= bit;
    envelope.keep(at, member.value());
    if (slot == 2 && envelope.is_text(at) && envelope.text(at) == detail::log_header_type)
      return line_kind::header;
  }
  if (!repeated.empty())
    throw invalid_value_error(std::string(repeated), "repeated", "the field appears twice");
  // The text of a slot; none if it is absent and not `required`. Names what is missing or not a
  // text.
  const auto text_member = [&](std::size_t slot, bool required) -> std::optional<std::string_view> {
    const std::string_view key = envelope_names[slot];
    if (!envelope.has(slot)) {
      if (required)
        throw invalid_value_error(std::string(key), "missing",
                                  "every line has schema, course, type, date and recorded_by");
      return std::nullopt;
    }
    if (!envelope.is_text(slot)) {
      // A CPR number held as a JSON number is still a CPR number: never shown.
      if (key == "cpr") throw invalid_value_error("cpr", "[withheld]", "expected a string");
      detail::wrong(key, envelope_value(object, slot), "a string");
    }
    return envelope.text(slot);
  };
  // Nearly every line has the envelope's five texts; a line without them takes text_member,
  // which names what is missing or not a text, in the same order of checks.
  constexpr unsigned required_slots = 0x1FU;  // schema, course, type, date, recorded_by
  const bool all_texts = (envelope.texts & required_slots) == required_slots;
  const auto required_text = [&](std::size_t slot) {
    return all_texts ? envelope.text(slot) : *text_member(slot, true);
  };
  const auto schema = required_text(0);
  // Nearly every line is of the current version: one short comparison settles it.
  const bool current_version = detail::short_text_equals(schema, event_schema);
  if (!current_version) detail::check_schema_version(schema);
  const bool first_version = !current_version && schema == oldest_event_schema;
  const auto type_name = required_text(2);
  const auto index = type_index(type_name);
  if (!index)
    throw invalid_value_error("type", "\"" + std::string(type_name) + "\"", "unknown event type");
  const std::string_view course = required_text(1);
  // The lines of a course usually follow one another: its id is checked once per run.
  if (reader.valid_course.empty() || !detail::short_text_equals(course, reader.valid_course)) {
    (void)course_id(std::string(course), "course");
    reader.valid_course = course;
  }
  if (!envelope.has(3))
    throw invalid_value_error("date", "missing",
                              "every line has schema, course, type, date and recorded_by");
  const date day = envelope.is_text(3) ? reader.dates.read(envelope.text(3))
                                       : reader.dates.read(envelope_value(object, 3));
  // Few people record the events: the last one's id is checked once.
  const auto author = required_text(4);
  if (reader.recorded_by.empty() || !detail::short_text_equals(author, reader.recorded_by.str()))
    reader.recorded_by = staff_id(std::string(author), "recorded_by");

  // The order carries the course id in the envelope, and may carry a CPR number instead of a key.
  const auto cpr = text_member(5, false);
  event_payload& payload =
      entry
          .emplace(course, day, reader.recorded_by,
                   [&] { return payload_readers[*index](reader.fields, cpr.has_value()); })
          .e.data;
  if (auto* order = get_if<course_ordered>(&payload)) {
    order->course = course_id(std::string(course), "course");
    if (cpr) {
      if (!order->citizen.empty()) {
        throw invalid_value_error("cpr", "[withheld]", "give either cpr or citizen, not both");
      }
      if (!options.pseudonyms) {
        throw invalid_value_error(
            "cpr", "[withheld]",
            "a CPR number needs a pseudonymisation key (argument or MENTORCORE_PSEUDONYM_KEY)");
      }
      order->citizen = options.pseudonyms->citizen_for(*cpr);
    } else if (order->citizen.empty()) {
      throw invalid_value_error("citizen", "missing",
                                "required field of course_ordered (or give cpr with a key)");
    }
  } else if (cpr) {
    throw invalid_value_error("cpr", "[withheld]", "only course_ordered may carry a CPR number");
  }
  if (first_version) detail::refuse_newer_content(payload);
  return line_kind::event;
}

// ---- a whole log --------------------------------------------------------------------------------

// read_events' sink: the courses read so far, in order of first appearance. The course of the
// last line appended is kept, so that the lines of a course that follow one another find it
// without a lookup.
class log_courses_in_order final : public detail::log_course_sink {
 public:
  explicit log_courses_in_order(std::vector<course>& courses) : courses_(courses) {}

  void add(std::string_view id, event&& e,
           const std::shared_ptr<const reference_data>& reference) override {
    if (current_ == none || id != current_name_) {
      std::string name(id);
      const auto known = index_.find(name);
      if (known == index_.end()) {
        courses_.emplace_back(std::move(e), reference);
        current_ = courses_.size() - 1;
        index_.emplace(name, current_);
        current_name_ = std::move(name);
        return;
      }
      current_ = known->second;
      current_name_ = std::move(name);
    }
    detail::accepted_texts_append::append(courses_[current_], std::move(e));
  }
  void line_read(std::size_t /*line*/,
                 const detail::collect_course_attribution& /*failed*/) override {}

 private:
  static constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
  std::vector<course>& courses_;
  std::unordered_map<std::string, std::size_t> index_;
  std::size_t current_ = none;
  std::string current_name_;
};

}  // namespace

namespace detail {

std::string course_named_in_line(const dom::element& root) {
  dom::element value;
  std::string_view id;
  if (root.at_key("course").get(value) == simdjson::SUCCESS &&
      value.get_string().get(id) == simdjson::SUCCESS) {
    // Whole: a too-long id is shown redacted and then cut (fail), and never matches a valid one.
    return std::string(id);
  }
  return {};
}

namespace {

/// What a line simdjson refuses is reported as, and the field it names (if any): the parser's
/// reason; a number no 64-bit integer or double holds, named by its key (valid JSON); a byte
/// order mark where none may be; and whether the file ends on it unfinished.
std::pair<std::string, std::string> malformed_line(std::string_view content,
                                                   simdjson::error_code parsed, bool unterminated) {
  std::string message = "malformed JSON: ";
  message += simdjson::error_message(parsed);
  std::string field;
  if (parsed == simdjson::NUMBER_ERROR || parsed == simdjson::NUMBER_OUT_OF_RANGE) {
    if (auto refused = find_refused_number(content)) {
      message = std::move(refused->message);
      field = std::move(refused->field);
    }
  }
  // The reader skips one only at the very start of a log (log_lines.hpp): here it is a second
  // file's, joined on, or was typed into the log.
  if (const auto first_byte = content.find_first_not_of(" \t");
      content.substr(first_byte, 3) == "\xEF\xBB\xBF") {
    std::string named =
        "a byte order mark (U+FEFF) starts the line; only the very start of a log may have one (";
    named += message;
    named += ')';
    message = std::move(named);
  }
  if (unterminated)
    message += " (the last line has no line end: the file is cut short or still being written)";
  return {std::move(message), std::move(field)};
}

}  // namespace

collect_course_attribution read_log_lines(log_line_source& lines, std::string_view source,
                                          const read_options& options, log_course_sink& sink,
                                          read_result& result, const log_part_start& start) {
  static_assert(log_line_source::padding >= simdjson::SIMDJSON_PADDING);
  if (!options.reference)
    throw invalid_value_error("reference", "null", "reading needs reference data");
  log_line_parser parser;
  collect_course_attribution attribution;
  auto& failed_at = attribution.failed_at;
  const std::string source_name(source);

  // Reports a bad line (collect mode) or throws. `course_name` is the course it belongs to, if
  // known; otherwise the courses named in the raw line, or else its neighbours, take the blame.
  const auto fail = [&](std::size_t line, const std::string& course_name,
                        const std::string& message, const std::string& field = "",
                        std::string_view raw = {}) {
    if (!options.collect_errors) throw parse_error(source_name, line, field, message);
    std::vector<std::string> courses;
    if (!course_name.empty())
      courses.push_back(course_name);
    else if (!raw.empty())
      courses = detail::scan_line_for_course_ids(raw);
    // The course is shown redacted, then cut: a cut first could leave digits no rule knows.
    result.rejected.push_back(
        {line,
         courses.empty() ? std::string() : detail::redacted_excerpt(courses.front(), max_id_length),
         detail::redact_personal_numbers(message)});
    if (courses.empty()) {
      attribution.unknown(result.rejected.size() - 1, line);
      return;
    }
    for (const auto& name : courses) attribution.reject(name, line);
    attribution.known(courses.back(), result);
  };

  line_reader reader;
  // The courses' reference data: the reader's, with what the log's header adds.
  std::shared_ptr<const reference_data> reference =
      start.reference ? start.reference : options.reference;
  bool first = start.at_start;
  // The line's event, emptied for each line rather than made anew: GCC cleared the whole of a new
  // one (120 bytes) on every line.
  std::optional<parsed_line> entry;

  while (const auto next = lines.next()) {
    const std::size_t line = lines.line();
    const std::string_view content = *next;
    if (content.find_first_not_of(" \t") == std::string_view::npos) continue;
    const bool is_first = std::exchange(first, false);

    dom::element root;
    const auto parsed = parser.parse(lines, content, root);
    if (parsed != simdjson::SUCCESS) {
      const auto [message, field] = malformed_line(content, parsed, lines.unterminated());
      fail(line, "", message, field, content);
      sink.line_read(line, attribution);
      continue;
    }
    entry.reset();
    line_kind kind = line_kind::event;
    try {
      kind = parse_line(root, options, reader, entry);
      if (entry) result.redacted_texts += detail::accept_free_texts(entry->e.data);
    } catch (const invalid_value_error& e) {
      // Name the course when the line got that far, so collect mode can set it aside.
      const std::string course_name = course_named_in_line(root);
      fail(line, course_name, e.what(), e.field(), course_name.empty() ? content : "");
      sink.line_read(line, attribution);
      continue;
    }
    if (kind == line_kind::header) {
      if (is_first) {
        reference = read_log_header(root, options, source_name, line);
      } else {
        // A header belongs to no course: nothing else is left out for it.
        const std::string message = "a header may only be the first line of a log";
        if (!options.collect_errors) throw parse_error(source_name, line, "type", message);
        result.rejected.push_back({line, "", message});
      }
      sink.line_read(line, attribution);
      continue;
    }
    if (options.collect_errors) attribution.known(entry->course, result);
    if (!failed_at.empty()) {
      if (const auto failed = failed_at.find(std::string(entry->course));
          failed != failed_at.end()) {
        fail(line, std::string(entry->course),
             "course " + std::string(entry->course) + " was rejected at line " +
                 std::to_string(failed->second));
        sink.line_read(line, attribution);
        continue;
      }
    }
    try {
      sink.add(entry->course, std::move(entry->e), reference);
    } catch (const rule_violation_error& e) {
      fail(line, std::string(entry->course), e.what(), e.field());
    } catch (const invalid_value_error& e) {
      fail(line, std::string(entry->course), e.what(), e.field());
    } catch (const error& e) {
      fail(line, std::string(entry->course), e.what());
    }
    sink.line_read(line, attribution);
  }
  attribution.end(result);
  return attribution;
}

}  // namespace detail

namespace {

read_result read_log_lines_to_courses(detail::log_line_source& lines, std::string_view source,
                                      const read_options& options) {
  read_result result;
  log_courses_in_order sink(result.courses);
  const auto attribution = detail::read_log_lines(lines, source, options, sink, result);
  if (!attribution.failed_at.empty()) {
    // Courses with a rejected line are left out whole: a partial history would be a wrong one.
    std::vector<course> kept;
    kept.reserve(result.courses.size());
    for (auto& c : result.courses) {
      if (!attribution.failed_at.contains(c.id().str())) kept.push_back(std::move(c));
    }
    result.courses = std::move(kept);
  }
  return result;
}

}  // namespace

read_result read_events(std::string_view text, std::string_view source,
                        const read_options& options) {
  detail::log_line_source lines(text, std::string(source), options.max_line_bytes);
  return read_log_lines_to_courses(lines, source, options);
}

read_result read_events_file(const std::string& path, const read_options& options) {
  const auto lines = detail::log_line_source::open_file(path, options.max_line_bytes);
  return read_log_lines_to_courses(*lines, path, options);
}

}  // namespace mentorcore
