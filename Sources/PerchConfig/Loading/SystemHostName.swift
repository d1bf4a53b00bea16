#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The machine's host name, the default of `gateway.id`.
public enum SystemHostName {
    /// The host name as `gethostname(2)` reports it, up to the first dot;
    /// empty if it cannot be read (the loader then reports `gateway.id`).
    public static func current() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let name = String(decoding: bytes, as: UTF8.self)
        return String(name.prefix { $0 != "." })
    }
}
