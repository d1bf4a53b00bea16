import NIOCore

/// The Variable Byte Integer of MQTT 5.0 §1.5.5 (3.1.1 §2.2.3 for the Remaining Length):
/// 7 bits per byte, least significant first, at most 4 bytes, minimally encoded.
enum VariableByteInteger {
    /// The largest value 4 bytes can hold.
    static let maximum = 268_435_455

    /// How many bytes `value` (0…`maximum`) takes, 7 bits per byte.
    static func byteCount(_ value: Int) -> Int {
        switch value {
        case ..<128: return 1
        case ..<16_384: return 2
        case ..<2_097_152: return 3
        default: return 4
        }
    }

    /// Reads the integer starting at `index` without moving the reader index.
    ///
    /// Returns nil when the bytes are not all there yet. Throws `malformed` as soon
    /// as a fifth byte would be needed or the encoding is not minimal ([MQTT-1.5.5-1]).
    static func peek(
        in buffer: ByteBuffer,
        at index: Int,
        malformed: MQTTCodecError
    ) throws(MQTTCodecError) -> (value: Int, byteCount: Int)? {
        var value = 0
        var multiplier = 1
        for offset in 0..<4 {
            guard let byte = buffer.getInteger(at: index + offset, as: UInt8.self) else { return nil }
            value += Int(byte & 0x7F) * multiplier
            if byte & 0x80 == 0 {
                // A last byte of 0 after others means a shorter form existed.
                if offset > 0 && byte == 0 { throw malformed }
                return (value, offset + 1)
            }
            multiplier *= 128
        }
        throw malformed
    }
}

extension ByteBuffer {
    /// Writes a Variable Byte Integer (5.0 §1.5.5); `value` must be in 0…268,435,455.
    mutating func writeMQTTVariableByteInteger(_ value: Int) throws(MQTTCodecError) {
        guard value >= 0, value <= VariableByteInteger.maximum else {
            throw .remainingLengthTooLarge(value)
        }
        var rest = value
        repeat {
            var byte = UInt8(truncatingIfNeeded: rest & 0x7F)
            rest >>= 7
            if rest > 0 { byte |= 0x80 }
            writeInteger(byte)
        } while rest > 0
    }
}
