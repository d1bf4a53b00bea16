import MQTTSNCodec

/// A client's SUBACK held until the broker has acknowledged the upstream
/// SUBSCRIBE it caused, so that "subscribed" means messages published from
/// then on reach the client.
struct MQTTSNPendingSubAck: Sendable, Hashable {
    /// The client that subscribed.
    var clientID: String
    /// Its connection at the time: a SUBACK is not sent into a later one.
    var connection: UInt64
    /// The SUBACK to send (return code accepted).
    var subAck: MQTTSNSubAck
    /// The filter as the client holds it (without the mountpoint), to take the
    /// subscription back if the broker refuses it.
    var localFilter: String
}
