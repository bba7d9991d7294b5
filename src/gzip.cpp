#include "gzip.hpp"

// zlib then takes its input as const bytes (z_const), so no const_cast is needed.
#define ZLIB_CONST
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <utility>

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

struct gunzip_stream::state {
  z_stream stream{};
  bool member_ended = false;  // a member ended: more input starts the next one
};

gunzip_stream::gunzip_stream(std::string source)
    : state_(std::make_unique<state>()), source_(std::move(source)) {
  if (inflateInit2(&state_->stream, 15 + 32) != Z_OK)
    throw parse_error(source_, 0, "", "cannot start gzip decoding");
}

gunzip_stream::~gunzip_stream() {
  inflateEnd(&state_->stream);
}

std::size_t gunzip_stream::read(std::string_view& input, bool input_ends, std::span<char> out) {
  z_stream& stream = state_->stream;
  constexpr std::size_t most = std::size_t{1} << 30;  // what one zlib call takes (a uInt)
  std::size_t written = 0;
  while (written < out.size()) {
    if (state_->member_ended) {
      if (input.empty()) break;  // the end of the data, or of what has arrived so far
      inflateReset(&stream);     // concatenated gzip members are one stream
      state_->member_ended = false;
    }
    const std::size_t offered = std::min(input.size(), most);
    const std::size_t room = std::min(out.size() - written, most);
    stream.next_in = zlib_bytes(input.data());
    stream.avail_in = static_cast<uInt>(offered);
    stream.next_out = zlib_bytes(out.subspan(written).data());
    stream.avail_out = static_cast<uInt>(room);
    const int status = inflate(&stream, Z_NO_FLUSH);
    input.remove_prefix(offered - stream.avail_in);
    written += room - stream.avail_out;
    if (status == Z_STREAM_END) {
      state_->member_ended = true;
    } else if (status == Z_BUF_ERROR || (status == Z_OK && stream.avail_in == 0 && input.empty())) {
      // No progress without more input (the output had room).
      if (!input.empty()) throw parse_error(source_, 0, "", "corrupt gzip data");
      if (!input_ends) break;
      if (status == Z_BUF_ERROR)
        throw parse_error(source_, 0, "", "truncated gzip data: the file ends mid-stream");
    } else if (status != Z_OK) {
      throw parse_error(source_, 0, "", "corrupt gzip data");
    }
  }
  return written;
}

}  // namespace mentorcore::detail
