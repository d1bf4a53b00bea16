/// Why the MQTT-SN server could not start or stopped.
public enum MQTTSNServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A listen address that is not an IP address (or a host name that resolves).
    case invalidAddress(String, reason: String)
    /// The socket could not be bound: the port is taken, the address is not local, …
    case bindFailed(address: String, reason: String)
    /// The persisted client records could not be read.
    case loadFailed(reason: String)
    /// The server stopped before every listener was bound.
    case stoppedBeforeListening

    /// One line for the log, naming the address.
    public var description: String {
        switch self {
        case let .invalidAddress(address, reason):
            return "MQTT-SN listen address \(address) is not usable: \(reason)"
        case let .bindFailed(address, reason):
            return "cannot listen for MQTT-SN on \(address) (udp): \(reason)"
        case let .loadFailed(reason):
            return "cannot read the MQTT-SN client records: \(reason)"
        case .stoppedBeforeListening:
            return "the MQTT-SN server stopped before it was listening"
        }
    }
}
