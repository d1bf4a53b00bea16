/// A CoAP request as the `/ps` handler sees it, read once from libcoap's PDU
/// at the edge so the decisions are pure Swift (and testable without sockets).
struct CoAPRequest: Equatable, Sendable {
    /// The request method (RFC 7252 §5.8, RFC 8132).
    enum Method: Equatable, Sendable {
        case get, post, put, delete, fetch, patch, iPatch
        case other(UInt8)
    }

    var method: Method
    /// True for a Confirmable request (RFC 7252 §4.2): answered only once the
    /// message is safe (SPEC §5).
    var isConfirmable: Bool
    /// The Uri-Path options joined with `/`, without a leading slash; each
    /// option as sent (decoded bytes, RFC 7252 §6.4), one topic level.
    var path: String
    /// Why the Uri-Path cannot name a topic (a segment with `/`, U+0000 or
    /// invalid UTF-8): the request is answered 4.00.
    var pathError: String?
    /// The Uri-Query options joined with `&`.
    var query: String
    /// The Content-Format option (RFC 7252 §5.10.3), when present.
    var contentFormat: UInt32?
    /// The Observe option (RFC 7641 §2): 0 registers, 1 deregisters.
    var observe: UInt32?
    var payload: [UInt8]
    /// The client id: the PSK identity of the DTLS session the request came
    /// on (SPEC §4); `nil` for plain CoAP.
    var clientID: String?

    init(
        method: Method,
        isConfirmable: Bool = true,
        path: String,
        pathError: String? = nil,
        query: String = "",
        contentFormat: UInt32? = nil,
        observe: UInt32? = nil,
        payload: [UInt8] = [],
        clientID: String? = nil
    ) {
        self.method = method
        self.isConfirmable = isConfirmable
        self.path = path
        self.pathError = pathError
        self.query = query
        self.contentFormat = contentFormat
        self.observe = observe
        self.payload = payload
        self.clientID = clientID
    }
}
