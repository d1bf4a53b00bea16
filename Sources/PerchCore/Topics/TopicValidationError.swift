/// Why a string is not a valid MQTT topic name or topic filter
/// (MQTT 5.0 §4.7 and §1.5.4, MQTT 3.1.1 §4.7 and §1.5.3).
public enum TopicValidationError: Error, Sendable, Hashable {
    /// Topic names and filters are at least one character long ([MQTT-4.7.3-1]).
    case empty
    /// More than 65,535 bytes of UTF-8 (MQTT 5.0 §1.5.4); the byte count is given.
    case tooLong(Int)
    /// U+0000 is not allowed in a UTF-8 string ([MQTT-4.7.3-2], [MQTT-1.5.4-2]).
    case containsNull
    /// A topic name holds `+` or `#` ([MQTT-4.7.1-1]).
    case wildcardInTopicName
    /// `+` or `#` is not a whole level, or `#` is not the last level ([MQTT-4.7.1-2], [MQTT-4.7.1-3]).
    case misplacedWildcard
    /// A shared subscription (`$share/…`, MQTT 5.0 §4.8.2): Perch refuses it, since the
    /// gateway delivers to its own sensors and has no share group to balance across.
    case sharedSubscriptionNotSupported
}

extension TopicValidationError: CustomStringConvertible {
    /// A one-line explanation a log can show.
    public var description: String {
        switch self {
        case .empty: return "topic is empty"
        case .tooLong(let count): return "topic of \(count) bytes exceeds 65535"
        case .containsNull: return "topic contains U+0000"
        case .wildcardInTopicName: return "topic name contains a wildcard (+ or #)"
        case .misplacedWildcard: return "wildcard is not a whole level, or # is not the last level"
        case .sharedSubscriptionNotSupported: return "shared subscriptions ($share/...) are not supported"
        }
    }
}
