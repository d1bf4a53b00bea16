import MQTTCodec
import NIOCore
import NIOEmbedded
import Testing
import PerchTestKit

/// MQTT 5.0 §3.1.2.11.4 / §3.2.2.3.6: a packet above the Maximum Packet Size is refused
/// from its fixed header, before the body is buffered.
@Suite("Maximum packet size")
struct MaximumPacketSizeTests {
    @Test("§3.1.2.11.4 a declared size above the maximum is refused after three bytes")
    func earlyRejection() throws {
        // Remaining Length 1000 (E8 07): 1003 bytes with the fixed header.
        var input = try buffer(hex: "30 E8 07")
        #expect(throws: MQTTCodecError.packetTooLarge(1003)) {
            try MQTTPacket.decode(from: &input, version: .v5, maximumPacketSize: 1002)
        }
        #expect(input.readableBytes == 3)
    }

    @Test("§3.1.2.11.4 the maximum counts the whole packet, fixed header included")
    func exactlyAtMaximum() throws {
        var input = try buffer(hex: "30 06 00 01 74 00 68 69")
        let packet = try MQTTPacket.decode(from: &input, version: .v5, maximumPacketSize: 8)
        #expect(packet == .publish(PublishPacket(topic: "t", payload: payload("hi"))))
        var again = try buffer(hex: "30 06 00 01 74 00 68 69")
        #expect(throws: MQTTCodecError.packetTooLarge(8)) {
            try MQTTPacket.decode(from: &again, version: .v5, maximumPacketSize: 7)
        }
    }

    @Test("§3.1.2.11.4 the channel decoder fails the pipeline before the body arrives")
    func channelRejection() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(MQTTPacketDecoder(version: .v5, maximumPacketSize: 100)))
        #expect(throws: MQTTCodecError.packetTooLarge(1003)) {
            try channel.writeInbound(try buffer(hex: "30 E8 07"))
        }
        #expect(try channel.readInbound(as: MQTTPacket.self) == nil)
        _ = try? channel.finish()
    }
}
