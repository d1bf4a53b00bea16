// perch_gpiod.h over libgpiod 1.x (1.6 on Debian 12 and Raspberry Pi OS
// bookworm): the kernel's GPIO uAPI v1, request flags, no debounce.
#include "perch_gpiod_internal.h"

#if PERCH_GPIOD_API_MAJOR == 1

#include <stdlib.h>

struct perch_gpiod_chip {
    struct gpiod_chip *chip;
};

struct perch_gpiod_line {
    /// Owned by the chip; a request only borrows it until released.
    struct gpiod_line *line;
};

int perch_gpiod_api_major(void) { return 1; }

const char *perch_gpiod_library_version(void) { return gpiod_version_string(); }

bool perch_gpiod_has_kernel_debounce(void) { return false; }

perch_gpiod_chip *perch_gpiod_chip_open(const char *path) {
    struct gpiod_chip *chip = perch_gpiod_open_device(path);
    if (chip == NULL) {
        return NULL;
    }
    perch_gpiod_chip *wrapper = calloc(1, sizeof(*wrapper));
    if (wrapper == NULL) {
        gpiod_chip_close(chip);
        errno = ENOMEM;
        return NULL;
    }
    wrapper->chip = chip;
    return wrapper;
}

void perch_gpiod_chip_close(perch_gpiod_chip *chip) {
    if (chip == NULL) {
        return;
    }
    gpiod_chip_close(chip->chip);
    free(chip);
}

// Both point into the chip's info, filled by the chip-info ioctl at open.
const char *perch_gpiod_chip_name(const perch_gpiod_chip *chip) { return gpiod_chip_name(chip->chip); }

const char *perch_gpiod_chip_label(const perch_gpiod_chip *chip) { return gpiod_chip_label(chip->chip); }

unsigned int perch_gpiod_chip_line_count(const perch_gpiod_chip *chip) { return gpiod_chip_num_lines(chip->chip); }

int perch_gpiod_chip_find_line(perch_gpiod_chip *chip, const char *name) {
    struct gpiod_line *line = gpiod_chip_find_line(chip->chip, name);
    if (line == NULL) {
        return -1;
    }
    return (int)gpiod_line_offset(line);
}

/// The chip's line at `offset` wrapped for a request, or NULL.
static perch_gpiod_line *line_at(perch_gpiod_chip *chip, unsigned int offset) {
    struct gpiod_line *line = gpiod_chip_get_line(chip->chip, offset);
    if (line == NULL) {
        return NULL;
    }
    perch_gpiod_line *wrapper = calloc(1, sizeof(*wrapper));
    if (wrapper == NULL) {
        return NULL;
    }
    wrapper->line = line;
    return wrapper;
}

perch_gpiod_line *perch_gpiod_request_output(
    perch_gpiod_chip *chip, unsigned int offset, const char *consumer,
    bool active_low, bool initially_active) {
    perch_gpiod_line *wrapper = line_at(chip, offset);
    if (wrapper == NULL) {
        return NULL;
    }
    int flags = active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
    // The value is logical: with ACTIVE_LOW the kernel drives it inverted.
    if (gpiod_line_request_output_flags(wrapper->line, consumer, flags, initially_active ? 1 : 0) != 0) {
        int code = errno;
        free(wrapper);
        errno = code;
        return NULL;
    }
    return wrapper;
}

/// The request flag for `bias` (libgpiod 1.5 and later).
static int bias_flag(perch_gpiod_bias bias) {
    switch (bias) {
    case PERCH_GPIOD_BIAS_DISABLED: return GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE;
    case PERCH_GPIOD_BIAS_PULL_UP: return GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP;
    case PERCH_GPIOD_BIAS_PULL_DOWN: return GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN;
    case PERCH_GPIOD_BIAS_AS_IS: break;
    }
    return 0;
}

perch_gpiod_line *perch_gpiod_request_input(
    perch_gpiod_chip *chip, unsigned int offset, const char *consumer,
    bool active_low, perch_gpiod_bias bias, uint32_t debounce_us) {
    if (debounce_us != 0) {
        // The uAPI v1 that libgpiod 1 speaks has no debounce.
        errno = EOPNOTSUPP;
        return NULL;
    }
    perch_gpiod_line *wrapper = line_at(chip, offset);
    if (wrapper == NULL) {
        return NULL;
    }
    int flags = bias_flag(bias) | (active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0);
    if (gpiod_line_request_both_edges_events_flags(wrapper->line, consumer, flags) != 0) {
        int code = errno;
        free(wrapper);
        errno = code;
        return NULL;
    }
    if (perch_gpiod_set_nonblocking(gpiod_line_event_get_fd(wrapper->line)) != 0) {
        int code = errno;
        perch_gpiod_line_release(wrapper);
        errno = code;
        return NULL;
    }
    return wrapper;
}

int perch_gpiod_line_set_value(perch_gpiod_line *line, bool active) {
    return gpiod_line_set_value(line->line, active ? 1 : 0) == 0 ? 0 : -1;
}

int perch_gpiod_line_get_value(perch_gpiod_line *line) {
    int value = gpiod_line_get_value(line->line);
    return value < 0 ? -1 : (value != 0);
}

int perch_gpiod_line_event_fd(perch_gpiod_line *line) { return gpiod_line_event_get_fd(line->line); }

int perch_gpiod_line_read_events(perch_gpiod_line *line) {
    struct gpiod_line_event events[PERCH_GPIOD_EVENT_BATCH];
    int count = gpiod_line_event_read_multiple(line->line, events, PERCH_GPIOD_EVENT_BATCH);
    if (count < 0) {
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    }
    return count;
}

void perch_gpiod_line_release(perch_gpiod_line *line) {
    if (line == NULL) {
        return;
    }
    gpiod_line_release(line->line);
    free(line);
}

#endif
