#include "log_lines.hpp"

#include <algorithm>
#include <cerrno>
#include <limits>
#include <span>
#include <string>
#include <system_error>
#include <utility>

#include "mentorcore/error.hpp"

namespace mentorcore::detail {

namespace {

// How much is read (and decompressed) at a time: large enough that the per-call costs vanish,
// small beside the line limit.
constexpr std::size_t log_chunk_bytes = std::size_t{1} << 20;

std::string log_lines_reason(int code) {
  return code != 0 ? ": " + std::error_code(code, std::generic_category()).message() : "";
}

}  // namespace

log_line_source::log_line_source(std::string source, std::size_t max_line)
    : source_(std::move(source)), max_line_(max_line) {}

log_line_source::log_line_source(std::string_view text, std::string source, std::size_t max_line)
    : source_(std::move(source)), max_line_(max_line), text_(text) {
  if (is_gzip(text)) {
    raw_pending_ = text;
    raw_ended_ = true;
    gunzip_ = std::make_unique<gunzip_stream>(source_);
  } else {
    in_place_ = true;
  }
}

std::unique_ptr<log_line_source> log_line_source::open_file(const std::string& path,
                                                            std::size_t max_line) {
  return open_file(path, max_line, file_part{0, 0, 0}, false);
}

std::unique_ptr<log_line_source> log_line_source::open_file(const std::string& path,
                                                            std::size_t max_line,
                                                            const file_part& part) {
  return open_file(path, max_line, part, true);
}

std::unique_ptr<log_line_source> log_line_source::open_file(const std::string& path,
                                                            std::size_t max_line,
                                                            const file_part& part, bool limited) {
  // Not make_unique: the constructor is private.
  std::unique_ptr<log_line_source> lines(new log_line_source(path, max_line));
  errno = 0;
  lines->file_ = std::fopen(path.c_str(), "rb");
  if (!lines->file_)
    throw parse_error(path, 0, "", "cannot open the file" + log_lines_reason(errno));
  if (limited) {
    errno = 0;
    if (part.begin > static_cast<std::uint64_t>(std::numeric_limits<long>::max()) ||
        std::fseek(lines->file_, static_cast<long>(part.begin), SEEK_SET) != 0)
      throw parse_error(path, 0, "", "cannot read the file" + log_lines_reason(errno));
    lines->first_byte_ = part.begin;
    lines->raw_left_ = part.size;
    lines->line_ = part.lines_before;
  }
  // The first bytes tell gzip from text. A pipe may deliver them one at a time: read_raw reads
  // until it has a whole chunk or the input ends.
  lines->raw_.resize(log_chunk_bytes);
  const std::size_t first = lines->read_raw(lines->raw_);
  const std::string_view head(lines->raw_.data(), first);
  if (is_gzip(head) && !limited) {
    lines->raw_pending_ = head;
    lines->gunzip_ = std::make_unique<gunzip_stream>(path);
  } else {
    lines->buffer_.assign(std::max(first, log_chunk_bytes) + log_chunk_bytes + padding, '\0');
    std::copy(head.begin(), head.end(), lines->buffer_.begin());
    lines->end_ = first;
    lines->raw_ = {};
  }
  return lines;
}

log_line_source::~log_line_source() {
  if (file_) {
    gsl::owner<std::FILE*> file = file_;
    file_ = nullptr;
    std::fclose(file);  // only read from: nothing to report
  }
}

std::size_t log_line_source::read_raw(std::span<char> out) {
  if (raw_ended_) return 0;
  if (raw_left_ && *raw_left_ < out.size()) out = out.first(static_cast<std::size_t>(*raw_left_));
  errno = 0;
  const std::size_t got = std::fread(out.data(), 1, out.size(), file_);
  if (got < out.size()) {
    if (std::ferror(file_) != 0)
      throw parse_error(source_, 0, "", "cannot read the file" + log_lines_reason(errno));
    raw_ended_ = true;
  }
  raw_read_ += got;
  if (raw_left_) {
    *raw_left_ -= got;
    if (*raw_left_ == 0) raw_ended_ = true;
  }
  return got;
}

void log_line_source::too_long(std::size_t line) const {
  throw parse_error(source_, line, "",
                    "the line is longer than " + std::to_string(max_line_) +
                        " bytes, the most an event-log line may have (is this an event log?)");
}

bool log_line_source::fill() {
  if (begin_ > 0) {  // keep only the line being read, at the front
    const auto rest = std::span(buffer_).subspan(begin_, end_ - begin_);
    std::copy(rest.begin(), rest.end(), buffer_.begin());
    dropped_ += begin_;
    end_ -= begin_;
    scanned_ -= begin_;
    begin_ = 0;
  }
  if (buffer_.size() < end_ + log_chunk_bytes + padding)
    buffer_.resize(end_ + log_chunk_bytes + padding, '\0');
  if (!gunzip_) {
    const std::size_t got = read_raw(std::span(buffer_).subspan(end_, log_chunk_bytes));
    end_ += got;
    return got > 0;
  }
  for (;;) {
    if (raw_pending_.empty() && file_ && !raw_ended_) {
      const std::size_t got = read_raw(raw_);
      raw_pending_ = std::string_view(raw_.data(), got);
    }
    const std::size_t made =
        gunzip_->read(raw_pending_, raw_ended_, std::span(buffer_).subspan(end_, log_chunk_bytes));
    end_ += made;
    if (made > 0) return true;
    if (raw_pending_.empty() && raw_ended_) return false;
  }
}

std::optional<std::string_view> log_line_source::next() {
  return in_place_ ? next_in_place() : next_buffered();
}

std::optional<std::string_view> log_line_source::next_in_place() {
  const std::size_t size = text_.size();
  for (;;) {
    // Runs of empty lines are skipped a byte at a time, not a line search at a time.
    while (offset_ < size && text_[offset_] == '\n') {
      ++offset_;
      ++line_;
    }
    if (offset_ >= size) return std::nullopt;
    const std::size_t newline = text_.find('\n', offset_);
    const std::size_t end = newline == std::string_view::npos ? size : newline;
    const std::size_t start = offset_;
    if (end - start > max_line_) too_long(line_ + 1);
    ++line_;
    offset_ = newline == std::string_view::npos ? size : newline + 1;
    unterminated_ = newline == std::string_view::npos;
    std::string_view content = text_.substr(start, end - start);
    if (content.back() == '\r') content.remove_suffix(1);
    if (content.empty()) continue;
    if (start + content.size() + padding <= size) return content;
    tail_.assign(content);
    tail_.resize(content.size() + padding, '\0');
    return std::string_view(tail_).substr(0, content.size());
  }
}

std::optional<std::string_view> log_line_source::next_buffered() {
  for (;;) {
    while (begin_ < end_ && buffer_[begin_] == '\n') {
      ++begin_;
      ++line_;
    }
    const std::string_view held(buffer_.data(), end_);
    const std::size_t newline = held.find('\n', std::max(scanned_, begin_));
    if (newline != std::string_view::npos) {
      if (newline - begin_ > max_line_) too_long(line_ + 1);
      std::string_view content = held.substr(begin_, newline - begin_);
      begin_ = newline + 1;
      scanned_ = begin_;
      ++line_;
      unterminated_ = false;
      if (content.back() == '\r') content.remove_suffix(1);
      if (content.empty()) continue;
      return content;
    }
    scanned_ = end_;
    if (end_ - begin_ > max_line_) too_long(line_ + 1);
    if (!ended_ && fill()) continue;
    ended_ = true;
    if (begin_ == end_) return std::nullopt;
    // fill() may have moved the bytes: `held` is out of date.
    std::string_view content = std::string_view(buffer_.data(), end_).substr(begin_);
    begin_ = end_;
    ++line_;
    unterminated_ = true;
    if (content.back() == '\r') content.remove_suffix(1);
    if (content.empty()) return std::nullopt;
    return content;
  }
}

}  // namespace mentorcore::detail
