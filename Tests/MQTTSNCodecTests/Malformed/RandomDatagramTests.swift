import MQTTSNCodec
import NIOCore
import Testing
import PerchTestKit

/// Random datagrams, many with a plausible Length and MsgType so they reach the
/// message bodies: decoding either throws a typed error or yields a message that
/// encodes to a datagram decoding to the same message.
@Suite("MQTT-SN random datagrams")
struct RandomDatagramTests {
    @Test("decode is total over 50,000 seeded random datagrams, and what decodes re-encodes stably")
    func randomDatagrams() throws {
        var random = SplitMix64(seed: 99)
        var decodedCount = 0
        for _ in 0..<50_000 {
            var bytes = (0..<Int.random(in: 0...24, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            if bytes.count >= 2 && Bool.random(using: &random) {
                // A correct one-octet Length and a known MsgType, so the body decoders are exercised.
                bytes[0] = UInt8(bytes.count)
                bytes[1] = MQTTSNMessageType.allCases.randomElement(using: &random)?.rawValue ?? 0x0C
            }
            let packet: MQTTSNPacket
            do {
                packet = try MQTTSNPacket.decode(ByteBuffer(bytes: bytes))
            } catch {
                continue
            }
            decodedCount += 1
            var encoded = ByteBuffer()
            try packet.encode(into: &encoded)
            #expect(try MQTTSNPacket.decode(encoded) == packet, "\(bytes)")
        }
        #expect(decodedCount > 2_000)
    }
}
