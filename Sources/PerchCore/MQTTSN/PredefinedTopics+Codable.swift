extension PredefinedTopics: Codable {
    /// One predefined topic as persisted: an array of these reads better than a
    /// dictionary with integer keys, which JSON cannot key by.
    private struct Entry: Codable {
        var id: UInt16
        var topic: String
    }

    /// Encodes the table as an array of `{id, topic}` sorted by id, so the same table
    /// always gives the same bytes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        let entries = namesByID.sorted { $0.key < $1.key }.map { Entry(id: $0.key, topic: $0.value) }
        try container.encode(entries)
    }

    /// Decodes and validates again: what comes from the disk is checked like
    /// what comes from the configuration.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let entries = try container.decode([Entry].self)
        var topics: [UInt16: String] = [:]
        for entry in entries {
            guard topics.updateValue(entry.topic, forKey: entry.id) == nil else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "predefined topic id \(entry.id) appears twice")
            }
        }
        do throws(PredefinedTopicsError) {
            self = try PredefinedTopics(topics)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }
}
