/// The Flags octet (MQTT-SN v1.2 §5.3.4, Table 4).
///
/// Each message uses some of the fields; the others are ignored on decode and
/// written as zero, so a peer that sets an unused bit is not refused for it.
struct MQTTSNFlags {
    private(set) var rawValue: UInt8

    private static let dupBit: UInt8 = 0x80
    private static let retainBit: UInt8 = 0x10
    private static let willBit: UInt8 = 0x08
    private static let cleanSessionBit: UInt8 = 0x04

    init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    init(
        dup: Bool = false, qos: MQTTSNQoS = .atMostOnce, retain: Bool = false,
        will: Bool = false, cleanSession: Bool = false, topicIDType: MQTTSNTopicIDType = .normal
    ) {
        var raw = qos.rawValue << 5 | topicIDType.rawValue
        if dup { raw |= Self.dupBit }
        if retain { raw |= Self.retainBit }
        if will { raw |= Self.willBit }
        if cleanSession { raw |= Self.cleanSessionBit }
        rawValue = raw
    }

    var dup: Bool { rawValue & Self.dupBit != 0 }
    var retain: Bool { rawValue & Self.retainBit != 0 }
    var will: Bool { rawValue & Self.willBit != 0 }
    var cleanSession: Bool { rawValue & Self.cleanSessionBit != 0 }

    /// Bits 6 and 5; all four values have a meaning, 0b11 being QoS -1.
    var qos: MQTTSNQoS {
        // invariant: a two-bit value is always one of the four cases.
        MQTTSNQoS(rawValue: (rawValue >> 5) & 0b11) ?? .atMostOnce
    }

    /// Bits 1 and 0; 0b11 is reserved and makes the message malformed.
    func topicIDType() throws(MQTTSNCodecError) -> MQTTSNTopicIDType {
        guard let type = MQTTSNTopicIDType(rawValue: rawValue & 0b11) else { throw .reservedTopicIDType }
        return type
    }
}

/// TopicIdType, bits 1 and 0 of the Flags octet (§5.3.4).
enum MQTTSNTopicIDType: UInt8 {
    /// 0b00: a normal topic id (PUBLISH) or a topic name (SUBSCRIBE, UNSUBSCRIBE).
    case normal = 0b00
    /// 0b01: a predefined topic id.
    case predefined = 0b01
    /// 0b10: a short topic name.
    case shortName = 0b10
}
