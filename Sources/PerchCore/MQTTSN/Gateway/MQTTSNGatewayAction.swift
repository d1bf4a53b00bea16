import MQTTCodec
import MQTTSNCodec

/// What the MQTT-SN gateway state machine asks its shell (the UDP server) to do.
/// The state machine does no I/O; the shell carries these out in order.
public enum MQTTSNGatewayAction<Peer: Hashable & Sendable>: Sendable {
    /// Send `packet` to one client.
    case send(MQTTSNPacket, to: Peer)
    /// Send `packet` (an ADVERTISE) to the configured broadcast address.
    case broadcast(MQTTSNPacket)
    /// Publish `message` upstream; the topic already carries the mountpoint.
    /// With a receipt, the shell reports the outcome through
    /// `MQTTSNGateway.upstreamPublishCompleted(_:accepted:now:actions:)`:
    /// the client's PUBACK/PUBREC waits for it (SPEC §5).
    case publish(Message, receipt: UpstreamReceipt?)
    /// Subscribe upstream to `filter` (mountpoint included) at `qos`: the first
    /// local subscriber to it, or one asking for a higher QoS.
    case subscribe(TopicFilter, qos: MQTTQoS)
    /// Unsubscribe upstream from `filter`: its last local subscriber left.
    case unsubscribe(TopicFilter)
    /// Persist this client's record (registrations, subscriptions, will, peer),
    /// replacing any earlier one.
    case store(MQTTSNClientRecord<Peer>)
    /// Forget the persisted record of this client id.
    case forget(clientID: String)
}

/// Identifies one upstream publish whose outcome a client is waiting for: the
/// aggregating gateway's map from (client, MsgId) to the one uplink
/// (SPEC §3). Opaque to the shell, which only hands it back.
public struct UpstreamReceipt: Sendable, Hashable {
    /// The client that sent the PUBLISH.
    public var clientID: String
    /// The client's MsgId.
    public var messageID: UInt16
    /// Distinguishes this receipt from one of an earlier connection of the
    /// same client that reused the MsgId.
    public var generation: UInt64

    /// Creates a receipt.
    public init(clientID: String, messageID: UInt16, generation: UInt64) {
        self.clientID = clientID
        self.messageID = messageID
        self.generation = generation
    }
}

extension MQTTSNGatewayAction: Equatable where Peer: Equatable {}
