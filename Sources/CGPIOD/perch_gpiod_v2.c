// perch_gpiod.h over libgpiod 2.x (2.2 on Debian 13 and Raspberry Pi OS
// trixie): the kernel's GPIO uAPI v2 (Linux 5.10 and later), line settings,
// debounce in the kernel.
#include "perch_gpiod_internal.h"

#if PERCH_GPIOD_API_MAJOR == 2

#include <stdlib.h>
#include <string.h>

struct perch_gpiod_chip {
    struct gpiod_chip *chip;
    /// Copied from the chip info, which libgpiod 2 hands out to be freed.
    char *name;
    char *label;
    unsigned int line_count;
};

struct perch_gpiod_line {
    /// The request owns its own descriptor; it outlives nothing of the chip's.
    struct gpiod_line_request *request;
    unsigned int offset;
    /// Where edge events are read to; NULL for an output.
    struct gpiod_edge_event_buffer *events;
};

int perch_gpiod_api_major(void) { return 2; }

const char *perch_gpiod_library_version(void) { return gpiod_api_version(); }

bool perch_gpiod_has_kernel_debounce(void) { return true; }

void perch_gpiod_chip_close(perch_gpiod_chip *chip) {
    if (chip == NULL) {
        return;
    }
    if (chip->chip != NULL) {
        gpiod_chip_close(chip->chip);
    }
    free(chip->name);
    free(chip->label);
    free(chip);
}

/// Copies `value`, which libgpiod 2 documents as never NULL; "" if it were.
static char *copy_string(const char *value) {
    return strdup(value != NULL ? value : "");
}

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
    struct gpiod_chip_info *info = gpiod_chip_get_info(wrapper->chip);
    if (info == NULL) {
        int code = errno;
        perch_gpiod_chip_close(wrapper);
        errno = code;
        return NULL;
    }
    wrapper->name = copy_string(gpiod_chip_info_get_name(info));
    wrapper->label = copy_string(gpiod_chip_info_get_label(info));
    size_t lines = gpiod_chip_info_get_num_lines(info);
    gpiod_chip_info_free(info);
    if (wrapper->name == NULL || wrapper->label == NULL) {
        perch_gpiod_chip_close(wrapper);
        errno = ENOMEM;
        return NULL;
    }
    // The kernel counts lines in a u32.
    wrapper->line_count = lines > UINT32_MAX ? UINT32_MAX : (unsigned int)lines;
    return wrapper;
}

const char *perch_gpiod_chip_name(const perch_gpiod_chip *chip) { return chip->name; }

const char *perch_gpiod_chip_label(const perch_gpiod_chip *chip) { return chip->label; }

unsigned int perch_gpiod_chip_line_count(const perch_gpiod_chip *chip) { return chip->line_count; }

int perch_gpiod_chip_find_line(perch_gpiod_chip *chip, const char *name) {
    return gpiod_chip_get_line_offset_from_name(chip->chip, name);
}

/// Requests the one line at `offset` with `settings` for `consumer`, or NULL.
static perch_gpiod_line *request_line(
    perch_gpiod_chip *chip, unsigned int offset, const char *consumer,
    struct gpiod_line_settings *settings) {
    perch_gpiod_line *wrapper = calloc(1, sizeof(*wrapper));
    struct gpiod_line_config *line_config = gpiod_line_config_new();
    struct gpiod_request_config *request_config = gpiod_request_config_new();
    int code = ENOMEM;
    if (wrapper != NULL && line_config != NULL && request_config != NULL) {
        wrapper->offset = offset;
        gpiod_request_config_set_consumer(request_config, consumer);
        if (gpiod_line_config_add_line_settings(line_config, &offset, 1, settings) == 0) {
            wrapper->request = gpiod_chip_request_lines(chip->chip, request_config, line_config);
        }
        code = errno;
    }
    if (request_config != NULL) {
        gpiod_request_config_free(request_config);
    }
    if (line_config != NULL) {
        gpiod_line_config_free(line_config);
    }
    if (wrapper != NULL && wrapper->request == NULL) {
        free(wrapper);
        wrapper = NULL;
    }
    if (wrapper == NULL) {
        errno = code;
    }
    return wrapper;
}

