import NIOCore

/// Frames a TCP byte stream into MQTT packets, for `ByteToMessageHandler`.
///
/// Correct under any fragmentation: it waits for a whole packet and then
/// consumes exactly that packet; malformed input fails the channel pipeline
/// with an `MQTTCodecError`.
public struct MQTTPacketDecoder: NIOSingleStepByteToMessageDecoder {
    /// Each decoded packet.
    public typealias InboundOut = MQTTPacket

    /// The protocol level agreed for the connection (CONNECT is read at its own level).
    public var version: MQTTProtocolVersion
    /// The largest packet accepted, fixed header included (MQTT 5.0 §3.1.2.11.4).
    public var maximumPacketSize: Int

    /// Creates a decoder for a connection speaking `version`.
    public init(version: MQTTProtocolVersion, maximumPacketSize: Int = MQTTPacket.maximumPossiblePacketSize) {
        self.version = version
        self.maximumPacketSize = maximumPacketSize
    }

    /// Decodes one packet, or returns nil while more bytes are needed.
    public mutating func decode(buffer: inout ByteBuffer) throws -> MQTTPacket? {
        try MQTTPacket.decode(from: &buffer, version: version, maximumPacketSize: maximumPacketSize)
    }

    /// At end of stream, decodes what whole packets remain; a packet cut off by
    /// the peer's end of stream is `MQTTCodecError.truncated`.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> MQTTPacket? {
        let packet = try decode(buffer: &buffer)
        if packet == nil && seenEOF && buffer.readableBytes > 0 {
            throw MQTTCodecError.truncated
        }
        return packet
    }
}
