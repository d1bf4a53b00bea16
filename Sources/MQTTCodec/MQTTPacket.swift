import NIOCore

/// The protocol level a connection speaks. MQTT 3.1.1 §3.1.2.2 and MQTT 5.0 §3.1.2.2
/// put it in the CONNECT variable header; every other packet is read and written
/// according to the level that was agreed.
public enum MQTTProtocolVersion: UInt8, Sendable, Hashable, CustomStringConvertible {
    case v3_1_1 = 4
    case v5 = 5

    /// The level as users write it: "3.1.1" or "5".
    public var description: String {
        switch self {
        case .v3_1_1: return "3.1.1"
        case .v5: return "5"
        }
    }
}

/// Quality of service of a PUBLISH (MQTT 3.1.1 §4.3, MQTT 5.0 §4.3).
public enum MQTTQoS: UInt8, Sendable, Hashable, Comparable {
    case atMostOnce = 0
    case atLeastOnce = 1
    case exactlyOnce = 2

    /// Orders by guarantee: at most once < at least once < exactly once.
    public static func < (lhs: MQTTQoS, rhs: MQTTQoS) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A control packet a client sends or receives, as a value (MQTT 3.1.1 §2, MQTT 5.0 §2).
///
/// PUBACK, PUBREC, PUBREL and PUBCOMP share one shape and one payload type;
/// the case says which of the four it is.
public enum MQTTPacket: Sendable, Equatable {
    case connect(ConnectPacket)
    case connack(ConnAckPacket)
    case publish(PublishPacket)
    case puback(PublishAckPacket)
    case pubrec(PublishAckPacket)
    case pubrel(PublishAckPacket)
    case pubcomp(PublishAckPacket)
    case subscribe(SubscribePacket)
    case suback(SubAckPacket)
    case unsubscribe(UnsubscribePacket)
    case unsuback(UnsubAckPacket)
    case pingreq
    case pingresp
    case disconnect(DisconnectPacket)
}

/// The control packet types of the fixed header's first nibble (MQTT 5.0 §2.1.2).
public enum MQTTPacketType: UInt8, Sendable, Hashable {
    case connect = 1
    case connack = 2
    case publish = 3
    case puback = 4
    case pubrec = 5
    case pubrel = 6
    case pubcomp = 7
    case subscribe = 8
    case suback = 9
    case unsubscribe = 10
    case unsuback = 11
    case pingreq = 12
    case pingresp = 13
    case disconnect = 14
    case auth = 15
}

extension MQTTPacket {
    /// The packet's type, as written in the fixed header.
    public var type: MQTTPacketType {
        switch self {
        case .connect: return .connect
        case .connack: return .connack
        case .publish: return .publish
        case .puback: return .puback
        case .pubrec: return .pubrec
        case .pubrel: return .pubrel
        case .pubcomp: return .pubcomp
        case .subscribe: return .subscribe
        case .suback: return .suback
        case .unsubscribe: return .unsubscribe
        case .unsuback: return .unsuback
        case .pingreq: return .pingreq
        case .pingresp: return .pingresp
        case .disconnect: return .disconnect
        }
    }
}
