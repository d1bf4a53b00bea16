/// SUBSCRIBE (MQTT 3.1.1 §3.8, MQTT 5.0 §3.8).
public struct SubscribePacket: Sendable, Equatable {
    /// The packet identifier; never 0 ([MQTT-2.3.1-1]).
    public var packetID: UInt16
    /// At least one ([MQTT-3.8.3-3]).
    public var subscriptions: [Subscription]
    /// SUBSCRIBE properties (5.0 only).
    public var properties: MQTTProperties

    /// One topic filter and its options (5.0 §3.8.3.1; 3.1.1 has only the QoS).
    public struct Subscription: Sendable, Equatable {
        /// The Topic Filter; may hold + and # wildcards (§4.7.1).
        public var topicFilter: String
        /// The maximum QoS the client asks for.
        public var qos: MQTTQoS
        /// 5.0 only.
        public var noLocal: Bool
        /// 5.0 only.
        public var retainAsPublished: Bool
        /// 5.0 only: 0 send retained on subscribe, 1 only if new, 2 never.
        public var retainHandling: UInt8

        /// Creates a subscription; the 5.0 options default to the 3.1.1 behaviour.
        public init(topicFilter: String, qos: MQTTQoS, noLocal: Bool = false, retainAsPublished: Bool = false, retainHandling: UInt8 = 0) {
            self.topicFilter = topicFilter
            self.qos = qos
            self.noLocal = noLocal
            self.retainAsPublished = retainAsPublished
            self.retainHandling = retainHandling
        }
    }

    /// Creates a SUBSCRIBE.
    public init(packetID: UInt16, subscriptions: [Subscription], properties: MQTTProperties = MQTTProperties()) {
        self.packetID = packetID
        self.subscriptions = subscriptions
        self.properties = properties
    }
}

/// SUBACK (MQTT 3.1.1 §3.9, MQTT 5.0 §3.9): one code per subscription, in order.
public struct SubAckPacket: Sendable, Equatable {
    /// The packet identifier; never 0 ([MQTT-2.3.1-1]).
    public var packetID: UInt16
    /// Granted QoS (0, 1, 2) or a failure (0x80 and, in 5.0, the other codes ≥ 0x80).
    public var reasonCodes: [MQTTReasonCode]
    /// Properties (5.0 only).
    public var properties: MQTTProperties

    /// Creates a SUBACK.
    public init(packetID: UInt16, reasonCodes: [MQTTReasonCode], properties: MQTTProperties = MQTTProperties()) {
        self.packetID = packetID
        self.reasonCodes = reasonCodes
        self.properties = properties
    }
}

/// UNSUBSCRIBE (MQTT 3.1.1 §3.10, MQTT 5.0 §3.10).
public struct UnsubscribePacket: Sendable, Equatable {
    /// The packet identifier; never 0 ([MQTT-2.3.1-1]).
    public var packetID: UInt16
    /// At least one ([MQTT-3.10.3-2]).
    public var topicFilters: [String]
    /// Properties (5.0 only).
    public var properties: MQTTProperties

    /// Creates an UNSUBSCRIBE.
    public init(packetID: UInt16, topicFilters: [String], properties: MQTTProperties = MQTTProperties()) {
        self.packetID = packetID
        self.topicFilters = topicFilters
        self.properties = properties
    }
}

/// UNSUBACK (MQTT 3.1.1 §3.11, MQTT 5.0 §3.11). In 3.1.1 `reasonCodes` is empty.
public struct UnsubAckPacket: Sendable, Equatable {
    /// The packet identifier; never 0 ([MQTT-2.3.1-1]).
    public var packetID: UInt16
    /// One code per topic filter, in order (5.0 only).
    public var reasonCodes: [MQTTReasonCode]
    /// Properties (5.0 only).
    public var properties: MQTTProperties

    /// Creates an UNSUBACK.
    public init(packetID: UInt16, reasonCodes: [MQTTReasonCode] = [], properties: MQTTProperties = MQTTProperties()) {
        self.packetID = packetID
        self.reasonCodes = reasonCodes
        self.properties = properties
    }
}
