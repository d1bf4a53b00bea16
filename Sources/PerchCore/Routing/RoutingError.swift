/// Why the router refused a mountpoint or a subscription.
public enum RoutingError: Error, Sendable, Hashable {
    /// The mountpoint (given) is not a valid start of a topic name; the reason follows.
    case invalidMountpoint(String, TopicValidationError)
    /// The mountpoint and the local filter together (given) are not a valid
    /// topic filter, e.g. `site` + `#`; the reason follows.
    case invalidUpstreamFilter(String, TopicValidationError)
}

extension RoutingError: CustomStringConvertible {
    /// A one-line explanation a log can show.
    public var description: String {
        switch self {
        case .invalidMountpoint(let prefix, let reason):
            return "mountpoint \"\(prefix)\" is not a valid topic prefix: \(reason)"
        case .invalidUpstreamFilter(let filter, let reason):
            return "upstream filter \"\(filter)\" (mountpoint + filter) is not valid: \(reason)"
        }
    }
}
