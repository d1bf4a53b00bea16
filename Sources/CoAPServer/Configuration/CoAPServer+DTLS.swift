import PerchCore

extension CoAPServer {
    /// `coaps://` with pre-shared keys (SPEC §4, `coap.dtls`; RFC 7252 §9.1.3.1).
    ///
    /// The PSK identity a client offers is its client id: a `${clientid}` in the
    /// mountpoint becomes that identity for every request on its DTLS session.
    public struct DTLS: Sendable, Equatable {
        /// UDP addresses for `coaps://`; port 0 picks a free port (tests).
        public var listen: [ListenAddress]
        /// Identity → key bytes (the daemon reads the `key_file`s). A client
        /// offering an identity that is not here gets no key: its handshake fails.
        public var keys: [String: [UInt8]]

        /// Creates the DTLS settings.
        public init(listen: [ListenAddress], keys: [String: [UInt8]]) {
            self.listen = listen
            self.keys = keys
        }
    }
}
