// A cohort's tables for Arrow consumers (Cohort.arrow in Python): each table leaves as an
// ArrowSchema (a struct with one child per column) and an ArrowArrayStream that yields one struct
// array with all the rows, through the Arrow C Data and C Stream Interfaces (arrow_c_abi.hpp) in
// PyCapsules named as the Arrow PyCapsule interface says. pyarrow, polars and DuckDB read them,
// and mentorcore depends on no Arrow library.
//
// Zero copy: a column's values buffer points at the C++ vector (dates, numbers, the indices of
// enums and codes), and a code column's dictionary at the string_dictionary, which stores its
// strings as Arrow's utf8 does. What Arrow lays out differently is made once per export and owned
// by the exported structure: validity bitmaps (the cohort marks a missing value with a sentinel in
// the column), flags (Arrow's bool is bit-packed), the names of an enum, and a child table's
// `course` column (the cohort stores a child table grouped by course). Every exported structure
// holds a shared_ptr to the cohort, so the columns live as long as any consumer holds a buffer,
// whatever becomes of the Python Cohort.

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>

#include "arrow_c_abi.hpp"
#include "cohort_tables.hpp"
#include "common.hpp"
#include "mentorcore/analytics/cohort.hpp"
#include "register.hpp"

namespace py = pybind11;

// A named namespace rather than an anonymous one: the bindings are compiled as unity units, where
// file-local names of the files in one unit would meet.
namespace mentorcore::python::arrow_export {

// The exported structures (schemas, arrays and streams, each node once) whose release has not
// run: the tests check that it comes back to where it was, i.e. that releasing frees everything.
std::atomic<std::int64_t>& live_nodes() {
  static std::atomic<std::int64_t> count{0};
  return count;
}

// Counts itself in live_nodes() while it exists.
struct live_node {
  live_node() noexcept { live_nodes().fetch_add(1, std::memory_order_relaxed); }
  live_node(const live_node&) = delete;
  live_node(live_node&&) = delete;
  live_node& operator=(const live_node&) = delete;
  live_node& operator=(live_node&&) = delete;
  ~live_node() { live_nodes().fetch_sub(1, std::memory_order_relaxed); }
};

// The buffers of an empty column, and the offsets of an empty string array, point here:
// consumers read the first offset of a utf8 array whatever its length, and some reject null data
// pointers.
alignas(64) constexpr std::array<std::int64_t, 1> empty_buffer{};

const void* non_null(const void* data) noexcept {
  return data != nullptr ? data : static_cast<const void*>(empty_buffer.data());
}

// What one ArrowSchema node owns: its strings and its children.
struct schema_node {
  live_node counted;
  std::string format;
  std::string name;
  std::vector<std::unique_ptr<ArrowSchema>> children;  // zeroed (released) until filled
  std::vector<ArrowSchema*> child_pointers;
  std::unique_ptr<ArrowSchema> dictionary;

  schema_node(std::string format_, std::string name_)
      : format(std::move(format_)), name(std::move(name_)) {}
  schema_node(const schema_node&) = delete;
  schema_node(schema_node&&) = delete;
  schema_node& operator=(const schema_node&) = delete;
  schema_node& operator=(schema_node&&) = delete;
  // Releases the children a consumer did not move out (and those of a node that was never
  // handed out, when building failed half-way).
  ~schema_node() {
    for (const auto& child : children)
      if (child->release != nullptr) child->release(child.get());
    if (dictionary && dictionary->release != nullptr) dictionary->release(dictionary.get());
  }
};

void release_schema(ArrowSchema* schema) noexcept {
  const std::unique_ptr<schema_node> node(static_cast<schema_node*>(schema->private_data));
  schema->release = nullptr;
}

// Hands `node` over to `out`, which then owns it.
void publish_schema(std::unique_ptr<schema_node> node, std::int64_t flags,
                    ArrowSchema* out) noexcept {
  *out = ArrowSchema{};
  out->format = node->format.c_str();
  out->name = node->name.c_str();
  out->metadata = nullptr;
  out->flags = flags;
  out->n_children = static_cast<std::int64_t>(node->children.size());
  out->children = node->child_pointers.empty() ? nullptr : node->child_pointers.data();
  out->dictionary = node->dictionary.get();
  out->release = &release_schema;
  out->private_data = node.release();
}

// What one ArrowArray node owns: the cohort its buffers point into, what was made for it, and its
// children.
struct array_node {
  live_node counted;
  std::shared_ptr<const cohort> source;
  std::vector<std::uint8_t> validity;  // a validity bitmap made from the sentinels
  std::vector<std::uint8_t> bits;      // flags, bit-packed
  std::vector<std::int32_t> numbers;   // course codes, or the offsets of an enum's names
  std::string characters;              // the characters of an enum's names
  std::array<const void*, 3> buffers{};
  std::vector<std::unique_ptr<ArrowArray>> children;  // zeroed (released) until filled
  std::vector<ArrowArray*> child_pointers;
  std::unique_ptr<ArrowArray> dictionary;

