import MQTTCodec
import NIOCore

extension Uplink {
    /// Everything the uplink needs to reach and talk to the upstream broker.
    ///
    /// The uplink has its own configuration type rather than reading `PerchConfig`:
    /// adapters do not depend on the YAML layer; `perchd` maps the file onto this.
    /// Every field has a default, so `Uplink.Configuration(host:)` is a complete value.
    public struct Configuration: Sendable {
        /// The broker's host name or IP literal.
        public var host: String
        /// The broker's TCP port.
        public var port: Int
        /// True for `mqtts://`: the connection is wrapped in TLS.
        public var useTLS: Bool
        /// The MQTT protocol level spoken upstream.
        public var protocolVersion: MQTTProtocolVersion
        /// The MQTT client identifier.
        public var clientID: String
        /// The user name sent in CONNECT, if any.
        public var username: String?
        /// The password sent in CONNECT, if any; binary in both protocol versions.
        public var password: [UInt8]?
        /// How long the link may stay silent before a PINGREQ; zero turns keep-alive off.
        public var keepAlive: Duration
        /// True to start a new session on every connect; false keeps the session
        /// (subscriptions and unacknowledged messages) across reconnects.
        public var cleanStart: Bool
        /// MQTT 5 Session Expiry Interval asked for when `cleanStart` is false, in seconds.
        public var sessionExpiryInterval: UInt32
        /// Back-off between connection attempts.
        public var reconnect: Reconnect
        /// How long a connection attempt may take, TCP and TLS and CONNACK together.
        public var connectTimeout: Duration
        /// The most QoS 1/2 messages sent and not yet acknowledged; the broker's
        /// MQTT 5 Receive Maximum lowers it further.
        public var inFlightWindow: Int
        /// The largest packet the uplink accepts; announced to an MQTT 5 broker.
        public var maximumIncomingPacketSize: Int
        /// The largest packet the broker takes, for brokers that cannot say so
        /// (3.1.1); `nil`: only what an MQTT 5 CONNACK says.
        public var maximumPacketSize: Int?
        /// On graceful shutdown, how long to wait for the messages in flight to be
        /// acknowledged before DISCONNECT; what is not acknowledged by then is
        /// sent again after the next start.
        public var shutdownDrainTimeout: Duration
        /// TLS settings, used when `useTLS` is true.
        public var tls: TLS
        /// The Last Will the broker publishes when the connection dies without DISCONNECT.
        public var will: Will?
        /// The broker as shown in the status, normally the configured URL.
        public var brokerDescription: String

        /// A configuration with the defaults of SPEC §1 for everything but the broker.
        public init(
            host: String,
            port: Int? = nil,
            useTLS: Bool = false,
            protocolVersion: MQTTProtocolVersion = .v5,
            clientID: String = "perch",
            username: String? = nil,
            password: [UInt8]? = nil,
            keepAlive: Duration = .seconds(30),
            cleanStart: Bool = false,
            sessionExpiryInterval: UInt32 = 7 * 24 * 3600,
            reconnect: Reconnect = Reconnect(),
            connectTimeout: Duration = .seconds(10),
            inFlightWindow: Int = 32,
            maximumIncomingPacketSize: Int = 1 << 20,
            maximumPacketSize: Int? = nil,
            shutdownDrainTimeout: Duration = .seconds(2),
            tls: TLS = TLS(),
            will: Will? = nil,
            brokerDescription: String? = nil
        ) {
            self.host = host
            self.port = port ?? (useTLS ? 8883 : 1883)
            self.useTLS = useTLS
            self.protocolVersion = protocolVersion
            self.clientID = clientID
            self.username = username
            self.password = password
            self.keepAlive = keepAlive
            self.cleanStart = cleanStart
            self.sessionExpiryInterval = sessionExpiryInterval
            self.reconnect = reconnect
            self.connectTimeout = connectTimeout
            self.inFlightWindow = inFlightWindow
            self.maximumIncomingPacketSize = maximumIncomingPacketSize
            self.maximumPacketSize = maximumPacketSize
            self.shutdownDrainTimeout = shutdownDrainTimeout
            self.tls = tls
            self.will = will
            let scheme = useTLS ? "mqtts" : "mqtt"
            let printedHost = host.contains(":") ? "[\(host)]" : host
            self.brokerDescription = brokerDescription ?? "\(scheme)://\(printedHost):\(self.port)"
        }
    }
}

extension Uplink.Configuration {
    /// Exponential back-off with jitter between connection attempts.
    public struct Reconnect: Sendable, Equatable {
        /// The shortest wait, used after the first failure.
        public var minimum: Duration
        /// The longest wait; the back-off stops growing here.
        public var maximum: Duration
        /// A connection that stayed up this long resets the back-off to `minimum`.
        public var stableAfter: Duration

        /// Back-off from `minimum` up to `maximum` (SPEC §1 defaults: 1 s to 2 min).
        public init(minimum: Duration = .seconds(1), maximum: Duration = .seconds(120), stableAfter: Duration = .seconds(30)) {
            self.minimum = minimum
            self.maximum = max(minimum, maximum)
            self.stableAfter = stableAfter
        }
    }

    /// The Last Will and Testament (MQTT 5.0 §3.1.2.5).
    public struct Will: Sendable, Equatable {
        /// The topic the broker publishes the will to.
        public var topic: String
        /// The will's payload.
        public var payload: ByteBuffer
        /// The will's QoS.
        public var qos: MQTTQoS
        /// True when the broker keeps the will as the topic's retained message.
        public var retain: Bool

        /// A will message; Perch uses its status topic with `{"state":"offline"}`, retained.
        public init(topic: String, payload: ByteBuffer, qos: MQTTQoS = .atLeastOnce, retain: Bool = true) {
            self.topic = topic
            self.payload = payload
            self.qos = qos
            self.retain = retain
        }
    }

    /// TLS settings for `mqtts://`.
    public struct TLS: Sendable, Equatable {
        /// PEM file of the certificate authorities to trust; `nil` uses the system's.
        public var caFile: String?
        /// PEM client certificate chain for mutual TLS.
        public var certificateFile: String?
        /// PEM private key of the client certificate.
        public var keyFile: String?
        /// The name sent as SNI and checked against the certificate; `nil` uses
        /// the host. An IP literal is never sent as SNI (RFC 6066 §3) and is
        /// checked against the certificate's IP addresses instead.
        public var serverName: String?
        /// ALPN protocol names to offer, e.g. `x-amzn-mqtt-ca` on port 443.
        public var alpnProtocols: [String]
        /// True turns certificate verification off; the uplink logs a warning at every connect.
        public var insecureSkipVerify: Bool

        /// TLS with verification against `caFile` (or the system's roots).
        public init(
            caFile: String? = nil,
            certificateFile: String? = nil,
            keyFile: String? = nil,
            serverName: String? = nil,
            alpnProtocols: [String] = [],
            insecureSkipVerify: Bool = false
        ) {
            self.caFile = caFile
            self.certificateFile = certificateFile
            self.keyFile = keyFile
            self.serverName = serverName
            self.alpnProtocols = alpnProtocols
            self.insecureSkipVerify = insecureSkipVerify
        }
    }
}
