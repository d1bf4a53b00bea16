/// Why the CoAP server could not start.
public enum CoAPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libcoap could not create its context (out of memory, no epoll).
    case contextCreationFailed
    /// A listen address that is not a numeric IP address and port.
    case invalidAddress(String, reason: String)
    /// libcoap could not bind the UDP socket: the port is taken, the address is not local, …
    case bindFailed(address: String, reason: String)
    /// libcoap could not create a resource.
    case resourceCreationFailed(path: String)
    /// The server stopped before every listener was bound.
    case stoppedBeforeListening
    /// `dtls` is configured but this libcoap was built without DTLS support.
    case dtlsUnsupported
    /// libcoap refused the pre-shared key setup.
    case dtlsSetupFailed

    /// One line for the log, naming the address.
    public var description: String {
        switch self {
        case .contextCreationFailed:
            return "cannot create the libcoap context"
        case let .invalidAddress(address, reason):
            return "CoAP listen address \(address) is not usable: \(reason)"
        case let .bindFailed(address, reason):
            return "cannot listen for CoAP on \(address) (udp): \(reason)"
        case let .resourceCreationFailed(path):
            return "cannot create the CoAP resource /\(path)"
        case .stoppedBeforeListening:
            return "the CoAP server stopped before it was listening"
        case .dtlsUnsupported:
            return "coap.dtls is configured but libcoap has no DTLS support (install the OpenSSL variant, libcoap-3-openssl)"
        case .dtlsSetupFailed:
            return "libcoap refused the DTLS pre-shared key setup"
        }
    }
}
