/// Where the MQTT-SN gateway keeps its clients' records across restarts of
/// Perch (SPEC §3), in the state directory. Implemented on SQLite by `Storage`.
///
/// Calls block on disk I/O: the shell makes them off its event loop, and batches
/// the `.store`/`.forget` actions of a burst into one `apply` (one transaction),
/// so that an idle gateway writes nothing and a busy one writes rarely (SPEC §5:
/// flash-friendly).
public protocol MQTTSNClientStoring: Sendable {
    /// Every record kept, in no particular order.
    func loadClients<Peer: Codable & Hashable & Sendable>(as peer: Peer.Type) throws -> [MQTTSNClientRecord<Peer>]
    /// Replaces the records in `records` (by client id) and removes those of
    /// `forgotten`, atomically: after a crash either all of it is on disk or none.
    func apply<Peer: Codable & Hashable & Sendable>(storing records: [MQTTSNClientRecord<Peer>], forgetting forgotten: [String]) throws
}
