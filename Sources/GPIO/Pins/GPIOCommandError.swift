/// Why a payload on a pin's `/set` topic is not a command (SPEC §6).
public enum GPIOCommandError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing, or only whitespace.
    case empty
    /// Longer than `GPIOCommand.maximumPayloadLength` bytes.
    case tooLong
    /// Not valid UTF-8.
    case notUTF8
    /// A word that is not a command; the first characters of it, made printable.
    case unknownWord(String)
    /// Starts with `{` but is not a JSON object.
    case invalidJSON
    /// A JSON object with neither `state` nor `pulse_ms`.
    case missingField
    /// A JSON object with both `state` and `pulse_ms`, which contradict each other.
    case conflictingFields
    /// `state` is not `"ON"`, `"OFF"`, `"TOGGLE"`, `1`, `0`, `true` or `false`;
    /// the offending value, made printable.
    case invalidState(String)
    /// `pulse_ms` is not a whole number.
    case invalidPulse
    /// `pulse_ms` is a whole number outside `GPIOCommand.pulseMillisecondsRange`.
    case pulseOutOfRange(Int)

    /// How many characters of a peer's text an error keeps: enough to recognise
    /// it in a log line, not enough to flood one.
    static let excerptLength = 32

    /// A short, printable excerpt of text that came from the network, safe to log.
    static func excerpt(of text: some StringProtocol) -> String {
        var excerpt = String(text.prefix(excerptLength).map { $0.isASCII && ($0.isLetter || $0.isNumber || $0.isPunctuation || $0.isSymbol || $0 == " ") ? $0 : "?" })
        if text.count > excerptLength { excerpt += "…" }
        return excerpt
    }

    /// One line for the log.
    public var description: String {
        switch self {
        case .empty: "empty payload"
        case .tooLong: "payload longer than \(GPIOCommand.maximumPayloadLength) bytes"
        case .notUTF8: "payload is not UTF-8"
        case let .unknownWord(word): "unknown command \"\(word)\" (ON, OFF, 1, 0, true, false, TOGGLE, or JSON {\"state\": …} / {\"pulse_ms\": N})"
        case .invalidJSON: "payload is not a JSON object"
        case .missingField: "JSON command has neither \"state\" nor \"pulse_ms\""
        case .conflictingFields: "JSON command has both \"state\" and \"pulse_ms\""
        case let .invalidState(value): "invalid \"state\" \(value) (ON, OFF, TOGGLE, 1, 0, true or false)"
        case .invalidPulse: "\"pulse_ms\" is not a whole number of milliseconds"
        case let .pulseOutOfRange(milliseconds): "\"pulse_ms\" \(milliseconds) is outside \(GPIOCommand.pulseMillisecondsRange.lowerBound)…\(GPIOCommand.pulseMillisecondsRange.upperBound)"
        }
    }
}
