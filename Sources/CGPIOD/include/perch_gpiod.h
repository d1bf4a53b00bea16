#ifndef PERCH_GPIOD_H
#define PERCH_GPIOD_H

// One version-neutral API over libgpiod, implemented twice: for libgpiod 1.x
// (perch_gpiod_v1.c: Debian 12 and Raspberry Pi OS bookworm, 1.6) and for
// 2.x (perch_gpiod_v2.c: Debian 13 and Raspberry Pi OS trixie, 2.2). The
// preprocessor picks one from the <gpiod.h> that pkg-config found
// (perch_gpiod_version.h), so this header never includes <gpiod.h> and no
// libgpiod type reaches Swift.
//
// Failures return NULL or -1 and leave the reason in errno, as libgpiod does.
// Values are logical: 1 is active, whatever `active_low` says. Nothing here is
// thread-safe; the Swift driver calls it under one lock per chip.

#include <stdbool.h>
#include <stdint.h>

/// Edge events read at once: the kernel's queue per line holds 16.
#define PERCH_GPIOD_EVENT_BATCH 16

/// An open chip.
typedef struct perch_gpiod_chip perch_gpiod_chip;
/// One requested line, held until perch_gpiod_line_release.
typedef struct perch_gpiod_line perch_gpiod_line;

/// A line's bias, as the pins configure it.
typedef enum {
    PERCH_GPIOD_BIAS_AS_IS = 0,
    PERCH_GPIOD_BIAS_DISABLED = 1,
    PERCH_GPIOD_BIAS_PULL_UP = 2,
    PERCH_GPIOD_BIAS_PULL_DOWN = 3,
} perch_gpiod_bias;

/// The major version of the libgpiod headers this was compiled against: 1 or 2.
int perch_gpiod_api_major(void);
/// The version of the libgpiod library linked in, such as "1.6.3" or "2.2.1".
const char *perch_gpiod_library_version(void);
/// Whether perch_gpiod_request_input takes a debounce period (libgpiod 2,
/// through the kernel's GPIO uAPI v2); libgpiod 1 refuses a non-zero one.
bool perch_gpiod_has_kernel_debounce(void);

/// Opens the chip at `path`. A file that exists but is no GPIO chip fails
/// with ENOTTY on both versions (libgpiod 2 says ENODEV for a character
/// device of another subsystem, such as /dev/null).
perch_gpiod_chip *perch_gpiod_chip_open(const char *path);
/// Closes the chip. Every line requested from it must be released first.
void perch_gpiod_chip_close(perch_gpiod_chip *chip);
/// The kernel's name (`gpiochip0`); lives as long as the chip.
const char *perch_gpiod_chip_name(const perch_gpiod_chip *chip);
/// The driver's label (`pinctrl-bcm2711`); lives as long as the chip.
const char *perch_gpiod_chip_label(const perch_gpiod_chip *chip);
/// How many lines the chip has.
unsigned int perch_gpiod_chip_line_count(const perch_gpiod_chip *chip);
/// The offset of the line called `name`, or -1 (errno ENOENT when no line has it).
int perch_gpiod_chip_find_line(perch_gpiod_chip *chip, const char *name);

/// Requests the line at `offset` as an output driven to `initially_active`
/// from the moment the request is granted.
perch_gpiod_line *perch_gpiod_request_output(
    perch_gpiod_chip *chip, unsigned int offset, const char *consumer,
    bool active_low, bool initially_active);
/// Requests the line at `offset` as an input with `bias`, reporting both
/// edges, its event descriptor non-blocking. A non-zero `debounce_us` asks
/// the kernel to debounce (libgpiod 2 only; EOPNOTSUPP with libgpiod 1).
perch_gpiod_line *perch_gpiod_request_input(
    perch_gpiod_chip *chip, unsigned int offset, const char *consumer,
    bool active_low, perch_gpiod_bias bias, uint32_t debounce_us);

/// Drives an output: 0 on success.
int perch_gpiod_line_set_value(perch_gpiod_line *line, bool active);
/// Reads a line: 1 active, 0 inactive, -1 on error.
int perch_gpiod_line_get_value(perch_gpiod_line *line);
/// The descriptor that becomes readable when an input has edge events.
int perch_gpiod_line_event_fd(perch_gpiod_line *line);
/// Reads at most PERCH_GPIOD_EVENT_BATCH queued edge events: how many were
/// read (0 when none was queued), or -1 on error.
int perch_gpiod_line_read_events(perch_gpiod_line *line);
/// Gives the line back to the kernel and frees it.
void perch_gpiod_line_release(perch_gpiod_line *line);

#endif
