/// Every problem found in one configuration file; thrown instead of a
/// configuration, so a file is either applied in full or not at all.
public struct ConfigurationErrors: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, ordered by position in the file.
    public var errors: [ConfigurationError]

    /// Creates the collection; the errors are ordered by position.
    public init(_ errors: [ConfigurationError]) {
        // Stable: problems found at the same spot keep the order they were found in.
        self.errors = errors.enumerated()
            .sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }
            .map(\.element)
    }

    /// One line per error, in the format of `ConfigurationError.description`.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
