import NIOCore

/// The load generator's own CoAP encoder (RFC 7252 §3), independent of libcoap
/// and of `CoAPServer`, so the benchmark does not measure Perch against itself.
/// It writes only what a sensor's PUT and an empty ACK need.
enum CoAPMessageEncoder {
    /// The message types of RFC 7252 §3 (the 2-bit `T` field).
    enum MessageType: UInt8 {
        case confirmable = 0
        case nonConfirmable = 1
        case acknowledgement = 2
        case reset = 3
    }

    /// Codes as `class.detail` in one byte: `c << 5 | dd` (RFC 7252 §3, §12.1).
    enum Code {
        /// 0.00: an empty message (RFC 7252 §4.1).
        static let empty: UInt8 = 0x00
        /// 0.03 PUT (RFC 7252 §12.1.1).
        static let put: UInt8 = 0x03
        /// 2.04 Changed (RFC 7252 §5.9.1.4).
        static let changed: UInt8 = 0x44
    }

    /// Option numbers the generator uses (RFC 7252 §5.10, table 4).
    enum OptionNumber {
        static let uriPath = 11
        static let uriQuery = 15
    }

    /// The options of a request to `path` with `query`, encoded once per client
    /// and reused for every message: each Uri-Path segment and each Uri-Query
    /// argument is one option (RFC 7252 §6.4, steps 8 and 9), in order of option
    /// number, each written as the delta from the previous number (§3.1).
    static func options(uriPath: [String], uriQuery: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        var previous = 0
        for (number, values) in [(OptionNumber.uriPath, uriPath), (OptionNumber.uriQuery, uriQuery)] {
            for value in values {
                appendOption(number: number, value: Array(value.utf8), after: &previous, to: &bytes)
            }
        }
        return bytes
    }

    /// Writes one message: the 4-byte header, the token, the pre-encoded options
    /// and, when there is a payload, the 0xFF marker and the payload (RFC 7252 §3:
    /// a marker followed by nothing is a format error, so no payload means no marker).
    static func write(
        type: MessageType, code: UInt8, messageID: UInt16, token: UInt32?, options: [UInt8], payload: ByteBuffer?,
        into buffer: inout ByteBuffer
    ) {
        // Ver = 1 (§3: "Implementations of this specification MUST set this field to 1"), T, TKL.
        let tokenLength: UInt8 = token == nil ? 0 : 4
        buffer.writeInteger(UInt8(0x40) | type.rawValue << 4 | tokenLength)
        buffer.writeInteger(code)
        buffer.writeInteger(messageID)
        if let token { buffer.writeInteger(token) }
        buffer.writeBytes(options)
        if var payload, payload.readableBytes > 0 {
            buffer.writeInteger(UInt8(0xFF))
            buffer.writeBuffer(&payload)
        }
    }

    /// RFC 7252 §3.1: a 4-bit delta and a 4-bit length, each extended by one
    /// byte (13: value − 13) or two bytes (14: value − 269); 15 is reserved.
    private static func appendOption(number: Int, value: [UInt8], after previous: inout Int, to bytes: inout [UInt8]) {
        let (deltaNibble, deltaExtension) = nibble(number - previous)
        let (lengthNibble, lengthExtension) = nibble(value.count)
        bytes.append(deltaNibble << 4 | lengthNibble)
        bytes.append(contentsOf: deltaExtension)
        bytes.append(contentsOf: lengthExtension)
        bytes.append(contentsOf: value)
        previous = number
    }

    private static func nibble(_ value: Int) -> (UInt8, [UInt8]) {
        switch value {
        case ..<13: return (UInt8(value), [])
        case ..<269: return (13, [UInt8(value - 13)])
        default:
            let extended = UInt16(clamping: value - 269)
            return (14, [UInt8(extended >> 8), UInt8(extended & 0xFF)])
        }
    }
}
