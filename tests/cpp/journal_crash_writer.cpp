// The writer of the journal's crash test (test_journal_crash.cpp): appends to a journal for ever,
// valid events and events that must be refused, and reports each append after it returns, on a
// line of its own, flushed at once:
//
//   ready                      the journal is open
//   ok <course> <position>     the append returned: the event is stored at that position
//   failed <course> <count>    the append threw as it should: nothing was stored (the course
//                              had <count> events)
//
// The test kills it with SIGKILL at random moments and checks the journal against these lines.
// Usage: journal_crash_writer <journal> <seed> <run>

#include <cstdio>
#include <exception>
#include <random>
#include <string>

#include "fixtures.hpp"
#include "mentorcore/journal.hpp"

namespace {

using namespace mentorcore;

// A course's events are a function of their position: the order, a grant, the start of the
// pre-employment phase, then a contact a day, within the grant.
constexpr std::size_t crash_course_length = 150;

event crash_event_at(const std::string& id, std::size_t position) {
  const date ordered = fixtures::d(2024, 1, 8);
  switch (position) {
    case 0: return fixtures::order(ordered, id);
    case 1:
      return fixtures::grant(fixtures::d(2024, 1, 10), "G1", fixtures::d(2024, 1, 15),
                             fixtures::d(2024, 7, 14));
    case 2: return fixtures::to_phase(fixtures::d(2024, 1, 15), phase::pre_employment);
    default:
      return fixtures::contact(
          fixtures::d(2024, 1, 15) + boost::gregorian::days(static_cast<long>(position - 3)),
          location::home);
  }
}

void crash_report(const std::string& line) {
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fputs("usage: journal_crash_writer <journal> <seed> <run>\n", stderr);
    return 2;
  }
  try {
    const std::string path = argv[1];
    std::mt19937_64 random(std::stoull(argv[2]));
    const std::string run = argv[3];
    auto j = journal::open(path);  // synchronous=FULL, the default
    crash_report("ready");
    // Continue the last course of an earlier run, if it is not complete.
    std::string current;
    std::size_t next = 0;
    if (const auto ids = j.course_ids(); !ids.empty()) {
      current = ids.back().str();
      next = j.event_count(ids.back());
    }
    std::size_t started = 0;
    while (true) {
      if (current.empty() || next >= crash_course_length) {
        current = "C-" + run + "-" + std::to_string(started++);
        next = 0;
      }
      const auto roll = random() % 10;
      if (roll == 0 && next > 0) {
        // Before the order: the course refuses it.
        try {
          j.append(course_id(current), fixtures::contact(fixtures::d(2023, 6, 1), location::home));
          crash_report("error an invalid event was accepted");
          return 1;
        } catch (const rule_violation_error&) {
          crash_report("failed " + current + " " + std::to_string(next));
        }
        continue;
      }
      if (roll == 1) {
        const std::string missing = "X-" + run;
        try {
          j.append(course_id(missing), fixtures::contact(fixtures::d(2024, 2, 1), location::home));
          crash_report("error an event of an unknown course was accepted");
          return 1;
        } catch (const journal_error& e) {
          if (e.fault() != journal_fault::unknown_course) throw;
          crash_report("failed " + missing + " 0");
        }
        continue;
      }
      const std::size_t position = j.append(course_id(current), crash_event_at(current, next));
      crash_report("ok " + current + " " + std::to_string(position));
      next = position + 1;
    }
  } catch (const std::exception& e) {
    crash_report(std::string("error ") + e.what());
    return 1;
  }
}
