/// `status`: the gateway's own retained status topic (SPEC §7).
public struct StatusConfiguration: Sendable, Equatable {
    /// `status.topic`, `${gateway}` substituted. Default: `perch/${gateway}/status`.
    public var topic: String
    /// `status.interval`: how often the status is republished. Default: 30s.
    public var interval: Duration

    /// Creates the section.
    public init(topic: String, interval: Duration = .seconds(30)) {
        self.topic = topic
        self.interval = interval
    }
}
