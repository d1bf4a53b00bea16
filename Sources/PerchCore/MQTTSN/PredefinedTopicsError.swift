/// Why a table of predefined topics was refused.
public enum PredefinedTopicsError: Error, Sendable, Hashable {
    /// 0x0000 and 0xFFFF are reserved topic ids (MQTT-SN v1.2 §5.3.11).
    case reservedID(UInt16)
    /// The name under `id` is not a valid MQTT topic name.
    case invalidName(id: UInt16, reason: TopicValidationError)
    /// The same name appears under two ids.
    case duplicateName(String, firstID: UInt16, secondID: UInt16)
}

extension PredefinedTopicsError: CustomStringConvertible {
    /// A one-line explanation a log can show.
    public var description: String {
        switch self {
        case .reservedID(let id):
            return "predefined topic id \(id) is reserved (0 and 65535 are never topic ids)"
        case .invalidName(let id, let reason):
            return "predefined topic id \(id): \(reason)"
        case .duplicateName(let name, let firstID, let secondID):
            return "topic \"\(name)\" is predefined under both id \(firstID) and id \(secondID)"
        }
    }
}
