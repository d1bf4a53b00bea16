import CoAPServer
import MQTTCodec
import NIOCore
import PerchCore
import Spool

/// What the CoAP server sees upstream: PUT and POST go through the spool
/// (SPEC §5: a confirmable request is answered once the broker acknowledged
/// the message or the spool committed it; a refusal fails the future and the
/// server answers 5.03), observations through the shared subscriptions.
struct CoAPSpooledUpstream: CoAPUpstream {
    let spool: Spool
    let subscriptions: SharedSubscriptions

    /// CoAP has no QoS of its own; observers subscribe at QoS 1 so that a
    /// message the broker sent once is not lost on the uplink (notifications
    /// to the sensor are then confirmable, issue 5).
    static let observeQoS = MQTTQoS.atLeastOnce

    func enqueue(_ message: Message) -> EventLoopFuture<Void> {
        spool.enqueue(message)
    }

    func send(_ message: Message) {
        spool.send(message)
    }

    func subscribe(_ filter: String) async throws {
        _ = try await subscriptions.subscribe(filter, qos: Self.observeQoS, for: .coap)
    }

    func unsubscribe(_ filter: String) async throws {
        try await subscriptions.unsubscribe(filter, for: .coap)
    }
}
