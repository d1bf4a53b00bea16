/// A client's QoS 1 or 2 PUBLISH forwarded upstream whose outcome is awaited:
/// what the PUBACK or PUBREC will need (MQTT-SN v1.2 §6.6).
struct MQTTSNInboundPublish: Sendable, Hashable {
    /// 1 or 2.
    var qos: UInt8
    /// The TopicId field of the PUBLISH as sent, repeated in a PUBACK (§5.4.13).
    var topicField: UInt16
    /// Where it went upstream (mountpoint included): the broker's echo of it
    /// to this client, on that topic, waits for the PUBACK (see `pump`).
    var upstreamTopic: String
}
