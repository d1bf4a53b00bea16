import MQTTCodec
import PerchCore

/// Identifies one caller's request (a publish, subscribe or unsubscribe) while
/// the state machine carries it; the connection layer maps it to a promise.
struct RequestID: Hashable, Sendable, Comparable, CustomStringConvertible {
    var rawValue: UInt64

    static func < (lhs: RequestID, rhs: RequestID) -> Bool { lhs.rawValue < rhs.rawValue }
    var description: String { "#\(rawValue)" }
}

/// How a request ended.
enum RequestOutcome: Sendable, Equatable {
    /// The broker took responsibility for the message (see `UpstreamPublishing`).
    case published
    /// SUBACK granted this QoS.
    case subscribed(MQTTQoS)
    /// UNSUBACK arrived.
    case unsubscribed
    /// The request failed; the error says why.
    case failed(UplinkError)
}

/// What the state machine asks the connection layer to do. The connection layer
/// carries the actions out in order and decides nothing itself.
enum UplinkAction: Sendable, Equatable {
    /// Write the packet (the write is flushed once per event-loop turn). When
    /// `completing` is set (QoS 0), a request succeeds once the write is done;
    /// a ticket is delivered as soon as the packet is handed to the connection,
    /// with no write promise (the `UpstreamTransport` contract for QoS 0).
    case send(MQTTPacket, completing: Completion? = nil)
    /// Resolve a caller's request, or report a ticket's outcome.
    case complete(Completion, RequestOutcome)
    /// Hand a message from the broker to the downlink.
    case deliver(Message)
    /// CONNACK accepted the connection.
    case connected(sessionPresent: Bool)
    /// Close the connection after the writes so far; `error` is why (nil: on purpose).
    case close(UplinkError?)
    /// Something the operator should hear about that does not end the connection.
    case warn(String)
}
