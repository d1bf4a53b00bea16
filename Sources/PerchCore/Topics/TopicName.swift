/// A validated MQTT topic name: what a message is published to (MQTT 5.0 §4.7).
public struct TopicName: Sendable, Hashable, CustomStringConvertible {
    /// The topic name as given.
    public let value: String

    /// Validates `value`: not empty, at most 65,535 bytes, no U+0000, no wildcard.
    public init(_ value: String) throws(TopicValidationError) {
        try Self.validate(value)
        self.value = value
    }

    /// Throws why `name` is not a valid topic name; returns when it is.
    public static func validate(_ name: String) throws(TopicValidationError) {
        let utf8 = name.utf8
        guard !utf8.isEmpty else { throw .empty } // [MQTT-4.7.3-1]
        guard utf8.count <= Int(UInt16.max) else { throw .tooLong(utf8.count) }
        for byte in utf8 {
            switch byte {
            case 0: throw .containsNull // [MQTT-4.7.3-2]
            case TopicSyntax.singleLevelWildcard, TopicSyntax.multiLevelWildcard:
                throw .wildcardInTopicName // [MQTT-4.7.1-1]
            default: continue
            }
        }
    }

    /// The topic name as given.
    public var description: String { value }
}

/// The bytes with a meaning in topic names and filters (MQTT 5.0 §4.7.1).
enum TopicSyntax {
    static let levelSeparator = UInt8(ascii: "/")
    static let singleLevelWildcard = UInt8(ascii: "+")
    static let multiLevelWildcard = UInt8(ascii: "#")
    static let systemPrefix = UInt8(ascii: "$")
}
