#if canImport(Glibc)
import Glibc
#endif
import NIOPosix

/// Datagrams the kernel dropped for our sockets because their receive buffer was
/// full: the `drops` column of /proc/net/udp and /proc/net/udp6 (Linux), summed
/// over the lines whose local port is one of ours. This is where a gateway loses
/// messages under load, so the status reports it.
struct KernelUDPDrops {
    /// The tables to read; IPv4 and IPv6 sockets are listed separately.
    static let tables = ["/proc/net/udp", "/proc/net/udp6"]

    /// Sums `drops` over the rows of `table` (the text of one of those files)
    /// whose local port is in `ports`; `nil` when the text has no drops column.
    static func drops(inTable table: String, localPorts ports: Set<Int>) -> UInt64? {
        var lines = table.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
        guard let header = lines.next() else { return nil }
        let columns = header.split(separator: " ", omittingEmptySubsequences: true)
        guard columns.last == "drops" else { return nil }
        var total: UInt64 = 0
        while let line = lines.next() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // "sl local_address ..." where local_address is HEXADDR:HEXPORT.
            guard fields.count >= 3, let last = fields.last, let drops = UInt64(last),
                  let colon = fields[1].lastIndex(of: ":"),
                  let port = Int(fields[1][fields[1].index(after: colon)...], radix: 16),
                  ports.contains(port) else { continue }
            total &+= drops
        }
        return total
    }

    /// Reads both tables on `threadPool`; `nil` where /proc is not there (not Linux).
    static func read(localPorts ports: Set<Int>, threadPool: NIOThreadPool) async -> UInt64? {
        let tables = Self.tables
        return try? await threadPool.runIfActive { () -> UInt64? in
            var total: UInt64?
            for path in tables {
                guard let text = readSmallFile(path),
                      let drops = drops(inTable: text, localPorts: ports) else { continue }
                total = (total ?? 0) &+ drops
            }
            return total
        }
    }

    /// The whole of a /proc file (which reports size 0, so it is read until EOF,
    /// up to a bound); blocking, hence only on the thread pool.
    private static func readSmallFile(_ path: String) -> String? {
        #if canImport(Glibc)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while bytes.count < 4 << 20 {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
        #else
        return nil
        #endif
    }
}
