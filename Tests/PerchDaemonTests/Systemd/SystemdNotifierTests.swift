#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PerchDaemon
import Testing

/// A datagram socket standing in for systemd's notification socket.
final class NotifySocketListener {
    let fd: Int32
    let address: String

    init(address: String) throws {
        self.address = address
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        var path = Array(address.utf8)
        if path.first == UInt8(ascii: "@") { path[0] = 0 }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: path) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + path.count)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        // Bound the wait: a missing datagram fails the test instead of hanging it.
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// What has arrived already, without waiting.
    func receiveNow() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    deinit {
        close(fd)
        if !address.hasPrefix("@") { unlink(address) }
    }
}

@Suite("sd_notify over NOTIFY_SOCKET")
struct SystemdNotifierTests {
    @Test("READY=1 with a status reaches a path socket")
    func pathSocket() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("perch-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        let listener = try NotifySocketListener(address: path)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path])
        try notifier.ready(status: "connected")
        #expect(listener.receive() == "READY=1\nSTATUS=connected")
    }

    @Test("an abstract @ socket is addressed with a leading NUL")
    func abstractSocket() throws {
        let address = "@perch-notify-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let listener = try NotifySocketListener(address: address)
        try SystemdNotifier(environment: ["NOTIFY_SOCKET": address]).stopping()
        #expect(listener.receive() == "STOPPING=1")
    }

    @Test("outside systemd nothing is sent and nothing fails")
    func noSocket() throws {
        let notifier = SystemdNotifier(environment: [:])
        #expect(notifier.socketAddress == nil)
        try notifier.ready()
    }

    @Test("a socket that is not there is an error, not a crash")
    func missingSocket() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/perch/notify"])
        #expect(throws: SystemdNotifier.NotifyError.self) { try notifier.ready() }
    }
}
