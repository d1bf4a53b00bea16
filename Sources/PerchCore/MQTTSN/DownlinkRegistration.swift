/// The normal topic id under which the gateway publishes a topic to a client
/// that subscribed with a wildcard (MQTT-SN v1.2 §6.10).
public struct DownlinkRegistration: Sendable, Hashable {
    /// The client's normal id for the topic.
    public var id: UInt16
    /// True when the id was assigned just now: the gateway sends REGISTER(id, topic)
    /// and holds the PUBLISH until the client's REGACK.
    public var isNew: Bool

    /// Wraps an id and whether it is new.
    public init(id: UInt16, isNew: Bool) {
        self.id = id
        self.isNew = isNew
    }
}
