/// What the generator reads of a datagram from perchd: the header's type, code
/// and message id (RFC 7252 §3), and the token, which is how a separate
/// response finds its request (§5.3.2; perchd answers a CON PUT with an empty
/// ACK and then a separate 2.04, `Docs/coap.md`). Options and payload are not read.
struct CoAPResponseHeader: Equatable {
    var type: CoAPMessageEncoder.MessageType
    var code: UInt8
    var messageID: UInt16
    /// The token as a number when it is the generator's 4-byte kind; nil for any other length.
    var token: UInt32?

    /// True for 0.00 (RFC 7252 §4.1).
    var isEmpty: Bool { code == CoAPMessageEncoder.Code.empty }

    /// Decodes the header of `bytes`; nil when it is not a CoAP message: too short,
    /// a version other than 1, or a token length of 9–15 (RFC 7252 §3: a message format error).
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 4 else { return nil }
        let first = bytes[0]
        guard first >> 6 == 1, let type = CoAPMessageEncoder.MessageType(rawValue: (first >> 4) & 0x03) else { return nil }
        let tokenLength = Int(first & 0x0F)
        guard tokenLength <= 8, bytes.count >= 4 + tokenLength else { return nil }
        self.type = type
        code = bytes[1]
        messageID = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
        if tokenLength == 4 {
            token = (4..<8).reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[$1]) }
        } else {
            token = nil
        }
    }

    /// The code as RFC 7252 writes it, `c.dd` (§3).
    static func text(ofCode code: UInt8) -> String {
        let detail = code & 0x1F
        return "\(code >> 5).\(detail < 10 ? "0" : "")\(detail)"
    }
}
