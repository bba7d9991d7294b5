#include "gzip.hpp"

// zlib then takes its input as const bytes (z_const), so no const_cast is needed.
#define ZLIB_CONST
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>

#include "mentorcore/error.hpp"

namespace mentorcore::detail {

namespace {

// zlib's C API takes bytes as unsigned char (Bytef); char and unsigned char may alias each other.
const Bytef* zlib_bytes(const char* bytes) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): zlib's C API, see above
  return reinterpret_cast<const Bytef*>(bytes);
}
Bytef* zlib_bytes(char* bytes) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): zlib's C API, see above
  return reinterpret_cast<Bytef*>(bytes);
}

}  // namespace

std::string gzip(std::string_view data) {
  z_stream stream{};
  // windowBits 31: a gzip wrapper with no name and mtime 0, so the same input gives the same bytes.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw error("cannot start gzip encoding");
  }
  std::string out;
  std::array<char, 1 << 16> buffer{};
  std::size_t offset = 0;
  int status = Z_OK;
  do {
    const std::size_t chunk = std::min<std::size_t>(data.size() - offset, 1U << 30);
    stream.next_in = zlib_bytes(data.data() + offset);
    stream.avail_in = static_cast<uInt>(chunk);
    offset += chunk;
    const int flush = offset == data.size() ? Z_FINISH : Z_NO_FLUSH;
    do {
      stream.next_out = zlib_bytes(buffer.data());
      stream.avail_out = static_cast<uInt>(buffer.size());
      status = deflate(&stream, flush);
      out.append(buffer.data(), buffer.size() - stream.avail_out);
    } while (stream.avail_out == 0);
  } while (offset < data.size());
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw error("gzip encoding failed");
  return out;
}

bool is_gzip(std::string_view data) {
  return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b;
}

std::string gunzip(std::string_view data, std::string_view source) {
  const auto fail = [&](std::string_view what) {
    return parse_error(std::string(source), 0, "", what);
  };
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 32) != Z_OK) throw fail("cannot start gzip decoding");
  std::string out;
  std::array<char, 1 << 16> buffer{};
  std::size_t offset = 0;
  for (;;) {
    if (stream.avail_in == 0 && offset < data.size()) {
      const std::size_t chunk = std::min<std::size_t>(data.size() - offset, std::size_t{1} << 30);
      stream.next_in = zlib_bytes(data.data() + offset);
      stream.avail_in = static_cast<uInt>(chunk);
      offset += chunk;
    }
    stream.next_out = zlib_bytes(buffer.data());
    stream.avail_out = static_cast<uInt>(buffer.size());
    const int status = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer.data(), buffer.size() - stream.avail_out);
    if (status == Z_STREAM_END) {
      if (stream.avail_in == 0 && offset >= data.size()) break;
      inflateReset(&stream);  // concatenated gzip members are one stream
      continue;
    }
    if (status == Z_BUF_ERROR && stream.avail_in == 0 && offset >= data.size()) {
      inflateEnd(&stream);
      throw fail("truncated gzip data: the file ends mid-stream");
    }
    if (status != Z_OK && status != Z_BUF_ERROR) {
      inflateEnd(&stream);
      throw fail("corrupt gzip data");
    }
  }
  inflateEnd(&stream);
  return out;
}

}  // namespace mentorcore::detail
