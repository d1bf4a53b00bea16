/// `uplink`: the one MQTT connection to the upstream broker.
public struct UplinkConfiguration: Sendable, Equatable {
    /// `uplink.url`: the broker (required).
    public var url: BrokerURL
    /// `uplink.protocol`: MQTT 3.1.1 or 5. Default: 5.
    public var protocolVersion: MQTTProtocolVersion
    /// `uplink.client_id`, `${gateway}` substituted. Default: `perch-${gateway}`.
    public var clientID: String
    /// `uplink.username`; `nil` when absent.
    public var username: String?
    /// `uplink.password` or `uplink.password_file`; `nil` when absent.
    public var password: Secret?
    /// `uplink.keepalive`, whole seconds. Default: 30s.
    public var keepAlive: Duration
    /// `uplink.clean_start`. Default: `false` (keep the session and downlink
    /// subscriptions across reconnects).
    public var cleanStart: Bool
    /// `uplink.mountpoint`: prefix of every sensor topic upstream, `${gateway}`
    /// substituted; may still hold `${clientid}`, which `mountpoint(forClient:)`
    /// fills in. Default: empty.
    public var mountpoint: String
    /// `uplink.reconnect`: back-off bounds.
    public var reconnect: ReconnectConfiguration
    /// `uplink.connect_timeout`: how long TCP, TLS and the MQTT CONNECT together
    /// may take before the attempt is abandoned and retried. Default: 10s.
    public var connectTimeout: Duration
    /// `uplink.max_packet_size`: the largest MQTT packet the broker takes, for
    /// brokers that cannot announce it (MQTT 3.1.1). A message whose PUBLISH
    /// would be larger is refused to its sensor. An MQTT 5 broker's own
    /// Maximum Packet Size (CONNACK) applies too; the smaller wins. Default: none.
    public var maximumPacketSize: ByteCount?
    /// `uplink.tls`: present exactly when the url is `mqtts://`.
    public var tls: UplinkTLSConfiguration?

    /// Creates the section.
    public init(
        url: BrokerURL,
        protocolVersion: MQTTProtocolVersion = .v5,
        clientID: String,
        username: String? = nil,
        password: Secret? = nil,
        keepAlive: Duration = .seconds(30),
        cleanStart: Bool = false,
        mountpoint: String = "",
        reconnect: ReconnectConfiguration = ReconnectConfiguration(),
        connectTimeout: Duration = .seconds(10),
        maximumPacketSize: ByteCount? = nil,
        tls: UplinkTLSConfiguration?
    ) {
        self.url = url
        self.protocolVersion = protocolVersion
        self.clientID = clientID
        self.username = username
        self.password = password
        self.keepAlive = keepAlive
        self.cleanStart = cleanStart
        self.mountpoint = mountpoint
        self.reconnect = reconnect
        self.connectTimeout = connectTimeout
        self.maximumPacketSize = maximumPacketSize
        self.tls = tls
    }

    /// The mountpoint for one sensor: `${clientid}` replaced by its client id.
    public func mountpoint(forClient clientID: String) -> String {
        mountpoint.replacing(TopicTemplate.clientIDVariable, with: clientID)
    }
}

/// `uplink.protocol`: the MQTT version spoken upstream.
public enum MQTTProtocolVersion: String, Sendable, Hashable, CaseIterable {
    /// MQTT 3.1.1, written `"3.1.1"`.
    case v3_1_1 = "3.1.1"
    /// MQTT 5.0, written `"5"`.
    case v5 = "5"
}

/// `uplink.reconnect`: exponential back-off with jitter between `min` and `max`.
public struct ReconnectConfiguration: Sendable, Equatable {
    /// `uplink.reconnect.min`: the first delay. Default: 1s.
    public var minimum: Duration
    /// `uplink.reconnect.max`: the largest delay. Default: 2m.
    public var maximum: Duration

    /// Creates the bounds; the loader guarantees `minimum <= maximum`.
    public init(minimum: Duration = .seconds(1), maximum: Duration = .seconds(120)) {
        self.minimum = minimum
        self.maximum = maximum
    }
}
