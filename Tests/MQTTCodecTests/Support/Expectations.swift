import MQTTCodec
import NIOCore
import Testing
import PerchTestKit

/// Checks a hex vector both ways: `packet` encodes to exactly `hexString`, and
/// `hexString` decodes to `packet`, consuming every byte.
func expectVector(
    _ packet: MQTTPacket,
    _ hexString: String,
    version: MQTTProtocolVersion,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    var encoded = ByteBuffer()
    try packet.encode(version: version, into: &encoded)
    #expect(try hex(encoded) == normalized(hexString), sourceLocation: sourceLocation)
    try expectDecode(hexString, version: version, as: packet, sourceLocation: sourceLocation)
}

/// Checks that `hexString` decodes to `packet`, consuming every byte.
func expectDecode(
    _ hexString: String,
    version: MQTTProtocolVersion,
    as packet: MQTTPacket,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    var input = try buffer(hex: hexString)
    let decoded = try MQTTPacket.decode(from: &input, version: version)
    #expect(decoded == packet, sourceLocation: sourceLocation)
    #expect(input.readableBytes == 0, sourceLocation: sourceLocation)
}

/// Checks that decoding `hexString` throws exactly `error` and consumes nothing.
func expectMalformed(
    _ hexString: String,
    version: MQTTProtocolVersion,
    _ error: MQTTCodecError,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    var input = try buffer(hex: hexString)
    let before = input
    #expect(throws: error, sourceLocation: sourceLocation) {
        try MQTTPacket.decode(from: &input, version: version)
    }
    #expect(input == before, sourceLocation: sourceLocation)
}

/// Checks that encoding `packet` throws exactly `error` and writes nothing.
func expectEncodingFails(
    _ packet: MQTTPacket,
    version: MQTTProtocolVersion,
    _ error: MQTTCodecError,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var output = ByteBuffer(string: "x")
    #expect(throws: error, sourceLocation: sourceLocation) {
        try packet.encode(version: version, into: &output)
    }
    #expect(output == ByteBuffer(string: "x"), sourceLocation: sourceLocation)
}
