import PerchCore

extension CoAPServer {
    /// How the CoAP server listens and maps paths to topics; built by the daemon
    /// from the `coap:` section and `uplink.mountpoint` (SPEC §1, §4).
    public struct Configuration: Sendable {
        /// UDP addresses for `coap://`; port 0 picks a free port (tests). Empty
        /// turns plain CoAP off (with `dtls` set, only `coaps://` is served).
        public var listen: [ListenAddress]
        /// The prefix put before every `/ps/{topic}` upstream (SPEC §2). It may
        /// hold `${clientid}`, resolved per request to the DTLS session's PSK
        /// identity; a request without one (plain CoAP) is then refused with
        /// 4.01 Unauthorized, so no sensor publishes outside its own mountpoint.
        public var mountpoint: Mountpoint
        /// Short aliases, path (no leading slash, e.g. `t` or `node-7/t`) → topic:
        /// `coap://gw/{path}` behaves as `/ps/{topic}` (`coap.resources`, SPEC §4).
        /// The daemon passes them validated (no `ps/`, no `.well-known/`).
        public var aliases: [String: String]
        /// How many topics GET `/ps/{topic}` remembers a last message for.
        public var lastValueCapacity: Int
        /// The Max-Age sent with 5.03 when the upstream refuses a message: how
        /// long a sensor should wait before trying again (RFC 7252 §5.9.3.4).
        public var retryAfterSeconds: UInt32
        /// `coaps://` listeners and their pre-shared keys; `nil` serves no DTLS.
        public var dtls: DTLS?
        /// The largest body a PUT or POST may carry (after block-wise
        /// reassembly); a larger one is answered 4.13 with this size in Size1
        /// (RFC 7252 §5.9.2.9, §5.10.9). Default 64 KiB, the most an MQTT-SN
        /// sensor can send too.
        public var maximumPayloadBytes: Int
        /// SO_RCVBUF asked for on every `coap://` and `coaps://` socket
        /// (`coap.receive_buffer`), forced past `net.core.rmem_max` where perchd
        /// may; `nil` keeps the kernel default (`net.core.rmem_default`).
        public var receiveBufferSize: Int?

        /// Creates a configuration.
        public init(
            listen: [ListenAddress],
            mountpoint: Mountpoint = .none,
            aliases: [String: String] = [:],
            lastValueCapacity: Int = 1024,
            retryAfterSeconds: UInt32 = 30,
            dtls: DTLS? = nil,
            maximumPayloadBytes: Int = 65_536,
            receiveBufferSize: Int? = nil
        ) {
            self.listen = listen
            self.mountpoint = mountpoint
            self.aliases = aliases
            self.lastValueCapacity = lastValueCapacity
            self.retryAfterSeconds = retryAfterSeconds
            self.dtls = dtls
            self.maximumPayloadBytes = maximumPayloadBytes
            self.receiveBufferSize = receiveBufferSize
        }
    }
}
