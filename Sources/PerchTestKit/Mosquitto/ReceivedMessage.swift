/// A message as a `mosquitto_sub` client received it.
public struct ReceivedMessage: Sendable, Equatable {
    /// The topic it was published on.
    public var topic: String
    /// The raw payload.
    public var payload: [UInt8]
    /// The QoS it was delivered with.
    public var qos: Int
    /// The retain flag as delivered (set for messages that were stored before subscribing).
    public var isRetained: Bool

    /// Makes a message.
    public init(topic: String, payload: [UInt8], qos: Int, isRetained: Bool) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.isRetained = isRetained
    }

    /// The payload decoded as UTF-8 (invalid bytes replaced).
    public var payloadString: String { String(decoding: payload, as: UTF8.self) }

    /// The `mosquitto_sub -F` format whose lines `init(subscriberLine:)` parses.
    ///
    /// Hex payload (binary-safe, one line) and topic last (topics may contain spaces).
    public static let outputFormat = "MSG %r %q %x %t"

    /// Parses one line printed with `outputFormat`; nil for any other line (e.g. `-d` debug output).
    public init?(subscriberLine line: String) throws {
        guard line.hasPrefix("MSG ") else { return nil }
        let fields = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: false)
        guard fields.count == 5, let qos = Int(fields[2]), let payload = Self.bytes(fromHex: fields[3]) else {
            throw TestKitError.unparsableOutput(tool: "mosquitto_sub", line: line)
        }
        self.init(topic: String(fields[4]), payload: payload, qos: qos, isRetained: fields[1] == "1")
    }

    private static func bytes(fromHex hex: Substring) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
