/// CONNECT (MQTT-SN v1.2 §5.4.4). The ProtocolId is always 0x01 (§5.3.8), so
/// it is not a field: a datagram with another one does not decode.
public struct MQTTSNConnect: Sendable, Hashable {
    /// Will flag: the gateway is to ask for a will topic and message (§6.3).
    public var will: Bool
    /// CleanSession flag: start over, without earlier subscriptions, registrations and will (§6.3).
    public var cleanSession: Bool
    /// Duration: the keep-alive period in seconds (§5.3.3).
    public var durationSeconds: UInt16
    /// ClientId: the client's id, 1–23 characters by §5.3.1 (checked by the session, not here).
    public var clientID: String

    /// Creates the message.
    public init(will: Bool = false, cleanSession: Bool = true, durationSeconds: UInt16, clientID: String) {
        self.will = will
        self.cleanSession = cleanSession
        self.durationSeconds = durationSeconds
        self.clientID = clientID
    }
}

/// The fields of a non-empty WILLTOPIC (§5.4.7) or WILLTOPICUPD (§5.4.22).
///
/// The empty form of either message (exactly two octets) deletes the will; it is
/// modelled as `nil` where the packet carries an optional `MQTTSNWillTopic`.
public struct MQTTSNWillTopic: Sendable, Hashable {
    /// QoS of the will message.
    public var qos: MQTTSNQoS
    /// Whether the will message is to be retained.
    public var retain: Bool
    /// WillTopic: the topic name of the will.
    public var topic: String

    /// Creates the will topic.
    public init(qos: MQTTSNQoS = .atMostOnce, retain: Bool = false, topic: String) {
        self.qos = qos
        self.retain = retain
        self.topic = topic
    }
}
