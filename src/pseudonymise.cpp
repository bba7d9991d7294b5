// Pseudonymisation at the edge: a CPR number becomes a citizen key (HMAC-SHA256 with OpenSSL)
// as it is read, and the number itself is never stored, written or shown in an error.

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "mentorcore/date.hpp"
#include "mentorcore/error.hpp"
#include "mentorcore/interchange.hpp"

namespace mentorcore {

namespace {

// The ten digits of a CPR number, validated; errors never contain the number.
std::string cpr_digits(std::string_view cpr) {
  std::string digits;
  for (std::size_t i = 0; i < cpr.size(); ++i) {
    const char c = cpr[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (!(c == '-' && i == 6)) {
      throw invalid_value_error("cpr", "[withheld]",
                                "not a CPR number: expected DDMMYYSSSS or DDMMYY-SSSS");
    }
  }
  if (digits.size() != 10) {
    throw invalid_value_error("cpr", "[withheld]", "not a CPR number: expected ten digits");
  }
  const auto two = [&](std::size_t at) { return (digits[at] - '0') * 10 + (digits[at + 1] - '0'); };
  const int day = two(0);
  const int month = two(2);
  const int yy = two(4);
  const int seventh = digits[6] - '0';
  // The century follows from the seventh digit (CPR-kontoret's table).
  int century = 1900;
  if ((seventh == 4 || seventh == 9) && yy <= 36) century = 2000;
  if (seventh >= 5 && seventh <= 8) century = yy <= 57 ? 2000 : 1800;
  try {
    (void)date(static_cast<unsigned short>(century + yy), static_cast<unsigned short>(month),
               static_cast<unsigned short>(day));
  } catch (const std::out_of_range&) {
    throw invalid_value_error("cpr", "[withheld]",
                              "not a CPR number: the first six digits are not a real date");
  }
  return digits;
}

}  // namespace

pseudonymiser::pseudonymiser(std::string key) : key_(std::move(key)) {
  if (key_.size() < 16) {
    throw invalid_value_error("pseudonym_key", "[withheld]",
                              "a pseudonymisation key has at least 16 bytes");
  }
}

std::optional<pseudonymiser> pseudonymiser::from_environment() {
  const char* value = std::getenv("MENTORCORE_PSEUDONYM_KEY");
  if (!value || *value == '\0') return std::nullopt;
  return pseudonymiser(value);
}

citizen_key pseudonymiser::citizen_for(std::string_view cpr) const {
  const std::string digits = cpr_digits(cpr);
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL's C API takes bytes
  const auto* bytes = reinterpret_cast<const unsigned char*>(digits.data());
  if (!HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()), bytes, digits.size(),
            mac.data(), &length)) {
    throw error("HMAC-SHA256 failed");
  }
  std::string key = "P-";
  for (std::size_t i = 0; i < 16; ++i) {
    key += static_cast<char>('a' + (mac[i] >> 4));
    key += static_cast<char>('a' + (mac[i] & 0x0f));
  }
  return citizen_key(key);
}

}  // namespace mentorcore
