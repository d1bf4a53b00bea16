import NIOCore

/// Bounds-checked reads over one datagram (STYLE.md habit 3).
///
/// Every read throws `.truncated` when the datagram ends before the field does;
/// nothing is ever read past the end.
struct DatagramReader {
    private var buffer: ByteBuffer

    init(_ buffer: ByteBuffer) {
        self.buffer = buffer
    }

    /// True when every byte has been read.
    var isAtEnd: Bool { buffer.readableBytes == 0 }

    mutating func readByte() throws(MQTTSNCodecError) -> UInt8 {
        guard let byte = buffer.readInteger(as: UInt8.self) else { throw .truncated }
        return byte
    }

    /// A two-octet integer, most significant octet first (§5.2: "big endian").
    mutating func readUInt16() throws(MQTTSNCodecError) -> UInt16 {
        guard let value = buffer.readInteger(endianness: .big, as: UInt16.self) else { throw .truncated }
        return value
    }

    mutating func readSlice(length: Int) throws(MQTTSNCodecError) -> ByteBuffer {
        guard let slice = buffer.readSlice(length: length) else { throw .truncated }
        return slice
    }

    /// Everything that is left: MQTT-SN strings and data run to the end of the message.
    mutating func readRest() -> ByteBuffer {
        // invariant: a slice of exactly the readable bytes always exists.
        buffer.readSlice(length: buffer.readableBytes) ?? ByteBuffer()
    }

    /// The rest as a string: well-formed UTF-8 without U+0000, since every string here
    /// (client id, topic names) ends up in MQTT, where U+0000 is forbidden ([MQTT-1.5.4-2]).
    mutating func readRestString() throws(MQTTSNCodecError) -> String {
        let bytes = readRest().readableBytesView
        // In well-formed UTF-8 a zero byte can only be U+0000.
        guard !bytes.contains(0), let string = String(validating: bytes, as: UTF8.self) else {
            throw .invalidUTF8
        }
        return string
    }

    /// Throws when a message of fixed size has bytes after its last field.
    func expectEnd() throws(MQTTSNCodecError) {
        guard isAtEnd else { throw .trailingBytes }
    }
}
