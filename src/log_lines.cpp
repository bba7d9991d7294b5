#include "log_lines.hpp"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <exception>
#include <limits>
#include <mutex>
#include <span>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include "file_path.hpp"
#include "mentorcore/error.hpp"

namespace mentorcore::detail {

namespace {

// How much is read (and decompressed) at a time: large enough that the per-call costs vanish,
// small beside the line limit. Not larger: a source's buffer is made afresh for each read (and
// on each of read_cohort's threads, whose memory the C library gives back and takes again), and
// every page of it is a page fault. With 1 MiB chunks the 2-thread read of a 100,000-line piece
// of the log took 1,470 page faults a read against 230 on 1 thread (350 with these chunks), and
// was 7-9% slower.
constexpr std::size_t log_chunk_bytes = std::size_t{256} << 10;

std::string log_lines_reason(int code) {
  return code != 0 ? ": " + std::error_code(code, std::generic_category()).message() : "";
}

// The length of a UTF-8 byte order mark at the start of `text`: 3 or 0.
std::size_t byte_order_mark_length(std::string_view text) {
  return text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
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
    byte_order_mark_pending_ = true;
  } else {
    in_place_ = true;
    offset_ = byte_order_mark_length(text);
  }
}

std::unique_ptr<log_line_source> log_line_source::plain_text(std::string_view text,
                                                             std::string source,
                                                             std::size_t max_line,
                                                             std::size_t lines_before) {
  // Not make_unique: the constructor is private.
  std::unique_ptr<log_line_source> lines(new log_line_source(std::move(source), max_line));
  lines->text_ = text;
  lines->in_place_ = true;
  lines->line_ = lines_before;
  return lines;
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
  check_file_path(path);
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
    lines->byte_order_mark_pending_ = true;
  } else {
    lines->buffer_.assign(std::max(first, log_chunk_bytes) + log_chunk_bytes + padding, '\0');
    std::copy(head.begin(), head.end(), lines->buffer_.begin());
    lines->end_ = first;
    lines->raw_ = {};
    // The whole file's first bytes (read_raw read a whole chunk, or the whole file).
    if (!limited || part.begin == 0) lines->begin_ = lines->scanned_ = byte_order_mark_length(head);
  }
  return lines;
}

// The decompressing thread of inflate_ahead and what it hands over. It alone touches the source's
// raw input and gunzip stream; next() takes its chunks in order.
struct log_line_source::inflater {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::vector<char>> ready;   // decompressed chunks, in order, none empty
  std::vector<std::vector<char>> spare;  // chunks next() has copied, for reuse
  bool finished = false;                 // no chunk follows `ready`
  std::exception_ptr fault;              // why, if the input could not be read to its end
  bool stopping = false;                 // the source is being destroyed
  std::thread thread;

  ~inflater() {
    {
      const std::scoped_lock lock(mutex);
      stopping = true;
    }
    changed.notify_all();
    if (thread.joinable()) thread.join();
  }
  inflater() = default;
  inflater(const inflater&) = delete;
  inflater& operator=(const inflater&) = delete;
  inflater(inflater&&) = delete;
  inflater& operator=(inflater&&) = delete;
};

log_line_source::~log_line_source() {
  inflater_.reset();  // its thread reads file_
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
  const bool filled = fill_chunk();
  if (byte_order_mark_pending_) {
    // The first bytes gzip gave: nothing was taken from them yet. Fewer than three and more to
    // come (gzip gives them as its blocks end) is checked again at the next chunk.
    if (dropped_ > 0 || begin_ > 0) {
      byte_order_mark_pending_ = false;
    } else if (end_ >= 3 || !filled) {
      begin_ = scanned_ = byte_order_mark_length(std::string_view(buffer_.data(), end_));
      byte_order_mark_pending_ = false;
    }
  }
  return filled;
}

