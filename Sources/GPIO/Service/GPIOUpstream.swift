import PerchCore

/// What the pins need upstream; perchd passes the spool and the shared
/// subscriptions, tests a real broker connection.
public protocol GPIOUpstream: Sendable {
    /// Sends a state or discovery message (retained, QoS 1). The spool keeps it
    /// through an outage, in order with everything else the gateway sends.
    func publish(_ message: Message)

    /// Subscribes upstream: the pins' command topics and Home Assistant's
    /// birth topic. Messages arrive through `GPIOService.deliver(_:)`.
    func subscribe(_ filter: String) async throws
}
