import Foundation

/// The few socket calls the load generator and the counter make, with errno
/// turned into `BenchError.system`. Loopback only: every address is 127.0.0.1.
enum PosixSocket {
    /// A UDP socket connected to 127.0.0.1:`port` (so `send` needs no address and
    /// only that peer's datagrams arrive), non-blocking.
    static func connectedUDP(port: Int, receiveBuffer: Int = 256 * 1024) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError.system(operation: "socket", errno: errno) }
        do {
            try setOption(fd, SOL_SOCKET, SO_RCVBUF, Int32(receiveBuffer))
            try connect(fd, port: port)
            try makeNonBlocking(fd)
            return fd
        } catch {
            close(fd)
            throw error
        }
    }

    /// A blocking TCP connection to 127.0.0.1:`port` with Nagle off (small packets, latency measured).
    static func connectedTCP(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError.system(operation: "socket", errno: errno) }
        do {
            try setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            try connect(fd, port: port)
            return fd
        } catch {
            close(fd)
            throw error
        }
    }

    /// A UDP port on 127.0.0.1 that nobody has bound right now.
    static func freeUDPPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError.system(operation: "socket", errno: errno) }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw BenchError.system(operation: "bind", errno: errno) }
        var chosen = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &chosen) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw BenchError.system(operation: "getsockname", errno: errno) }
        return Int(UInt16(bigEndian: chosen.sin_port))
    }

    /// Writes all of `bytes` to a blocking socket; false when the peer has gone.
    static func sendAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard var base = bytes.baseAddress else { return true }
        var remaining = bytes.count
        while remaining > 0 {
            let written = send(fd, base, remaining, Int32(MSG_NOSIGNAL))
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            remaining -= written
            base += written
        }
        return true
    }

    /// Sets a receive timeout on a blocking socket, so a reader loop can check a stop flag.
    static func setReceiveTimeout(_ fd: Int32, milliseconds: Int) throws {
        var value = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw BenchError.system(operation: "setsockopt(SO_RCVTIMEO)", errno: errno)
        }
    }

    /// Raises the open-file limit to its hard maximum: 1,000 UDP clients and
    /// 1,000 TCP publishers need more descriptors than some shells allow by default.
    static func raiseDescriptorLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    private static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) throws {
        var value = value
        guard setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw BenchError.system(operation: "setsockopt(\(name))", errno: errno)
        }
    }

    private static func connect(_ fd: Int32, port: Int) throws {
        var address = loopback(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { throw BenchError.system(operation: "connect to port \(port)", errno: errno) }
    }

    private static func makeNonBlocking(_ fd: Int32) throws {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw BenchError.system(operation: "fcntl(O_NONBLOCK)", errno: errno)
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(truncatingIfNeeded: port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
