#include <iostream>

#include <mentorcore/mentorcore.hpp>

int main() {
  using namespace mentorcore;
  const date referral(2026, 12, 18);

  // A status report is due 10 working days after referral (24 and 31 December are closed).
  const date report_due = add_working_days(referral, 10);
  // A grant runs at most 6 months, counted in Danish months.
  const date latest_grant_end = add_months(referral, 6);

  std::cout << "report due " << to_iso(report_due) << ", grant ends by " << to_iso(latest_grant_end)
            << '\n';
  for (const holiday& h : holidays(2027)) {
    std::cout << to_iso(h.date) << ' ' << h.name() << '\n';
  }

  try {
    (void)holidays(2300);
  } catch (const mentorcore::error& e) {
    std::cout << "error: " << e.what() << '\n';
  }
  return report_due == date(2027, 1, 7) ? 0 : 1;
}
