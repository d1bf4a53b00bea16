// The MQTT 3.1.1 and 5.0 decoder as the uplink runs it: a byte stream from
// the broker read packet by packet, with the packet-size limit we announce.
//
// The first byte picks the protocol version; the rest is the stream. Each
// packet read must encode and decode back to itself.

import MQTTCodec
import NIOCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMQTT(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let first = bytes.first else { return 0 }
    let version: MQTTProtocolVersion = first & 1 == 0 ? .v3_1_1 : .v5
    var stream = ByteBuffer(bytes: bytes.dropFirst())
    // Bounded: every packet read consumes at least its 2-byte fixed header.
    while stream.readableBytes > 0 {
        let before = stream.readableBytes
        guard let packet = try? MQTTPacket.decode(from: &stream, version: version, maximumPacketSize: 1 << 20) else { break }
        precondition(stream.readableBytes < before, "a decoded packet consumed nothing")
        // A CONNECT is read by its own protocol level (MQTT 3.1.2.2), so written by it too.
        let level = if case let .connect(connect) = packet { connect.version } else { version }
        var encoded = ByteBuffer()
        do {
            try packet.encode(version: level, into: &encoded)
        } catch {
            preconditionFailure("decoded \(packet) but cannot encode it: \(error)")
        }
        guard let again = try? MQTTPacket.decode(from: &encoded, version: level) else {
            preconditionFailure("\(packet) encodes to bytes that do not decode")
        }
        precondition(again == packet, "round trip changed \(packet) into \(again)")
        precondition(encoded.readableBytes == 0, "\(packet) encodes to more than one packet")
    }
    return 0
}
