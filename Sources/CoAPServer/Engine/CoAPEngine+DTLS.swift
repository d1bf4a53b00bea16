internal import CLibCoAP
import Dispatch

extension CoAPEngine {
    /// Turns on DTLS with pre-shared keys for the `coaps://` endpoints that
    /// follow (RFC 7252 §9.1.3.1, SPEC §4); libcoap refuses a DTLS endpoint
    /// before this.
    ///
    /// The key is looked up per identity the client offers, through
    /// `identityCallback`: an identity with no key ends the handshake. With a
    /// wrong key the client's Finished does not verify and DTLS drops it
    /// silently (RFC 6347 §4.1.2.7): the handshake never completes.
    func enableDTLS(_ dtls: CoAPServer.DTLS, in context: OpaquePointer) throws(CoAPServerError) {
        guard coap_dtls_is_supported() != 0 else { throw .dtlsUnsupported }
        guard let store = PreSharedKeyStore(dtls.keys) else { throw .dtlsSetupFailed }
        preSharedKeys = store
        var setup = coap_dtls_spsk_t()
        setup.version = UInt8(COAP_DTLS_SPSK_SETUP_VERSION)
        setup.validate_id_call_back = Self.identityCallback
        setup.id_call_back_arg = Unmanaged.passUnretained(self).toOpaque()
        // No hint and no default key: every key comes from the callback.
        guard coap_context_set_psk2(context, &setup) == 1 else { throw .dtlsSetupFailed }
    }

    /// The key for `identity`, asked by libcoap during a handshake.
    func preSharedKey(for identity: coap_bin_const_t) -> UnsafePointer<coap_bin_const_t>? {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let key = preSharedKeys?.key(for: identity) else {
            let name = identity.s.map { String(decoding: UnsafeBufferPointer(start: $0, count: identity.length), as: UTF8.self) } ?? ""
            logger.notice("CoAP DTLS handshake refused: unknown PSK identity", metadata: ["identity": "\(name)"])
            return nil
        }
        return key
    }

    /// The PSK identity of a DTLS session, which is its client id (SPEC §4);
    /// `nil` for plain CoAP.
    static func clientID(of session: OpaquePointer) -> String? {
        guard coap_session_get_proto(session) == COAP_PROTO_DTLS,
              let identity = coap_session_get_psk_identity(session),
              let bytes = identity.pointee.s else { return nil }
        return String(validating: UnsafeBufferPointer(start: bytes, count: identity.pointee.length), as: UTF8.self)
    }

    /// libcoap's identity callback: non-capturing, finds the engine through
    /// the setup's `id_call_back_arg`. libcoap calls it from inside
    /// `coap_io_process` (the handshake), so on the engine's queue; the engine
    /// frees the context, which holds the setup, before it goes away.
    static let identityCallback: coap_dtls_id_callback_t = { identity, _, argument in
        guard let identity, let argument else { return nil }
        let engine = Unmanaged<CoAPEngine>.fromOpaque(argument).takeUnretainedValue()
        return engine.preSharedKey(for: identity.pointee)
    }
}
