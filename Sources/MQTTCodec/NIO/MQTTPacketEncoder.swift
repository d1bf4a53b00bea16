import NIOCore

/// Writes MQTT packets to a channel, for `MessageToByteHandler`.
public struct MQTTPacketEncoder: MessageToByteEncoder {
    /// The packets to write.
    public typealias OutboundIn = MQTTPacket

    /// The protocol level agreed for the connection (CONNECT is written at its own level).
    public var version: MQTTProtocolVersion

    /// Creates an encoder for a connection speaking `version`.
    public init(version: MQTTProtocolVersion) {
        self.version = version
    }

    /// Encodes `data` into `out`; throws an `MQTTCodecError` for a packet that cannot be written.
    public func encode(data: MQTTPacket, out: inout ByteBuffer) throws {
        try data.encode(version: version, into: &out)
    }
}
