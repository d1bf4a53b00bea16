import NIOCore

/// CONNECT (MQTT 3.1.1 §3.1, MQTT 5.0 §3.1).
public struct ConnectPacket: Sendable, Equatable {
    /// The protocol level to speak on this connection.
    public var version: MQTTProtocolVersion
    /// The client identifier; empty asks the server to assign one.
    public var clientID: String
    /// Clean Session (3.1.1) / Clean Start (5.0).
    public var cleanStart: Bool
    /// Keep Alive in seconds; 0 turns the mechanism off (§3.1.2.10).
    public var keepAliveSeconds: UInt16
    /// The User Name; nil leaves the flag clear (§3.1.2.8).
    public var username: String?
    /// The password is binary data in both versions (3.1.1 §3.1.3.5, 5.0 §3.1.3.6).
    public var password: [UInt8]?
    /// The Will Message; nil leaves the Will Flag clear (§3.1.2.5).
    public var will: Will?
    /// CONNECT properties (5.0 only; must be empty for 3.1.1).
    public var properties: MQTTProperties

    /// The Will Message the server publishes if the connection ends without DISCONNECT.
    public struct Will: Sendable, Equatable {
        /// The Will Topic, a topic name without wildcards.
        public var topic: String
        /// The Will Payload, at most 65,535 bytes (binary data).
        public var payload: ByteBuffer
        /// Will QoS.
        public var qos: MQTTQoS
        /// Will Retain.
        public var retain: Bool
        /// Will properties (5.0 only).
        public var properties: MQTTProperties

        /// Creates the value; the codec checks it when encoding.
        public init(
            topic: String,
            payload: ByteBuffer,
            qos: MQTTQoS = .atMostOnce,
            retain: Bool = false,
            properties: MQTTProperties = MQTTProperties()
        ) {
            self.topic = topic
            self.payload = payload
            self.qos = qos
            self.retain = retain
            self.properties = properties
        }
    }

    /// Creates the value; the codec checks it when encoding.
    public init(
        version: MQTTProtocolVersion,
        clientID: String,
        cleanStart: Bool = true,
        keepAliveSeconds: UInt16 = 60,
        username: String? = nil,
        password: [UInt8]? = nil,
        will: Will? = nil,
        properties: MQTTProperties = MQTTProperties()
    ) {
        self.version = version
        self.clientID = clientID
        self.cleanStart = cleanStart
        self.keepAliveSeconds = keepAliveSeconds
        self.username = username
        self.password = password
        self.will = will
        self.properties = properties
    }
}

/// CONNACK (MQTT 3.1.1 §3.2, MQTT 5.0 §3.2).
public struct ConnAckPacket: Sendable, Equatable {
    /// Session Present: the server kept state from an earlier session (§3.2.2.2).
    public var sessionPresent: Bool
    /// The 3.1.1 Connect Return Code or the 5.0 Connect Reason Code, as sent.
    public var reasonCode: MQTTReasonCode
    /// CONNACK properties (5.0 only).
    public var properties: MQTTProperties

    /// Creates a CONNACK; success with no session by default.
    public init(sessionPresent: Bool = false, reasonCode: MQTTReasonCode = .success, properties: MQTTProperties = MQTTProperties()) {
        self.sessionPresent = sessionPresent
        self.reasonCode = reasonCode
        self.properties = properties
    }
}

/// DISCONNECT (MQTT 3.1.1 §3.14, MQTT 5.0 §3.14). In 3.1.1 it carries nothing.
public struct DisconnectPacket: Sendable, Equatable {
    /// Why the connection ends (5.0 only; 3.1.1 has no code).
    public var reasonCode: MQTTReasonCode
    /// DISCONNECT properties (5.0 only).
    public var properties: MQTTProperties

    /// Creates a DISCONNECT; Normal disconnection by default.
    public init(reasonCode: MQTTReasonCode = .success, properties: MQTTProperties = MQTTProperties()) {
        self.reasonCode = reasonCode
        self.properties = properties
    }
}
