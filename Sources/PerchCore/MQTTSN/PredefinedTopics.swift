/// The predefined topic ids of the configuration (`mqttsn.predefined_topics`),
/// validated once and shared by every client's ``TopicRegistry``
/// (MQTT-SN v1.2 §6.7: "known in advance by both the client's application and the gateway").
///
/// Both directions are kept so that resolving a client's PUBLISH (id → name) and
/// choosing the id of a downlink PUBLISH (name → id) are each one lookup. The
/// dictionaries are copy-on-write, so a thousand registries share one copy.
public struct PredefinedTopics: Sendable, Hashable {
    /// Topic names by predefined id.
    public let namesByID: [UInt16: String]
    /// Predefined ids by topic name: the inverse of ``namesByID``.
    public let idsByName: [String: UInt16]

    /// No predefined topics.
    public init() {
        namesByID = [:]
        idsByName = [:]
    }

    /// Validates `topics`: ids 1…65534 (§5.3.11 reserves 0x0000 and 0xFFFF), valid
    /// topic names (MQTT 5.0 §4.7: no wildcard, no U+0000, not empty), each name once.
    ///
    /// A name under two ids would make the downlink direction ambiguous, which
    /// is why the configuration refuses it too.
    public init(_ topics: [UInt16: String]) throws(PredefinedTopicsError) {
        var idsByName: [String: UInt16] = [:]
        // Sorted so that the error reported for a bad table is always the same one.
        for (id, name) in topics.sorted(by: { $0.key < $1.key }) {
            guard !TopicIDSpace.isReserved(id) else { throw .reservedID(id) }
            do throws(TopicValidationError) {
                try TopicName.validate(name)
            } catch {
                throw .invalidName(id: id, reason: error)
            }
            if let first = idsByName[name] { throw .duplicateName(name, firstID: first, secondID: id) }
            idsByName[name] = id
        }
        self.namesByID = topics
        self.idsByName = idsByName
    }

    /// True when no topic is predefined.
    public var isEmpty: Bool { namesByID.isEmpty }
}
