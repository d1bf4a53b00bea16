/// An amount of storage, written in the file as `512KiB`, `64MiB`, `1GiB`, `100B`
/// or a plain number of bytes.
public struct ByteCount: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The number of bytes.
    public var bytes: Int64

    /// Creates a count of bytes.
    public init(bytes: Int64) {
        self.bytes = bytes
    }

    /// `count` kibibytes (1024 bytes each).
    public static func kibibytes(_ count: Int64) -> ByteCount { ByteCount(bytes: count * 1024) }
    /// `count` mebibytes (1024 KiB each).
    public static func mebibytes(_ count: Int64) -> ByteCount { ByteCount(bytes: count * 1024 * 1024) }
    /// `count` gibibytes (1024 MiB each).
    public static func gibibytes(_ count: Int64) -> ByteCount { ByteCount(bytes: count * 1024 * 1024 * 1024) }

    /// The largest binary unit that divides the count exactly, e.g. `64MiB`;
    /// the loader reads this form back to the same value.
    public var description: String {
        let units: [(suffix: String, size: Int64)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        for unit in units where bytes != 0 && bytes % unit.size == 0 {
            return "\(bytes / unit.size)\(unit.suffix)"
        }
        return "\(bytes)B"
    }

    /// Orders by number of bytes.
    public static func < (lhs: ByteCount, rhs: ByteCount) -> Bool { lhs.bytes < rhs.bytes }

    /// Parses `N`, `NB`, `NKiB`, `NMiB` or `NGiB` (N a non-negative integer);
    /// `nil` for anything else, including decimal units such as `MB`, whose
    /// meaning (1000 or 1024) users disagree about.
    static func parse(_ text: String) -> ByteCount? {
        let units: [(suffix: String, size: Int64)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("B", 1)]
        var digits = Substring(text)
        var size: Int64 = 1
        for unit in units where text.hasSuffix(unit.suffix) {
            digits = text.dropLast(unit.suffix.count)
            size = unit.size
            break
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
              let count = Int64(digits) else { return nil }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
        return overflow ? nil : ByteCount(bytes: bytes)
    }
}
