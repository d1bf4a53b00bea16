import NIOCore

extension ByteBuffer {
    /// The longest string or binary field: its length is a two-byte integer.
    static let mqttMaximumFieldLength = 65_535

    /// Writes a UTF-8 Encoded String (3.1.1 §1.5.3, 5.0 §1.5.4).
    mutating func writeMQTTString(_ string: String) throws(MQTTCodecError) {
        let utf8 = string.utf8
        guard utf8.count <= Self.mqttMaximumFieldLength else { throw .stringTooLong(utf8.count) }
        // [MQTT-1.5.4-2]: U+0000 must not appear; Swift strings may hold it.
        guard !utf8.contains(0) else { throw .invalidUTF8 }
        writeInteger(UInt16(utf8.count))
        writeBytes(utf8)
    }

    /// Writes Binary Data (5.0 §1.5.6).
    mutating func writeMQTTBinary(_ bytes: [UInt8]) throws(MQTTCodecError) {
        guard bytes.count <= Self.mqttMaximumFieldLength else { throw .binaryTooLong(bytes.count) }
        writeInteger(UInt16(bytes.count))
        writeBytes(bytes)
    }

    /// Writes Binary Data held in a buffer (a will payload).
    mutating func writeMQTTBinary(_ bytes: ByteBuffer) throws(MQTTCodecError) {
        guard bytes.readableBytes <= Self.mqttMaximumFieldLength else { throw .binaryTooLong(bytes.readableBytes) }
        writeInteger(UInt16(bytes.readableBytes))
        writeImmutableBuffer(bytes)
    }

    /// Writes a packet identifier, which is never 0 ([MQTT-2.3.1-1]).
    mutating func writeMQTTPacketID(_ id: UInt16) throws(MQTTCodecError) {
        guard id != 0 else { throw .zeroPacketIdentifier }
        writeInteger(id)
    }
}
