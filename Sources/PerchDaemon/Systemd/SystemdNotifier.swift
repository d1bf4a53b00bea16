#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tells systemd about the daemon's state over `$NOTIFY_SOCKET` (sd_notify(3)),
/// without linking libsystemd: one datagram per notification on an `AF_UNIX`
/// socket, which may be a path or, with a leading `@`, an abstract address.
///
/// Outside systemd (no `NOTIFY_SOCKET`) every call does nothing.
public struct SystemdNotifier: Sendable {
    /// The socket address from the environment, or `nil` outside systemd.
    public let socketAddress: String?

    /// Reads `NOTIFY_SOCKET` from `environment`.
    public init(environment: [String: String]) {
        let address = environment["NOTIFY_SOCKET"]
        self.socketAddress = (address?.isEmpty ?? true) ? nil : address
    }

    /// An error of the notification socket, with the C `errno`.
    public struct NotifyError: Error, CustomStringConvertible {
        public let operation: String
        public let errno: Int32
        public var description: String { "sd_notify \(operation) failed: \(String(cString: strerror(errno)))" }
    }

    /// `READY=1`: start-up is finished (sd_notify(3)).
    public func ready(status: String? = nil) throws { try send(["READY=1"] + (status.map { ["STATUS=\($0)"] } ?? [])) }
    /// `STOPPING=1`: a graceful stop has begun.
    public func stopping() throws { try send(["STOPPING=1"]) }
    /// `WATCHDOG=1`: the keep-alive ping of `WatchdogSec=` (sd_watchdog_enabled(3)).
    public func watchdog() throws { try send(["WATCHDOG=1"]) }
    /// `RELOADING=1` with `MONOTONIC_USEC=` (the reload's start on
    /// CLOCK_MONOTONIC), as systemd.service(5) asks of `Type=notify-reload`
    /// services and systemd 252 already understands; `READY=1` ends the reload.
    public func reloading() throws {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
        try send(["RELOADING=1", "MONOTONIC_USEC=\(microseconds)"])
    }
    /// `STATUS=…`: a one-line status shown by `systemctl status`.
    public func status(_ text: String) throws { try send(["STATUS=\(text)"]) }

    /// Sends one notification made of `assignments` (`KEY=value` lines).
    public func send(_ assignments: [String]) throws {
        guard let socketAddress else { return }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(socketAddress.utf8)
        // An abstract socket is written with a leading NUL instead of '@' (unix(7)).
        if path.first == UInt8(ascii: "@") { path[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count < capacity else { throw NotifyError(operation: "address", errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path)
        }
        // sun_path follows sun_family; the fallback only serves the type checker.
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? MemoryLayout<sa_family_t>.size
        let length = socklen_t(pathOffset + path.count)

        #if canImport(Glibc)
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
        guard fd >= 0 else { throw NotifyError(operation: "socket", errno: errno) }
        defer { close(fd) }

        let message = Array(assignments.joined(separator: "\n").utf8)
        let sent = message.withUnsafeBytes { bytes in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                    sendto(fd, bytes.baseAddress, bytes.count, 0, sockaddrPointer, length)
                }
            }
        }
        guard sent == message.count else { throw NotifyError(operation: "sendto", errno: errno) }
    }
}
