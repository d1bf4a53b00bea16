#ifndef PERCH_CLIBGPIOD_SHIM_H
#define PERCH_CLIBGPIOD_SHIM_H

// Whichever libgpiod pkg-config finds: 1.6 (Debian and Raspberry Pi OS
// bookworm) or 2.x (trixie). Swift never imports this module: it gives the
// CGPIOD C target the include path and -lgpiod, and CGPIOD picks its
// implementation from this header (perch_gpiod_version.h, Docs/gpio.md).
#include <gpiod.h>

#endif
