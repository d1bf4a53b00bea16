/// Why a request on `/ps/{topic}` is refused; each case is one CoAP error
/// response, whose payload is the diagnostic (RFC 7252 §5.5.2).
enum CoAPRequestError: Error, Equatable, Sendable {
    /// 4.00: a query that is not `qos=0..2` / `retain=0|1|true|false`.
    case badQuery(String)
    /// 4.00: no topic after `/ps/`, or one that is not a valid MQTT topic name.
    case badTopic(String)
    /// 4.01: the mountpoint holds `${clientid}` and the request has no usable
    /// client id (plain CoAP has no PSK identity).
    case unauthorized(String)
    /// 4.04: a path outside `/ps/`, or GET of a topic with no message yet.
    case notFound
    /// 4.05: a method `/ps/{topic}` does not support (yet).
    case methodNotAllowed
    /// 4.13: a body larger than `limit` bytes (RFC 7252 §5.9.2.9).
    case tooLarge(limit: Int)

    /// The diagnostic payload sent with the error response.
    var diagnostic: String {
        switch self {
        case .badQuery(let reason): "bad query: \(reason)"
        case .badTopic(let reason): "bad topic: \(reason)"
        case .unauthorized(let reason): "unauthorized: \(reason)"
        case .notFound: "not found"
        case .methodNotAllowed: "method not allowed"
        case .tooLarge(let limit): "request entity too large: at most \(limit) bytes"
        }
    }
}
