import MQTTCodec
import Uplink

/// Where shared subscriptions end up: the uplink in perchd, a recorder in tests.
protocol SubscriptionUpstream: Sendable {
    /// Subscribes to `filter`, replacing an earlier subscription of the same
    /// filter; returns the QoS the broker granted.
    func subscribe(_ filter: String, qos: MQTTQoS) async throws -> MQTTQoS
    /// Removes the subscription to `filter`.
    func unsubscribe(_ filter: String) async throws
}

extension Uplink: SubscriptionUpstream {}
