/// The state of one client that survives a restart of Perch (SPEC §3): its
/// registrations, and for a client that connected with clean session off, its
/// subscriptions and will. The shell's store keeps it opaque (Codable).
public struct MQTTSNClientRecord<Peer: Hashable & Sendable>: Sendable {
    /// The client id (§5.3.1).
    public var clientID: String
    /// Where the client was last heard from.
    public var peer: Peer
    /// The CleanSession flag of its last CONNECT.
    public var cleanSession: Bool
    /// The keep-alive duration of its last CONNECT, in seconds.
    public var keepAliveSeconds: UInt16
    /// Asleep (DISCONNECT with a duration) rather than active, and for how long.
    public var sleepSeconds: UInt16?
    /// Its normal topic ids.
    public var registry: TopicRegistry
    /// Its subscriptions: filter (local, without mountpoint), QoS and, where the
    /// SUBACK granted one, the id used downlink.
    public var subscriptions: [MQTTSNClientSubscription]
    /// Its will, if any.
    public var will: MQTTSNWill?
    /// True for a clean-session-off client that had disconnected (or was lost)
    /// when the record was written: it is restored with its session but neither
    /// connected nor supervised, so no will is published for it after a restart.
    public var isDisconnected: Bool

    /// Creates a record.
    public init(
        clientID: String, peer: Peer, cleanSession: Bool, keepAliveSeconds: UInt16, sleepSeconds: UInt16? = nil,
        registry: TopicRegistry, subscriptions: [MQTTSNClientSubscription], will: MQTTSNWill?,
        isDisconnected: Bool = false
    ) {
        self.clientID = clientID
        self.peer = peer
        self.cleanSession = cleanSession
        self.keepAliveSeconds = keepAliveSeconds
        self.sleepSeconds = sleepSeconds
        self.registry = registry
        self.subscriptions = subscriptions
        self.will = will
        self.isDisconnected = isDisconnected
    }
}

extension MQTTSNClientRecord: Equatable where Peer: Equatable {}

/// One subscription of a client, as persisted.
public struct MQTTSNClientSubscription: Sendable, Hashable, Codable {
    /// The filter the client subscribed to, without the mountpoint.
    public var filter: String
    /// The QoS granted, 0…2.
    public var qos: UInt8
    /// How PUBLISHes on it reach the client: predefined id, short name, or the
    /// normal id of a plain name; `nil` for a wildcard filter.
    public var topicID: UInt16?
    /// Whether ``topicID`` is predefined (else normal); a short name is stored in ``shortName``.
    public var isPredefined: Bool
    /// The two-character short name, when subscribed by one.
    public var shortName: String?

    /// Creates a subscription record.
    public init(filter: String, qos: UInt8, topicID: UInt16? = nil, isPredefined: Bool = false, shortName: String? = nil) {
        self.filter = filter
        self.qos = qos
        self.topicID = topicID
        self.isPredefined = isPredefined
        self.shortName = shortName
    }
}

/// A client's will (§6.3): published by Perch when the client is lost.
public struct MQTTSNWill: Sendable, Hashable, Codable {
    /// The will topic, without the mountpoint.
    public var topic: String
    /// The will message.
    public var payload: [UInt8]
    /// QoS 0…2.
    public var qos: UInt8
    /// Whether the will is retained.
    public var retain: Bool

    /// Creates a will.
    public init(topic: String, payload: [UInt8], qos: UInt8, retain: Bool) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
    }
}