  explicit array_node(std::shared_ptr<const cohort> source_) : source(std::move(source_)) {}
  array_node(const array_node&) = delete;
  array_node(array_node&&) = delete;
  array_node& operator=(const array_node&) = delete;
  array_node& operator=(array_node&&) = delete;
  ~array_node() {
    for (const auto& child : children)
      if (child->release != nullptr) child->release(child.get());
    if (dictionary && dictionary->release != nullptr) dictionary->release(dictionary.get());
  }
};

void release_array(ArrowArray* array) noexcept {
  const std::unique_ptr<array_node> node(static_cast<array_node*>(array->private_data));
  array->release = nullptr;
}

void publish_array(std::unique_ptr<array_node> node, std::size_t length, std::int64_t null_count,
                   std::int64_t n_buffers, ArrowArray* out) noexcept {
  *out = ArrowArray{};
  out->length = static_cast<std::int64_t>(length);
  out->null_count = null_count;
  out->offset = 0;
  out->n_buffers = n_buffers;
  out->n_children = static_cast<std::int64_t>(node->children.size());
  out->buffers = node->buffers.data();
  out->children = node->child_pointers.empty() ? nullptr : node->child_pointers.data();
  out->dictionary = node->dictionary.get();
  out->release = &release_array;
  out->private_data = node.release();
}

// Makes room for `count` children, so that adding them cannot fail half-way.
template <class Node>
void reserve_children(Node& node, std::size_t count) {
  node.children.reserve(count);
  node.child_pointers.reserve(count);
}
template <class Node>
auto* add_child(Node& node) {
  using element = typename decltype(node.children)::value_type::element_type;
  node.children.push_back(std::make_unique<element>());  // value-initialised: released
  node.child_pointers.push_back(node.children.back().get());
  return node.children.back().get();
}

// How a column appears in Arrow: the format of its values (of its indices when it is
// dictionary-encoded, with utf8 values), and whether it can hold nulls.
struct arrow_column_kind {
  const char* format;
  bool dictionary_encoded;
  bool nullable;
};

template <class Element>
constexpr arrow_column_kind arrow_kind_of(column_type type) {
  switch (type) {
    case column_type::day: return {"tdD", false, true};           // date32
    case column_type::category: return {"c", true, true};         // int8 indices
    case column_type::code: return {"i", true, true};             // int32 indices
    case column_type::optional_int32: return {"i", false, true};  // int32 with nulls
    case column_type::flag: return {"b", false, false};           // bool
    default: break;  // a plain number: the element type says which
  }
  if constexpr (std::is_same_v<Element, std::int8_t>)
    return {"c", false, false};
  else if constexpr (std::is_same_v<Element, std::uint8_t>)
    return {"C", false, false};
  else if constexpr (std::is_same_v<Element, std::int16_t>)
    return {"s", false, false};
  else if constexpr (std::is_same_v<Element, std::int32_t>)
    return {"i", false, false};
  else if constexpr (std::is_same_v<Element, float>)
    return {"f", false, false};
  else if constexpr (std::is_same_v<Element, double>)
    return {"g", false, false};
  else
    static_assert(std::is_same_v<Element, void>, "a column type the Arrow export lacks");
}

// The sentinel that marks a missing value in a column of `type`, if it has one (NaN stays a value
// of a float column, as in pandas' float64).
template <class Element>
std::optional<Element> arrow_sentinel(column_type type) {
  if constexpr (std::is_same_v<Element, std::int32_t>) {
    if (type == column_type::day) return missing_day;
    if (type == column_type::code) return missing_code;
    if (type == column_type::optional_int32) return missing_number;
  } else if constexpr (std::is_same_v<Element, std::int8_t>) {
    if (type == column_type::category) return missing_category;
  }
  return std::nullopt;
}

void add_column_schema(schema_node& parent, std::string_view name, arrow_column_kind kind) {
  auto node = std::make_unique<schema_node>(kind.format, std::string(name));
  if (kind.dictionary_encoded) {
    node->dictionary = std::make_unique<ArrowSchema>();
    publish_schema(std::make_unique<schema_node>("u", ""), 0, node->dictionary.get());
  }
  publish_schema(std::move(node), kind.nullable ? ARROW_FLAG_NULLABLE : 0, add_child(parent));
}

template <class Table>
void add_table_schema(const Table& table, schema_node& root) {
  reserve_children(root, std::tuple_size_v<decltype(table_traits<Table>::columns)> + 1);
  // A table grouped by course shows the course of each row first, as Cohort.arrays does.
  if constexpr (grouped_by_course<Table>)
    add_column_schema(root, "course", arrow_kind_of<std::int32_t>(column_type::code));
  for_each_column(table, [&](const auto& info, const auto& values) {
    using element = typename std::decay_t<decltype(values)>::value_type;
    add_column_schema(root, info.name, arrow_kind_of<element>(info.type));
  });
}

// The validity bitmap of `values` with `missing` as null, and the number of nulls; no bitmap
// when nothing is missing.
template <class Element>
std::int64_t make_validity(const std::vector<Element>& values, Element missing,
                           std::vector<std::uint8_t>& bitmap) {
  const auto nulls = std::count(values.begin(), values.end(), missing);
  if (nulls == 0) return 0;
  bitmap.assign((values.size() + 7) / 8, 0);
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i] != missing) bitmap[i / 8] |= static_cast<std::uint8_t>(1U << (i % 8));
  return static_cast<std::int64_t>(nulls);
}

