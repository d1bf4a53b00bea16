import MQTTCodec
import NIOCore
import NIOEmbedded
import Testing
import PerchTestKit

/// The decoder under TCP fragmentation, and the NIO adapters end to end.
@Suite("Streaming through channel handlers")
struct StreamingTests {
    /// A conversation's worth of packets, of many types.
    private static let stream: [MQTTPacket] = {
        var properties = MQTTProperties()
        properties.reasonString = "ok"
        properties.userProperties = [.init(name: "k", value: "v")]
        return [
            .connect(ConnectPacket(version: .v5, clientID: "perch", keepAliveSeconds: 30)),
            .connack(ConnAckPacket(sessionPresent: true)),
            .publish(PublishPacket(topic: "a/b", payload: ByteBuffer(string: String(repeating: "x", count: 300)))),
            .publish(PublishPacket(topic: "a/c", payload: ByteBuffer(), qos: .exactlyOnce, packetID: 7)),
            .pubrec(PublishAckPacket(packetID: 7)),
            .pubrel(PublishAckPacket(packetID: 7)),
            .pubcomp(PublishAckPacket(packetID: 7, reasonCode: .packetIdentifierNotFound, properties: properties)),
            .subscribe(SubscribePacket(packetID: 8, subscriptions: [.init(topicFilter: "cmd/#", qos: .atLeastOnce)])),
            .suback(SubAckPacket(packetID: 8, reasonCodes: [.grantedQoS1])),
            .pingreq,
            .pingresp,
            .disconnect(DisconnectPacket()),
        ]
    }()

    private func encodedStream() throws -> ByteBuffer {
        var bytes = ByteBuffer()
        for packet in Self.stream {
            try packet.encode(version: .v5, into: &bytes)
        }
        return bytes
    }

    @Test("Byte-at-a-time feeding of several packets yields each packet once, and finish is clean")
    func byteAtATime() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(MQTTPacketDecoder(version: .v5)))
        var bytes = try encodedStream()
        var received: [MQTTPacket] = []
        while let byte = bytes.readSlice(length: 1) {
            try channel.writeInbound(byte)
            while let packet = try channel.readInbound(as: MQTTPacket.self) {
                received.append(packet)
            }
        }
        #expect(received == Self.stream)
        #expect(try channel.finish().isClean)
    }

    @Test("All packets in one write are all decoded")
    func oneWrite() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(MQTTPacketDecoder(version: .v5)))
        try channel.writeInbound(try encodedStream())
        var received: [MQTTPacket] = []
        while let packet = try channel.readInbound(as: MQTTPacket.self) {
            received.append(packet)
        }
        #expect(received == Self.stream)
        #expect(try channel.finish().isClean)
    }

    @Test("A partial packet is held and not consumed")
    func partialPacket() throws {
        var whole = try encodedStream()
        // Every proper prefix of the first packet is incomplete and left untouched.
        let firstLength = try #require(whole.getInteger(at: 1, as: UInt8.self)) + 2
        for length in 0..<Int(firstLength) {
            var prefix = try #require(whole.getSlice(at: 0, length: length))
            #expect(try MQTTPacket.decode(from: &prefix, version: .v5) == nil)
            #expect(prefix.readableBytes == length)
        }
        #expect(try MQTTPacket.decode(from: &whole, version: .v5) == Self.stream[0])
    }

    @Test("A packet cut off by the end of the stream is reported as truncated")
    func truncatedAtEnd() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(MQTTPacketDecoder(version: .v3_1_1)))
        try channel.writeInbound(try buffer(hex: "C0 00 30 05 00"))
        #expect(try channel.readInbound(as: MQTTPacket.self) == .pingreq)
        #expect(throws: MQTTCodecError.truncated) {
            try channel.finish()
        }
    }

    @Test("Malformed input fails the pipeline with the typed error")
    func malformedInChannel() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(MQTTPacketDecoder(version: .v3_1_1)))
        #expect(throws: MQTTCodecError.invalidQoS) {
            try channel.writeInbound(try buffer(hex: "C0 00 36"))
        }
        #expect(try channel.readInbound(as: MQTTPacket.self) == .pingreq)
        _ = try? channel.finish()
    }

    @Test("The encoder handler writes what encode(version:into:) writes")
    func encoderHandler() throws {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(MQTTPacketEncoder(version: .v5)))
        var expected = ByteBuffer()
        for packet in Self.stream {
            try channel.writeOutbound(packet)
            try packet.encode(version: .v5, into: &expected)
        }
        var written = ByteBuffer()
        while var chunk = try channel.readOutbound(as: ByteBuffer.self) {
            written.writeBuffer(&chunk)
        }
        #expect(written == expected)
        #expect(try channel.finish().isClean)
    }
}
