// Today's date from the system clock: the day an evaluation is for when no date is given.
#pragma once

#include "concord/runtime/date.hpp"

namespace concord::runtime {

// Today in the process's local time zone (the command line, a host calling the C ABI).
Date today_local();

// Today in UTC (the CDS Hooks service, whose callers may be in any zone).
Date today_utc();

}  // namespace concord::runtime
