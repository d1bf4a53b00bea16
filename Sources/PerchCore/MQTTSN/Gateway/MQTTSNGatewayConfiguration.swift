/// What the MQTT-SN gateway state machine needs to know from the configuration
/// (SPEC §1 `mqttsn`, plus the mountpoint and the presence topics), in PerchCore's
/// own types so the core does not depend on the YAML layer.
public struct MQTTSNGatewayConfiguration: Sendable, Equatable {
    /// GwId sent in ADVERTISE and GWINFO (MQTT-SN v1.2 §5.4.1, §5.4.3).
    public var gatewayID: UInt8
    /// The predefined topic ids every client knows (§6.7).
    public var predefinedTopics: PredefinedTopics
    /// Client ids allowed to connect; empty allows any.
    public var allowedClients: Set<String>
    /// Clients connected or asleep at most; one more gets CONNACK "rejected: congestion".
    public var maxClients: Int
    /// Downlink messages held per sleeping client (§6.14).
    public var sleepingBuffer: Int
    /// Tretry (§6.13): how long to wait for the client's answer to a gateway
    /// REGISTER or a QoS 1/2 PUBLISH before sending it again.
    public var retryInterval: Duration
    /// Nretry (§6.13): retransmissions before the client is given up as lost.
    public var retryCount: Int
    /// Prefix added to every client topic upstream and stripped from downlink (SPEC §2).
    public var mountpoint: Mountpoint
    /// `{status.topic}/clients/`: where presence is published, retained, as
    /// `online`, `asleep`, `offline`, `lost` (SPEC §2); `nil` publishes none.
    public var presenceTopicPrefix: String?
    /// The ADVERTISE interval (§5.4.1, §6.1); `nil` sends none.
    public var advertiseInterval: Duration?
    /// Normal topic ids one client may hold.
    public var maximumRegistrationsPerClient: Int
    /// Datagrams accepted per source address (`mqttsn.rate_limit`); `nil` accepts all.
    public var rateLimit: RateLimit?

    /// Creates the configuration; the defaults are SPEC §1's.
    public init(
        gatewayID: UInt8 = 1,
        predefinedTopics: PredefinedTopics = PredefinedTopics(),
        allowedClients: Set<String> = [],
        maxClients: Int = 1000,
        sleepingBuffer: Int = 100,
        retryInterval: Duration = .seconds(10),
        retryCount: Int = 5,
        mountpoint: Mountpoint = .none,
        presenceTopicPrefix: String? = nil,
        advertiseInterval: Duration? = nil,
        maximumRegistrationsPerClient: Int = TopicRegistry.defaultMaximumRegistrations,
        rateLimit: RateLimit? = .default
    ) {
        self.gatewayID = gatewayID
        self.predefinedTopics = predefinedTopics
        self.allowedClients = allowedClients
        self.maxClients = maxClients
        self.sleepingBuffer = sleepingBuffer
        self.retryInterval = retryInterval
        self.retryCount = retryCount
        self.mountpoint = mountpoint
        self.presenceTopicPrefix = presenceTopicPrefix
        self.advertiseInterval = advertiseInterval
        self.maximumRegistrationsPerClient = maximumRegistrationsPerClient
        self.rateLimit = rateLimit
    }
}
