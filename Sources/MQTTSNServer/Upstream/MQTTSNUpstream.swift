import MQTTCodec
import NIOCore
import PerchCore

/// The one upstream MQTT connection, as the MQTT-SN server sees it: `Uplink`
/// satisfies it with exactly these signatures (the conformance is declared where
/// both are known, in PerchDaemon, so this adapter never imports another).
public protocol MQTTSNUpstream: Sendable {
    /// Queues `message` for the broker; the future completes when the broker has
    /// taken it (PUBACK at QoS 1, PUBREC at QoS 2, written at QoS 0) and fails
    /// when it refuses it or the uplink stops.
    func enqueue(_ message: Message) -> EventLoopFuture<Void>
    /// Queues `message` like `enqueue` with nothing to complete: for traffic
    /// nobody waits on (QoS 0 and -1 from sensors, presence, wills), it saves a
    /// promise and a callback per message.
    func send(_ message: Message)
    /// Subscribes to `filter` (mountpoint included) and returns the granted QoS.
    func subscribe(_ filter: String, qos: MQTTQoS) async throws -> MQTTQoS
    /// Removes the subscription to `filter`.
    func unsubscribe(_ filter: String) async throws
}
