import MQTTSNCodec

/// The topic ids of one MQTT-SN client (MQTT-SN v1.2 §5.3.11, §5.3.12, §6.5, §6.7):
/// the normal ids Perch assigned to it, in either direction, and the predefined ids
/// of the configuration. A value with no I/O; the session owns one per client and
/// persists it for clients that connect with clean session off.
///
/// Normal ids are per client and come from one counter that skips the reserved
/// 0x0000 and 0xFFFF. An id assigned by a gateway REGISTER is *pending* until the
/// client's REGACK (§6.10): it is reserved for its name but not yet used to publish
/// to the client, nor accepted from it.
///
/// The number of registrations is bounded (``maximumRegistrations``) so that a
/// sensor registering name after name cannot grow the gateway's memory without limit.
public struct TopicRegistry: Sendable, Equatable {
    /// The bound used when none is given: far above what a sensor needs, far below
    /// what would hurt a Raspberry Pi with a thousand clients.
    public static let defaultMaximumRegistrations = 1_000

    /// The TopicId of a SUBACK that grants no single id: a wildcard filter or a
    /// short topic name (§5.4.16: the field is "not relevant" then).
    public static let noTopicID: UInt16 = 0x0000

    /// The predefined topics of the configuration, shared by every client (§6.7).
    ///
    /// Settable so that a reloaded configuration, or the current one after a
    /// registry was decoded from disk, replaces the table.
    public var predefinedTopics: PredefinedTopics

    /// How many normal ids this client may hold, pending ones included; at most
    /// 65,534, the size of the id space.
    public let maximumRegistrations: Int

    /// The normal ids assigned to this client.
    var registrations: [UInt16: Registration]
    /// The inverse of `registrations`, so the same name always gets the same id.
    var idsByName: [String: UInt16]
    /// Where the search for a free id starts: one past the last id assigned, so ids
    /// are not reused soon after being withdrawn.
    var nextCandidate: UInt16

    /// One normal topic id's name and whether the client knows it.
    struct Registration: Sendable, Hashable {
        /// The topic name the id stands for.
        var name: String
        /// False from a gateway REGISTER until the client's REGACK (§6.10).
        var isAcknowledged: Bool
    }

    /// An empty registry for one client.
    ///
    /// - Parameters:
    ///   - predefinedTopics: the configuration's predefined ids (§6.7).
    ///   - maximumRegistrations: the bound on normal ids for this client; clamped
    ///     to 0…65,534.
    public init(
        predefinedTopics: PredefinedTopics = PredefinedTopics(),
        maximumRegistrations: Int = TopicRegistry.defaultMaximumRegistrations
    ) {
        self.predefinedTopics = predefinedTopics
        self.maximumRegistrations = min(max(maximumRegistrations, 0), TopicIDSpace.assignableCount)
        self.registrations = [:]
        self.idsByName = [:]
        self.nextCandidate = TopicIDSpace.first
    }

    /// How many normal ids are assigned, pending ones included.
    public var count: Int { registrations.count }

    /// Answers a client's REGISTER (§6.5, §5.4.10): the id for `name`, the same one
    /// every time the same name is registered, for the REGACK.
    ///
    /// A name that was pending from a gateway REGISTER becomes usable: the client
    /// learns the mapping from this REGACK.
    ///
    /// - Returns: the id, or ``TopicRegistryError/notSupported`` for a name that is
    ///   not a valid topic name (empty, U+0000, `+` or `#`: a REGISTER's name is what
    ///   PUBLISH will carry, MQTT 5.0 §4.7.3 and [MQTT-4.7.1-1]; "invalid topic ID"
    ///   would only invite the client to send the same REGISTER again), or
    ///   ``TopicRegistryError/congestion`` when the client is at its bound (§5.3.10).
    public mutating func register(_ name: String) -> Result<UInt16, TopicRegistryError> {
        do {
            try TopicName.validate(name)
        } catch {
            return .failure(.notSupported)
        }
        if let id = idsByName[name] {
            registrations[id]?.isAcknowledged = true
            return .success(id)
        }
        guard let id = insert(name, isAcknowledged: true) else { return .failure(.congestion) }
        return .success(id)
    }

    /// The topic name a PUBLISH from the client refers to.
    ///
    /// - A normal id must be registered and acknowledged; otherwise "invalid topic
    ///   ID", after which the client registers the name again (§6.5).
    /// - A predefined id must be in the configuration; otherwise "invalid topic ID"
    ///   (§6.7, which notes that re-registering cannot resolve it).
    /// - A short topic name is the two characters themselves (§6.7); two octets that
    ///   are not a valid topic name (a wildcard, U+0000, not UTF-8) are "not supported".
    public func topicName(for topic: MQTTSNTopic) -> Result<String, TopicRegistryError> {
        switch topic {
        case .normal(let id):
            guard let registration = registrations[id], registration.isAcknowledged else {
                return .failure(.invalidTopicID)
            }
            return .success(registration.name)
        case .predefined(let id):
            guard let name = predefinedTopics.namesByID[id] else { return .failure(.invalidTopicID) }
            return .success(name)
        case .shortName(let shortName):
            guard let name = shortName.topicName, (try? TopicName.validate(name)) != nil else {
                return .failure(.notSupported)
            }
            return .success(name)
        }
    }

    /// The name under a normal id, pending or acknowledged: what the gateway's
    /// REGISTER carries when it is sent again because no REGACK came (`mqttsn.retry`).
    public func registeredName(id: UInt16) -> String? {
        registrations[id]?.name
    }

    /// Assigns the next free id to `name`; `nil` at the bound.
    mutating func insert(_ name: String, isAcknowledged: Bool) -> UInt16? {
        guard registrations.count < maximumRegistrations else { return nil }
        var candidate = nextCandidate
        // Terminates within 65,535 steps: maximumRegistrations ≤ 65,534 leaves an
        // assignable id free, and `successor` never returns a reserved one.
        while TopicIDSpace.isReserved(candidate) || registrations[candidate] != nil {
            candidate = TopicIDSpace.successor(of: candidate)
        }
        registrations[candidate] = Registration(name: name, isAcknowledged: isAcknowledged)
        idsByName[name] = candidate
        nextCandidate = TopicIDSpace.successor(of: candidate)
        return candidate
    }
}
