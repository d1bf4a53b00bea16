/// One problem found in a configuration file, located by key path, line and column.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file name as the caller gave it (a path or a base name).
    public var fileName: String
    /// The key path, e.g. `uplink.tls.ca_file` or `gpio.pins[1].line`; empty for
    /// problems of the whole file (YAML syntax, unreadable file).
    public var keyPath: String
    /// Where the problem is.
    public var location: SourceLocation
    /// What is wrong, in words a user can act on.
    public var message: String

    /// Creates an error.
    public init(fileName: String, keyPath: String, location: SourceLocation, message: String) {
        self.fileName = fileName
        self.keyPath = keyPath
        self.location = location
        self.message = message
    }

    /// The line of the problem, starting at 1.
    public var line: Int { location.line }
    /// The column of the problem, starting at 1.
    public var column: Int { location.column }

    /// `FILE:LINE:COLUMN: KEYPATH: MESSAGE`, or `FILE:LINE:COLUMN: MESSAGE` when
    /// the problem belongs to no key; the compiler-style prefix lets editors jump
    /// to the spot.
    public var description: String {
        keyPath.isEmpty
            ? "\(fileName):\(location): \(message)"
            : "\(fileName):\(location): \(keyPath): \(message)"
    }
}
