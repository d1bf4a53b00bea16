#ifndef PERCH_CLIBCOAP_SHIM_H
#define PERCH_CLIBCOAP_SHIM_H

// libcoap 4.3.1 (Debian 12) and 4.3.4 (Debian 13), Debian's libcoap3-dev,
// OpenSSL variant, for CoAPServer. Swift cannot import function-like or cast
// macros, so the few that CoAPServer needs are re-exported here as constants
// and inline helpers; where the two releases differ, the helper hides it.

#include <coap3/coap.h>
#include <netdb.h>
#include <string.h>
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>
#include <stdio.h>
#include <time.h>
#include <dirent.h>
#include <stdlib.h>
#include <netinet/in.h>

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
static inline uint16_t perch_coap_option_block1(void) { return COAP_OPTION_BLOCK1; }

/// RFC 7959 handled by libcoap, and a block-wise request body handed over whole.
static inline uint8_t perch_coap_block_mode(void) { return COAP_BLOCK_USE_LIBCOAP; }
static inline int perch_coap_notify_con(void) { return COAP_RESOURCE_FLAGS_NOTIFY_CON; }
static inline int perch_coap_notify_non(void) { return COAP_RESOURCE_FLAGS_NOTIFY_NON; }

/// libcoap's log levels as syslog numbers (0 emergency … 7 debug). 4.3.1's
/// coap_log_t is an int with syslog's LOG_* values; 4.3.4 made it an enum
/// (COAP_LOG_EMERG … COAP_LOG_DEBUG) with the same numbers, and Swift imports
/// the two as different types. Perch only ever passes plain numbers.
#define PERCH_COAP_LOG_ERR 3
#define PERCH_COAP_LOG_WARNING 4
#define PERCH_COAP_LOG_NOTICE 5
#define PERCH_COAP_LOG_INFO 6
#define PERCH_COAP_LOG_DEBUG 7
static inline void perch_coap_set_log_level(int level) { coap_set_log_level((coap_log_t)level); }
static inline int perch_coap_log_level_number(coap_log_t level) { return (int)level; }

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

/// 1 when `fd` is a UDP socket bound to exactly `address` with `port`
/// (family, address and port all equal), else 0. Any other descriptor,
/// socket or not, is left alone.
static inline int perch_udp_socket_is_bound_to(int fd, const coap_address_t *address, uint16_t port) {
    int type = 0, proto = 0;
    socklen_t length = sizeof(type);
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) != 0 || type != SOCK_DGRAM) return 0;
    length = sizeof(proto);
    if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &length) != 0 || proto != IPPROTO_UDP) return 0;
    struct sockaddr_storage local;
    socklen_t size = sizeof(local);
    memset(&local, 0, sizeof(local));
    if (getsockname(fd, (struct sockaddr *)&local, &size) != 0) return 0;
    if (local.ss_family != address->addr.sa.sa_family) return 0;
    if (local.ss_family == AF_INET) {
        const struct sockaddr_in *mine = (const struct sockaddr_in *)&local;
        return mine->sin_port == htons(port) && mine->sin_addr.s_addr == address->addr.sin.sin_addr.s_addr;
    }
    if (local.ss_family == AF_INET6) {
        const struct sockaddr_in6 *mine = (const struct sockaddr_in6 *)&local;
        return mine->sin6_port == htons(port)
            && memcmp(&mine->sin6_addr, &address->addr.sin6.sin6_addr, sizeof(mine->sin6_addr)) == 0;
    }
    return 0;
}

/// The descriptors of this process's UDP sockets bound to `address` with
/// `port`, from /proc/self/fd; writes at most `capacity` into `found` and
/// returns how many matched, or -errno when /proc/self/fd cannot be read.
static inline int perch_find_udp_sockets(const coap_address_t *address, uint16_t port, int *found, int capacity) {
    DIR *directory = opendir("/proc/self/fd");
    if (directory == NULL) return -errno;
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(directory)) != NULL) {
        char *end = NULL;
        long fd = strtol(entry->d_name, &end, 10);
        if (end == entry->d_name || *end != '\0' || fd < 0 || fd == dirfd(directory)) continue;
        if (perch_udp_socket_is_bound_to((int)fd, address, port)) {
            if (count < capacity) found[count] = (int)fd;
            count += 1;
        }
    }
    closedir(directory);
    return count;
}

/// Asks for `size` bytes of receive buffer on `fd`: SO_RCVBUFFORCE first
/// (root or CAP_NET_ADMIN: not capped by net.core.rmem_max), else SO_RCVBUF
/// (capped). `*forced` says which one took. Returns SO_RCVBUF as read back
/// (Linux reports twice the payload size), or -errno.
static inline int perch_udp_set_receive_buffer(int fd, int size, int *forced) {
    *forced = setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) == 0;
    if (!*forced && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) != 0) return -errno;
    int granted = 0;
    socklen_t length = sizeof(granted);
    if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &granted, &length) != 0) return -errno;
    return granted;
}

#endif
