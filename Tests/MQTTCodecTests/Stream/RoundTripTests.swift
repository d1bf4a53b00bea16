import MQTTCodec
import NIOCore
import NIOEmbedded
import Testing
import PerchTestKit

/// Generated packets survive encode → decode unchanged, and re-encode to the same bytes.
@Suite("Round trips of generated packets")
struct RoundTripTests {
    @Test("encode then decode gives the same packet and the same bytes", arguments: [MQTTProtocolVersion.v3_1_1, .v5])
    func roundTrip(version: MQTTProtocolVersion) throws {
        var generator = PacketGenerator(seed: 0x5045_5243_48, version: version)
        for _ in 0..<1_000 {
            let packet = generator.packet()
            var encoded = ByteBuffer()
            try packet.encode(version: version, into: &encoded)
            let bytes = encoded
            let decoded = try MQTTPacket.decode(from: &encoded, version: version)
            #expect(decoded == packet)
            #expect(encoded.readableBytes == 0)
            var again = ByteBuffer()
            try decoded?.encode(version: version, into: &again)
            #expect(again == bytes)
        }
    }

    @Test("encodedSize is the length encode writes, remaining-length boundaries included", arguments: [MQTTProtocolVersion.v3_1_1, .v5])
    func encodedSize(version: MQTTProtocolVersion) throws {
        var generator = PacketGenerator(seed: 0x5349_5A45, version: version)
        var packets = (0..<500).map { _ in generator.packet() }
        // Payloads that put the Remaining Length on each side of 127, 16,383 and 2,097,151.
        for payloadSize in [100, 130, 16_350, 16_400, 2_097_100, 2_097_200] {
            packets.append(.publish(PublishPacket(topic: "t", payload: ByteBuffer(repeating: 0x61, count: payloadSize))))
        }
        for packet in packets {
            var encoded = ByteBuffer()
            try packet.encode(version: version, into: &encoded)
            #expect(try packet.encodedSize(version: version) == encoded.readableBytes)
        }
        let invalid = MQTTPacket.publish(PublishPacket(topic: "a/+", payload: ByteBuffer()))
        #expect(throws: MQTTCodecError.invalidTopicName("a/+")) { try invalid.encodedSize(version: version) }
    }

    @Test("a generated stream split at random points decodes to the same packets", arguments: [MQTTProtocolVersion.v3_1_1, .v5])
    func randomFragmentation(version: MQTTProtocolVersion) throws {
        var generator = PacketGenerator(seed: 42, version: version)
        let packets = (0..<200).map { _ in generator.packet() }
        var stream = ByteBuffer()
        for packet in packets {
            try packet.encode(version: version, into: &stream)
        }
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(MQTTPacketDecoder(version: version)))
        var random = SplitMix64(seed: 7)
        var received: [MQTTPacket] = []
        while stream.readableBytes > 0 {
            let length = min(stream.readableBytes, Int.random(in: 1...64, using: &random))
            guard let chunk = stream.readSlice(length: length) else {
                Issue.record("a slice of at most the readable bytes must exist")
                break
            }
            try channel.writeInbound(chunk)
            while let packet = try channel.readInbound(as: MQTTPacket.self) {
                received.append(packet)
            }
        }
        #expect(received == packets)
        #expect(try channel.finish().isClean)
    }
}