bool log_line_source::fill_chunk() {
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
  if (!inflater_) {
    const std::size_t made = inflate(std::span(buffer_).subspan(end_, log_chunk_bytes));
    end_ += made;
    return made > 0;
  }
  std::vector<char> chunk;
  {
    std::unique_lock lock(inflater_->mutex);
    inflater_->changed.wait(lock, [&] { return !inflater_->ready.empty() || inflater_->finished; });
    if (inflater_->ready.empty()) {
      if (inflater_->fault) std::rethrow_exception(inflater_->fault);
      return false;
    }
    chunk = std::move(inflater_->ready.front());
    inflater_->ready.pop_front();
  }
  inflater_->changed.notify_all();
  std::copy(chunk.begin(), chunk.end(), std::span(buffer_).subspan(end_).begin());
  end_ += chunk.size();
  const std::scoped_lock lock(inflater_->mutex);
  inflater_->spare.push_back(std::move(chunk));
  return true;
}

// Up to out.size() bytes of decompressed input; 0 only at its end.
std::size_t log_line_source::inflate(std::span<char> out) {
  for (;;) {
    if (raw_pending_.empty() && file_ && !raw_ended_) {
      const std::size_t got = read_raw(raw_);
      raw_pending_ = std::string_view(raw_.data(), got);
    }
    const std::size_t made = gunzip_->read(raw_pending_, raw_ended_, out);
    if (made > 0) return made;
    if (raw_pending_.empty() && raw_ended_) return 0;
  }
}

void log_line_source::inflate_ahead() {
  if (!gunzip_ || inflater_) return;
  auto ahead = std::make_unique<inflater>();
  // If the thread cannot be started (std::system_error), `ahead` goes with it and the lines are
  // inflated in step, as before the call.
  ahead->thread = std::thread([this, &shared = *ahead] {
    for (;;) {
      // Any failure here, bad_alloc included, is the fault next() rethrows after the chunks
      // before it: nothing escapes the thread.
      std::vector<char> chunk;
      std::exception_ptr fault;
      std::size_t made = 0;
      try {
        {
          const std::scoped_lock lock(shared.mutex);
          if (!shared.spare.empty()) {
            chunk = std::move(shared.spare.back());
            shared.spare.pop_back();
          }
        }
        chunk.resize(log_chunk_bytes);
        made = inflate(chunk);
        chunk.resize(made);
      } catch (...) {
        fault = std::current_exception();
        made = 0;
      }
      std::unique_lock lock(shared.mutex);
      shared.changed.wait(
          lock, [&] { return shared.ready.size() < inflated_chunks_ahead || shared.stopping; });
      if (shared.stopping) return;
      if (made > 0) {
        try {
          shared.ready.push_back(std::move(chunk));
        } catch (...) {
          fault = std::current_exception();
          made = 0;
        }
      }
      if (made == 0) {
        shared.finished = true;
        shared.fault = fault;
      }
      lock.unlock();
      shared.changed.notify_all();
      if (made == 0) return;
    }
  });
  inflater_ = std::move(ahead);
}

std::optional<log_line_source::held_lines> log_line_source::lines_held(std::string_view content,
                                                                       std::size_t most) const {
  // The bytes held, the position of the first, and how many of them have `padding` after them.
  std::string_view held;
  std::uint64_t first_position = 0;
  std::size_t usable = 0;
  if (in_place_) {
    if (!tail_.empty() && content.data() == tail_.data()) return std::nullopt;  // a copy
    held = text_;
    usable = text_.size() > padding ? text_.size() - padding : 0;
  } else {
    held = std::string_view(buffer_.data(), buffer_.size());
    first_position = first_byte_ + dropped_;
    usable = end_;  // fill() keeps `padding` bytes after end_
  }
  const auto start = static_cast<std::size_t>(content.data() - held.data());
  // The line's own line end is at most two bytes after it ("\r\n"); a run needs one more.
  const std::size_t own_end = start + content.size() + 1;
  const std::size_t limit = std::min(usable, start + most);
  if (limit <= own_end + 1) return std::nullopt;
  const std::size_t last = held.substr(0, limit).rfind('\n');
  if (last == std::string_view::npos || last <= own_end) return std::nullopt;
  return held_lines{held.substr(start, last + 1 - start), first_position + last + 1};
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
