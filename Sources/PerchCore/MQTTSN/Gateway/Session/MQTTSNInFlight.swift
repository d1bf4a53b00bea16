import MQTTSNCodec

/// The one exchange a client has outstanding with the gateway, downlink
/// (MQTT-SN v1.2 §6.10, §6.13): at most one REGISTER or QoS 1/2 PUBLISH at a
/// time, retransmitted every `retryInterval` until answered or given up.
struct MQTTSNInFlight: Sendable {
    /// What the gateway is waiting for.
    enum Stage: Sendable, Hashable {
        /// REGISTER sent for the message at the head of the queue; awaiting REGACK (§6.10).
        case register(topicID: UInt16, topicName: String)
        /// PUBLISH sent at QoS 1 or 2; awaiting PUBACK or PUBREC (§6.10).
        case publish(MQTTSNPublish)
        /// PUBREL sent for a QoS 2 PUBLISH; awaiting PUBCOMP (§6.10).
        case release
    }

    /// What is awaited.
    var stage: Stage
    /// The gateway's MsgId of the REGISTER or PUBLISH.
    var messageID: UInt16
    /// Retransmissions so far (§6.13: Nretry).
    var retries: Int
}
