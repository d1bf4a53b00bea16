/// A short topic name: exactly two octets that stand for the topic itself
/// (MQTT-SN v1.2 §6.7, carried in the TopicId field of §5.3.11).
public struct MQTTSNShortTopicName: Sendable, Hashable {
    /// The first octet.
    public var first: UInt8
    /// The second octet.
    public var second: UInt8

    /// Wraps two octets as they sit on the wire.
    public init(_ first: UInt8, _ second: UInt8) {
        self.first = first
        self.second = second
    }

    /// Wraps a two-byte topic such as `"ab"`; `nil` unless its UTF-8 is exactly two bytes.
    public init?(_ name: String) {
        let bytes = Array(name.utf8)
        guard bytes.count == 2 else { return nil }
        self.init(bytes[0], bytes[1])
    }

    /// The two octets as a big-endian value: how they fill the TopicId field.
    public var rawValue: UInt16 { UInt16(first) << 8 | UInt16(second) }

    /// The topic this short name stands for; `nil` when the octets are not UTF-8.
    public var topicName: String? {
        String(validating: [first, second], as: UTF8.self)
    }
}
