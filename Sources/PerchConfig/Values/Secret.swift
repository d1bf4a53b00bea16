/// A password or key, read from the file or from a `*_file`; never printed.
public struct Secret: Sendable, Hashable, CustomStringConvertible {
    /// Where the value came from; the rendered configuration shows this, not the value.
    public enum Source: Sendable, Hashable {
        /// Written inline in the configuration file.
        case inline
        /// Read from this file at load time.
        case file(path: String)
    }

    /// The secret itself, with one trailing newline of a file removed.
    public var value: String
    /// Where the value came from.
    public var source: Source

    /// Creates a secret.
    public init(value: String, source: Source) {
        self.value = value
        self.source = source
    }

    /// Always `<redacted>`, so that a secret interpolated into a log line stays secret.
    public var description: String { "<redacted>" }
}
