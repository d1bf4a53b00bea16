import MQTTCodec

/// Why an uplink operation or connection failed. The description is the
/// sentence that goes into `UplinkStatus.lastError` and the log.
public enum UplinkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The uplink is stopping or has stopped; the request was not carried out.
    case shuttingDown
    /// TCP could not connect (refused, unreachable, DNS, TCP timeout).
    case connectionFailed(endpoint: String, detail: String)
    /// The TLS handshake failed, e.g. the certificate did not verify.
    case tlsHandshakeFailed(endpoint: String, detail: String)
    /// The TLS settings could not be turned into a context (unreadable CA, key, …).
    case tlsConfigurationInvalid(detail: String)
    /// No CONNACK arrived within the connect timeout.
    case connectTimeout(endpoint: String, after: Duration)
    /// CONNACK carried a refusal; `description` is the code's name in the
    /// connection's protocol version.
    case connectionRefused(code: MQTTReasonCode, version: MQTTProtocolVersion)
    /// Nothing arrived from the broker within 1.5 × keep-alive (MQTT 5.0 §3.1.2.10).
    case keepAliveTimeout(after: Duration)
    /// The broker sent DISCONNECT (MQTT 5.0 §3.14) with this reason.
    case disconnectedByBroker(code: MQTTReasonCode, reason: String?)
    /// The connection closed without a DISCONNECT.
    case connectionLost(detail: String)
    /// The broker broke the protocol; the uplink closed the connection.
    case protocolViolation(String)
    /// The broker answered a PUBLISH with a failure reason code (MQTT 5.0 §3.4.2.1).
    case publishRefused(topic: String, code: MQTTReasonCode)
    /// The message cannot be sent at all (bad topic, cannot be encoded).
    case invalidMessage(String)
    /// The PUBLISH is larger than the broker's Maximum Packet Size (MQTT 5.0 §3.2.2.3.6).
    case packetTooLarge(topic: String, size: Int, maximum: Int)
    /// SUBSCRIBE or UNSUBSCRIBE was refused for this filter.
    case subscriptionRefused(filter: String, code: MQTTReasonCode)
    /// The broker does not seem to speak the configured MQTT 5: it left a v5
    /// CONNECT unanswered, refused it with 0x84, or answered in 3.1.1's layout.
    case protocolMismatch(detail: String)
    /// The broker closed the link each time this message was the one in
    /// flight, `attempts` times: it is taken out of the queue (a dead letter)
    /// so that the messages behind it can flow.
    case poisonMessage(topic: String, size: Int, attempts: Int)

    /// The failure in words, as it appears in the log and in `UplinkStatus.lastError`.
    public var description: String {
        switch self {
        case .shuttingDown:
            return "the uplink is shutting down"
        case .connectionFailed(let endpoint, let detail):
            return "connection to \(endpoint) failed: \(detail)"
        case .tlsHandshakeFailed(let endpoint, let detail):
            return "TLS handshake with \(endpoint) failed: \(detail)"
        case .tlsConfigurationInvalid(let detail):
            return "TLS configuration invalid: \(detail)"
        case .connectTimeout(let endpoint, let after):
            return "no CONNACK from \(endpoint) within \(after)"
        case .connectionRefused(let code, let version):
            return "broker refused the connection: \(code.described(version: version, inConnAck: true))"
        case .keepAliveTimeout(let after):
            return "nothing received from the broker for \(after): connection declared dead"
        case .disconnectedByBroker(let code, let reason):
            let suffix = reason.map { ": \($0)" } ?? ""
            return "broker disconnected: \(code.name) (0x\(code.hexByte))\(suffix)"
        case .connectionLost(let detail):
            return "connection lost: \(detail)"
        case .protocolViolation(let detail):
            return "protocol violation by the broker: \(detail)"
        case .publishRefused(let topic, let code):
            return "broker refused the message on \(topic): \(code.name) (0x\(code.hexByte))"
        case .invalidMessage(let detail):
            return "message cannot be sent: \(detail)"
        case .packetTooLarge(let topic, let size, let maximum):
            return "message on \(topic) is \(size) bytes, more than the broker's maximum packet size of \(maximum)"
        case .subscriptionRefused(let filter, let code):
            return "broker refused the subscription to \(filter): \(code.name) (0x\(code.hexByte))"
        case .protocolMismatch(let detail):
            return "\(detail); the broker probably does not speak MQTT 5: set uplink.protocol: \"3.1.1\""
        case .poisonMessage(let topic, let size, let attempts):
            return "the broker closed the connection each of the \(attempts) times the message on \(topic) (\(size) bytes) was sent"
        }
    }
}

extension UplinkError {
    /// True for `.poisonMessage`: the broker kept closing the link over it.
    var isPoisonMessage: Bool {
        if case .poisonMessage = self { return true }
        return false
    }
}
