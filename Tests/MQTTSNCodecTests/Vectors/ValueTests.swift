import MQTTSNCodec
import Testing

/// The small value types: short topic names and return codes.
@Suite("MQTT-SN values")
struct ValueTests {
    @Test("§5.3.11 a short topic name is exactly two octets")
    func shortTopicNames() throws {
        let name = try #require(MQTTSNShortTopicName("t1"))
        #expect(name.rawValue == 0x7431)
        #expect(name.topicName == "t1")
        #expect(MQTTSNShortTopicName("t") == nil)
        #expect(MQTTSNShortTopicName("abc") == nil)
        #expect(MQTTSNShortTopicName("é") == MQTTSNShortTopicName(0xC3, 0xA9)) // two bytes of UTF-8
        #expect(MQTTSNShortTopicName(0xFF, 0x00).topicName == nil)
    }

    @Test("§5.3.10 return codes describe themselves by the specification's names")
    func returnCodeDescriptions() {
        #expect(MQTTSNReturnCode.accepted.description == "accepted")
        #expect(MQTTSNReturnCode.rejectedCongestion.description == "rejected: congestion")
        #expect(MQTTSNReturnCode.rejectedInvalidTopicID.description == "rejected: invalid topic ID")
        #expect(MQTTSNReturnCode.rejectedNotSupported.description == "rejected: not supported")
        #expect(MQTTSNReturnCode(0x04).description == "reserved return code 0x04")
    }

    @Test("§5.3.4 the QoS values are the two bits on the wire, 0b11 being QoS -1")
    func qosBits() {
        #expect(MQTTSNQoS.minusOne.rawValue == 0b11)
        #expect(MQTTSNQoS.allCases.map(\.rawValue) == [0, 1, 2, 3])
    }
}
