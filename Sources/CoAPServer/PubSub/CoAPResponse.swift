/// An answer to a CoAP request, written into libcoap's response PDU by the engine.
struct CoAPResponse: Equatable, Sendable {
    /// The response codes this server sends (RFC 7252 §12.1.2).
    enum Code: Equatable, Sendable {
        case deleted, changed, content
        case badRequest, unauthorized, notFound, methodNotAllowed, requestEntityIncomplete, requestEntityTooLarge
        case badGateway, serviceUnavailable

        /// Class and detail, as `2.04` is written.
        var classAndDetail: (klass: UInt8, detail: UInt8) {
            switch self {
            case .deleted: (2, 2)
            case .changed: (2, 4)
            case .content: (2, 5)
            case .badRequest: (4, 0)
            case .unauthorized: (4, 1)
            case .notFound: (4, 4)
            case .methodNotAllowed: (4, 5)
            case .requestEntityIncomplete: (4, 8)
            case .requestEntityTooLarge: (4, 13)
            case .badGateway: (5, 2)
            case .serviceUnavailable: (5, 3)
            }
        }
    }

    var code: Code
    /// The Content-Format option, when the payload has a known format.
    var contentFormat: UInt32?
    /// The Max-Age option (RFC 7252 §5.10.5); on 5.03, when to retry (§5.9.3.4).
    var maxAge: UInt32?
    /// The Size1 option: on 4.13, the largest body accepted (RFC 7252 §5.10.9).
    var size1: UInt32?
    var payload: [UInt8]

    init(_ code: Code, contentFormat: UInt32? = nil, maxAge: UInt32? = nil, size1: UInt32? = nil, payload: [UInt8] = []) {
        self.code = code
        self.contentFormat = contentFormat
        self.maxAge = maxAge
        self.size1 = size1
        self.payload = payload
    }

    /// An error response whose payload is the diagnostic (RFC 7252 §5.5.2).
    static func refusal(_ error: CoAPRequestError) -> CoAPResponse {
        let code: Code = switch error {
        case .badQuery, .badTopic: .badRequest
        case .unauthorized: .unauthorized
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .tooLarge: .requestEntityTooLarge
        }
        var size1: UInt32?
        if case .tooLarge(let limit) = error { size1 = UInt32(clamping: limit) }
        return CoAPResponse(code, size1: size1, payload: Array(error.diagnostic.utf8))
    }
}
