#include "gzip.hpp"

// zlib then takes its input as const bytes (z_const), so no const_cast is needed.
#define ZLIB_CONST
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <utility>

#if MENTORCORE_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

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

std::span<const gunzip_backend> gunzip_backends() {
#if MENTORCORE_HAVE_ISAL
  static constexpr std::array backends{gunzip_backend::isal, gunzip_backend::zlib};
#else
  static constexpr std::array backends{gunzip_backend::zlib};
#endif
  return backends;
}

std::string gunzip(std::string_view data, std::string_view source, gunzip_backend backend) {
  gunzip_stream stream(std::string(source), backend);
  std::string out;
  std::array<char, 1 << 16> buffer{};
  while (const std::size_t made = stream.read(data, true, buffer)) out.append(buffer.data(), made);
  return out;
}

// One call of a member's decoder: the input it took, the output it wrote, and how it stopped.
struct inflate_step {
  enum class outcome {
    going,        // more may follow from more input or more room
    member_end,   // the member (and its checksum) is complete
    no_progress,  // nothing taken or written: it needs input that is not there
    corrupt,
  };
  std::size_t used = 0;
  std::size_t made = 0;
  outcome how = outcome::going;
};

class gunzip_inflater {
 public:
  gunzip_inflater() = default;
  gunzip_inflater(const gunzip_inflater&) = delete;
  gunzip_inflater& operator=(const gunzip_inflater&) = delete;
  gunzip_inflater(gunzip_inflater&&) = delete;
  gunzip_inflater& operator=(gunzip_inflater&&) = delete;
  virtual ~gunzip_inflater() = default;
  /// Ready for the next member.
  virtual void restart() = 0;
  /// Decodes from `input` into `out` (each at most 2^32 - 1 bytes).
  virtual inflate_step decode(std::string_view input, std::span<char> out) = 0;
};

namespace {

class zlib_inflater final : public gunzip_inflater {
 public:
  explicit zlib_inflater(const std::string& source) {
    // windowBits 15 + 32: a gzip (or zlib) header, told from its first bytes.
    if (inflateInit2(&stream_, 15 + 32) != Z_OK)
      throw parse_error(source, 0, "", "cannot start gzip decoding");
  }
  zlib_inflater(const zlib_inflater&) = delete;
  zlib_inflater& operator=(const zlib_inflater&) = delete;
  zlib_inflater(zlib_inflater&&) = delete;
  zlib_inflater& operator=(zlib_inflater&&) = delete;
  ~zlib_inflater() override { inflateEnd(&stream_); }

  void restart() override { inflateReset(&stream_); }

  inflate_step decode(std::string_view input, std::span<char> out) override {
    stream_.next_in = zlib_bytes(input.data());
    stream_.avail_in = static_cast<uInt>(input.size());
    stream_.next_out = zlib_bytes(out.data());
    stream_.avail_out = static_cast<uInt>(out.size());
    const int status = inflate(&stream_, Z_NO_FLUSH);
    inflate_step step{input.size() - stream_.avail_in, out.size() - stream_.avail_out};
    if (status == Z_STREAM_END)
      step.how = inflate_step::outcome::member_end;
    else if (status == Z_BUF_ERROR)
      step.how = inflate_step::outcome::no_progress;
    else if (status != Z_OK)
      step.how = inflate_step::outcome::corrupt;
    return step;
  }

 private:
  z_stream stream_{};
};

#if MENTORCORE_HAVE_ISAL
// ISA-L's C API takes bytes as uint8_t; char and unsigned char may alias each other.
std::uint8_t* isal_bytes(const char* bytes) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast,cppcoreguidelines-pro-type-reinterpret-cast)
  return reinterpret_cast<std::uint8_t*>(const_cast<char*>(bytes));  // only read: next_in
}

class isal_inflater final : public gunzip_inflater {
 public:
  isal_inflater() : state_(std::make_unique<inflate_state>()) { restart(); }

