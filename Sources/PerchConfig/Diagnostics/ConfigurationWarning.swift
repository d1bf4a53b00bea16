/// Something in a valid configuration that deserves the user's attention,
/// such as a secret file that other users can read.
public struct ConfigurationWarning: Sendable, Hashable, CustomStringConvertible {
    /// The file name as the caller gave it.
    public var fileName: String
    /// The key the warning is about, e.g. `uplink.password_file`.
    public var keyPath: String
    /// Where the key is.
    public var location: SourceLocation
    /// What to look at and how to fix it.
    public var message: String

    /// Creates a warning.
    public init(fileName: String, keyPath: String, location: SourceLocation, message: String) {
        self.fileName = fileName
        self.keyPath = keyPath
        self.location = location
        self.message = message
    }

    /// `FILE:LINE:COLUMN: warning: KEYPATH: MESSAGE`.
    public var description: String {
        "\(fileName):\(location): warning: \(keyPath): \(message)"
    }
}