// A utf8 array of an enum's names (a few short strings, copied).
void export_names(const std::shared_ptr<const cohort>& source,
                  std::span<const std::string_view> names, ArrowArray* out) {
  auto node = std::make_unique<array_node>(source);
  node->numbers.reserve(names.size() + 1);
  node->numbers.push_back(0);
  for (const auto name : names) {
    node->characters += name;
    node->numbers.push_back(static_cast<std::int32_t>(node->characters.size()));
  }
  node->buffers = {nullptr, node->numbers.data(), non_null(node->characters.data())};
  publish_array(std::move(node), names.size(), 0, 3, out);
}

// A utf8 array of a cohort's dictionary, which stores its strings as Arrow's utf8 does: no copy.
void export_dictionary(const std::shared_ptr<const cohort>& source,
                       const string_dictionary& dictionary, ArrowArray* out) {
  auto node = std::make_unique<array_node>(source);
  node->buffers = {nullptr, non_null(dictionary.offsets().data()),
                   non_null(dictionary.data().data())};
  publish_array(std::move(node), dictionary.size(), 0, 3, out);
}

// A column: its values where they are, with a validity bitmap made from the sentinels.
template <class Table, class Element>
void export_column(const std::shared_ptr<const cohort>& source,
                   const column_info<Table, Element>& info, const std::vector<Element>& values,
                   ArrowArray* out) {
  auto node = std::make_unique<array_node>(source);
  std::int64_t nulls = 0;
  if constexpr (std::is_same_v<Element, std::uint8_t>) {
    if (info.type == column_type::flag) {
      node->bits.assign((values.size() + 7) / 8, 0);
      for (std::size_t i = 0; i < values.size(); ++i)
        if (values[i] != 0) node->bits[i / 8] |= static_cast<std::uint8_t>(1U << (i % 8));
      node->buffers = {nullptr, non_null(node->bits.data())};
      publish_array(std::move(node), values.size(), 0, 2, out);
      return;
    }
  }
  if (const auto missing = arrow_sentinel<Element>(info.type))
    nulls = make_validity(values, *missing, node->validity);
  node->buffers = {nulls > 0 ? node->validity.data() : nullptr, non_null(values.data())};
  if (info.type == column_type::category) {
    node->dictionary = std::make_unique<ArrowArray>();
    export_names(source, info.categories, node->dictionary.get());
  } else if (info.type == column_type::code) {
    node->dictionary = std::make_unique<ArrowArray>();
    export_dictionary(source, source->dictionary(info.dictionary), node->dictionary.get());
  }
  publish_array(std::move(node), values.size(), nulls, 2, out);
}

