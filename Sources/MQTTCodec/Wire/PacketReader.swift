import NIOCore

/// Bounds-checked reads over the contents of one packet (after the fixed header).
///
/// Every read throws `.truncated` when the packet ends before the field does, so
/// a Remaining Length that is too short is reported rather than over-read.
struct PacketReader {
    private var buffer: ByteBuffer

    init(_ buffer: ByteBuffer) {
        self.buffer = buffer
    }

    /// True when every byte of the packet has been read.
    var isAtEnd: Bool { buffer.readableBytes == 0 }

    mutating func readByte() throws(MQTTCodecError) -> UInt8 {
        guard let byte = buffer.readInteger(as: UInt8.self) else { throw .truncated }
        return byte
    }

    mutating func readUInt16() throws(MQTTCodecError) -> UInt16 {
        guard let value = buffer.readInteger(endianness: .big, as: UInt16.self) else { throw .truncated }
        return value
    }

    mutating func readUInt32() throws(MQTTCodecError) -> UInt32 {
        guard let value = buffer.readInteger(endianness: .big, as: UInt32.self) else { throw .truncated }
        return value
    }

    /// A packet identifier, which is never 0 ([MQTT-2.3.1-1]).
    mutating func readPacketID() throws(MQTTCodecError) -> UInt16 {
        let id = try readUInt16()
        guard id != 0 else { throw .zeroPacketIdentifier }
        return id
    }

    mutating func readVariableByteInteger() throws(MQTTCodecError) -> Int {
        guard let (value, count) = try VariableByteInteger.peek(
            in: buffer, at: buffer.readerIndex, malformed: .malformedVariableByteInteger
        ) else {
            throw .truncated
        }
        buffer.moveReaderIndex(forwardBy: count)
        return value
    }

    /// Binary Data: a two-byte length and that many bytes (5.0 §1.5.6).
    mutating func readBinary() throws(MQTTCodecError) -> [UInt8] {
        Array(try readBinaryBuffer().readableBytesView)
    }

    /// Binary Data kept as a buffer (a will payload).
    mutating func readBinaryBuffer() throws(MQTTCodecError) -> ByteBuffer {
        let length = try readUInt16()
        guard let bytes = buffer.readSlice(length: Int(length)) else { throw .truncated }
        return bytes
    }

    /// A UTF-8 Encoded String (3.1.1 §1.5.3, 5.0 §1.5.4): well-formed, no U+0000.
    mutating func readString() throws(MQTTCodecError) -> String {
        let bytes = try readBinaryBuffer().readableBytesView
        // [MQTT-1.5.4-2]: in well-formed UTF-8 a zero byte can only be U+0000.
        guard !bytes.contains(0), let string = String(validating: bytes, as: UTF8.self) else {
            throw .invalidUTF8
        }
        return string
    }

    /// The next `length` bytes as a reader of their own (a property list).
    mutating func readSubReader(length: Int) throws(MQTTCodecError) -> PacketReader {
        guard let slice = buffer.readSlice(length: length) else { throw .truncated }
        return PacketReader(slice)
    }

    /// Everything that is left (a PUBLISH payload).
    mutating func readRest() -> ByteBuffer {
        // invariant: a slice of exactly the readable bytes always exists.
        buffer.readSlice(length: buffer.readableBytes) ?? ByteBuffer()
    }

    /// Throws when the packet declared more bytes than its contents use.
    func expectEnd() throws(MQTTCodecError) {
        guard isAtEnd else { throw .trailingBytes }
    }
}
