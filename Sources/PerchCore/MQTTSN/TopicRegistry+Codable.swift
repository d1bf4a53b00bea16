/// The persisted form of a client's registrations, for clients that connect with
/// clean session off (SPEC §3: registrations survive a restart of Perch).
///
/// ```json
/// {"version": 1, "maximumRegistrations": 1000, "nextTopicID": 3,
///  "predefinedTopics": [{"id": 1, "topic": "sensors/temperature"}],
///  "registrations": [{"id": 1, "topic": "a/b", "acknowledged": true}, …]}
/// ```
///
/// Decoding checks everything again, since a file on disk may be damaged or edited:
/// no reserved id, no id or name twice, valid names, no more registrations than the
/// bound. The predefined table is kept for a complete round trip; set the current
/// configuration's after decoding, as the file may predate a change to it.
extension TopicRegistry: Codable {
    /// The format this code writes; decoding refuses any other.
    static let persistedVersion = 1

    private enum CodingKeys: String, CodingKey {
        case version, maximumRegistrations, nextTopicID, predefinedTopics, registrations
    }

    private struct Entry: Codable {
        var id: UInt16
        var topic: String
        var acknowledged: Bool
    }

    /// Writes the registry; registrations sorted by id, so equal registries give equal bytes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.persistedVersion, forKey: .version)
        try container.encode(maximumRegistrations, forKey: .maximumRegistrations)
        try container.encode(nextCandidate, forKey: .nextTopicID)
        try container.encode(predefinedTopics, forKey: .predefinedTopics)
        let entries = registrations.sorted { $0.key < $1.key }.map { id, registration in
            Entry(id: id, topic: registration.name, acknowledged: registration.isAcknowledged)
        }
        try container.encode(entries, forKey: .registrations)
    }

    /// Reads and validates a registry written by ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decode(Int.self, forKey: .version)
        guard version == Self.persistedVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .version, in: container, debugDescription: "unknown topic registry version \(version)")
        }
        let maximum = try container.decode(Int.self, forKey: .maximumRegistrations)
        guard (0...TopicIDSpace.assignableCount).contains(maximum) else {
            throw DecodingError.dataCorruptedError(
                forKey: .maximumRegistrations, in: container,
                debugDescription: "maximum of \(maximum) registrations is outside 0...\(TopicIDSpace.assignableCount)")
        }
        let next = try container.decode(UInt16.self, forKey: .nextTopicID)
        guard !TopicIDSpace.isReserved(next) else {
            throw DecodingError.dataCorruptedError(
                forKey: .nextTopicID, in: container, debugDescription: "next topic id \(next) is reserved")
        }
        self.init(
            predefinedTopics: try container.decode(PredefinedTopics.self, forKey: .predefinedTopics),
            maximumRegistrations: maximum)
        self.nextCandidate = next
        let entries = try container.decode([Entry].self, forKey: .registrations)
        guard entries.count <= maximum else {
            throw DecodingError.dataCorruptedError(
                forKey: .registrations, in: container,
                debugDescription: "\(entries.count) registrations exceed the maximum of \(maximum)")
        }
        for entry in entries {
            if let problem = problem(with: entry) {
                throw DecodingError.dataCorruptedError(forKey: .registrations, in: container, debugDescription: problem)
            }
            registrations[entry.id] = Registration(name: entry.topic, isAcknowledged: entry.acknowledged)
            idsByName[entry.topic] = entry.id
        }
    }

    /// Why `entry` cannot join the registrations read so far; `nil` when it can.
    private func problem(with entry: Entry) -> String? {
        if TopicIDSpace.isReserved(entry.id) { return "topic id \(entry.id) is reserved" }
        if registrations[entry.id] != nil { return "topic id \(entry.id) appears twice" }
        if idsByName[entry.topic] != nil { return "topic \"\(entry.topic)\" is registered twice" }
        do {
            try TopicName.validate(entry.topic)
        } catch {
            return "topic id \(entry.id): \(error)"
        }
        return nil
    }
}
