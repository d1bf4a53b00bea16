import MQTTSNCodec
import NIOCore
import Testing

/// Datagrams that are not one well-formed MQTT-SN v1.2 message: each is refused
/// with a typed error, never over-read.
@Suite("MQTT-SN malformed datagrams")
struct MalformedDatagramTests {
    @Test("an empty datagram is truncated")
    func emptyDatagram() throws {
        try expectDecodeError("", .truncated)
    }

    @Test("§5.2.1 a Length of zero is refused, in both forms")
    func zeroLength() throws {
        try expectDecodeError("00", .invalidLength(0))
        try expectDecodeError("00 17", .invalidLength(0))
        try expectDecodeError("01 00 00 17", .invalidLength(0))
    }

    @Test("§5.2.1 a three-octet Length shorter than its own header is refused")
    func longFormShorterThanHeader() throws {
        try expectDecodeError("01 00 03 17", .invalidLength(3))
    }

    @Test("§5.2.1 the three-octet Length cut short is truncated")
    func longFormCut() throws {
        try expectDecodeError("01", .truncated)
        try expectDecodeError("01 00", .truncated)
        try expectDecodeError("01 00 04", .truncated)
    }

    @Test("a one-octet Length without a MsgType is truncated")
    func missingType() throws {
        try expectDecodeError("02", .truncated)
    }

    @Test("§5.2.1 Length larger than the datagram")
    func lengthLongerThanDatagram() throws {
        try expectDecodeError("05 0D 00 01", .lengthMismatch(declared: 5, actual: 4))
        try expectDecodeError("01 01 00 0C 00 00 01 00 00", .lengthMismatch(declared: 256, actual: 9))
    }

    @Test("§5.2.1 Length smaller than the datagram")
    func lengthShorterThanDatagram() throws {
        try expectDecodeError("03 16 63 31", .lengthMismatch(declared: 3, actual: 4))
        try expectDecodeError("02 17 00", .lengthMismatch(declared: 2, actual: 3))
    }

    @Test("§5.2.2 reserved message types are unknown")
    func unknownTypes() throws {
        for type: UInt8 in [0x03, 0x11, 0x19, 0x1E, 0x80, 0xFD, 0xFF] {
            let datagram = ByteBuffer(bytes: [0x02, type])
            #expect(throws: MQTTSNCodecError.unknownMessageType(type)) { try MQTTSNPacket.decode(datagram) }
        }
    }

    @Test("a message whose Length matches but whose fields are missing is truncated")
    func missingFields() throws {
        try expectDecodeError("02 0D", .truncated) // PUBACK without TopicId, MsgId, ReturnCode
        try expectDecodeError("06 0B 00 01 00 01", .truncated) // REGACK without ReturnCode
        try expectDecodeError("03 18 01", .truncated) // DISCONNECT with half a Duration
        try expectDecodeError("06 0C 00 00 01 00", .truncated) // PUBLISH with half a MsgId
        try expectDecodeError("05 04 04 01 00", .truncated) // CONNECT with half a Duration
        try expectDecodeError("06 12 01 00 03 00", .truncated) // SUBSCRIBE with half a predefined id
        try expectDecodeError("04 00 01 03", .truncated) // ADVERTISE with half a Duration
        try expectDecodeError("02 02", .truncated) // GWINFO without GwId
    }

    @Test("bytes after the last field of a message of fixed size are refused")
    func trailingBytes() throws {
        try expectDecodeError("05 10 00 0A FF", .trailingBytes) // PUBREL
        try expectDecodeError("04 17 00 00", .trailingBytes) // PINGRESP
        try expectDecodeError("05 18 01 2C 00", .trailingBytes) // DISCONNECT
        try expectDecodeError("08 12 01 00 03 00 05 00", .trailingBytes) // SUBSCRIBE, predefined id
        try expectDecodeError("08 14 02 00 03 61 62 63", .trailingBytes) // UNSUBSCRIBE, short name
        try expectDecodeError("08 0D 00 01 00 0A 00 00", .trailingBytes) // PUBACK
        try expectDecodeError("04 05 00 00", .trailingBytes) // CONNACK
        try expectDecodeError("03 06 00", .trailingBytes) // WILLTOPICREQ
    }

    @Test("§5.3.4 TopicIdType 0b11 is reserved in PUBLISH, SUBSCRIBE and UNSUBSCRIBE")
    func reservedTopicIDType() throws {
        try expectDecodeError("09 0C 03 00 01 00 00 68 69", .reservedTopicIDType)
        try expectDecodeError("08 12 23 00 02 61 2F 2B", .reservedTopicIDType)
        try expectDecodeError("07 14 03 00 03 00 05", .reservedTopicIDType)
    }

    @Test("§5.3.8 a CONNECT ProtocolId other than 0x01 is refused")
    func wrongProtocolID() throws {
        try expectDecodeError("08 04 04 02 00 3C 63 31", .invalidProtocolID(0x02))
        try expectDecodeError("08 04 04 00 00 3C 63 31", .invalidProtocolID(0x00))
        try expectDecodeError("08 04 04 04 00 3C 63 31", .invalidProtocolID(0x04)) // MQTT 3.1.1's level
    }

    @Test("strings that are not UTF-8 or hold U+0000 are refused")
    func invalidStrings() throws {
        try expectDecodeError("07 04 04 01 00 3C FF", .invalidUTF8) // CONNECT client id
        try expectDecodeError("07 0A 00 00 00 01 00", .invalidUTF8) // REGISTER topic U+0000
        try expectDecodeError("05 07 00 C3 28", .invalidUTF8) // WILLTOPIC, broken two-byte sequence
        try expectDecodeError("04 16 C0 80", .invalidUTF8) // PINGREQ, overlong NUL
        try expectDecodeError("06 12 00 00 01 ED", .invalidUTF8) // SUBSCRIBE name, cut sequence
    }

    @Test("§5.5 an encapsulation inside an encapsulation is refused")
    func nestedEncapsulation() throws {
        try expectDecodeError("03 FE 00 03 FE 00 02 16", .nestedEncapsulation)
    }

    @Test("§5.5 malformed forwarder headers and encapsulated messages")
    func malformedEncapsulation() throws {
        try expectDecodeError("02 FE 00 02 16", .invalidLength(2)) // no room for Ctrl
        try expectDecodeError("09 FE 00 01", .lengthMismatch(declared: 9, actual: 4))
        try expectDecodeError("03 FE 00", .truncated) // nothing encapsulated
        try expectDecodeError("03 FE 00 05 16 63", .lengthMismatch(declared: 5, actual: 3))
        try expectDecodeError("03 FE 00 02 03", .unknownMessageType(0x03))
    }
}
