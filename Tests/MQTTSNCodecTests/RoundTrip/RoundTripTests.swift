import MQTTSNCodec
import NIOCore
import Testing

/// Encode, then decode, many generated messages of every type: the value comes back.
@Suite("MQTT-SN round trips")
struct RoundTripTests {
    @Test("every message type survives encode then decode (seeded, 27 × 200 messages)", arguments: [1, 2, 3] as [UInt64])
    func roundTrip(seed: UInt64) throws {
        var generator = PacketGenerator(seed: seed)
        var longForms = 0
        var encapsulations = 0
        for index in 0..<(27 * 200) {
            let packet = generator.packet(kind: index)
            var encoded = ByteBuffer()
            try packet.encode(into: &encoded)
            #expect(try packet.encodedLength() == encoded.readableBytes)
            let decoded = try MQTTSNPacket.decode(encoded)
            #expect(decoded == packet, "round trip of \(packet)")
            if case .encapsulated = packet {
                encapsulations += 1
            } else {
                // §5.2.1: the three-octet form exactly when the message does not fit 255 octets.
                let isLongForm = encoded.getInteger(at: 0, as: UInt8.self) == 0x01
                #expect(isLongForm == (encoded.readableBytes > 255))
                if isLongForm { longForms += 1 }
            }
        }
        // The generator must exercise both length forms and the encapsulation.
        #expect(longForms > 10)
        #expect(encapsulations > 100)
    }

    @Test("every message type is produced by the generator")
    func generatorCoversEveryType() {
        var generator = PacketGenerator(seed: 42)
        let types = Set((0..<27).map { generator.plainPacket(kind: $0).messageType })
        #expect(types == Set(MQTTSNMessageType.allCases).subtracting([.encapsulated]))
    }

    @Test("decoding never reads past the end of any prefix of a valid message")
    func everyPrefixIsRefused() throws {
        var generator = PacketGenerator(seed: 7)
        for index in 0..<(27 * 20) {
            let packet = generator.packet(kind: index)
            var encoded = ByteBuffer()
            try packet.encode(into: &encoded)
            for length in 0..<encoded.readableBytes {
                let prefix = encoded.getSlice(at: 0, length: length) ?? ByteBuffer()
                #expect(throws: MQTTSNCodecError.self) { try MQTTSNPacket.decode(prefix) }
            }
        }
    }
}
