import Foundation

/// Finds a TCP port on 127.0.0.1 that nobody is listening on right now.
///
/// The port is only free at the moment of the call: whoever binds it later must
/// be ready to retry with another one (`MosquittoFixture` does).
public enum FreePort {
    /// Binds port 0 on 127.0.0.1, reads back the port the kernel chose, and closes.
    public static func make() throws -> Int {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TestKitError.system(operation: "socket", errno: errno) }
        defer { close(fd) }

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw TestKitError.system(operation: "bind", errno: errno) }

        var chosen = sockaddr_in()
        var chosenLength = length
        let named = withUnsafeMutablePointer(to: &chosen) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &chosenLength) }
        }
        guard named == 0 else { throw TestKitError.system(operation: "getsockname", errno: errno) }
        return Int(UInt16(bigEndian: chosen.sin_port))
    }
}
