/// `status`: the gateway's own retained status topic (SPEC §7).
public struct StatusConfiguration: Sendable, Equatable {
    /// `status.topic`, `${gateway}` substituted. Default: `perch/${gateway}/status`.
    public var topic: String
    /// `status.interval`: how often the status is republished. Default: 30s.
    public var interval: Duration
    /// `status.retain`: the status and the Last Will are retained. Default: true.
    /// Set it to false for a broker known to take no retained messages; one
    /// that says so at connect is followed anyway (`uplink.degraded`).
    public var retain: Bool
    /// `status.qos`: the QoS of the status and the Last Will, 0 to 2. Default: 1.
    public var qos: Int

    /// Creates the section.
    public init(topic: String, interval: Duration = .seconds(30), retain: Bool = true, qos: Int = 1) {
        self.topic = topic
        self.interval = interval
        self.retain = retain
        self.qos = qos
    }
}
