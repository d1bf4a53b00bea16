/// `uplink.tls`: how the `mqtts://` connection is secured.
public struct UplinkTLSConfiguration: Sendable, Equatable {
    /// `uplink.tls.ca_file`: PEM bundle of trusted CAs.
    /// Default: `/etc/ssl/certs/ca-certificates.crt` (Debian's system bundle).
    public var caFile: String
    /// `uplink.tls.cert_file` + `key_file`: mutual TLS; `nil` when absent.
    public var clientCertificate: ClientCertificateConfiguration?
    /// `uplink.tls.server_name`: SNI and the name verified in the broker's
    /// certificate. Default: the url's host.
    public var serverName: String
    /// `uplink.tls.alpn`: ALPN protocol names, in preference order. Default: none.
    public var alpn: [String]
    /// `uplink.tls.insecure_skip_verify`: accept any broker certificate. Default: `false`.
    public var insecureSkipVerify: Bool

    /// Debian's bundle of the system's trusted CAs.
    public static let systemCAFile = "/etc/ssl/certs/ca-certificates.crt"

    /// Creates the section.
    public init(
        caFile: String = UplinkTLSConfiguration.systemCAFile,
        clientCertificate: ClientCertificateConfiguration? = nil,
        serverName: String,
        alpn: [String] = [],
        insecureSkipVerify: Bool = false
    ) {
        self.caFile = caFile
        self.clientCertificate = clientCertificate
        self.serverName = serverName
        self.alpn = alpn
        self.insecureSkipVerify = insecureSkipVerify
    }
}

/// The client certificate and its private key, for mutual TLS.
public struct ClientCertificateConfiguration: Sendable, Equatable {
    /// `uplink.tls.cert_file`: PEM certificate (chain).
    public var certificateFile: String
    /// `uplink.tls.key_file`: PEM private key.
    public var keyFile: String

    /// Creates the pair.
    public init(certificateFile: String, keyFile: String) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }
}