// The course of each row of a child table, from its offsets: the one column that is made, not
// viewed.
void export_course_codes(const std::shared_ptr<const cohort>& source,
                         std::span<const std::int32_t> offsets, ArrowArray* out) {
  auto node = std::make_unique<array_node>(source);
  node->numbers = course_codes(offsets);
  node->buffers = {nullptr, non_null(node->numbers.data())};
  node->dictionary = std::make_unique<ArrowArray>();
  export_dictionary(source, source->dictionary(dictionary_kind::course), node->dictionary.get());
  const std::size_t rows = node->numbers.size();
  publish_array(std::move(node), rows, 0, 2, out);
}

template <class Table>
void add_table_arrays(const std::shared_ptr<const cohort>& source, const Table& table,
                      array_node& root) {
  reserve_children(root, std::tuple_size_v<decltype(table_traits<Table>::columns)> + 1);
  if constexpr (grouped_by_course<Table>)
    export_course_codes(source, table.offsets, add_child(root));
  for_each_column(table, [&](const auto& info, const auto& values) {
    export_column(source, info, values, add_child(root));
  });
}

// The schema of table `name`: a struct with one child per column.
void export_schema(const cohort& c, std::string_view name, ArrowSchema* out) {
  auto root = std::make_unique<schema_node>("+s", "");
  with_cohort_table(c, name, [&](const auto& table) { add_table_schema(table, *root); });
  publish_schema(std::move(root), 0, out);
}

// All rows of table `name` as one struct array.
void export_rows(const std::shared_ptr<const cohort>& source, std::string_view name,
                 ArrowArray* out) {
  auto root = std::make_unique<array_node>(source);
  std::size_t rows = 0;
  with_cohort_table(*source, name, [&](const auto& table) {
    rows = row_count(table);
    add_table_arrays(source, table, *root);
  });
  root->buffers = {nullptr};  // no nulls at the top: a struct's validity buffer is null
  publish_array(std::move(root), rows, 0, 1, out);
}

// The stream of one table: its one array, then the end.
struct stream_state {
  live_node counted;
  std::shared_ptr<const cohort> source;
  std::string table;
  bool finished = false;
  std::string last_error;
};

void set_last_error(stream_state& state, const char* message) noexcept {
  try {
    state.last_error = message;
  } catch (...) {
    state.last_error.clear();  // no message then: get_last_error returns NULL
  }
}

// Runs `action` for a stream callback: an exception becomes an errno code, and its message the
// stream's last error (nothing may unwind into the consumer's C code).
template <class Action>
int guarded_stream_call(stream_state& state, Action&& action) noexcept {
  state.last_error.clear();
  try {
    action();
    return 0;
  } catch (const std::bad_alloc&) {
    set_last_error(state, "out of memory");
    return ENOMEM;
  } catch (const std::exception& e) {
    set_last_error(state, e.what());
    return EINVAL;
  } catch (...) {
    set_last_error(state, "an unknown error");
    return EINVAL;
  }
}

