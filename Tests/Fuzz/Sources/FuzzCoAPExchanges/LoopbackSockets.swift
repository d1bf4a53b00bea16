#if canImport(Glibc)
import Glibc
#endif

/// The engine's own UDP socket, found among this process's descriptors by its
/// bound port (libcoap 4.3.1 gives no access to it), only to ask whether a
/// datagram still waits in it: `poll` sees a zero-length datagram too, where
/// FIONREAD would say 0.
struct ServerSocket {
    let descriptor: Int32

    init?(port: Int) {
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        var found: Int32?
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let fd = Int32(name), Self.isUDPSocket(fd, boundTo: port) else { continue }
            found = fd
        }
        guard let found else { return nil }
        descriptor = found
    }

    var hasPendingDatagram: Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) == 1 && entry.revents & Int16(POLLIN) != 0
    }

    private static func isUDPSocket(_ fd: Int32, boundTo port: Int) -> Bool {
        var type: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) == 0, type == Int32(SOCK_DGRAM.rawValue) else { return false }
        var address = sockaddr_in()
        var addressLength = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &addressLength) }
        }
        return named == 0 && address.sin_family == sa_family_t(AF_INET) && Int(UInt16(bigEndian: address.sin_port)) == port
    }
}

/// A sensor's UDP socket on 127.0.0.1, connected to the engine's port; its own
/// source port makes it its own libcoap session.
struct ClientSocket {
    private let descriptor: Int32

    init?(serverPort: Int) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(clamping: serverPort).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            return nil
        }
        descriptor = fd
    }

    /// Sends one datagram. On loopback it is in the engine's socket when
    /// `send` returns; one that cannot be sent (too large) is simply not sent.
    func send(_ datagram: Slice<UnsafeRawBufferPointer>) {
        let buffer = UnsafeRawBufferPointer(rebasing: datagram)
        _ = Glibc.send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT))
    }

    func close() {
        Glibc.close(descriptor)
    }
}