perch_gpiod_line *perch_gpiod_request_output(
    perch_gpiod_chip *chip, unsigned int offset, const char *consumer,
    bool active_low, bool initially_active) {
    struct gpiod_line_settings *settings = gpiod_line_settings_new();
    if (settings == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_OUTPUT);
    gpiod_line_settings_set_active_low(settings, active_low);
    // The value is logical: with active_low the kernel drives it inverted.
    gpiod_line_settings_set_output_value(
        settings, initially_active ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE);
    perch_gpiod_line *line = request_line(chip, offset, consumer, settings);
    int code = errno;
    gpiod_line_settings_free(settings);
    errno = code;
    return line;
}

/// libgpiod 2's bias for `bias`.
static enum gpiod_line_bias line_bias(perch_gpiod_bias bias) {
    switch (bias) {
    case PERCH_GPIOD_BIAS_DISABLED: return GPIOD_LINE_BIAS_DISABLED;
    case PERCH_GPIOD_BIAS_PULL_UP: return GPIOD_LINE_BIAS_PULL_UP;
    case PERCH_GPIOD_BIAS_PULL_DOWN: return GPIOD_LINE_BIAS_PULL_DOWN;
    case PERCH_GPIOD_BIAS_AS_IS: break;
    }
    return GPIOD_LINE_BIAS_AS_IS;
}

perch_gpiod_line *perch_gpiod_request_input(
    perch_gpiod_chip *chip, unsigned int offset, const char *consumer,
    bool active_low, perch_gpiod_bias bias, uint32_t debounce_us) {
    struct gpiod_line_settings *settings = gpiod_line_settings_new();
    if (settings == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    gpiod_line_settings_set_direction(settings, GPIOD_LINE_DIRECTION_INPUT);
    gpiod_line_settings_set_edge_detection(settings, GPIOD_LINE_EDGE_BOTH);
    gpiod_line_settings_set_bias(settings, line_bias(bias));
    gpiod_line_settings_set_active_low(settings, active_low);
    // The kernel debounces in hardware where the chip can, else in software.
    gpiod_line_settings_set_debounce_period_us(settings, debounce_us);
    perch_gpiod_line *line = request_line(chip, offset, consumer, settings);
    int code = errno;
    gpiod_line_settings_free(settings);
    if (line == NULL) {
        errno = code;
        return NULL;
    }
    line->events = gpiod_edge_event_buffer_new(PERCH_GPIOD_EVENT_BATCH);
    code = line->events == NULL ? ENOMEM : 0;
    if (code == 0 && perch_gpiod_set_nonblocking(gpiod_line_request_get_fd(line->request)) != 0) {
        code = errno;
    }
    if (code != 0) {
        perch_gpiod_line_release(line);
        errno = code;
        return NULL;
    }
    return line;
}

int perch_gpiod_line_set_value(perch_gpiod_line *line, bool active) {
    enum gpiod_line_value value = active ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE;
    return gpiod_line_request_set_value(line->request, line->offset, value) == 0 ? 0 : -1;
}

int perch_gpiod_line_get_value(perch_gpiod_line *line) {
    enum gpiod_line_value value = gpiod_line_request_get_value(line->request, line->offset);
    switch (value) {
    case GPIOD_LINE_VALUE_ACTIVE: return 1;
    case GPIOD_LINE_VALUE_INACTIVE: return 0;
    case GPIOD_LINE_VALUE_ERROR: break;
    }
    return -1;
}

int perch_gpiod_line_event_fd(perch_gpiod_line *line) { return gpiod_line_request_get_fd(line->request); }

int perch_gpiod_line_read_events(perch_gpiod_line *line) {
    if (line->events == NULL) {
        errno = EBADF;
        return -1;
    }
    int count = gpiod_line_request_read_edge_events(line->request, line->events, PERCH_GPIOD_EVENT_BATCH);
    if (count < 0) {
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    }
    return count;
}

void perch_gpiod_line_release(perch_gpiod_line *line) {
    if (line == NULL) {
        return;
    }
    if (line->request != NULL) {
        gpiod_line_request_release(line->request);
    }
    if (line->events != NULL) {
        gpiod_edge_event_buffer_free(line->events);
    }
    free(line);
}

#endif
