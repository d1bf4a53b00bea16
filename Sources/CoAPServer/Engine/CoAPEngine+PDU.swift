internal import CLibCoAP
import Glibc

extension CoAPEngine {
    /// Reads what the `/ps` handler needs from libcoap's request PDU.
    static func read(_ request: OpaquePointer, query: UnsafePointer<coap_string_t>?, clientID: String?) -> CoAPRequest {
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
        let (path, pathError) = uriPath(of: request)
        return CoAPRequest(
            method: method,
            isConfirmable: coap_pdu_get_type(request) == COAP_MESSAGE_CON,
            path: path,
            pathError: pathError,
            query: query.map { string($0.pointee) } ?? "",
            contentFormat: uintOption(perch_coap_option_content_format(), of: request),
            observe: uintOption(perch_coap_option_observe(), of: request),
            payload: payload(of: request),
            clientID: clientID
        )
    }

    /// Writes `answer` into libcoap's response PDU; options in ascending order
    /// (RFC 7252 §3.1: Content-Format 12, Max-Age 14, Size1 60).
    ///
    /// A 2.05 payload larger than `largePayload` needs Block2 (RFC 7959 §2.2):
    /// given the request's context, libcoap sends it in blocks from a copy it
    /// frees when the transfer ends (`coap_add_data_large_response`).
    func write(_ answer: CoAPResponse, to response: OpaquePointer, large: LargeResponseContext? = nil) {
        let (klass, detail) = answer.code.classAndDetail
        coap_pdu_set_code(response, coap_pdu_code_t(rawValue: UInt32(klass) << 5 | UInt32(detail)))
        if let large, answer.code == .content, answer.payload.count > Self.largePayload,
           writeLarge(answer, to: response, large) {
            return
        }
        if let format = answer.contentFormat {
            Self.addUIntOption(perch_coap_option_content_format(), format, to: response)
        }
        if let maxAge = answer.maxAge {
            Self.addUIntOption(perch_coap_option_maxage(), maxAge, to: response)
        }
        if let size1 = answer.size1 {
            Self.addUIntOption(perch_coap_option_size1(), size1, to: response)
        }
        if !answer.payload.isEmpty {
            _ = answer.payload.withUnsafeBufferPointer { coap_add_data(response, $0.count, $0.baseAddress) }
        }
    }

    /// What `coap_add_data_large_response` needs besides the response.
    typealias LargeResponseContext = (
        resource: OpaquePointer, session: OpaquePointer, request: OpaquePointer, query: UnsafePointer<coap_string_t>?
    )

    /// Payloads up to this size go in one PDU (RFC 7252 §4.6: 1024 bytes fit a 1152-byte datagram).
    static let largePayload = 1024

    private func writeLarge(_ answer: CoAPResponse, to response: OpaquePointer, _ large: LargeResponseContext) -> Bool {
        guard let copy = malloc(answer.payload.count) else { return false }
        answer.payload.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            copy.copyMemory(from: base, byteCount: bytes.count)
        }
        // 4.3.1 leaves Content-Format out for media type 0 (text/plain), which
        // is a format all the same (RFC 7252 §12.3): add it here for that case.
        if answer.contentFormat == 0 {
            Self.addUIntOption(perch_coap_option_content_format(), 0, to: response)
        }
        let added = coap_add_data_large_response(
            large.resource, large.session, large.request, response, large.query,
            UInt16(truncatingIfNeeded: answer.contentFormat ?? 0), -1, 0,
            answer.payload.count, copy.assumingMemoryBound(to: UInt8.self),
            { _, pointer in free(pointer) }, copy
        )
        // On failure the copy is left alone: whether 4.3.1 releases it then is
        // undocumented, and a leak on a failed answer beats a double free.
        return added != 0
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

    /// The Uri-Path options (RFC 7252 §5.10.1) as they are on the wire:
    /// already-decoded bytes, one topic level each, joined with `/`.
    /// (`coap_get_uri_path` percent-encodes them again, which put
    /// `sp%20ace/x` upstream for `/ps/sp%20ace/x`.) A segment holding `/`,
    /// U+0000 or bytes that are not UTF-8 cannot be one MQTT topic level
    /// (MQTT 5.0 §1.5.4, §4.7): the reason is returned and the request gets 4.00.
    static func uriPath(of request: OpaquePointer) -> (path: String, error: String?) {
        var iterator = coap_opt_iterator_t()
        guard coap_option_iterator_init(request, &iterator, nil) != nil else { return ("", nil) }
        var segments: [String] = []
        var error: String?
        while let option = coap_option_next(&iterator) {
            guard iterator.number == perch_coap_option_uri_path() else { continue }
            let length = Int(coap_opt_length(option))
            let bytes = coap_opt_value(option).map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
            guard let segment = String(validating: bytes, as: UTF8.self) else {
                error = error ?? "a Uri-Path segment is not UTF-8"
                continue
            }
            if bytes.contains(0x2F) { error = error ?? "a Uri-Path segment holds \"/\" (one segment is one topic level)" }
            if bytes.contains(0) { error = error ?? "a Uri-Path segment holds U+0000" }
            segments.append(segment)
        }
        return (segments.joined(separator: "/"), error)
    }

    /// The Block1 option (RFC 7959 §2.2): block number, more flag, size exponent.
    static func block1(of request: OpaquePointer) -> (number: UInt32, more: Bool, szx: UInt8)? {
        guard let value = uintOption(perch_coap_option_block1(), of: request) else { return nil }
        return (value >> 4, value & 0x08 != 0, UInt8(value & 0x07))
    }

    private static func uintOption(_ number: UInt16, of request: OpaquePointer) -> UInt32? {
        var iterator = coap_opt_iterator_t()
        guard let option = coap_check_option(request, number, &iterator) else {
            return nil
        }
        return UInt32(coap_decode_var_bytes(coap_opt_value(option), Int(coap_opt_length(option))))
    }

    /// The body; with COAP_BLOCK_SINGLE_BODY a block-wise request (RFC 7959
    /// §2.5) arrives here reassembled, offset 0 and length = total.
    private static func payload(of request: OpaquePointer) -> [UInt8] {
        var length = 0
        var data: UnsafePointer<UInt8>?
        var offset = 0
        var total = 0
        guard coap_get_data_large(request, &length, &data, &offset, &total) != 0, let data, length > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: length))
    }

    static func string(_ value: coap_string_t) -> String {
        guard let bytes = value.s, value.length > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: value.length), as: UTF8.self)
    }
}
