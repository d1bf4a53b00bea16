/// Why a command on a `/set` topic was not carried out (SPEC §6: only
/// configured pins can be touched; anything else is refused and counted).
public enum GPIORefusal: Sendable, Hashable, CustomStringConvertible {
    /// No pin of that name is configured (names are case-sensitive).
    case unknownPin
    /// The pin is an input: nothing drives it.
    case notAnOutput
    /// The payload is not a command.
    case invalidPayload(GPIOCommandError)
    /// The pin had too many commands too quickly (`GPIOLimits`).
    case rateLimited

    /// One line for the log.
    public var description: String {
        switch self {
        case .unknownPin: "no such pin"
        case .notAnOutput: "pin is an input"
        case let .invalidPayload(error): "invalid command: \(error)"
        case .rateLimited: "too many commands, rate-limited"
        }
    }

    /// The kind of refusal, whatever the payload error: a burst of different
    /// bad payloads is still one burst for logging.
    var kind: Kind {
        switch self {
        case .unknownPin: .unknownPin
        case .notAnOutput: .notAnOutput
        case .invalidPayload: .invalidPayload
        case .rateLimited: .rateLimited
        }
    }

    /// `GPIORefusal` without the details.
    enum Kind: Hashable {
        case unknownPin, notAnOutput, invalidPayload, rateLimited
    }
}
