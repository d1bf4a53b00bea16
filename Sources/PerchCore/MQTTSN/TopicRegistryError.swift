import MQTTSNCodec

/// Why a ``TopicRegistry`` refused a topic: one case per rejection return code of
/// MQTT-SN v1.2 §5.3.10, so it can never stand for "accepted" or a reserved code.
///
/// An error type of its own rather than ``MQTTSNReturnCode`` itself, which is a
/// codec value and not an `Error`; ``returnCode`` gives the byte for the REGACK,
/// PUBACK or SUBACK.
///
/// The registry keeps one rule for choosing between the two "rejected" codes about
/// topics: an *id* it cannot map is "invalid topic ID" (the client may register the
/// name again, §6.5, or has a predefined table out of step, §6.7); a *name* it
/// cannot accept is "not supported", since registering it again cannot help.
public enum TopicRegistryError: Error, Sendable, Hashable {
    /// The client's registrations are at their limit, or all 65,534 ids are taken:
    /// 0x01 "rejected: congestion".
    case congestion
    /// The topic id is not registered, not yet acknowledged, or not predefined:
    /// 0x02 "rejected: invalid topic ID".
    case invalidTopicID
    /// The topic name or filter is one Perch does not accept (empty, U+0000, a
    /// wildcard where a name is needed, a shared subscription): 0x03 "rejected: not supported".
    case notSupported

    /// The ReturnCode octet to send back (§5.3.10).
    public var returnCode: MQTTSNReturnCode {
        switch self {
        case .congestion: return .rejectedCongestion
        case .invalidTopicID: return .rejectedInvalidTopicID
        case .notSupported: return .rejectedNotSupported
        }
    }
}

extension TopicRegistryError: CustomStringConvertible {
    /// The specification's name of the return code.
    public var description: String { returnCode.description }
}
