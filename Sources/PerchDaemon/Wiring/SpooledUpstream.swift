import MQTTCodec
import MQTTSNServer
import NIOCore
import PerchCore
import Spool

/// What the MQTT-SN server sees upstream: its messages go through the spool
/// (SPEC §5: one outbound path), its subscriptions through the shared,
/// reference-counted subscriptions to the uplink.
struct SpooledUpstream: MQTTSNUpstream {
    let spool: Spool
    let subscriptions: SharedSubscriptions

    func enqueue(_ message: Message) -> EventLoopFuture<Void> {
        spool.enqueue(message)
    }

    func send(_ message: Message) {
        spool.send(message)
    }

    func subscribe(_ filter: String, qos: MQTTQoS) async throws -> MQTTQoS {
        try await subscriptions.subscribe(filter, qos: qos, for: .mqttsn)
    }

    func unsubscribe(_ filter: String) async throws {
        try await subscriptions.unsubscribe(filter, for: .mqttsn)
    }
}
