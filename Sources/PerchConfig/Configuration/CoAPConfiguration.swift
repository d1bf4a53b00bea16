import PerchCore

/// `coap`: the CoAP server (SPEC §4).
public struct CoAPConfiguration: Sendable, Equatable {
    /// `coap.listen`: UDP addresses for `coap://`; empty turns plain CoAP off.
    /// Default: `0.0.0.0:5683`.
    public var listen: [ListenAddress]
    /// `coap.dtls`: `coaps://` with pre-shared keys; `nil` (off) when absent.
    public var dtls: DTLSConfiguration?
    /// `coap.resources`: short aliases for topics.
    public var resources: [CoAPResource]
    /// `coap.receive_buffer`: SO_RCVBUF of each CoAP and CoAPS socket,
    /// 64KiB…1GiB; the kernel clamps it to `net.core.rmem_max` unless perchd
    /// may force it. Default: 4MiB, as `mqttsn.receive_buffer`.
    public var receiveBuffer: ByteCount

    /// The default CoAP listen address (SPEC §8: 5683/udp).
    public static let defaultListen = [ListenAddress(host: "0.0.0.0", port: 5683)]

    /// Creates the section.
    public init(
        listen: [ListenAddress] = CoAPConfiguration.defaultListen,
        dtls: DTLSConfiguration? = nil,
        resources: [CoAPResource] = [],
        receiveBuffer: ByteCount = MQTTSNConfiguration.defaultReceiveBuffer
    ) {
        self.listen = listen
        self.dtls = dtls
        self.resources = resources
        self.receiveBuffer = receiveBuffer
    }
}

/// `coap.dtls`: CoAP over DTLS with pre-shared keys.
public struct DTLSConfiguration: Sendable, Equatable {
    /// `coap.dtls.listen`: UDP addresses for `coaps://`. Default: `0.0.0.0:5684`.
    public var listen: [ListenAddress]
    /// `coap.dtls.psk`: identities and keys; at least one.
    public var preSharedKeys: [PreSharedKey]

    /// The default CoAPS listen address (SPEC §8: 5684/udp).
    public static let defaultListen = [ListenAddress(host: "0.0.0.0", port: 5684)]

    /// Creates the section.
    public init(listen: [ListenAddress] = DTLSConfiguration.defaultListen, preSharedKeys: [PreSharedKey]) {
        self.listen = listen
        self.preSharedKeys = preSharedKeys
    }
}

/// One entry of `coap.dtls.psk`.
public struct PreSharedKey: Sendable, Hashable {
    /// `identity`: the PSK identity, which is also the client id (SPEC §4).
    public var identity: String
    /// `key` or `key_file`.
    public var key: Secret

    /// Creates an entry.
    public init(identity: String, key: Secret) {
        self.identity = identity
        self.key = key
    }
}

/// One entry of `coap.resources`: `coap://gw/{path}` behaves as `/ps/{topic}`.
public struct CoAPResource: Sendable, Hashable {
    /// `path`: the URI path, without a leading slash, e.g. `t`.
    public var path: String
    /// `topic`: the topic name, `${gateway}` substituted.
    public var topic: String

    /// Creates an entry.
    public init(path: String, topic: String) {
        self.path = path
        self.topic = topic
    }
}
