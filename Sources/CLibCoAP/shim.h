#ifndef PERCH_CLIBCOAP_SHIM_H
#define PERCH_CLIBCOAP_SHIM_H

// libcoap 4.3.1 (Debian's libcoap3-dev, OpenSSL variant) for CoAPServer.
// Swift cannot import function-like or cast macros, so the few that
// CoAPServer needs are re-exported here as constants and inline helpers.

#include <coap3/coap.h>
#include <netdb.h>
#include <string.h>
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>
#include <stdio.h>
#include <time.h>

/// COAP_IO_NO_WAIT is `((uint32_t)-1)`: coap_io_process returns at once.
static inline uint32_t perch_coap_io_no_wait(void) { return COAP_IO_NO_WAIT; }

/// The resource owns its URI string and frees it with the resource.
static inline int perch_coap_resource_flags_release_uri(void) { return COAP_RESOURCE_FLAGS_RELEASE_URI; }

static inline uint16_t perch_coap_option_uri_path(void) { return COAP_OPTION_URI_PATH; }
static inline uint16_t perch_coap_option_uri_query(void) { return COAP_OPTION_URI_QUERY; }
static inline uint16_t perch_coap_option_content_format(void) { return COAP_OPTION_CONTENT_FORMAT; }
static inline uint16_t perch_coap_option_maxage(void) { return COAP_OPTION_MAXAGE; }
static inline uint16_t perch_coap_option_size1(void) { return COAP_OPTION_SIZE1; }
static inline uint16_t perch_coap_option_observe(void) { return COAP_OPTION_OBSERVE; }

/// RFC 7959 handled by libcoap, and a block-wise request body handed over whole.
static inline uint8_t perch_coap_block_mode(void) { return COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY; }
static inline int perch_coap_notify_con(void) { return COAP_RESOURCE_FLAGS_NOTIFY_CON; }
static inline int perch_coap_notify_non(void) { return COAP_RESOURCE_FLAGS_NOTIFY_NON; }


/// Resolves a numeric host and port (no DNS: AI_NUMERICHOST) into a
/// coap_address_t for coap_new_endpoint. Returns 0 on success, else the
/// getaddrinfo error code.
static inline int perch_coap_address_resolve(const char *host, const char *port, coap_address_t *out) {
    struct addrinfo hints;
    struct addrinfo *result = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    int rc = getaddrinfo(host, port, &hints, &result);
    if (rc != 0) return rc;
    if (result == NULL || result->ai_addrlen > sizeof(out->addr)) {
        if (result) freeaddrinfo(result);
        return EAI_FAMILY;
    }
    coap_address_init(out);
    memcpy(&out->addr, result->ai_addr, result->ai_addrlen);
    out->size = result->ai_addrlen;
    freeaddrinfo(result);
    return 0;
}

/// libcoap 4.3.1 binds its UDP sockets with SO_REUSEADDR, and on Linux two
/// UDP sockets that both set it share a port without an error: a second
/// perchd would start and steal datagrams. Binding once without it first
/// finds a port already in use. Returns 0 when free, else the errno of bind.
static inline int perch_udp_bind_probe(const coap_address_t *address) {
    int fd = socket(address->addr.sa.sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return errno;
    int rc = bind(fd, &address->addr.sa, address->size) == 0 ? 0 : errno;
    close(fd);
    return rc;
}

/// libcoap's own log line, as its default output (coap_log_impl in 4.3.1)
/// prints it: local time with milliseconds, the level's tag, the message,
/// which carries its own newline. Written to stderr, whatever the level:
/// perchd's log is standard output.
static inline void perch_coap_log_to_stderr(coap_log_t level, const char *message) {
    static const char *const tags[] = { "EMRG", "ALRT", "CRIT", "ERR ", "WARN", "NOTE", "INFO", "DEBG", "????", "CIPH" };
    struct timespec now;
    struct tm local;
    char stamp[32] = "";
    if (clock_gettime(CLOCK_REALTIME, &now) == 0 && localtime_r(&now.tv_sec, &local) != NULL) {
        size_t length = strftime(stamp, sizeof(stamp), "%b %d %H:%M:%S", &local);
        if (length > 0) {
            snprintf(stamp + length, sizeof(stamp) - length, ".%03ld", now.tv_nsec / 1000000);
        }
    }
    const char *tag = (level >= 0 && level <= COAP_LOG_CIPHERS) ? tags[level] : "????";
    fprintf(stderr, "%s %s %s", stamp, tag, message != NULL ? message : "\n");
    fflush(stderr);
}

#endif
