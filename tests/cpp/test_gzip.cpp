// gzip and gunzip (src/, private), which the event-log reader and writers share. Every gunzip case
// runs on each backend this build has (zlib, and ISA-L where it was found): they must agree on
// every byte and every error.
#include "gzip.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "mentorcore/error.hpp"

using namespace mentorcore::detail;

namespace {

const char* backend_name(gunzip_backend backend) {
  return backend == gunzip_backend::isal ? "ISA-L" : "zlib";
}

// Inflates `packed` as the log reader does: the input arrives `piece` bytes at a time, in one
// buffer that is overwritten with other bytes before the next piece (so a decoder that kept a
// pointer into old input would read garbage), and the output goes out `room` bytes at a time.
std::string gunzip_in_pieces(std::string_view packed, std::size_t piece, std::size_t room,
                             gunzip_backend backend) {
  gunzip_stream stream("pieces.gz", backend);
  std::string out;
  std::vector<char> space(room);
  std::string buffer;
  std::string_view pending;
  std::size_t offered = 0;
  for (std::size_t calls = 0;; ++calls) {
    if (calls > 4 * (packed.size() + out.size()) + 16) FAIL("no progress");
    if (pending.empty() && offered < packed.size()) {
      buffer.assign(buffer.size(), '\xAA');
      buffer.assign(packed.substr(offered, piece));
      pending = buffer;
      offered += buffer.size();
    }
    const bool ends = offered == packed.size();
    const std::size_t made = stream.read(pending, ends, space);
    out.append(space.data(), made);
    if (made == 0) {
      if (!pending.empty()) FAIL("0 bytes while input is waiting");  // 0: it needs more input
      if (ends) return out;
    }
  }
}

// The bytes of a pseudo-random text: compressible lines, then bytes that do not compress, which
// deflate stores as they are (another kind of block).
std::string mixed_text(std::size_t lines, std::size_t random_bytes, unsigned seed) {
  std::string text;
  for (std::size_t i = 0; i < lines; ++i) text += "{\"line\":" + std::to_string(i * seed) + "}\n";
  std::mt19937 random(seed);
  for (std::size_t i = 0; i < random_bytes; ++i) text += static_cast<char>(random() & 0xFF);
  return text;
}

// What gunzip gives, or its error message.
std::string outcome_of(std::string_view packed, gunzip_backend backend) {
  try {
    return "data:" + gunzip(packed, "x.gz", backend);
  } catch (const mentorcore::parse_error& e) {
    return std::string("error:") + e.what();
  }
}

}  // namespace

TEST_CASE("gzip is deterministic and gunzip reverses it, concatenated members too", "[gzip]") {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "{\"line\":" + std::to_string(i) + "}\n";
  const std::string packed = gzip(text);
  CHECK(is_gzip(packed));
  CHECK_FALSE(is_gzip(text));
  CHECK_FALSE(is_gzip(""));
  CHECK(packed == gzip(text));  // no timestamp or name in the header
  CHECK(packed.size() < text.size() / 4);
  REQUIRE_FALSE(gunzip_backends().empty());
  CHECK(gunzip_backends().back() == gunzip_backend::zlib);  // always there, the slowest
  for (const gunzip_backend backend : gunzip_backends()) {
    CAPTURE(backend_name(backend));
    CHECK(gunzip(packed, "a.gz", backend) == text);
    // The synthetic writer compresses blocks separately: their members are one stream.
    CHECK(gunzip(gzip("one\n") + gzip("") + gzip("two\n"), "blocks.gz", backend) == "one\ntwo\n");
    CHECK(gunzip(gzip(""), "empty.gz", backend).empty());
  }
}

