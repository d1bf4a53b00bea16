import Foundation

/// `poll(2)` over the load generator's sockets: one call tells which clients
/// have acknowledgements to read, instead of one `recv` per client. (epoll
/// would scale better, but Glibc's Swift module does not export it, and a C
/// shim target is not worth it for 1,000 descriptors.)
struct ReadinessPoll {
    private var descriptors: [pollfd] = []

    init() {}

    /// Watches `socket` for input; its index in the order of `add` calls comes back from `wait`.
    mutating func add(_ socket: Int32) {
        descriptors.append(pollfd(fd: socket, events: Int16(POLLIN), revents: 0))
    }

    /// Waits up to `timeoutMilliseconds` (0: just look) and calls `ready` with each readable socket's index.
    mutating func wait(timeoutMilliseconds: Int32, _ ready: (Int) -> Void) {
        let count = descriptors.withUnsafeMutableBufferPointer { buffer in
            poll(buffer.baseAddress, nfds_t(buffer.count), timeoutMilliseconds)
        }
        guard count > 0 else { return }
        var remaining = Int(count)
        for index in descriptors.indices where descriptors[index].revents != 0 {
            descriptors[index].revents = 0
            ready(index)
            remaining -= 1
            if remaining == 0 { break }
        }
    }
}
