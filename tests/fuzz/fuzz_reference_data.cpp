// libFuzzer target for reference data read from JSON (reference_data::from_json: files given to
// `validate --reference`, ReferenceData.from_json, and the reference data a pickle carries). Any
// input must either read or throw a mentorcore::error; what reads must write and read back
// equal. Anything else (another exception, a crash, a sanitizer report) is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <mentorcore/reference_data.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto read = mentorcore::reference_data::from_json(text, "fuzz");
    const auto again = mentorcore::reference_data::from_json(read.to_json(), "fuzz-rewritten");
    if (!(again == read)) __builtin_trap();
  } catch (const mentorcore::error&) {
  }
  return 0;
}
