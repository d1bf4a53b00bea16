import MQTTSNCodec
import NIOCore
import Testing
import PerchTestKit

/// Checks a vector both ways: the bytes decode to `packet`, and `packet` encodes to
/// exactly the bytes. The bytes are written by hand from the specification's tables.
func expectVector(
    _ packet: MQTTSNPacket, _ hexString: String, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let bytes = try buffer(hex: hexString)
    let decoded = try MQTTSNPacket.decode(bytes)
    #expect(decoded == packet, sourceLocation: sourceLocation)
    var encoded = ByteBuffer()
    try packet.encode(into: &encoded)
    #expect(try hex(encoded) == normalized(hexString), sourceLocation: sourceLocation)
    #expect(try packet.encodedLength() == bytes.readableBytes, sourceLocation: sourceLocation)
}

/// Checks that the bytes decode to `packet` without asking that `packet` encodes back
/// to them (a form a peer may send but Perch never produces).
func expectDecodes(
    _ hexString: String, to packet: MQTTSNPacket, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let decoded = try MQTTSNPacket.decode(try buffer(hex: hexString))
    #expect(decoded == packet, sourceLocation: sourceLocation)
}

/// Checks that the bytes are refused with exactly `error`.
func expectDecodeError(
    _ hexString: String, _ error: MQTTSNCodecError, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let bytes = try buffer(hex: hexString)
    #expect(throws: error, sourceLocation: sourceLocation) { try MQTTSNPacket.decode(bytes) }
}

/// Checks that encoding is refused with exactly `error` and writes nothing.
func expectEncodeError(
    _ packet: MQTTSNPacket, _ error: MQTTSNCodecError, sourceLocation: SourceLocation = #_sourceLocation
) {
    var buffer = ByteBuffer(bytes: [0xAA])
    #expect(throws: error, sourceLocation: sourceLocation) { try packet.encode(into: &buffer) }
    #expect(buffer.readableBytesView.elementsEqual([0xAA]), "nothing written on error", sourceLocation: sourceLocation)
}

/// The UTF-8 of `text` as a buffer (payloads and will messages in vectors).
func payload(_ text: String) -> ByteBuffer {
    ByteBuffer(string: text)
}