TEST_CASE("gunzip names the source of truncated or corrupt data", "[gzip]") {
  const std::string packed = gzip(std::string(10000, 'x') + "end");
  for (const gunzip_backend backend : gunzip_backends()) {
    CAPTURE(backend_name(backend));
    CHECK_THROWS_AS(gunzip(packed.substr(0, packed.size() / 2), "cut.gz", backend),
                    mentorcore::parse_error);
    CHECK_THROWS_WITH(gunzip(packed.substr(0, packed.size() - 4), "cut.gz", backend),
                      Catch::Contains("cut.gz") && Catch::Contains("truncated gzip"));
    CHECK_THROWS_WITH(gunzip("", "nothing.gz", backend), Catch::Contains("truncated gzip"));
    std::string corrupt = packed;
    corrupt[12] = static_cast<char>(corrupt[12] ^ 0x55);
    corrupt[13] = static_cast<char>(corrupt[13] ^ 0x55);
    CHECK_THROWS_WITH(gunzip(corrupt, "bad.gz", backend), Catch::Contains("bad.gz"));
    // A changed byte of the text: the member's CRC-32 no longer matches.
    std::string wrong_checksum = packed;
    wrong_checksum[wrong_checksum.size() - 6] ^= 0x01;
    CHECK_THROWS_WITH(gunzip(wrong_checksum, "crc.gz", backend), Catch::Contains("corrupt gzip"));
    // Bytes after the last member that are not another member.
    CHECK_THROWS_WITH(gunzip(packed + "trailing", "tail.gz", backend),
                      Catch::Contains("corrupt gzip"));
    CHECK_THROWS_WITH(gunzip(packed + std::string(8, '\0'), "zeros.gz", backend),
                      Catch::Contains("corrupt gzip"));
  }
}

TEST_CASE("gunzip_stream gives the same bytes however the input and output are cut", "[gzip]") {
  // Members of every kind: empty, one byte, compressible lines, stored (incompressible) bytes,
  // and one larger than the decoders' windows and buffers.
  const std::vector<std::string> texts = {"",
                                          "x",
                                          mixed_text(300, 0, 3),
                                          mixed_text(0, 70'000, 5),
                                          mixed_text(20'000, 5'000, 7),
                                          "",
                                          mixed_text(10, 10, 11)};
  std::string packed;
  std::string text;
  for (const auto& member : texts) {
    packed += gzip(member);
    text += member;
  }
  for (const gunzip_backend backend : gunzip_backends()) {
    CAPTURE(backend_name(backend));
    for (const std::size_t piece :
         {std::size_t{1}, std::size_t{7}, std::size_t{4093}, std::size_t{1} << 20, packed.size()}) {
      for (const std::size_t room :
           {std::size_t{1}, std::size_t{13}, std::size_t{65536}, std::size_t{1} << 22}) {
        // One byte at a time both ways takes long and shows nothing more than 1 and 13.
        if (piece == 1 && room == 1) continue;
        CAPTURE(piece, room);
        CHECK(gunzip_in_pieces(packed, piece, room, backend) == text);
      }
    }
  }
}

TEST_CASE("the backends agree on every cut and every changed byte of a gzip stream", "[gzip]") {
  const std::string first = gzip("alpha\nbeta\n");
  const std::string packed = first + gzip(mixed_text(40, 30, 13));
  const auto backends = gunzip_backends();
  for (std::size_t cut = 0; cut < packed.size(); ++cut) {
    CAPTURE(cut);
    const std::string prefix = packed.substr(0, cut);
    for (const gunzip_backend backend : backends) {
      CAPTURE(backend_name(backend));
      if (cut == first.size()) {
        CHECK(gunzip(prefix, "cut.gz", backend) == "alpha\nbeta\n");  // a whole first member
      } else {
        CHECK_THROWS_WITH(gunzip(prefix, "cut.gz", backend), Catch::Contains("truncated gzip"));
      }
    }
  }
  // A changed byte: every backend refuses it, or every backend reads the same bytes (a header's
  // time or operating system is not checked by anyone).
  for (std::size_t at = 0; at < packed.size(); ++at) {
    CAPTURE(at);
    std::string changed = packed;
    changed[at] = static_cast<char>(changed[at] ^ 0x24);
    const std::string expected = outcome_of(changed, backends.back());
    for (const gunzip_backend backend : backends) {
      CAPTURE(backend_name(backend));
      const std::string got = outcome_of(changed, backend);
      CHECK(got.starts_with("error:") == expected.starts_with("error:"));
      if (!expected.starts_with("error:")) CHECK(got == expected);
    }
  }
}
