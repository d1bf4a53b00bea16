internal import CLibCoAP

extension CoAPEngine {
    /// Reads what the `/ps` handler needs from libcoap's request PDU.
    static func read(_ request: OpaquePointer, query: UnsafePointer<coap_string_t>?) -> CoAPRequest {
        let code = coap_pdu_get_code(request)
        let method: CoAPRequest.Method = switch code {
        case COAP_REQUEST_CODE_GET: .get
        case COAP_REQUEST_CODE_POST: .post
        case COAP_REQUEST_CODE_PUT: .put
        case COAP_REQUEST_CODE_DELETE: .delete
        case COAP_REQUEST_CODE_FETCH: .fetch
        case COAP_REQUEST_CODE_PATCH: .patch
        case COAP_REQUEST_CODE_IPATCH: .iPatch
        default: .other(UInt8(truncatingIfNeeded: code.rawValue))
        }
        var path = ""
        if let uriPath = coap_get_uri_path(request) {
            path = string(uriPath.pointee)
            coap_delete_string(uriPath)
        }
        return CoAPRequest(
            method: method,
            isConfirmable: coap_pdu_get_type(request) == COAP_MESSAGE_CON,
            path: path,
            query: query.map { string($0.pointee) } ?? "",
            contentFormat: contentFormat(of: request),
            payload: payload(of: request)
        )
    }

    /// Writes `answer` into libcoap's response PDU; options in ascending order
    /// (RFC 7252 §3.1: Content-Format 12 before Max-Age 14).
    func write(_ answer: CoAPResponse, to response: OpaquePointer) {
        let (klass, detail) = answer.code.classAndDetail
        coap_pdu_set_code(response, coap_pdu_code_t(rawValue: UInt32(klass) << 5 | UInt32(detail)))
        if let format = answer.contentFormat {
            Self.addUIntOption(perch_coap_option_content_format(), format, to: response)
        }
        if let maxAge = answer.maxAge {
            Self.addUIntOption(perch_coap_option_maxage(), maxAge, to: response)
        }
        if !answer.payload.isEmpty {
            _ = answer.payload.withUnsafeBufferPointer { coap_add_data(response, $0.count, $0.baseAddress) }
        }
    }

    /// A uint option (RFC 7252 §3.2); 0 is the empty value, still present.
    private static func addUIntOption(_ number: UInt16, _ value: UInt32, to pdu: OpaquePointer) {
        var buffer: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            let length = coap_encode_var_safe(base, raw.count, value)
            _ = coap_add_option(pdu, number, Int(length), base)
        }
    }

    private static func contentFormat(of request: OpaquePointer) -> UInt32? {
        var iterator = coap_opt_iterator_t()
        guard let option = coap_check_option(request, perch_coap_option_content_format(), &iterator) else {
            return nil
        }
        return UInt32(coap_decode_var_bytes(coap_opt_value(option), Int(coap_opt_length(option))))
    }

    private static func payload(of request: OpaquePointer) -> [UInt8] {
        var length = 0
        var data: UnsafePointer<UInt8>?
        guard coap_get_data(request, &length, &data) != 0, let data, length > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: length))
    }

    private static func string(_ value: coap_string_t) -> String {
        guard let bytes = value.s, value.length > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: value.length), as: UTF8.self)
    }
}
