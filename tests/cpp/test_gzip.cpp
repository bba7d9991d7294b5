// gzip and gunzip (src/, private), which the event-log reader and writers share.
#include "gzip.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "mentorcore/error.hpp"

using namespace mentorcore::detail;

TEST_CASE("gzip is deterministic and gunzip reverses it, concatenated members too", "[gzip]") {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "{\"line\":" + std::to_string(i) + "}\n";
  const std::string packed = gzip(text);
  CHECK(is_gzip(packed));
  CHECK_FALSE(is_gzip(text));
  CHECK_FALSE(is_gzip(""));
  CHECK(packed == gzip(text));  // no timestamp or name in the header
  CHECK(packed.size() < text.size() / 4);
  CHECK(gunzip(packed, "a.gz") == text);
  // The synthetic writer compresses blocks separately: their members are one stream.
  CHECK(gunzip(gzip("one\n") + gzip("") + gzip("two\n"), "blocks.gz") == "one\ntwo\n");
  CHECK(gunzip(gzip(""), "empty.gz").empty());
}

TEST_CASE("gunzip names the source of truncated or corrupt data", "[gzip]") {
  const std::string packed = gzip(std::string(10000, 'x') + "end");
  CHECK_THROWS_AS(gunzip(packed.substr(0, packed.size() / 2), "cut.gz"), mentorcore::parse_error);
  CHECK_THROWS_WITH(gunzip(packed.substr(0, packed.size() - 4), "cut.gz"),
                    Catch::Contains("cut.gz") && Catch::Contains("truncated gzip"));
  std::string corrupt = packed;
  corrupt[12] = static_cast<char>(corrupt[12] ^ 0x55);
  corrupt[13] = static_cast<char>(corrupt[13] ^ 0x55);
  CHECK_THROWS_WITH(gunzip(corrupt, "bad.gz"), Catch::Contains("bad.gz"));
}
