import GPIO
import MQTTCodec
import PerchCore
import Spool

/// What the pins see upstream: state and discovery messages go through the
/// spool like every other message (kept through an outage, in order), command
/// topics through the shared subscriptions.
struct GPIOSpooledUpstream: GPIOUpstream {
    let spool: Spool
    let subscriptions: SharedSubscriptions

    func publish(_ message: Message) {
        // Nobody waits for the answer: a refusal (a full spool) is logged and
        // counted by the spool itself, and the next change publishes again.
        _ = spool.enqueue(message)
    }

    func subscribe(_ filter: String) async throws {
        // QoS 1: a command the broker sent once is not lost on the uplink.
        _ = try await subscriptions.subscribe(filter, qos: .atLeastOnce, for: .gpio)
    }
}
