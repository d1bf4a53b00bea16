#ifndef PERCH_CLIBGPIOD_SHIM_H
#define PERCH_CLIBGPIOD_SHIM_H

// libgpiod v1.6 (Debian bookworm, Raspberry Pi OS bookworm). A v2 driver
// (trixie) would be a second system-library target beside this one.
#include <gpiod.h>

#endif
