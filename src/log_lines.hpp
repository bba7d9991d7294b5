#pragma once
// The lines of an event log, read in bounded memory: from text in memory or from a file (a
// pipe, a FIFO or a device as well as a regular file), gzip-compressed or not, one line at a
// time. However large the input, and whatever it decompresses to, the reader holds at most one
// line (up to the limit) and one input chunk (with inflate_ahead, a few decompressed chunks).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <gsl/pointers>

#include "gzip.hpp"

namespace mentorcore::detail {

class log_line_source {
 public:
  /// Readable bytes that follow every line returned (what simdjson reads past a document).
  static constexpr std::size_t padding = 64;

  /// The lines of `text` (gzip-compressed text is recognised and decompressed). `text` must
  /// outlive the source. `source` names it in errors.
  log_line_source(std::string_view text, std::string source, std::size_t max_line);
  /// The lines of plain `text` (never decompressed), numbered from `lines_before + 1`: a piece
  /// of a larger log's text (read_cohort reads a gzip log's text in such pieces on several
  /// threads). `text` must outlive the source.
  static std::unique_ptr<log_line_source> plain_text(std::string_view text, std::string source,
                                                     std::size_t max_line,
                                                     std::size_t lines_before);
  /// A part of a file: `size` bytes from byte `begin`, which starts a line that follows line
  /// `lines_before` of the file (so lines are numbered as in the whole file). Only for plain
  /// (uncompressed) files; read_cohort reads one large file in such parts on several threads.
  struct file_part {
    std::uint64_t begin = 0;
    std::uint64_t size = 0;
    std::size_t lines_before = 0;
  };

  /// A UTF-8 byte order mark (U+FEFF, EF BB BF) at the very start of the input (after gzip
  /// inflation, and of a file part only if it starts the file) is skipped: JSON lets a reader
  /// ignore one (RFC 8259, 8.1), and Windows tools write one. It is checked once, at the start,
  /// never per line; anywhere else it stays in the line, which then is not JSON.
  ///
  /// The lines of the file at `path`, read in chunks. Throws parse_error (line 0) with the
  /// system's reason if it cannot be opened or read (a directory, a missing file).
  static std::unique_ptr<log_line_source> open_file(const std::string& path, std::size_t max_line);
  /// The lines of one part of a plain file (see file_part).
  static std::unique_ptr<log_line_source> open_file(const std::string& path, std::size_t max_line,
                                                    const file_part& part);

  log_line_source(const log_line_source&) = delete;
  log_line_source& operator=(const log_line_source&) = delete;
  log_line_source(log_line_source&&) = delete;
  log_line_source& operator=(log_line_source&&) = delete;
  ~log_line_source();

  /// The next non-empty line, without its line end ("\n" or "\r\n"), followed in memory by at
  /// least `padding` readable bytes and valid until the next call; none at the end. Throws
  /// parse_error naming the line if it is longer than `max_line` bytes, and (line 0) if the
  /// input cannot be read or its gzip data is corrupt or truncated.
  std::optional<std::string_view> next();
  /// The 1-based number of the line last returned.
  [[nodiscard]] std::size_t line() const noexcept { return line_; }
  /// Whether the line last returned ended the input without a line end (a file cut short, or
  /// still being written).
  [[nodiscard]] bool unterminated() const noexcept { return unterminated_; }
  /// The byte offset, in the (decompressed) input, just after the line last returned and its
  /// line end: where the next line starts. For a file part, an offset in the whole file.
  [[nodiscard]] std::uint64_t position() const noexcept {
    return in_place_ ? offset_ : first_byte_ + dropped_ + begin_;
  }
  /// Whole lines already in memory, from the start of `content` (the line last returned, as
  /// next() returned it) on: `text` runs to just after the last line end within `most` bytes
  /// and is followed by `padding` readable bytes; `end` is position() just after its last line.
  /// `text` stays valid, its bytes in place, until next() returns a line that ends after `end`.
  /// None when no line end follows that of `content` within `most` bytes.
  struct held_lines {
    std::string_view text;
    std::uint64_t end = 0;
  };
  [[nodiscard]] std::optional<held_lines> lines_held(std::string_view content,
                                                     std::size_t most) const;
  /// Whether the input is gzip-compressed.
  [[nodiscard]] bool compressed() const noexcept { return gunzip_ != nullptr; }
  /// The bytes read from the file so far (compressed ones, for gzip): for a progress display.
  [[nodiscard]] std::uint64_t bytes_read() const noexcept {
    return raw_read_.load(std::memory_order_relaxed);
  }
  /// For gzip input, from now on: decompress on a thread of its own, up to
  /// `inflated_chunks_ahead` chunks ahead of the lines being read, so that inflating and what
  /// the caller does with the lines overlap (read_cohort, when a single gzip file leaves a core
  /// idle). The lines, their numbers and the errors are the same, at the same line: a chunk is
  /// made as next() would make it, and a fault is rethrown where next() would have met it.
  /// Nothing for plain text.
  void inflate_ahead();
  static constexpr std::size_t inflated_chunks_ahead = 4;

 private:
  log_line_source(std::string source, std::size_t max_line);
  static std::unique_ptr<log_line_source> open_file(const std::string& path, std::size_t max_line,
                                                    const file_part& part, bool limited);
  std::optional<std::string_view> next_in_place();
  std::optional<std::string_view> next_buffered();
  std::size_t read_raw(std::span<char> out);
  std::size_t inflate(std::span<char> out);
  bool fill();
  bool fill_chunk();
  [[noreturn]] void too_long(std::size_t line) const;

  std::string source_;
  std::size_t max_line_;
  std::size_t line_ = 0;
  bool unterminated_ = false;
  // A gzip input whose first decompressed bytes are still to be checked for a byte order mark.
  bool byte_order_mark_pending_ = false;

  // Plain text in memory: lines are returned where they are.
  std::string_view text_;
  std::size_t offset_ = 0;
  bool in_place_ = false;
  std::string tail_;  // a copy of a line too near the end of text_ to be followed by padding

  // Otherwise: raw bytes come from the file (or from text_, compressed) and go, decompressed
  // if need be, into buffer_[begin_, end_).
  gsl::owner<std::FILE*> file_ = nullptr;
  std::vector<char> raw_;         // raw bytes read from the file, for gunzip
  std::string_view raw_pending_;  // raw bytes not yet decompressed
  bool raw_ended_ = false;        // no raw bytes follow raw_pending_
  std::unique_ptr<gunzip_stream> gunzip_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::size_t scanned_ = 0;                  // [begin_, scanned_) holds no line end
  bool ended_ = false;                       // nothing follows buffer_[begin_, end_)
  std::uint64_t first_byte_ = 0;             // where in the file the part read starts
  std::uint64_t dropped_ = 0;                // bytes moved out of buffer_ (read before buffer_[0])
  std::atomic<std::uint64_t> raw_read_ = 0;  // bytes read from the file (also by inflater_)
  std::optional<std::uint64_t> raw_left_;    // for a file part: the bytes of it not yet read

  // With inflate_ahead: the thread that owns file_, raw_*, and gunzip_ from then on, and the
  // chunks it has made. Declared last: destroyed (stopped and joined) first.
  struct inflater;
  std::unique_ptr<inflater> inflater_;
};

}  // namespace mentorcore::detail
