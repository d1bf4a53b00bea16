internal import CLibCoAP

/// The DTLS pre-shared keys as libcoap's identity callback hands them back:
/// one libcoap-allocated `coap_bin_const_t` per identity, made once at start.
///
/// libcoap copies the key it is given into the session, so a pointer only has
/// to stay valid while the callback runs; the store keeps them all until the
/// engine's context is gone and frees them in `deinit`.
final class PreSharedKeyStore {
    /// Keyed by the identity's bytes: a client offers bytes, not a String.
    private let keys: [[UInt8]: UnsafeMutablePointer<coap_bin_const_t>]

    /// Copies `keys` (identity → key bytes) into libcoap's buffers; `nil` when
    /// libcoap could not allocate one (whatever was copied is freed again).
    init?(_ keys: [String: [UInt8]]) {
        var copies: [[UInt8]: UnsafeMutablePointer<coap_bin_const_t>] = [:]
        for (identity, key) in keys {
            guard let copy = key.withUnsafeBufferPointer({ coap_new_bin_const($0.baseAddress, $0.count) }) else {
                for copy in copies.values { coap_delete_bin_const(copy) }
                return nil
            }
            copies[Array(identity.utf8)] = copy
        }
        self.keys = copies
    }

    deinit {
        for key in keys.values { coap_delete_bin_const(key) }
    }

    /// The key for the identity a client offered, `nil` for an unknown one.
    func key(for identity: coap_bin_const_t) -> UnsafePointer<coap_bin_const_t>? {
        let bytes = identity.s.map { Array(UnsafeBufferPointer(start: $0, count: identity.length)) } ?? []
        return keys[bytes].map { UnsafePointer($0) }
    }
}
