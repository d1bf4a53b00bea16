/// The persisted form of a client record. Written out by hand so that a field
/// added later (``MQTTSNClientRecord/isDisconnected`` was) can be read as absent
/// from a record an earlier version stored, rather than failing the whole load.
extension MQTTSNClientRecord: Codable where Peer: Codable {
    private enum CodingKeys: String, CodingKey {
        case clientID, peer, cleanSession, keepAliveSeconds, sleepSeconds, registry, subscriptions, will, isDisconnected
    }

    /// Reads a record; `isDisconnected` defaults to false when absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            clientID: try container.decode(String.self, forKey: .clientID),
            peer: try container.decode(Peer.self, forKey: .peer),
            cleanSession: try container.decode(Bool.self, forKey: .cleanSession),
            keepAliveSeconds: try container.decode(UInt16.self, forKey: .keepAliveSeconds),
            sleepSeconds: try container.decodeIfPresent(UInt16.self, forKey: .sleepSeconds),
            registry: try container.decode(TopicRegistry.self, forKey: .registry),
            subscriptions: try container.decode([MQTTSNClientSubscription].self, forKey: .subscriptions),
            will: try container.decodeIfPresent(MQTTSNWill.self, forKey: .will),
            isDisconnected: try container.decodeIfPresent(Bool.self, forKey: .isDisconnected) ?? false)
    }

    /// Writes every field; absent optionals are left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(clientID, forKey: .clientID)
        try container.encode(peer, forKey: .peer)
        try container.encode(cleanSession, forKey: .cleanSession)
        try container.encode(keepAliveSeconds, forKey: .keepAliveSeconds)
        try container.encodeIfPresent(sleepSeconds, forKey: .sleepSeconds)
        try container.encode(registry, forKey: .registry)
        try container.encode(subscriptions, forKey: .subscriptions)
        try container.encodeIfPresent(will, forKey: .will)
        try container.encode(isDisconnected, forKey: .isDisconnected)
    }
}
