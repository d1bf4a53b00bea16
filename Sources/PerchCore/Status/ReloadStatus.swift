/// The `reload` section of the status JSON: what the last `systemctl reload`
/// (SIGHUP) made of the configuration file. Absent until the first reload.
public struct ReloadStatus: Sendable, Equatable {
    /// Reloads asked for since start, successful or not.
    public var reloads: Int
    /// Why the last reload kept the running configuration (the file's first
    /// error, `file:line:column: key: reason`, and how many more); `nil` when
    /// it loaded.
    public var lastError: String?
    /// Keys whose new value in the file waits for a restart of perchd, since
    /// they cannot change while it runs (`uplink.url`, `mqttsn.listen`, …).
    public var restartNeeded: [String]

    /// The section with the given values.
    public init(reloads: Int, lastError: String? = nil, restartNeeded: [String] = []) {
        self.reloads = reloads
        self.lastError = lastError
        self.restartNeeded = restartNeeded
    }
}

extension ReloadStatus: Encodable {
    private enum CodingKeys: String, CodingKey {
        case reloads
        case lastError = "last_error"
        case restartNeeded = "restart_needed"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(reloads, forKey: .reloads)
        // Always there, as `uplink.last_error`: null says the last reload loaded.
        if let lastError {
            try container.encode(lastError, forKey: .lastError)
        } else {
            try container.encodeNil(forKey: .lastError)
        }
        try container.encode(restartNeeded, forKey: .restartNeeded)
    }
}
