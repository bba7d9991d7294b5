// The tolerant scan of collect mode: the course a line names, even when the line is not JSON.

#include "log_attribution.hpp"

#include <algorithm>
#include <utility>

#include "mentorcore/error.hpp"
#include "mentorcore/ids.hpp"

namespace mentorcore::detail {

std::vector<std::string> scan_line_for_course_ids(std::string_view raw) {
  std::vector<std::string> found;
  const std::size_t n = raw.size();
  // The end of the string that starts at raw[at] == '"' (the closing quote), or n; whether it
  // has escapes.
  const auto string_end = [&](std::size_t at, bool& escaped) {
    std::size_t i = at + 1;
    escaped = false;
    while (i < n && raw[i] != '"') {
      if (raw[i] == '\\') {
        escaped = true;
        ++i;
      }
      ++i;
    }
    return std::min(i, n);
  };
  const auto skip_space = [&](std::size_t i) {
    while (i < n && (raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\r')) ++i;
    return i;
  };
  int depth = 0;
  std::size_t i = 0;
  while (i < n) {
    const char c = raw[i];
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') --depth;
    if (c != '"') {
      ++i;
      continue;
    }
    bool escaped = false;
    const std::size_t close = string_end(i, escaped);
    if (close >= n) break;  // cut short inside a string
    const std::string_view key = raw.substr(i + 1, close - i - 1);
    i = close + 1;
    if (depth != 1 || escaped || key != "course") continue;
    std::size_t at = skip_space(i);
    if (at >= n || raw[at] != ':') continue;
    at = skip_space(at + 1);
    if (at >= n || raw[at] != '"') continue;
    const std::size_t value_end = string_end(at, escaped);
    if (value_end >= n || escaped) continue;
    std::string id(raw.substr(at + 1, value_end - at - 1));
    try {
      (void)course_id(id, "course");
    } catch (const invalid_value_error&) {
      continue;  // not an id: it names no course
    }
    if (std::find(found.begin(), found.end(), id) == found.end()) found.push_back(std::move(id));
  }
  return found;
}

}  // namespace mentorcore::detail
