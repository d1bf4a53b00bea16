/// A storage failure that is not an SQLite result code: the state directory,
/// a schema newer than this perchd, a value of the wrong type in a column.
public struct StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure, for callers that react to one of them.
    public struct Code: Sendable, Hashable {
        private enum Base: Sendable, Hashable { case stateDirectory, newerSchema, unexpectedValue }
        private let base: Base

        /// The state directory could not be created or is not a directory.
        public static let stateDirectory = Code(base: .stateDirectory)
        /// The file was written by a newer perchd (its `user_version` is past our migrations).
        public static let newerSchema = Code(base: .newerSchema)
        /// A column held a value this code does not accept (e.g. NULL where a blob belongs).
        public static let unexpectedValue = Code(base: .unexpectedValue)
    }

    /// What kind of failure.
    public let code: Code
    /// The whole story, for the log and the operator.
    public let message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
