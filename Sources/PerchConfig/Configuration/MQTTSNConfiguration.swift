import PerchCore

/// `mqttsn`: the MQTT-SN v1.2 gateway (SPEC §3).
public struct MQTTSNConfiguration: Sendable, Equatable {
    /// `mqttsn.listen`: UDP addresses to bind; empty turns MQTT-SN off.
    /// Default: `0.0.0.0:1884`.
    public var listen: [ListenAddress]
    /// `mqttsn.gateway_id`: the GwId in ADVERTISE and GWINFO. Default: 1.
    public var gatewayID: UInt8
    /// `mqttsn.advertise`: periodic ADVERTISE broadcasts; `nil` (off) when absent.
    public var advertise: AdvertiseConfiguration?
    /// `mqttsn.predefined_topics`: topic ids every client knows, sorted by id.
    public var predefinedTopics: [PredefinedTopic]
    /// `mqttsn.allow_clients`: client ids allowed to connect; empty allows any.
    public var allowedClients: [String]
    /// `mqttsn.max_clients`: connected clients at most. Default: 1000.
    public var maxClients: Int
    /// `mqttsn.sleeping_buffer`: messages held per sleeping client. Default: 100.
    public var sleepingBuffer: Int
    /// `mqttsn.retry`: QoS 1/2 downlink retransmission.
    public var retry: RetryConfiguration
    /// `mqttsn.receive_buffer`: SO_RCVBUF of each listening socket, 64KiB…1GiB;
    /// the kernel clamps it to `net.core.rmem_max`. Default: 4MiB.
    public var receiveBuffer: ByteCount
    /// `mqttsn.rate_limit`: datagrams accepted per source address, `{rate, burst}`;
    /// `off` (`nil`) accepts all. Default: 1000/s, burst 2000.
    public var rateLimit: RateLimit?

    /// The default MQTT-SN listen address (SPEC §8: 1884/udp).
    public static let defaultListen = [ListenAddress(host: "0.0.0.0", port: 1884)]

    /// Creates the section.
    public init(
        listen: [ListenAddress] = MQTTSNConfiguration.defaultListen,
        gatewayID: UInt8 = 1,
        advertise: AdvertiseConfiguration? = nil,
        predefinedTopics: [PredefinedTopic] = [],
        allowedClients: [String] = [],
        maxClients: Int = 1000,
        sleepingBuffer: Int = 100,
        retry: RetryConfiguration = RetryConfiguration(),
        receiveBuffer: ByteCount = MQTTSNConfiguration.defaultReceiveBuffer,
        rateLimit: RateLimit? = .default
    ) {
        self.listen = listen
        self.gatewayID = gatewayID
        self.advertise = advertise
        self.predefinedTopics = predefinedTopics
        self.allowedClients = allowedClients
        self.maxClients = maxClients
        self.sleepingBuffer = sleepingBuffer
        self.retry = retry
        self.receiveBuffer = receiveBuffer
        self.rateLimit = rateLimit
    }

    /// The default `mqttsn.receive_buffer`: a burst of about 20 000 small datagrams
    /// (the kernel charges each its bookkeeping), where Linux's own default of
    /// about 208KiB overflows at a few thousand.
    public static let defaultReceiveBuffer = ByteCount.mebibytes(4)
}

/// `mqttsn.advertise`: ADVERTISE broadcasts (MQTT-SN v1.2 §5.4.1).
public struct AdvertiseConfiguration: Sendable, Equatable {
    /// `mqttsn.advertise.interval`, whole seconds up to 65535s. Default: 15m.
    public var interval: Duration
    /// `mqttsn.advertise.address`: where to send them. Default: `255.255.255.255:1884`.
    public var address: ListenAddress

    /// Creates the section.
    public init(interval: Duration = .seconds(900), address: ListenAddress = ListenAddress(host: "255.255.255.255", port: 1884)) {
        self.interval = interval
        self.address = address
    }
}

/// One entry of `mqttsn.predefined_topics`.
public struct PredefinedTopic: Sendable, Hashable {
    /// The topic id, 1…65534 (MQTT-SN v1.2 §5.3.11 reserves 0x0000 and 0xFFFF).
    public var id: UInt16
    /// The topic name, `${gateway}` substituted.
    public var topic: String

    /// Creates an entry.
    public init(id: UInt16, topic: String) {
        self.id = id
        self.topic = topic
    }
}

/// `mqttsn.retry`: retransmission of unacknowledged QoS 1/2 downlink
/// (MQTT-SN v1.2 §6.13: Tretry and Nretry).
public struct RetryConfiguration: Sendable, Equatable {
    /// `mqttsn.retry.interval`: Tretry. Default: 10s.
    public var interval: Duration
    /// `mqttsn.retry.count`: Nretry. Default: 5.
    public var count: Int

    /// Creates the section.
    public init(interval: Duration = .seconds(10), count: Int = 5) {
        self.interval = interval
        self.count = count
    }
}
