import Foundation
import Synchronization

/// The "link" between perchd and the broker, which the benchmark switches on:
/// a TCP port on 127.0.0.1 that refuses connections (bound, not listening:
/// the kernel answers RST, as for a broker that is down) until `open()`, and
/// then relays every accepted connection byte for byte to the broker's port.
///
/// Why not stop and start the broker: the subscriber that counts the drain
/// must be subscribed before perchd's first PUBLISH arrives, and after a
/// broker restart perchd's reconnect and the subscriber's would race. Here
/// the broker and the subscriber stay up; only perchd's way to them is cut.
/// TLS passes through untouched (the relay never decrypts), so perchd still
/// verifies the broker's certificate. The baseline publisher goes through a
/// relay too, so both figures carry the same extra hop.
// The listening socket is set up before any thread sees the relay; afterwards
// the only mutable state is in `state` (a Mutex) and the atomics of `SharedFlag`.
final class DrainLinkRelay: Sendable {
    /// The port perchd (or the baseline publisher) is configured with.
    let port: Int
    private let listener: Int32
    private let targetPort: Int
    private let stopFlag = SharedFlag()
    private let state = Mutex(State())

    private struct State {
        var acceptedAt: [UInt64] = []
        var isOpen = false
    }

    /// Binds a free port on 127.0.0.1 without listening; `targetPort` is the broker's.
    init(targetPort: Int) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError.system(operation: "socket", errno: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard bound == 0, named == 0 else {
            let code = errno
            close(fd)
            throw BenchError.system(operation: "bind the relay", errno: code)
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        self.targetPort = targetPort
    }

    deinit {
        stopFlag.raise()
        close(listener)
    }

    /// `MonotonicTime` of every accepted connection, in order.
    var acceptances: [UInt64] { state.withLock { $0.acceptedAt } }

    /// Starts listening: the link is up. Each connection gets a thread that relays until either side closes.
    func open() throws {
        let isFirst = state.withLock { state -> Bool in
            defer { state.isOpen = true }
            return !state.isOpen
        }
        guard isFirst else { return }
        guard listen(listener, 8) == 0 else { throw BenchError.system(operation: "listen", errno: errno) }
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "bench-relay-accept"
        thread.start()
    }

    /// Ends the accept loop and every relay (within 50 ms).
    func stop() { stopFlag.raise() }

    private func acceptLoop() {
        var descriptor = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        while !stopFlag.isRaised {
            guard poll(&descriptor, 1, 50) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            let now = MonotonicTime.now()
            state.withLock { $0.acceptedAt.append(now) }
            guard let upstream = try? PosixSocket.connectedTCP(port: targetPort) else {
                close(client)
                continue
            }
            let thread = Thread { [self] in relay(client, upstream) }
            thread.name = "bench-relay"
            thread.start()
        }
    }

    /// Copies each side's bytes to the other until one closes or the relay stops.
    private func relay(_ first: Int32, _ second: Int32) {
        defer {
            close(first)
            close(second)
        }
        var descriptors = [
            pollfd(fd: first, events: Int16(POLLIN), revents: 0), pollfd(fd: second, events: Int16(POLLIN), revents: 0),
        ]
        let capacity = 256 * 1024
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        while !stopFlag.isRaised {
            let ready = descriptors.withUnsafeMutableBufferPointer { poll($0.baseAddress, 2, 50) }
            guard ready > 0 else { continue }
            for (index, descriptor) in descriptors.enumerated() where descriptor.revents != 0 {
                descriptors[index].revents = 0
                let count = recv(descriptor.fd, buffer.baseAddress, capacity, 0)
                guard count > 0 else { return }
                let target = index == 0 ? second : first
                guard PosixSocket.sendAll(target, UnsafeRawBufferPointer(start: buffer.baseAddress, count: count)) else { return }
            }
        }
    }
}
