/// What the uplink reports about its connection: the `uplink` section of the
/// status JSON (SPEC §7).
public struct UplinkStatus: Sendable, Equatable {
    /// True between an accepted CONNACK and the loss of the connection.
    public var isConnected: Bool
    /// The broker URL as configured, e.g. `mqtts://broker.example.com:8883`.
    public var broker: String
    /// How many times the connection was established again after the first time.
    public var reconnects: Int
    /// The last connection failure in words, `nil` until one happens.
    public var lastError: String?
    /// What the broker's limits made the uplink give up, e.g. `["will_retain",
    /// "status_retain"]` (SPEC §5, §7); empty on a broker that takes everything.
    public var degraded: [String]

    public init(isConnected: Bool = false, broker: String, reconnects: Int = 0, lastError: String? = nil, degraded: [String] = []) {
        self.isConnected = isConnected
        self.broker = broker
        self.reconnects = reconnects
        self.lastError = lastError
        self.degraded = degraded
    }
}
