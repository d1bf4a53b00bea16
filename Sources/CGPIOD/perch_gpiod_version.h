#ifndef PERCH_GPIOD_VERSION_H
#define PERCH_GPIOD_VERSION_H

// Which libgpiod the build found. libgpiod has no version macro, so the test
// is a macro only one major version defines: every 1.x <gpiod.h> (1.0 to
// 1.6.x) defines GPIOD_LINE_BULK_MAX_LINES for its struct gpiod_line_bulk,
// and 2.x removed line bulks and defines no macro at all besides its include
// guard (checked against 1.6.3 and 2.2.1). The include guard, which both
// share, is checked too, so a <gpiod.h> that is not libgpiod's fails here by
// name rather than somewhere in the driver.
#include <gpiod.h>

#if defined(GPIOD_LINE_BULK_MAX_LINES)
#define PERCH_GPIOD_API_MAJOR 1
#elif defined(__LIBGPIOD_GPIOD_H__)
#define PERCH_GPIOD_API_MAJOR 2
#else
#error "<gpiod.h> is neither libgpiod 1.x nor 2.x"
#endif

#endif
