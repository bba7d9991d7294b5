#pragma once
/// \file analytics/cohort_file.hpp
/// A cohort saved to a file and loaded back, in a versioned binary format of mentorcore's own
/// (docs/cohort.md, "Saving and loading"). Compiled in mentorcore::io (it needs zlib's CRC-32):
/// a core-only user who calls these links mentorcore::io.
///
/// The file holds, little-endian: a magic, the format version, the layout of the tables (every
/// table, column, type, dictionary and enum name, so that a file written with another layout is
/// refused by name rather than misread), the dictionaries as Arrow utf8 arrays, and per table its
/// offsets and each column's raw values; every section with its own CRC-32, so corruption is
/// found and named. Loading reads the sections straight into the columns and then checks the
/// whole through assemble_cohort (analytics/cohort_parts.hpp), as Cohort.from_frames does.

#include <cstdint>
#include <string>
#include <string_view>

#include "mentorcore/analytics/cohort.hpp"

namespace mentorcore {

/// The version of the saved-cohort format this library writes, and the only one it reads.
/// Version 2 added the ratings table's `alert` column; a version-1 file lacks what it needs
/// (the instruments' alert rules), so it is refused as older: save it again from its event log.
inline constexpr std::uint32_t cohort_file_version = 2;

/// The first eight bytes of a saved cohort.
inline constexpr std::string_view cohort_file_magic = "MCCOHORT";

/// Writes `c` to `path`: the whole file or nothing (a temporary file beside it, renamed over
/// `path`). Throws error ("cannot write <path>: <reason>") if it cannot.
void save_cohort(const cohort& c, const std::string& path);

/// The cohort saved at `path`. Throws parse_error ("<path>:0: <what is wrong>") for a file that
/// is missing, a directory, empty, not a saved cohort, of an older or a newer format version or
/// another layout, truncated or corrupted (naming the table and column), or whose contents fail
/// assemble_cohort's checks. Nothing of a failed load survives.
[[nodiscard]] cohort load_cohort(const std::string& path);

/// The bytes save_cohort writes (a pickle carries them).
[[nodiscard]] std::string cohort_to_bytes(const cohort& c);

/// The cohort of `bytes` as cohort_to_bytes wrote them; errors as load_cohort's, naming
/// `source`.
[[nodiscard]] cohort cohort_from_bytes(std::string_view bytes,
                                       const std::string& source = "<bytes>");

/// The layout a saved cohort records and is checked against: one line per dictionary kind, table
/// and column ("column contacts.location category home,office,...").
[[nodiscard]] std::string cohort_layout_text();

}  // namespace mentorcore
