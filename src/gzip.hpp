#pragma once
// gzip compression and decompression, for the event-log reader and writers. zlib compresses;
// ISA-L's igzip inflates where the library was built with it (several times zlib's speed, which
// is what reading a national cohort's gzip log waits on), zlib otherwise.

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace mentorcore::detail {

/// What inflates gzip data. The results are the same; only the speed differs.
enum class gunzip_backend { zlib, isal };

/// The backends this build has, fastest first: the first is the one the reader uses.
[[nodiscard]] std::span<const gunzip_backend> gunzip_backends();

/// One gzip member with no name and mtime 0, so the same input always gives the same bytes.
/// Concatenated members are one gzip stream, which lets blocks be compressed in parallel.
[[nodiscard]] std::string gzip(std::string_view data);

/// Whether `data` starts with the gzip magic bytes.
[[nodiscard]] bool is_gzip(std::string_view data);

/// Decompresses gzip data, concatenated members included. Throws parse_error naming `source`
/// (line 0) if the data is corrupt or truncated.
[[nodiscard]] std::string gunzip(std::string_view data, std::string_view source,
                                 gunzip_backend backend = gunzip_backends().front());

class gunzip_inflater;  // one member's decoder, zlib's or ISA-L's (gzip.cpp)

/// Decompresses gzip data piece by piece, so that a reader holds one piece of the output at a
/// time however large the whole is (a small file can decompress to gigabytes). Concatenated
/// members are one stream, as for gunzip.
class gunzip_stream {
 public:
  /// `source` names the data in errors.
  explicit gunzip_stream(std::string source, gunzip_backend backend = gunzip_backends().front());
  gunzip_stream(const gunzip_stream&) = delete;
  gunzip_stream& operator=(const gunzip_stream&) = delete;
  gunzip_stream(gunzip_stream&&) = delete;
  gunzip_stream& operator=(gunzip_stream&&) = delete;
  ~gunzip_stream();

  /// Decompresses from the front of `input` (which it advances past what it used) into `out`
  /// and returns how many bytes it wrote: 0 when it needs more input.
  /// `input_ends` says that no input follows `input`; data that then ends mid-member throws
  /// parse_error (line 0), as corrupt data does.
  std::size_t read(std::string_view& input, bool input_ends, std::span<char> out);

 private:
  std::unique_ptr<gunzip_inflater> inflater_;
  bool member_ended_ = false;  // a member ended: more input starts the next one
  std::string source_;
};

}  // namespace mentorcore::detail