  void restart() override {
    isal_inflate_init(state_.get());
    state_->crc_flag = ISAL_GZIP;  // parse the gzip header; check the trailer's CRC and size
  }

  inflate_step decode(std::string_view input, std::span<char> out) override {
    inflate_state& state = *state_;
    state.next_in = isal_bytes(input.data());
    state.avail_in = static_cast<std::uint32_t>(input.size());
    state.next_out = isal_bytes(out.data());
    state.avail_out = static_cast<std::uint32_t>(out.size());
    const int status = isal_inflate(&state);
    inflate_step step{input.size() - state.avail_in, out.size() - state.avail_out};
    if (status != ISAL_DECOMP_OK) {
      step.how = inflate_step::outcome::corrupt;
    } else if (state.block_state == ISAL_BLOCK_FINISH) {
      // Whole bytes still in the bit buffer are the next member's: give them back. ISA-L (2.30
      // on) leaves none there after a gzip trailer; were there more than this call took, the
      // next member would start short and be refused as corrupt, never misread.
      const std::size_t held = static_cast<std::size_t>(state.read_in_length) / 8;
      if (held <= step.used) step.used -= held;
      step.how = inflate_step::outcome::member_end;
    } else if (step.used == 0 && step.made == 0) {
      step.how = inflate_step::outcome::no_progress;
    }
    return step;
  }

 private:
  std::unique_ptr<inflate_state> state_;  // some 40 KB with its buffers: not on the stack
};
#endif

std::unique_ptr<gunzip_inflater> make_inflater(gunzip_backend backend, const std::string& source) {
#if MENTORCORE_HAVE_ISAL
  if (backend == gunzip_backend::isal) return std::make_unique<isal_inflater>();
#endif
  if (backend == gunzip_backend::zlib) return std::make_unique<zlib_inflater>(source);
  throw error("this build of mentorcore cannot inflate gzip with ISA-L");
}

}  // namespace

gunzip_stream::gunzip_stream(std::string source, gunzip_backend backend)
    : inflater_(make_inflater(backend, source)), source_(std::move(source)) {}

gunzip_stream::~gunzip_stream() = default;

std::size_t gunzip_stream::read(std::string_view& input, bool input_ends, std::span<char> out) {
  // What one call of either decoder takes and gives at most (zlib's uInt, ISA-L's uint32_t).
  constexpr std::size_t most = std::numeric_limits<std::uint32_t>::max();
  std::size_t written = 0;
  while (written < out.size()) {
    if (member_ended_) {
      if (input.empty()) break;  // the end of the data, or of what has arrived so far
      // What follows a member is another member or nothing. Said here for both backends: ISA-L
      // would wait for a whole header before looking, and call a short tail "truncated".
      if (!is_gzip(input.substr(0, 2)) && !(input.size() == 1 && input[0] == '\x1f'))
        throw parse_error(source_, 0, "", "corrupt gzip data");
      inflater_->restart();  // concatenated gzip members are one stream
      member_ended_ = false;
    }
    const auto room = out.subspan(written, std::min(out.size() - written, most));
    const inflate_step step = inflater_->decode(input.substr(0, most), room);
    input.remove_prefix(step.used);
    written += step.made;
    switch (step.how) {
      case inflate_step::outcome::member_end: member_ended_ = true; break;
      case inflate_step::outcome::corrupt: throw parse_error(source_, 0, "", "corrupt gzip data");
      case inflate_step::outcome::no_progress:
        // Nothing more without more input (the output had room).
        if (!input.empty()) throw parse_error(source_, 0, "", "corrupt gzip data");
        if (!input_ends) return written;
        throw parse_error(source_, 0, "", "truncated gzip data: the file ends mid-stream");
      case inflate_step::outcome::going:
        // All the input is used and what it held is written: wait for more, if more comes.
        if (input.empty() && !input_ends) return written;
        break;
    }
  }
  return written;
}

}  // namespace mentorcore::detail
