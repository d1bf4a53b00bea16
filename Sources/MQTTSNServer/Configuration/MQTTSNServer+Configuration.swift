import PerchCore

extension MQTTSNServer {
    /// What the server needs, in its own types: the daemon builds it from the
    /// `mqttsn:` section of the file, tests build it directly.
    public struct Configuration: Sendable {
        /// The addresses to listen on, IPv4 and IPv6 alike.
        public var listen: [ListenAddress]
        /// SO_RCVBUF asked of the kernel for each socket; the kernel clamps it to
        /// `net.core.rmem_max`. A burst larger than this is lost in the kernel.
        public var receiveBufferSize: Int
        /// The largest datagram read whole; a larger one is cut short and then
        /// counted as malformed. MQTT-SN datagrams are usually under a hundred bytes.
        public var maximumDatagramSize: Int
        /// Datagrams read per system call (recvmmsg).
        public var datagramsPerRead: Int
        /// Where ADVERTISE goes (MQTT-SN v1.2 §5.4.1); `nil` when advertising is off.
        public var advertiseAddress: ListenAddress?
        /// How long `.store`/`.forget` actions are gathered before they are written
        /// in one transaction: an idle gateway writes nothing, a busy one rarely.
        public var storeInterval: Duration
        /// The gateway state machine's settings.
        public var gateway: MQTTSNGatewayConfiguration

        /// Creates the configuration; defaults suit a Raspberry Pi gateway.
        public init(
            listen: [ListenAddress],
            receiveBufferSize: Int = 4 * 1024 * 1024,
            maximumDatagramSize: Int = 2048,
            datagramsPerRead: Int = 32,
            advertiseAddress: ListenAddress? = nil,
            storeInterval: Duration = .milliseconds(100),
            gateway: MQTTSNGatewayConfiguration = MQTTSNGatewayConfiguration()
        ) {
            self.listen = listen
            self.receiveBufferSize = receiveBufferSize
            self.maximumDatagramSize = maximumDatagramSize
            self.datagramsPerRead = datagramsPerRead
            self.advertiseAddress = advertiseAddress
            self.storeInterval = storeInterval
            self.gateway = gateway
        }
    }
}
