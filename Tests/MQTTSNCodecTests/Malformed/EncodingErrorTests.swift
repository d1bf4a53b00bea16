import MQTTSNCodec
import NIOCore
import Testing

/// Values that cannot go on the wire: encoding throws and writes nothing.
@Suite("MQTT-SN encoding errors")
struct EncodingErrorTests {
    @Test("§5.2.1 a message longer than 65535 octets")
    func messageTooLong() {
        let publish = MQTTSNPublish(topic: .normal(1), payload: ByteBuffer(repeating: 0, count: 65_535 - 8))
        expectEncodeError(.publish(publish), .messageTooLong(65_536))
    }

    @Test("a string holding U+0000 would not decode back")
    func nullInString() {
        expectEncodeError(.connect(MQTTSNConnect(durationSeconds: 1, clientID: "a\u{0}b")), .invalidUTF8)
        expectEncodeError(.register(MQTTSNRegister(topicID: 0, messageID: 1, topicName: "\u{0}")), .invalidUTF8)
        expectEncodeError(.subscribe(MQTTSNSubscribe(messageID: 1, topic: .name("a\u{0}"))), .invalidUTF8)
        expectEncodeError(.willTopicUpdate(MQTTSNWillTopic(topic: "\u{0}")), .invalidUTF8)
        expectEncodeError(.pingRequest(clientID: "\u{0}"), .invalidUTF8)
    }

    @Test("§5.5 Table 29: the radius has two bits")
    func radiusTooLarge() {
        let encapsulation = MQTTSNEncapsulation(radius: 4, wirelessNodeID: [1], message: .pingResponse)
        expectEncodeError(.encapsulated(encapsulation), .invalidRadius(4))
    }

    @Test("§5.5 the one-octet forwarder Length leaves room for 252 octets of node id")
    func nodeIDTooLong() throws {
        let tooLong = MQTTSNEncapsulation(wirelessNodeID: Array(repeating: 1, count: 253), message: .pingResponse)
        expectEncodeError(.encapsulated(tooLong), .wirelessNodeIDTooLong(253))
        let longest = MQTTSNEncapsulation(wirelessNodeID: Array(repeating: 1, count: 252), message: .pingResponse)
        var buffer = ByteBuffer()
        try MQTTSNPacket.encapsulated(longest).encode(into: &buffer)
        #expect(buffer.getInteger(at: 0, as: UInt8.self) == 255)
        #expect(try MQTTSNPacket.decode(buffer) == .encapsulated(longest))
    }

    @Test("§5.5 an encapsulation may not carry another")
    func nestedEncapsulation() {
        let inner = MQTTSNPacket.encapsulated(MQTTSNEncapsulation(wirelessNodeID: [], message: .pingResponse))
        expectEncodeError(.encapsulated(MQTTSNEncapsulation(wirelessNodeID: [], message: inner)), .nestedEncapsulation)
    }

    @Test("every error has a readable description")
    func descriptions() {
        let errors: [MQTTSNCodecError] = [
            .truncated, .lengthMismatch(declared: 5, actual: 4), .invalidLength(0), .unknownMessageType(3),
            .reservedTopicIDType, .invalidProtocolID(2), .trailingBytes, .invalidUTF8, .nestedEncapsulation,
            .invalidRadius(4), .wirelessNodeIDTooLong(253), .messageTooLong(65_536),
        ]
        for error in errors {
            #expect(!error.description.isEmpty)
        }
        #expect(MQTTSNCodecError.unknownMessageType(0x1E).description == "reserved message type 0x1E")
        #expect(MQTTSNCodecError.lengthMismatch(declared: 5, actual: 4).description.contains("5"))
    }
}
