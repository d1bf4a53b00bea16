#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain UDP socket on 127.0.0.1 for sending bytes no CoAP client would:
/// the tests' malformed datagrams. Blocking, with a receive timeout, so every
/// wait is bounded.
final class DatagramSocket {
    struct Failure: Error, CustomStringConvertible {
        let what: String
        /// `errno` right after the failed call, before anything else can change it.
        let code: Int32
        init(what: String) {
            self.what = what
            self.code = errno
        }
        var description: String { "\(what): errno \(code)" }
    }

    private let fd: Int32
    private var server: sockaddr_in

    /// A socket that sends to 127.0.0.1:`port` and waits at most `timeout` seconds per receive.
    init(port: Int, timeout seconds: Int = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(what: "socket") }
        var limit = timeval(tv_sec: seconds, tv_usec: 0)
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            let failure = Failure(what: "setsockopt")
            close(fd)
            throw failure
        }
        server = sockaddr_in()
        server.sin_family = sa_family_t(AF_INET)
        server.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
        server.sin_addr.s_addr = inet_addr("127.0.0.1")
    }

    deinit { close(fd) }

    /// Sends `bytes` as one datagram.
    func send(_ bytes: [UInt8]) throws {
        let sent = withUnsafePointer(to: &server) { address in
            address.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bytes.withUnsafeBytes { buffer in
                    sendto(fd, buffer.baseAddress, buffer.count, 0, address, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard sent == bytes.count else { throw Failure(what: "sendto") }
    }

    /// The next datagram, or a `Failure` when none comes within the timeout.
    func receive() throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 1500)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { throw Failure(what: "recv") }
        return Array(buffer.prefix(count))
    }
}