stream_state& state_of(ArrowArrayStream* stream) noexcept {
  return *static_cast<stream_state*>(stream->private_data);
}

int stream_get_schema(ArrowArrayStream* stream, ArrowSchema* out) noexcept {
  stream_state& state = state_of(stream);
  return guarded_stream_call(state, [&] { export_schema(*state.source, state.table, out); });
}

int stream_get_next(ArrowArrayStream* stream, ArrowArray* out) noexcept {
  stream_state& state = state_of(stream);
  if (state.finished) {
    *out = ArrowArray{};  // released: the end of the stream
    return 0;
  }
  return guarded_stream_call(state, [&] {
    export_rows(state.source, state.table, out);
    state.finished = true;
  });
}

const char* stream_last_error(ArrowArrayStream* stream) noexcept {
  const stream_state& state = state_of(stream);
  return state.last_error.empty() ? nullptr : state.last_error.c_str();
}

void release_stream(ArrowArrayStream* stream) noexcept {
  const std::unique_ptr<stream_state> state(&state_of(stream));
  stream->release = nullptr;
}

// A struct that a PyCapsule owns: released (if the consumer did not move it out) and freed when
// the capsule goes.
struct release_and_free {
  template <class Struct>
  void operator()(Struct* exported) const noexcept {
    if (exported->release != nullptr) exported->release(exported);
    const std::unique_ptr<Struct> memory(exported);
  }
};
using owned_schema = std::unique_ptr<ArrowSchema, release_and_free>;
using owned_stream = std::unique_ptr<ArrowArrayStream, release_and_free>;

void free_schema_capsule(PyObject* capsule) noexcept {
  if (auto* schema = static_cast<ArrowSchema*>(PyCapsule_GetPointer(capsule, "arrow_schema")))
    release_and_free{}(schema);
  else
    PyErr_WriteUnraisable(capsule);
}

void free_stream_capsule(PyObject* capsule) noexcept {
  if (auto* stream =
          static_cast<ArrowArrayStream*>(PyCapsule_GetPointer(capsule, "arrow_array_stream")))
    release_and_free{}(stream);
  else
    PyErr_WriteUnraisable(capsule);
}

template <class Struct>
py::capsule make_capsule(std::unique_ptr<Struct, release_and_free> exported, const char* name,
                         PyCapsule_Destructor destructor) {
  PyObject* capsule = PyCapsule_New(exported.get(), name, destructor);
  if (capsule == nullptr) throw py::error_already_set();
  static_cast<void>(exported.release());  // the capsule owns it now
  return py::reinterpret_steal<py::capsule>(capsule);
}

std::string format_of(const ArrowSchema& schema) {
  return schema.format != nullptr ? schema.format : "";
}
std::string name_of(const ArrowSchema& schema) {
  return schema.name != nullptr ? schema.name : "";
}

// The first difference between a requested schema and ours (nothing when they are equal): the
// formats, the column names, nullability and order flags, and the dictionaries.
std::optional<std::string> schema_difference(const ArrowSchema& requested, const ArrowSchema& ours,
                                             const std::string& where) {
  const auto flags_of = [](const ArrowSchema& s) {
    return s.flags & (ARROW_FLAG_NULLABLE | ARROW_FLAG_DICTIONARY_ORDERED);
  };
  if (format_of(requested) != format_of(ours)) {
    return where + " as \"" + format_of(requested) + "\" where the table has \"" + format_of(ours) +
           "\"";
  }
  if (requested.n_children != ours.n_children) {
    return where + " with " + std::to_string(requested.n_children) +
           " columns where the table has " + std::to_string(ours.n_children);
  }
  const auto n = static_cast<std::size_t>(ours.n_children);
  const std::span<ArrowSchema* const> requested_children(requested.children, n);
  const std::span<ArrowSchema* const> our_children(ours.children, n);
  for (std::size_t i = 0; i < n; ++i) {
    const ArrowSchema& r = *requested_children[i];
    const ArrowSchema& o = *our_children[i];
    const std::string column = "column " + std::to_string(i) + " (\"" + name_of(o) + "\")";
    if (name_of(r) != name_of(o)) return column + " named \"" + name_of(r) + "\"";
    if (flags_of(r) != flags_of(o)) {
      return column + " with flags " + std::to_string(flags_of(r)) + " where the table has " +
             std::to_string(flags_of(o));
    }
    if (auto difference = schema_difference(r, o, column)) return difference;
  }
  if ((requested.dictionary == nullptr) != (ours.dictionary == nullptr)) {
    return where + (ours.dictionary != nullptr ? " without" : " with") + " a dictionary";
  }
  if (ours.dictionary != nullptr)
    return schema_difference(*requested.dictionary, *ours.dictionary, where + "'s dictionary");
  return std::nullopt;
}

