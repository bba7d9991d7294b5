// libFuzzer target for the event-log reader: any input must either read or throw a
// mentorcore::error. Anything else (another exception, a crash, a sanitizer report) is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <mentorcore/interchange.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)mentorcore::read_events(text, "fuzz");
  } catch (const mentorcore::error&) {
  }
  mentorcore::read_options collect;
  collect.collect_errors = true;
  collect.pseudonyms = mentorcore::pseudonymiser("fuzzing key of sixteen+ bytes");
  try {
    const auto result = mentorcore::read_events(text, "fuzz", collect);
    // What was read must write and read back the same.
    const auto written = mentorcore::write_events(result.courses);
    const auto again = mentorcore::read_events(written, "fuzz-rewritten", collect);
    if (again.courses != result.courses || !again.rejected.empty()) __builtin_trap();
  } catch (const mentorcore::error&) {
  }
  return 0;
}
