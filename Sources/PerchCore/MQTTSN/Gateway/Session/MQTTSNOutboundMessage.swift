import MQTTCodec
import NIOCore

/// A downlink message waiting in a client's queue: the local topic (mountpoint
/// stripped) and what the PUBLISH will carry. Its topic id is chosen when it
/// reaches the head of the queue, since a REGISTER may be needed first (§6.10).
struct MQTTSNOutboundMessage: Sendable {
    /// The topic as the client knows it.
    var localTopic: String
    /// The application payload.
    var payload: ByteBuffer
    /// The QoS to deliver at (the lower of the message's and the subscription's).
    var qos: MQTTQoS
    /// The retain flag as the broker delivered it.
    var retain: Bool
}