// Checks a consumer's requested_schema: None, or a schema equal to the table's (the export has
// one schema per table and converts nothing).
void check_requested_schema(const cohort& c, const std::string& table,
                            const py::object& requested) {
  if (requested.is_none()) return;
  if (PyCapsule_IsValid(requested.ptr(), "arrow_schema") == 0) {
    throw invalid_value_error("requested_schema", python_value_text(requested),
                              "expected None or a PyCapsule named \"arrow_schema\"");
  }
  const auto* wanted =
      static_cast<const ArrowSchema*>(PyCapsule_GetPointer(requested.ptr(), "arrow_schema"));
  if (wanted == nullptr || wanted->release == nullptr) {
    throw invalid_value_error("requested_schema", "a released ArrowSchema",
                              "expected a schema that was not consumed yet");
  }
  const owned_schema ours(std::make_unique<ArrowSchema>().release());
  export_schema(c, table, ours.get());
  if (const auto difference = schema_difference(*wanted, *ours, "the table")) {
    throw invalid_value_error("requested_schema", *difference,
                              "the table \"" + table +
                                  "\" is exported in its own schema only (read it as it is, "
                                  "then cast)");
  }
}

}  // namespace mentorcore::python::arrow_export

namespace mentorcore::python {

void register_arrow(py::module_& m) {
  namespace ax = arrow_export;
  // The methods join the Cohort class of register_cohort.cpp.
  auto cls = py::reinterpret_borrow<py::class_<cohort, std::shared_ptr<cohort>>>(m.attr("Cohort"));
  cls.def(
         "arrow_schema",
         [](const std::shared_ptr<cohort>& self, const std::string& table) {
           ax::owned_schema schema(std::make_unique<ArrowSchema>().release());
           ax::export_schema(*self, table, schema.get());
           return ax::make_capsule(std::move(schema), "arrow_schema", &ax::free_schema_capsule);
         },
         py::arg("table"),
         "The schema of `table` (a struct of its columns) in a PyCapsule \"arrow_schema\".")
      .def(
          "arrow_stream",
          [](const std::shared_ptr<cohort>& self, const std::string& table,
             const py::object& requested_schema) {
            with_cohort_table(*self, table, [](const auto&) {});  // the name, now
            ax::check_requested_schema(*self, table, requested_schema);
            ax::owned_stream stream(std::make_unique<ArrowArrayStream>().release());
            auto state = std::make_unique<ax::stream_state>();
            state->source = self;
            state->table = table;
            stream->get_schema = &ax::stream_get_schema;
            stream->get_next = &ax::stream_get_next;
            stream->get_last_error = &ax::stream_last_error;
            stream->private_data = state.release();
            stream->release = &ax::release_stream;
            return ax::make_capsule(std::move(stream), "arrow_array_stream",
                                    &ax::free_stream_capsule);
          },
          py::arg("table"), py::arg("requested_schema") = py::none(),
          "A stream of `table`'s rows (one struct array, viewing the cohort's columns) in a "
          "PyCapsule \"arrow_array_stream\"; requested_schema must be None or the table's own.")
      .def_static(
          "arrow_nodes_alive", [] { return ax::live_nodes().load(); },
          "The exported Arrow schemas, arrays and streams (each node) not released yet.");
}

}  // namespace mentorcore::python
