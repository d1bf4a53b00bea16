#ifndef PERCH_GPIOD_INTERNAL_H
#define PERCH_GPIOD_INTERNAL_H

// What both implementations share. Included first by each .c file.

// POSIX.1-2008 (faccessat, strdup, AT_EACCESS), whatever C standard the build uses.
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perch_gpiod_version.h"
#include "include/perch_gpiod.h"

/// Makes `fd` non-blocking, so that reading an empty event queue ends with
/// EAGAIN instead of blocking the chip's queue: 0, or -1 with errno.
static inline int perch_gpiod_set_nonblocking(int fd) {
    if (fd < 0) {
        errno = EBADF;
        return -1;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) {
        return -1;
    }
    return fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ? -1 : 0;
}

/// The errno for a chip that would not open at `path`, given libgpiod's,
/// the same on both versions. 1.6 opens the file first and then checks it is
/// a GPIO chip (ENOTTY if not); 2.x checks first (ENOTTY for no character
/// device, ENODEV for one of another subsystem such as /dev/null) and opens
/// after. So a file that exists and was refused as no chip is EACCES if this
/// process may not open it for reading and writing (as 1.6 would say), else
/// ENOTTY.
static inline int perch_gpiod_open_errno(const char *path, int code) {
    struct stat status;
    if ((code == ENODEV || code == ENOTTY) && stat(path, &status) == 0) {
        if (faccessat(AT_FDCWD, path, R_OK | W_OK, AT_EACCESS) != 0 && errno == EACCES) {
            return EACCES;
        }
        return ENOTTY;
    }
    return code;
}

/// Opens the chip at `path` (gpiod_chip_open has the same signature in 1.x
/// and 2.x), with perch_gpiod_open_errno's errno when it fails.
static inline struct gpiod_chip *perch_gpiod_open_device(const char *path) {
    struct gpiod_chip *chip = gpiod_chip_open(path);
    if (chip == NULL) {
        errno = perch_gpiod_open_errno(path, errno);
    }
    return chip;
}

#endif
